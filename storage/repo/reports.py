"""Aggregates for progress reports: counts per organisation and task lines with evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.enums import ConfirmationResult, TaskStatus
from storage.db import is_postgres
from storage.models import Confirmation, Evidence, Measure, Organization, Plan, Task
from storage.models import User as UserModel


@dataclass(frozen=True)
class OrgCounts:
    org_id: int
    name: str
    parent: str | None
    total: int
    done: int
    on_review: int
    open: int
    overdue: int
    due: int
    done_on_time: int
    open_overdue: int
    closed_partial: int
    closed_not_done: int


@dataclass(frozen=True)
class TaskFacts:
    """A task with its latest confirmation (None fields when there is none)."""

    org_id: int
    org: str
    parent: str | None
    plan: str
    number: str
    measure: str
    deadline_text: str
    due: date | None
    status: TaskStatus
    outcome: ConfirmationResult | None
    done_at: datetime | None
    confirmation_id: int | None
    confirmed_at: datetime | None
    confirmed_by: str | None
    result: ConfirmationResult | None
    reason: str | None
    comment: str | None


@dataclass(frozen=True)
class EvidenceFacts:
    kind: str
    name: str | None
    url: str | None


def _done_date(session: AsyncSession, tz: str, today: date):
    """The local date a task was done on, in zone ``tz``."""
    if is_postgres(session):
        return cast(func.timezone(tz, Task.done_at), Date)
    # SQLite keeps datetimes as ISO text, where CAST(... AS DATE) would yield the year alone;
    # Russian zones have no daylight saving time, so today's offset holds for the period.
    offset = ZoneInfo(tz).utcoffset(datetime.combine(today, time(12)))
    minutes = int(offset.total_seconds() // 60) if offset else 0
    return func.date(Task.done_at, f"{minutes:+d} minutes")


def _count(condition) -> object:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def org_counts(
    session: AsyncSession, org_ids: Sequence[int], today: date, tz: str = "UTC"
) -> list[OrgCounts]:
    """Per organisation with tasks, in one grouped query; ``today`` is the date in ``tz``.

    A closed task (status DONE) counts as done only with the outcome «выполнено» (or none,
    for tasks closed without a confirmation); the others are closed partial or not done.
    ``due`` counts dated tasks that are past their date or already closed (a closed task's
    result is known); ``done_on_time`` the fully done ones done by the end of their date in
    ``tz``; ``overdue`` the tasks still under control past their date.
    """
    if not org_ids:
        return []
    parent = aliased(Organization)
    closed = Task.status == TaskStatus.DONE
    fully = and_(closed, or_(Task.outcome.is_(None), Task.outcome == ConfirmationResult.DONE))
    in_work = Task.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED])
    dated = Task.due_date.is_not(None)
    late = and_(dated, Task.status != TaskStatus.DONE, Task.due_date < today)
    due = and_(dated, or_(Task.due_date < today, closed))
    on_time = and_(
        dated, fully, Task.done_at.is_not(None), _done_date(session, tz, today) <= Task.due_date
    )
    query = (
        select(
            Task.org_id,
            Organization.name,
            parent.name,
            func.count(Task.id),
            _count(fully),
            _count(Task.status == TaskStatus.ON_REVIEW),
            _count(in_work),
            _count(late),
            _count(due),
            _count(on_time),
            _count(and_(late, in_work)),
            _count(and_(closed, Task.outcome == ConfirmationResult.PARTIAL)),
            _count(and_(closed, Task.outcome == ConfirmationResult.NOT_DONE)),
        )
        .join(Organization, Organization.id == Task.org_id)
        .outerjoin(parent, parent.id == Organization.parent_id)
        .where(Task.org_id.in_(org_ids))
        .group_by(Task.org_id, Organization.name, parent.name)
        .order_by(parent.name.nullsfirst(), Organization.name)
    )
    return [
        OrgCounts(org_id, name, parent_name, *(int(v) for v in values))
        for org_id, name, parent_name, *values in (await session.execute(query)).all()
    ]


def _latest_confirmations(org_ids: Sequence[int]):
    return (
        select(Confirmation.task_id, func.max(Confirmation.id).label("confirmation_id"))
        .join(Task, Task.id == Confirmation.task_id)
        .where(Task.org_id.in_(org_ids))
        .group_by(Confirmation.task_id)
        .subquery()
    )


async def task_facts(session: AsyncSession, org_ids: Sequence[int]) -> list[TaskFacts]:
    """Every task of the organisations with its latest confirmation."""
    if not org_ids:
        return []
    parent = aliased(Organization)
    submitter = aliased(UserModel)
    latest = _latest_confirmations(org_ids)
    query = (
        select(
            Organization.id,
            Organization.name,
            parent.name,
            Plan.title,
            Measure.number,
            Measure.title,
            Measure.deadline_text,
            Task.due_date,
            Task.status,
            Task.outcome,
            Task.done_at,
            Confirmation.id,
            Confirmation.submitted_at,
            submitter.full_name,
            Confirmation.result,
            Confirmation.reason,
            Confirmation.comment,
        )
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
        .outerjoin(parent, parent.id == Organization.parent_id)
        .outerjoin(latest, latest.c.task_id == Task.id)
        .outerjoin(Confirmation, Confirmation.id == latest.c.confirmation_id)
        .outerjoin(submitter, submitter.id == Confirmation.user_id)
        .where(Task.org_id.in_(org_ids))
        .order_by(
            parent.name.nullsfirst(),
            Organization.name,
            Plan.title,
            Measure.position,
            Task.due_date.is_(None),
            Task.due_date,
            Task.id,
        )
    )
    return [TaskFacts(*row) for row in (await session.execute(query)).all()]


async def latest_evidence(
    session: AsyncSession, org_ids: Sequence[int]
) -> dict[int, list[EvidenceFacts]]:
    """Evidence of each task's latest confirmation, by confirmation id, in upload order."""
    if not org_ids:
        return {}
    latest = _latest_confirmations(org_ids)
    query = (
        select(Evidence.confirmation_id, Evidence.kind, Evidence.name, Evidence.url)
        .join(latest, latest.c.confirmation_id == Evidence.confirmation_id)
        .order_by(Evidence.confirmation_id, Evidence.id)
    )
    found: dict[int, list[EvidenceFacts]] = {}
    for confirmation_id, kind, name, url in (await session.execute(query)).all():
        found.setdefault(confirmation_id, []).append(EvidenceFacts(kind, name, url))
    return found


async def database_is_empty(session: AsyncSession) -> bool:
    """No organisations, users or plans yet (the demo loads only into such a database)."""
    for model in (Organization, UserModel, Plan):
        if await session.scalar(select(func.count()).select_from(model)):
            return False
    return True


async def tasks_with_plans(
    session: AsyncSession, org_ids: Sequence[int]
) -> list[tuple[Task, Plan]]:
    query = (
        select(Task, Plan)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .where(Task.org_id.in_(org_ids))
        .order_by(Task.org_id, Task.due_date, Task.id)
    )
    return [tuple(row) for row in (await session.execute(query)).all()]
