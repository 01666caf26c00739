"""Plans and their measures."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Measure, Organization, Plan, Task


async def get_plan(session: AsyncSession, plan_id: int) -> Plan | None:
    return await session.get(Plan, plan_id)


async def get_plan_by_title(session: AsyncSession, org_id: int, title: str) -> Plan | None:
    query = select(Plan).where(Plan.org_id == org_id, Plan.title == title)
    return (await session.scalars(query)).first()


def add_plan(session: AsyncSession, **fields) -> Plan:
    plan = Plan(**fields)
    session.add(plan)
    return plan


async def list_plans(
    session: AsyncSession, org_ids: Sequence[int] | None
) -> list[tuple[Plan, Organization]]:
    query = select(Plan, Organization).join(Organization, Organization.id == Plan.org_id)
    if org_ids is not None:
        query = query.where(Plan.org_id.in_(org_ids))
    query = query.order_by(Plan.created_at.desc(), Plan.id.desc())
    return [tuple(row) for row in (await session.execute(query)).all()]


async def measure_deadlines(
    session: AsyncSession, plan_ids: Sequence[int]
) -> list[tuple[int, str, str]]:
    """Plan id, deadline kind and executor level of every measure of the plans."""
    if not plan_ids:
        return []
    query = select(Measure.plan_id, Measure.deadline_kind, Measure.executor_level).where(
        Measure.plan_id.in_(plan_ids)
    )
    return [tuple(row) for row in (await session.execute(query)).all()]


async def list_measures(session: AsyncSession, plan_id: int) -> list[Measure]:
    query = select(Measure).where(Measure.plan_id == plan_id).order_by(Measure.position)
    return list((await session.scalars(query)).all())


async def get_measure(session: AsyncSession, measure_id: int) -> Measure | None:
    return await session.get(Measure, measure_id)


def add_measure(session: AsyncSession, **fields) -> Measure:
    measure = Measure(**fields)
    session.add(measure)
    return measure


async def delete_measures(session: AsyncSession, measure_ids: Sequence[int]) -> None:
    """Remove measures together with all their tasks."""
    if not measure_ids:
        return
    await session.execute(delete(Task).where(Task.measure_id.in_(measure_ids)))
    await session.execute(delete(Measure).where(Measure.id.in_(measure_ids)))


async def list_relative_measures(
    session: AsyncSession, plan_org_ids: Sequence[int]
) -> list[tuple[Measure, Plan]]:
    """Measures due relative to assessment events in plans owned by any of ``plan_org_ids``."""
    query = (
        select(Measure, Plan)
        .join(Plan, Plan.id == Measure.plan_id)
        .where(Plan.org_id.in_(plan_org_ids), Measure.deadline_kind == "relative")
        .order_by(Measure.id)
    )
    return [tuple(row) for row in (await session.execute(query)).all()]
