"""Aggregates for progress reports: counts per organisation and task lines with evidence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import Date, and_, case, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from storage.db import is_postgres
from storage.models import Confirmation, Evidence, Measure, Organization, Plan, Task, TaskStatus
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


@dataclass(frozen=True)
class TaskFacts:
    org_id: int
    org: str
    parent: str | None
    plan: str
    number: str
    measure: str
    deadline_text: str
    due: date | None
    status: TaskStatus
    confirmed_at: datetime | None
    confirmed_by: str | None
    files: int
    links: int


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
    """Per organisation with tasks, in one grouped query.

    ``due`` counts dated tasks that are past their date or already done (a task done early
    is known to be on time); ``done_on_time`` those done by the end of their date in ``tz``;
    ``overdue`` the not-done tasks past their date.
    """
    if not org_ids:
        return []
    parent = aliased(Organization)
    done = Task.status == TaskStatus.DONE
    dated = Task.due_date.is_not(None)
    late = and_(dated, Task.status != TaskStatus.DONE, Task.due_date < today)
    due = and_(dated, or_(Task.due_date < today, done))
    on_time = and_(
        dated, done, Task.done_at.is_not(None), _done_date(session, tz, today) <= Task.due_date
    )
    query = (
        select(
            Task.org_id,
            Organization.name,
            parent.name,
            func.count(Task.id),
            _count(done),
            _count(Task.status == TaskStatus.ON_REVIEW),
            _count(Task.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED])),
            _count(late),
            _count(due),
            _count(on_time),
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


async def task_facts(session: AsyncSession, org_ids: Sequence[int]) -> list[TaskFacts]:
    """Every task of the organisations with its latest confirmation and evidence counts."""
    if not org_ids:
        return []
    parent = aliased(Organization)
    submitter = aliased(UserModel)
    latest = (
        select(Confirmation.task_id, func.max(Confirmation.id).label("confirmation_id"))
        .join(Task, Task.id == Confirmation.task_id)
        .where(Task.org_id.in_(org_ids))
        .group_by(Confirmation.task_id)
        .subquery()
    )
    evidence = (
        select(
            Evidence.confirmation_id,
            _count(Evidence.kind != "link").label("files"),
            _count(Evidence.kind == "link").label("links"),
        )
        .group_by(Evidence.confirmation_id)
        .subquery()
    )
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
            Confirmation.submitted_at,
            submitter.full_name,
            func.coalesce(evidence.c.files, 0),
            func.coalesce(evidence.c.links, 0),
        )
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
        .outerjoin(parent, parent.id == Organization.parent_id)
        .outerjoin(latest, latest.c.task_id == Task.id)
        .outerjoin(Confirmation, Confirmation.id == latest.c.confirmation_id)
        .outerjoin(submitter, submitter.id == Confirmation.user_id)
        .outerjoin(evidence, evidence.c.confirmation_id == Confirmation.id)
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
    return [
        TaskFacts(
            org_id=org_id,
            org=org,
            parent=parent_name,
            plan=plan,
            number=number,
            measure=measure,
            deadline_text=deadline_text,
            due=due,
            status=TaskStatus(status),
            confirmed_at=confirmed_at,
            confirmed_by=confirmed_by,
            files=int(files),
            links=int(links),
        )
        for (
            org_id,
            org,
            parent_name,
            plan,
            number,
            measure,
            deadline_text,
            due,
            status,
            confirmed_at,
            confirmed_by,
            files,
            links,
        ) in (await session.execute(query)).all()
    ]


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
