"""Shared fixtures: a migrated SQLite database per test and an organisation tree."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.domain.enums import OrgKind, RoleKind
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade
from storage.models import Organization, Role, User
from tests.factories import add_telegram_user

TEST_TOKEN = "123456:TEST-token"
ROOT = Path(__file__).resolve().parent.parent


# TEST_DB_BACKEND=postgresql runs the database tests on TEST_POSTGRES_URL (a fresh schema each).
BACKEND = os.environ.get("TEST_DB_BACKEND", "sqlite")
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL")


async def _fresh_postgres() -> AsyncEngine:
    if not POSTGRES_URL:
        pytest.skip("TEST_DB_BACKEND=postgresql needs TEST_POSTGRES_URL")
    engine = create_engine(POSTGRES_URL)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    return engine


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite file migrated once per test session; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("schema") / "template.sqlite3"

    async def migrate() -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{path}")
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(migrate())
    return path


@pytest.fixture
async def engine(tmp_path, sqlite_template) -> AsyncIterator[AsyncEngine]:
    if BACKEND == "postgresql":
        engine = await _fresh_postgres()
        await upgrade(engine)
    else:
        target = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, target)
        engine = create_engine(f"sqlite+aiosqlite:///{target}")
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
def settings(tmp_path) -> Settings:
    return Settings(
        _env_file=None,
        bot_token=TEST_TOKEN,
        database_url=(
            POSTGRES_URL
            if BACKEND == "postgresql" and POSTGRES_URL
            else f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
        ),
        admin_ids=[],
        bot_username="roadmap_test_bot",
    )


@dataclass(frozen=True)
class TelegramIds:
    """The Telegram ids of the tree's people, for tests that act in their chats."""

    officer: int = 100
    muni_officer: int = 101
    coordinator: int = 200


@dataclass
class Tree:
    region: Organization
    muni: Organization
    muni2: Organization
    school: Organization
    school2: Organization
    risky: Organization
    other_school: Organization
    officer: User
    muni_officer: User
    coordinator: User
    tg: TelegramIds = TelegramIds()


@pytest.fixture
async def tree(session) -> Tree:
    """A region with two municipalities; schools in different time zones; three users."""
    region = Organization(name="Министерство образования", kind=OrgKind.REGION)
    session.add(region)
    await session.flush()
    muni = Organization(
        name="Касимов", kind=OrgKind.MUNICIPALITY, parent_id=region.id, timezone="Europe/Moscow"
    )
    muni2 = Organization(
        name="Мегион",
        kind=OrgKind.MUNICIPALITY,
        parent_id=region.id,
        timezone="Asia/Yekaterinburg",
    )
    session.add_all([muni, muni2])
    await session.flush()
    school = Organization(name="МБОУ «СШ № 1»", kind=OrgKind.SCHOOL, parent_id=muni.id)
    school2 = Organization(name="МБОУ «СШ № 2»", kind=OrgKind.SCHOOL, parent_id=muni.id)
    risky = Organization(
        name="МБОУ «СШ № 3»", kind=OrgKind.SCHOOL, parent_id=muni.id, at_risk=True
    )
    other = Organization(name="СОШ № 4 Мегион", kind=OrgKind.SCHOOL, parent_id=muni2.id)
    session.add_all([school, school2, risky, other])
    tg = TelegramIds()
    officer = await add_telegram_user(session, tg.officer, "Ермакова Т.В.")
    muni_officer = await add_telegram_user(session, tg.muni_officer, "Седова Т.К.")
    coordinator = await add_telegram_user(session, tg.coordinator, "Петрова Анна")
    session.add_all(
        [
            Role(user_id=officer.id, role=RoleKind.OFFICER, org_id=region.id),
            Role(user_id=muni_officer.id, role=RoleKind.OFFICER, org_id=muni.id),
            Role(user_id=coordinator.id, role=RoleKind.COORDINATOR, org_id=school.id),
        ]
    )
    await session.commit()
    return Tree(
        region, muni, muni2, school, school2, risky, other, officer, muni_officer, coordinator
    )


@pytest.fixture(autouse=True, scope="session")
def _subprocesses_import_this_checkout() -> Iterator[None]:
    """``python -m bot`` started by a test runs this checkout's code, whatever is installed."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PYTHONPATH", path)
        yield
