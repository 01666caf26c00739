"""End-to-end harness: the real application long-polls the fake Bot API server over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from bot.config import Settings
from bot.main.app import App
from tests.conftest import TEST_TOKEN
from tests.fakeapi.server import FakeTelegram

ADMIN_ID = 9001


@dataclass
class Running:
    fake: FakeTelegram
    app: App
    settings: Settings


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = FakeTelegram(token=TEST_TOKEN, bot_username="roadmap_test_bot")
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def e2e_settings(tmp_path, fake) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TEST_TOKEN,
        telegram_api_url=fake.url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'e2e.sqlite3'}",
        admin_ids=[ADMIN_ID],
        polling_timeout=1,
        tick_seconds=0.2,
        # Telegram's one-message-a-second per chat would make every dialogue test crawl;
        # test_rate_limits checks the real spacing.
        rate_chat_interval=0.05,
        # The web app (/health) listens on a free port, so parallel runs never collide.
        webhook_port=0,
    )


@contextlib.asynccontextmanager
async def running_app(fake: FakeTelegram, settings: Settings) -> AsyncIterator[Running]:
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


@pytest.fixture
async def running(fake, e2e_settings) -> AsyncIterator[Running]:
    async with running_app(fake, e2e_settings) as run:
        yield run
