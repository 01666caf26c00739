"""Every migration goes up and down one revision at a time, and head matches the models."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import Script, ScriptDirectory
from sqlalchemy import inspect

from storage import models  # noqa: F401  (registers the tables)
from storage.base import Base
from storage.db import create_engine
from storage.migrate import alembic_config, downgrade, upgrade
from tests.support.database import empty_database


def revisions() -> list[Script]:
    """The revision scripts from base to head, as the scripts themselves chain them."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "the migrations have more than one head"
    return list(reversed(list(script.walk_revisions())))


@pytest.fixture(params=["sqlite", "postgresql"])
async def url(request, tmp_path) -> AsyncIterator[str]:
    """An empty database, not a migrated one."""
    async with empty_database(request.param, tmp_path) as url:
        yield url


def _schema_diff(connection) -> list:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, Base.metadata)


def _tables(connection) -> set[str]:
    return set(inspect(connection).get_table_names()) - {"alembic_version"}


def _current(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def test_every_revision_goes_up_and_down_and_head_matches_the_models(url):
    engine = create_engine(url)

    async def on_db(action):
        async with engine.connect() as connection:
            return await connection.run_sync(action)

    try:
        for step in revisions():
            await upgrade(engine, step.revision)
            assert await on_db(_current) == step.revision
            # Down one and up again: the downgrade undoes exactly what the upgrade did.
            await downgrade(engine, "-1")
            assert await on_db(_current) == step.down_revision
            await upgrade(engine, step.revision)
            assert await on_db(_current) == step.revision

        assert await on_db(_schema_diff) == [], "the migrations at head differ from the models"
        assert await on_db(_tables) == set(Base.metadata.tables)

        for step in reversed(revisions()):
            assert await on_db(_current) == step.revision
            await downgrade(engine, "-1")
        assert await on_db(_current) is None
        assert await on_db(_tables) == set()
    finally:
        await engine.dispose()


def test_revisions_form_one_chain_from_base():
    steps = revisions()
    assert steps, "no migrations found"
    assert steps[0].down_revision is None
    for below, above in zip(steps, steps[1:], strict=False):
        assert above.down_revision == below.revision
