"""Form states and data: one row per key, written with upserts so concurrent updates never race."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import FsmRecord

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _insert_for(session: AsyncSession):
    name = session.get_bind().dialect.name
    try:
        return _INSERTS[name]
    except KeyError:
        raise NotImplementedError(f"FSM storage does not support the {name} dialect") from None


async def get_record(session: AsyncSession, key: str) -> Row[Any] | None:
    """(state, data) of ``key``, or None when nothing is stored."""
    result = await session.execute(
        select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key)
    )
    return result.first()


async def upsert_record(session: AsyncSession, key: str, **values: Any) -> None:
    insert = _insert_for(session)
    await session.execute(
        insert(FsmRecord)
        .values({"key": key, "state": None, "data": {}, **values})
        .on_conflict_do_update(index_elements=[FsmRecord.key], set_=values)
    )


async def clear_field(session: AsyncSession, key: str, **values: Any) -> None:
    """Reset one field; drop the row once it holds neither state nor data."""
    row = (
        await session.execute(
            update(FsmRecord)
            .where(FsmRecord.key == key)
            .values(**values)
            .returning(FsmRecord.state, FsmRecord.data)
        )
    ).first()
    if row is not None and row.state is None and not row.data:
        await session.execute(delete(FsmRecord).where(FsmRecord.key == key))


async def merge_data(session: AsyncSession, key: str, data: dict[str, Any]) -> dict[str, Any]:
    """Merge ``data`` into the stored data under a row lock and return the result."""
    # Writing first creates the row so PostgreSQL has something to lock, and on SQLite takes
    # the database write lock before the read, so no other writer slips between.
    insert = _insert_for(session)
    await session.execute(
        insert(FsmRecord)
        .values(key=key, state=None, data={})
        .on_conflict_do_nothing(index_elements=[FsmRecord.key])
    )
    row = (
        await session.execute(
            select(FsmRecord.state, FsmRecord.data).where(FsmRecord.key == key).with_for_update()
        )
    ).one()
    merged = {**(row.data or {}), **data}
    if row.state is None and not merged:
        await session.execute(delete(FsmRecord).where(FsmRecord.key == key))
    else:
        await session.execute(update(FsmRecord).where(FsmRecord.key == key).values(data=merged))
    return merged
