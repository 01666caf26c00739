"""Test databases: on SQLite a file migrated once per test session and copied for each test;
on PostgreSQL (TEST_DB_BACKEND=postgresql) the schema is dropped and migrated for each test."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from storage.db import create_engine
from storage.migrate import upgrade

# TEST_DB_BACKEND=postgresql runs the database tests on the server of TEST_POSTGRES_URL.
BACKEND = os.environ.get("TEST_DB_BACKEND", "sqlite")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


def run_aside(coroutine: Coroutine[Any, Any, Any]) -> Any:
    """Run a coroutine on a loop of its own, leaving the tests' event loop alone."""
    with asyncio.Runner(loop_factory=asyncio.new_event_loop) as runner:
        return runner.run(coroutine)


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


async def migrate(url: str) -> None:
    """Bring the database at ``url`` to the head revision."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def sqlite_template(path: Path) -> Path:
    """A SQLite file at ``path`` migrated to head, to be copied by ``sqlite_copy``."""
    run_aside(migrate(sqlite_url(path)))
    return path


def sqlite_copy(template: Path, path: Path) -> str:
    """A copy of the migrated ``template`` at ``path``; returns its URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    return sqlite_url(path)


async def fresh_postgres() -> str:
    """The database of TEST_POSTGRES_URL with its schema dropped and migrated again; returns
    its URL. The test skips without TEST_POSTGRES_URL."""
    if not POSTGRES_URL:
        pytest.skip("TEST_DB_BACKEND=postgresql needs TEST_POSTGRES_URL")
    engine = create_engine(POSTGRES_URL)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()
    await migrate(POSTGRES_URL)
    return POSTGRES_URL
