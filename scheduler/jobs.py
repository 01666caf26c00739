"""APScheduler jobs: the outbox tick and the digest planner, driven by the database state."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from scheduler import outbox
from scheduler.digests import plan_digests
from scheduler.outbox import TickContext

logger = logging.getLogger(__name__)

TICK_JOB = "outbox-tick"
DIGEST_JOB = "officer-digests"
DIGEST_EVERY_MINUTES = 15


async def run_tick(app: TickContext) -> None:
    await outbox.tick(app)


async def run_digests(app: TickContext) -> None:
    async with app.session_factory() as session:
        await plan_digests(session, datetime.now(UTC), app.settings)
        await session.commit()


def build_scheduler(app: TickContext) -> AsyncIOScheduler:
    """Jobs run at once on start (catching up after downtime), then periodically."""
    scheduler = AsyncIOScheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
    tick_seconds = app.settings.tick_seconds
    common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    scheduler.add_job(
        run_tick,
        "interval",
        seconds=tick_seconds,
        id=TICK_JOB,
        args=[app],
        next_run_time=datetime.now(UTC),
        misfire_grace_time=max(int(tick_seconds * 2), 5),
        **common,
    )
    scheduler.add_job(
        run_digests,
        "interval",
        minutes=DIGEST_EVERY_MINUTES,
        id=DIGEST_JOB,
        args=[app],
        next_run_time=datetime.now(UTC),
        misfire_grace_time=DIGEST_EVERY_MINUTES * 60,
        **common,
    )
    return scheduler
