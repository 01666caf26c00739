"""End-to-end harness: the real application long-polls the fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.main.app import App
from tests.fakeapi.server import FakeTelegram
from tests.support.settings import BOT_USERNAME, TEST_TOKEN

ADMIN_ID = 9001


@dataclass
class Running:
    fake: FakeTelegram
    app: App
    settings: Settings


@contextlib.asynccontextmanager
async def fake_telegram(token: str = TEST_TOKEN) -> AsyncIterator[FakeTelegram]:
    """The fake Bot API server, listening on loopback, for a bot with ``token``."""
    server = FakeTelegram(token=token, bot_username=BOT_USERNAME)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def e2e_settings(fake: FakeTelegram, directory: Path) -> Settings:
    """The application's settings against ``fake``, its SQLite database in ``directory``."""
    return Settings(
        _env_file=None,
        bot_token=TEST_TOKEN,
        telegram_api_url=fake.url,
        database_url=f"sqlite+aiosqlite:///{directory / 'e2e.sqlite3'}",
        admin_ids=[ADMIN_ID],
        polling_timeout=1,
        tick_seconds=0.2,
        # Telegram's one-message-a-second per chat would make every dialogue test crawl;
        # test_rate_limits checks the real spacing.
        rate_chat_interval=0.05,
        # A test taps through a form faster than a person; test_flood_is_throttled sets its own.
        flood_limit=50,
        # The web app (/health) listens on a free port, so parallel runs never collide.
        webhook_port=0,
    )


@contextlib.asynccontextmanager
async def running_app(fake: FakeTelegram, settings: Settings) -> AsyncIterator[Running]:
    """The application built from ``settings``, polling ``fake`` until the block ends."""
    app = await App.create(settings)
    task = asyncio.create_task(app.run_polling(handle_signals=False))
    try:
        await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 10, "the bot to poll")
        yield Running(fake, app, settings)
    finally:
        await app.dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        await app.close()
