"""Test databases: the schema is migrated once per test session and copied for each test.

On SQLite the copy is a file copied from a migrated template file. On PostgreSQL each test
gets its own database made with ``CREATE DATABASE … TEMPLATE`` from a migrated template
database, and dropped after the test; tests that need an empty database get a new one too.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection

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


class PostgresServer:
    """Databases on the server of a URL, made (empty or from a template) and dropped by name.

    The names carry this process's id, so runs that share a server do not meet.
    """

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self._numbers = itertools.count(1)
        self._prefix = f"roadmap_test_{os.getpid()}"

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def new_name(self) -> str:
        return f"{self._prefix}_{next(self._numbers)}"

    @contextlib.asynccontextmanager
    async def _admin(self) -> AsyncIterator[AsyncConnection]:
        # CREATE and DROP DATABASE run outside a transaction, on the URL's own database.
        engine = create_engine(self.url.render_as_string(hide_password=False))
        engine = engine.execution_options(isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                yield connection
        finally:
            await engine.dispose()

    async def create(self, name: str, template: str | None = None) -> str:
        """A new database ``name``, empty or a copy of ``template``; returns its URL."""
        clause = f' TEMPLATE "{template}"' if template else ""
        async with self._admin() as admin:
            await admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await admin.execute(text(f'CREATE DATABASE "{name}"{clause}'))
        return self.url_of(name)

    async def drop(self, name: str) -> None:
        async with self._admin() as admin:
            await admin.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    async def create_template(self) -> str:
        """A database migrated to head, to be copied by ``copy``; returns its name."""
        name = f"{self._prefix}_template"
        # The engine that migrated it is gone before anyone copies it: PostgreSQL copies a
        # template only while no one is connected to it.
        await migrate(await self.create(name))
        return name

    @contextlib.asynccontextmanager
    async def database(self, template: str | None = None) -> AsyncIterator[str]:
        """A new database (empty, or a copy of ``template``) for one test, dropped after it;
        yields its URL."""
        name = self.new_name()
        url = await self.create(name, template)
        try:
            yield url
        finally:
            await self.drop(name)


_servers: dict[str, PostgresServer] = {}


def postgres_server() -> PostgresServer:
    """The server of TEST_POSTGRES_URL; the test skips without it."""
    if not POSTGRES_URL:
        pytest.skip("TEST_POSTGRES_URL is not set")
    if POSTGRES_URL not in _servers:
        _servers[POSTGRES_URL] = PostgresServer(POSTGRES_URL)
    return _servers[POSTGRES_URL]


@contextlib.asynccontextmanager
async def empty_database(backend: str, directory: Path) -> AsyncIterator[str]:
    """An empty database of ``backend`` ("sqlite" or "postgresql") for a test that migrates
    it itself; yields its URL. PostgreSQL skips the test without TEST_POSTGRES_URL."""
    if backend == "sqlite":
        yield sqlite_url(directory / "empty.sqlite3")
        return
    async with postgres_server().database() as url:
        yield url
