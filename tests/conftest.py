"""Shared fixtures: a database per test copied from a migrated template, settings, the
organisation tree, and a chat with the bot. Their helpers live in ``tests.support``."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from storage.db import create_engine, create_session_factory
from tests.support.chat import ChatDriver
from tests.support.database import (
    BACKEND,
    postgres_server,
    run_aside,
    sqlite_copy,
    sqlite_template,
)
from tests.support.factories import Tree, build_tree
from tests.support.settings import make_settings

ROOT = Path(__file__).resolve().parent.parent


def pytest_configure(config: pytest.Config) -> None:
    # The test modules and what they import make objects that live as long as the run;
    # collecting garbage while they load would only walk them again and again.
    gc.disable()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Freeze what the imports and the collection made: the garbage collector's full rounds
    during the tests leave it out, and took a third of the handler tests' time walking it."""
    gc.collect()
    gc.freeze()
    gc.enable()


@pytest.fixture(scope="session")
def schema_template(tmp_path_factory) -> Iterator[Path | str]:
    """The schema migrated once per test session: a SQLite file, or with
    TEST_DB_BACKEND=postgresql the name of a template database on TEST_POSTGRES_URL's server."""
    if BACKEND != "postgresql":
        yield sqlite_template(tmp_path_factory.mktemp("schema") / "template.sqlite3")
        return
    server = postgres_server()
    name = run_aside(server.create_template())
    yield name
    run_aside(server.drop(name))


@pytest.fixture(scope="session")
def sqlite_schema(request, tmp_path_factory) -> Path:
    """A SQLite file migrated to head, whatever the backend: the template of the tests that
    always run on SQLite (the end-to-end bot, the FSM storage's SQLite case)."""
    if BACKEND != "postgresql":
        return request.getfixturevalue("schema_template")
    return sqlite_template(tmp_path_factory.mktemp("sqlite-schema") / "template.sqlite3")


@pytest.fixture
async def database_url(schema_template, tmp_path) -> AsyncIterator[str]:
    """This test's own migrated database, a copy of the template."""
    if BACKEND != "postgresql":
        yield sqlite_copy(schema_template, tmp_path / "test.sqlite3")
        return
    async with postgres_server().database(template=schema_template) as url:
        yield url


@pytest.fixture
async def engine(database_url) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
async def session(session_factory) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
def settings(database_url) -> Settings:
    return make_settings(database_url)


@pytest.fixture
async def tree(session) -> Tree:
    """A region with two municipalities; schools in different time zones; three users."""
    return await build_tree(session)


@pytest.fixture
def chat(settings, session_factory) -> ChatDriver:
    """People talking to the bot's dispatcher, its forms kept in the test database."""
    return ChatDriver(settings, session_factory)


@pytest.fixture(autouse=True, scope="session")
def _subprocesses_import_this_checkout() -> Iterator[None]:
    """``python -m bot`` started by a test runs this checkout's code, whatever is installed."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", path)
        yield
