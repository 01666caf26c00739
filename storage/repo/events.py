"""Assessment events (ВПР, НИКО, …) of schools."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AssessmentEvent


async def list_events(session: AsyncSession, org_ids: Sequence[int]) -> list[AssessmentEvent]:
    if not org_ids:
        return []
    query = (
        select(AssessmentEvent)
        .where(AssessmentEvent.org_id.in_(org_ids))
        .order_by(AssessmentEvent.event_date, AssessmentEvent.kind, AssessmentEvent.id)
    )
    return list((await session.scalars(query)).all())


async def get_event(session: AsyncSession, event_id: int) -> AssessmentEvent | None:
    return await session.get(AssessmentEvent, event_id)


async def get_event_by_key(
    session: AsyncSession, org_id: int, kind: str, subject: str, grade: int | None
) -> AssessmentEvent | None:
    grade_match = (
        AssessmentEvent.grade.is_(None) if grade is None else AssessmentEvent.grade == grade
    )
    query = select(AssessmentEvent).where(
        AssessmentEvent.org_id == org_id,
        AssessmentEvent.kind == kind,
        AssessmentEvent.subject == subject,
        grade_match,
    )
    return (await session.scalars(query)).first()


def add_event(session: AsyncSession, **fields) -> AssessmentEvent:
    event = AssessmentEvent(**fields)
    session.add(event)
    return event


async def delete_event(session: AsyncSession, event_id: int) -> None:
    await session.execute(delete(AssessmentEvent).where(AssessmentEvent.id == event_id))
