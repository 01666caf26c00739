"""FAQ entries of organisations and the deflections they earned."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import TicketTopic
from storage.models import FaqDeflection, FaqEntry


async def get_entry(session: AsyncSession, entry_id: int) -> FaqEntry | None:
    return await session.get(FaqEntry, entry_id)


async def list_entries(
    session: AsyncSession, org_ids: Sequence[int] | None, topic: TicketTopic | None = None
) -> list[FaqEntry]:
    """Entries of these organisations (of all when None), in their order."""
    query = select(FaqEntry)
    if org_ids is not None:
        query = query.where(FaqEntry.org_id.in_(org_ids))
    if topic is not None:
        query = query.where(FaqEntry.topic == topic)
    query = query.order_by(FaqEntry.org_id, FaqEntry.position, FaqEntry.id)
    return list((await session.scalars(query)).all())


async def next_position(session: AsyncSession, org_id: int) -> int:
    query = select(func.max(FaqEntry.position)).where(FaqEntry.org_id == org_id)
    return int(await session.scalar(query) or 0) + 1


def add_entry(session: AsyncSession, **fields) -> FaqEntry:
    entry = FaqEntry(**fields)
    session.add(entry)
    return entry


async def delete_entry(session: AsyncSession, entry: FaqEntry) -> None:
    await session.delete(entry)


def add_deflection(session: AsyncSession, faq_id: int | None, org_id: int) -> FaqDeflection:
    row = FaqDeflection(faq_id=faq_id, org_id=org_id)
    session.add(row)
    return row


async def count_deflections(
    session: AsyncSession, org_ids: Sequence[int], start: datetime, end: datetime
) -> int:
    query = select(func.count(FaqDeflection.id)).where(
        FaqDeflection.org_id.in_(org_ids), FaqDeflection.at >= start, FaqDeflection.at < end
    )
    return int(await session.scalar(query) or 0)
