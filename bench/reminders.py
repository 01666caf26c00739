"""Benchmark: one reminder tick (planning plus claiming and sending) at 10k, 100k and 1M tasks."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.types import Chat, Message

from bot.channels.telegram.sender import TelegramSender
from bot.config import Settings
from scheduler.outbox import tick
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade

MEASURES = 50  # tasks per school
# The same work in every size, so the figures differ only by what the database holds:
UNPLANNED = 500  # tasks changed since the last tick (the first ten schools)
DUE_SCHOOLS, DUE_PER_SCHOOL = 200, 2  # reminders due now: 400 rows in 200 messages
NOW = datetime(2024, 3, 11, 7, 0, tzinfo=UTC)
STAMP = "%Y-%m-%d %H:%M:%S.%f"


class NoopSession(BaseSession):
    """Answers sendMessage at once, so the figure is the bot's own cost."""

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:  # noqa: ASYNC109
        return Message(
            message_id=1,
            date=NOW,
            chat=Chat(id=method.chat_id, type="private"),
            text=getattr(method, "text", None),
        )

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        pass


def fill(path: Path, tasks: int) -> None:
    """Bulk-load a region, schools with one coordinator each, plans and tasks."""
    schools = max(tasks // MEASURES, 1)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    created = NOW.strftime(STAMP)
    db.execute(
        "INSERT INTO organizations (id, name, kind, parent_id, timezone, at_risk, created_at) "
        "VALUES (1, 'Регион', 'region', NULL, 'Europe/Moscow', 0, ?)",
        (created,),
    )
    munis = max(schools // 200, 1)
    db.executemany(
        "INSERT INTO organizations (id, name, kind, parent_id, timezone, at_risk, created_at) "
        "VALUES (?, ?, 'municipality', 1, ?, 0, ?)",
        [
            (2 + m, f"Муниципалитет {m}", ("Europe/Moscow", "Asia/Irkutsk")[m % 2], created)
            for m in range(munis)
        ],
    )
    first_school = 2 + munis
    db.executemany(
        "INSERT INTO organizations (id, name, kind, parent_id, timezone, at_risk, created_at) "
        "VALUES (?, ?, 'school', ?, NULL, 0, ?)",
        [(first_school + s, f"Школа {s}", 2 + s % munis, created) for s in range(schools)],
    )
    db.executemany(
        "INSERT INTO users (id, full_name, is_active, created_at) VALUES (?, ?, 1, ?)",
        [(1 + s, f"Координатор {s}", created) for s in range(schools)],
    )
    db.executemany(
        "INSERT INTO channel_accounts (user_id, channel, external_id, chat_id, created_at) "
        "VALUES (?, 'telegram', ?, ?, ?)",
        [(1 + s, str(10_000 + s), str(10_000 + s), created) for s in range(schools)],
    )
    db.executemany(
        "INSERT INTO roles (user_id, role, org_id, created_at) VALUES (?, 'coordinator', ?, ?)",
        [(1 + s, first_school + s, created) for s in range(schools)],
    )
    db.execute(
        "INSERT INTO plans (id, org_id, title, period_start, period_end, created_at, updated_at)"
        " VALUES (1, 1, 'Дорожная карта', '2023-09-01', '2024-08-31', ?, ?)",
        (created, created),
    )
    db.executemany(
        "INSERT INTO measures (id, plan_id, position, number, title, responsible, "
        "executor_level, deadline_text, deadline_kind, deadline, needs_review) "
        "VALUES (?, 1, ?, ?, ?, '', 'school', ?, 'date', '{}', 0)",
        [
            (1 + m, m, f"{m}.", f"Мероприятие {m}", f"до {1 + m % 28} апреля 2024 года")
            for m in range(MEASURES)
        ],
    )

    def task_rows():
        task_id = 0
        for s in range(schools):
            for m in range(MEASURES):
                task_id += 1
                due = date(2024, 3, 12) + timedelta(days=(task_id * 7) % 120)
                planned = 0 if task_id <= UNPLANNED else 1
                yield (
                    task_id,
                    1 + m,
                    first_school + s,
                    "1",
                    due.isoformat(),
                    "open",
                    planned,
                    created,
                )

    db.executemany(
        "INSERT INTO tasks (id, measure_id, org_id, occurrence, due_date, status, planned, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        task_rows(),
    )

    def outbox_rows():
        # One future reminder per task, as a planned database holds; a few are due now.
        for task_id in range(1, tasks + 1):
            school, measure = divmod(task_id - 1, MEASURES)
            due_now = school < DUE_SCHOOLS and measure < DUE_PER_SCHOOL
            due_at = NOW - timedelta(minutes=1) if due_now else NOW + timedelta(days=3)
            payload = json.dumps({"date": "2024-03-14", "tz": "Europe/Moscow"})
            yield (
                f"rem:{task_id}:{1 + school}:before:2024-03-14",
                str(10_000 + school),
                task_id,
                1 + school,
                task_id,
                "before",
                due_at.strftime(STAMP),
                "pending",
                0,
                payload,
            )

    db.executemany(
        "INSERT INTO outbox (dedupe_key, channel, chat_id, lane, ref_type, ref_id, user_id, "
        "task_id, kind, due_at, status, attempts, payload) "
        "VALUES (?, 'telegram', ?, 1, 'task', ?, ?, ?, ?, ?, ?, ?, ?)",
        outbox_rows(),
    )
    db.commit()
    db.execute("ANALYZE")
    db.close()


def query_plans(path: Path) -> list[str]:
    db = sqlite3.connect(path)
    checks = {
        "unplanned": "SELECT id FROM tasks WHERE planned = 0 LIMIT 1000",
        "claim": "SELECT id FROM outbox WHERE status = 'pending' AND lane = 1 "
        "AND due_at <= '2024-03-11' ORDER BY due_at LIMIT 500",
        "lease": "SELECT id FROM outbox WHERE status = 'sending' AND lane = 1 "
        "AND due_at <= '2024-03-11' AND claimed_at < '2024' LIMIT 500",
    }
    found = []
    for name, sql in checks.items():
        detail = " | ".join(row[-1] for row in db.execute("EXPLAIN QUERY PLAN " + sql))
        found.append(f"{name}: {detail}")
    db.close()
    return found


async def measure(tasks: int, workdir: Path, *, quiet: bool = False) -> float:
    path = workdir / f"bench_{tasks}.sqlite3"
    url = f"sqlite+aiosqlite:///{path}"
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()
    started = time.perf_counter()
    fill(path, tasks)
    say = (lambda _: None) if quiet else (lambda line: print(f"{tasks}: {line}", flush=True))
    say(f"filled in {time.perf_counter() - started:.1f} s")
    for line in query_plans(path):
        say(f"plan {line}")
    engine = create_engine(url)
    settings = Settings(_env_file=None, bot_token="1:bench", database_url=url)
    bot = Bot("123456:BENCH", session=NoopSession())

    class Ctx:
        pass

    ctx = Ctx()
    ctx.settings, ctx.session_factory = settings, create_session_factory(engine)
    ctx.senders = {"telegram": TelegramSender(bot)}
    started = time.perf_counter()
    result = await tick(ctx, NOW)
    elapsed = (time.perf_counter() - started) * 1000
    say(
        f"tick {elapsed:.0f} ms — planned {result.planned}, claimed {result.claimed}, "
        f"messages {result.messages}, sent {result.sent}, skipped {result.skipped}"
    )
    await engine.dispose()
    path.unlink(missing_ok=True)
    return elapsed


def label(n: int) -> str:
    return f"{n // 1_000_000}m" if n >= 1_000_000 else f"{n // 1000}k"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000,1000000")
    args = parser.parse_args()
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    figures = {}
    with tempfile.TemporaryDirectory() as tmp:
        # The first tick of a process also pays for imports and model setup; leave it out.
        await measure(sizes[0], Path(tmp), quiet=True)
        for size in sizes:
            figures[f"tick_ms_{label(size)}"] = await measure(size, Path(tmp))
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(" ".join(f"{k}={v:.0f}" for k, v in figures.items()) + f" rss_mb={rss_mb:.0f}")


if __name__ == "__main__":
    asyncio.run(main())
