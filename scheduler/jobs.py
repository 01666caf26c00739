"""APScheduler jobs: the outbox tick and the digest planner, driven by the database state."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.services.announcements import sending as announcements
from bot.services.hotline import deadlines
from scheduler import outbox
from scheduler.digests import plan_digests
from scheduler.outbox import TickContext

logger = logging.getLogger(__name__)

TICK_JOB = "outbox-tick"
DIGEST_JOB = "officer-digests"
DIGEST_EVERY_MINUTES = 15
# Digests wait a little after start so the first tick and the polling settle first.
DIGEST_FIRST_DELAY = timedelta(minutes=1)
HOTLINE_JOB = "hotline-deadlines"
HOTLINE_EVERY_MINUTES = 5
ANNOUNCEMENTS_JOB = "announcements"
ANNOUNCEMENTS_EVERY_SECONDS = 3


class Scheduler(AsyncIOScheduler):
    """An AsyncIOScheduler whose ``stop`` lets running jobs finish their transaction."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.running_jobs: set[asyncio.Task] = set()
        # When the outbox tick last finished, for the health check.
        self.last_tick_at: datetime | None = None

    def tracked(
        self, job: Callable[[TickContext], Awaitable[None]]
    ) -> Callable[[TickContext], Awaitable[None]]:
        async def run(app: TickContext) -> None:
            task = asyncio.current_task()
            if task is not None:
                self.running_jobs.add(task)
            try:
                await job(app)
            finally:
                self.running_jobs.discard(task)

        return functools.wraps(job)(run)

    def recorded(
        self, job: Callable[[TickContext], Awaitable[None]]
    ) -> Callable[[TickContext], Awaitable[None]]:
        """The tick job, noting in ``last_tick_at`` when it last finished without an error."""

        async def run(app: TickContext) -> None:
            await job(app)
            self.last_tick_at = datetime.now(UTC)

        return functools.wraps(job)(run)

    def wake(self) -> None:
        """Run the outbox tick now: a notification is waiting."""
        if self.running and self.get_job(TICK_JOB) is not None:
            self.modify_job(TICK_JOB, next_run_time=datetime.now(UTC))

    async def stop(self, grace: float = 10.0) -> None:
        if not self.running:
            return
        # The executor cancels jobs still running at shutdown, so let them commit first.
        self.pause()
        if self.running_jobs:
            await asyncio.wait(set(self.running_jobs), timeout=grace)
        self.shutdown(wait=False)


async def run_tick(app: TickContext) -> None:
    """Outbox ticks until what is left is due no sooner than the next run of the interval:
    a broadcast's backlog and its short flood waits do not wait for the interval."""
    while True:
        result = await outbox.tick(app)
        if result.backlog:
            continue
        wait = await outbox.due_soon(app)
        if wait is None or wait >= app.settings.tick_seconds:
            return
        if not wait and not result.claimed:
            return  # due and still not claimed (another process has it): no busy loop
        await asyncio.sleep(wait)


async def run_digests(app: TickContext) -> None:
    async with app.session_factory() as session:
        await plan_digests(session, datetime.now(UTC), app.settings)
        await session.commit()


async def run_hotline_deadlines(app: TickContext) -> None:
    async with app.session_factory() as session:
        result = await deadlines.run_due(
            session, datetime.now(UTC), default_tz=app.settings.default_timezone
        )
    if result.reminded or result.escalated:
        logger.info("hotline: %s reminded, %s escalated", result.reminded, result.escalated)


async def run_announcements(app: TickContext) -> None:
    """Start scheduled announcements, finish delivered ones, edit the authors' progress."""
    async with app.session_factory() as session:
        edits = await announcements.watch(session, default_tz=app.settings.default_timezone)
    for edit in edits:
        sender = app.senders.get(edit.address.channel)
        if sender is not None:
            await sender.edit(edit.address, edit.message_id, edit.message)


def build_scheduler(app: TickContext) -> Scheduler:
    """The tick runs at once on start (catching up after downtime), then periodically."""
    scheduler = Scheduler(jobstores={"default": MemoryJobStore()}, timezone=UTC)
    tick_seconds = app.settings.tick_seconds
    common = {"coalesce": True, "max_instances": 1, "replace_existing": True}
    scheduler.add_job(
        scheduler.tracked(scheduler.recorded(run_tick)),
        "interval",
        seconds=tick_seconds,
        id=TICK_JOB,
        args=[app],
        next_run_time=datetime.now(UTC),
        misfire_grace_time=max(int(tick_seconds * 2), 5),
        **common,
    )
    scheduler.add_job(
        scheduler.tracked(run_digests),
        "interval",
        minutes=DIGEST_EVERY_MINUTES,
        id=DIGEST_JOB,
        args=[app],
        next_run_time=datetime.now(UTC) + DIGEST_FIRST_DELAY,
        misfire_grace_time=DIGEST_EVERY_MINUTES * 60,
        **common,
    )
    scheduler.add_job(
        scheduler.tracked(run_hotline_deadlines),
        "interval",
        minutes=HOTLINE_EVERY_MINUTES,
        id=HOTLINE_JOB,
        args=[app],
        next_run_time=datetime.now(UTC) + DIGEST_FIRST_DELAY,
        misfire_grace_time=HOTLINE_EVERY_MINUTES * 60,
        **common,
    )
    scheduler.add_job(
        scheduler.tracked(run_announcements),
        "interval",
        seconds=ANNOUNCEMENTS_EVERY_SECONDS,
        id=ANNOUNCEMENTS_JOB,
        args=[app],
        misfire_grace_time=ANNOUNCEMENTS_EVERY_SECONDS * 10,
        **common,
    )
    return scheduler
