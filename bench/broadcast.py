"""Benchmark: one bulk announcement to 10k people through a fake Telegram with its flood limits."""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.sending import LimiterMiddleware
from bot.config import Settings
from bot.domain.enums import OutboxStatus
from bot.domain.messages import Lane, OutgoingMessage, Ref, RefType
from bot.main.app import build_bot, build_limiter
from bot.services import notify
from scheduler.jobs import run_tick
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import OutboxMessage
from tests.fakeapi import FakeTelegram

TOKEN = "123456:BENCH"
FIRST_TG_ID = 100_000
TEXT = (
    "<b>Объявление</b>\nУважаемые коллеги! Напоминаем о сроках сдачи отчётов по дорожной "
    "карте до 15 марта."
)


class Ctx:
    """What ``tick`` needs of the application."""

    def __init__(self, settings, session_factory, senders) -> None:
        self.settings, self.session_factory, self.senders = settings, session_factory, senders


def fill(path: Path, recipients: int) -> None:
    """People with a Telegram account each, inserted in bulk."""
    db = sqlite3.connect(path)
    created = time.strftime("%Y-%m-%d %H:%M:%S.000000", time.gmtime())
    db.executemany(
        "INSERT INTO users (id, full_name, is_active, created_at) VALUES (?, ?, 1, ?)",
        [(1 + n, f"Получатель {n}", created) for n in range(recipients)],
    )
    db.executemany(
        "INSERT INTO channel_accounts (user_id, channel, external_id, chat_id, created_at) "
        "VALUES (?, 'telegram', ?, ?, ?)",
        [(1 + n, str(FIRST_TG_ID + n), str(FIRST_TG_ID + n), created) for n in range(recipients)],
    )
    db.commit()
    db.close()


async def queue(session_factory, recipients: int) -> int:
    async with session_factory() as session:
        queued = await notify.queue_notice(
            session,
            list(range(1, recipients + 1)),
            OutgoingMessage(text=TEXT),
            key="announcement:1",
            lane=Lane.BULK,
            ref=Ref(RefType.ANNOUNCEMENT, 1),
        )
        await session.commit()
    return queued


async def unsettled(session_factory) -> int:
    async with session_factory() as session:
        query = select(func.count()).where(
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING))
        )
        return await session.scalar(query)


async def run_ticks(ctx: Ctx, tick_seconds: float) -> int:
    """Run the scheduler's tick job as its interval trigger does: at start, then every
    ``tick_seconds``, a run that is due while the last one still goes being skipped."""
    loop = asyncio.get_running_loop()
    began = loop.time()
    runs = 0
    while True:
        await run_tick(ctx)
        runs += 1
        left = await unsettled(ctx.session_factory)
        print(f"tick job {runs} done at {loop.time() - began:.1f} s: {left} left", flush=True)
        if not left:
            return runs
        due = int((loop.time() - began) // tick_seconds) + 1
        await asyncio.sleep(began + due * tick_seconds - loop.time())


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--blocked", type=float, default=0.03, help="share who blocked the bot")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per Bot API call")
    parser.add_argument("--tick-seconds", type=float, default=None)
    args = parser.parse_args()

    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    fake.latency = args.latency
    fake.flood_control(global_per_second=30, per_chat_per_second=1)
    tg_ids = [FIRST_TG_ID + n for n in range(args.recipients)]
    blocked = set(random.Random(1).sample(tg_ids, round(args.recipients * args.blocked)))
    for tg_id in tg_ids:
        fake.user(tg_id).blocked = tg_id in blocked

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'broadcast.sqlite3'}"
        overrides = {} if args.tick_seconds is None else {"tick_seconds": args.tick_seconds}
        # No quiet hours: the figure is the delivery rate, whatever the hour of the run.
        settings = Settings(
            _env_file=None,
            bot_token=TOKEN,
            database_url=url,
            telegram_api_url=fake.url,
            quiet_start=0,
            quiet_end=0,
            **overrides,
        )
        engine = create_engine(url)
        await upgrade(engine)
        fill(Path(tmp) / "broadcast.sqlite3", args.recipients)
        session_factory = create_session_factory(engine)
        queued = await queue(session_factory, args.recipients)
        print(f"{queued} messages queued, {len(blocked)} recipients blocked the bot", flush=True)

        bot = build_bot(settings)
        limiter, _ = build_limiter(settings)
        bot.session.middleware(LimiterMiddleware(limiter))
        ctx = Ctx(settings, session_factory, {"telegram": TelegramSender(bot)})
        try:
            ticks = await run_ticks(ctx, settings.tick_seconds)
        finally:
            await bot.session.close()
            await engine.dispose()
            await fake.stop()

    sends = fake.calls_to("sendMessage")
    delivered = Counter(call.params["chat_id"] for call in sends if call.status == 200)
    seconds = sends[-1].at - sends[0].at if len(sends) > 1 else 0.0
    lost = sum(1 for tg_id in tg_ids if tg_id not in blocked and not delivered[tg_id])
    duplicates = sum(1 for count in delivered.values() if count > 1)
    rate = sum(delivered.values()) / seconds if seconds else 0.0
    print(
        f"{len(sends)} requests ({len(sends) / seconds if seconds else 0:.2f}/s) in {ticks} "
        f"runs of the tick job: {sum(delivered.values())} delivered, "
        f"{sum(call.status == 403 for call in sends)} refused as blocked",
        flush=True,
    )
    print(
        f"rate_per_s={rate:.2f} lost={lost} duplicates={duplicates} seconds={seconds:.1f} "
        f"retry_after_hits={fake.retry_after_hits}"
    )


if __name__ == "__main__":
    asyncio.run(main())
