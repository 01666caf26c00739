"""End-to-end fixtures: the fake Bot API server, the application's settings, the running bot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.config import Settings
from storage.db import sqlite_path
from tests.fakeapi.server import FakeTelegram
from tests.support import e2e
from tests.support.database import sqlite_copy
from tests.support.e2e import Running, running_app


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with e2e.fake_telegram() as server:
        yield server


@pytest.fixture
def e2e_settings(tmp_path, fake, sqlite_schema) -> Settings:
    settings = e2e.e2e_settings(fake, tmp_path)
    # The database is a copy of the migrated template, so the bot's start finds it at head
    # rather than migrating it in every test; tests of a fresh database set their own URL.
    sqlite_copy(sqlite_schema, sqlite_path(settings.database_url))
    return settings


@pytest.fixture
async def running(fake, e2e_settings) -> AsyncIterator[Running]:
    async with running_app(fake, e2e_settings) as run:
        yield run
