"""Queries of the reminder planner and the digests: changed tasks, recipients, zones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, OutboxStatus, RoleKind, TaskStatus
from storage.base import UTCDateTime
from storage.models import Measure, Organization, OutboxMessage, Plan, Role, Task, User


@dataclass(frozen=True)
class TaskRow:
    id: int
    org_id: int
    org_kind: OrgKind
    status: TaskStatus
    start_date: date | None
    due_date: date | None
    updated_at: datetime
    deadline_kind: str
    offsets: list[int] | None


@dataclass(frozen=True)
class Recipient:
    user_id: int
    org_id: int
    reminder_hour: int | None
    quiet_start: int | None
    quiet_end: int | None


@dataclass(frozen=True)
class TaskInfo:
    id: int
    org_id: int
    org_name: str
    status: TaskStatus
    due_date: date | None
    start_date: date | None
    number: str
    title: str
    deadline_text: str
    plan_title: str
    offsets: list[int] | None = None


async def list_unplanned(session: AsyncSession, limit: int) -> list[TaskRow]:
    """Tasks whose reminders must be (re)planned, found through ``ix_tasks_unplanned``."""
    query = (
        select(
            Task.id,
            Task.org_id,
            Organization.kind,
            Task.status,
            Task.start_date,
            Task.due_date,
            Task.updated_at,
            Measure.deadline_kind,
            Plan.reminder_offsets,
        )
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
        .where(Task.planned.is_(False))
        .limit(limit)
    )
    return [TaskRow(*row) for row in (await session.execute(query)).all()]


async def mark_planned(session: AsyncSession, seen: Sequence[tuple[int, datetime]]) -> None:
    """Set ``planned`` unless the task changed after it was read (then it is planned again)."""
    if not seen:
        return
    table = Task.__table__
    statement = (
        update(table)
        .where(
            table.c.id == bindparam("task_id"),
            table.c.updated_at == bindparam("seen", type_=UTCDateTime),
        )
        # Keep updated_at: it is the compare-and-set token, not a user-visible change.
        .values(planned=True, updated_at=table.c.updated_at)
    )
    await session.execute(statement, [{"task_id": i, "seen": at} for i, at in seen])


async def unplan_tasks_of_orgs(session: AsyncSession, org_ids: Sequence[int]) -> None:
    if org_ids:
        await session.execute(
            update(Task)
            .where(Task.org_id.in_(org_ids), Task.planned.is_(True))
            .values(planned=False)
        )


async def drop_recipient(session: AsyncSession, user_id: int, org_id: int) -> None:
    """Unsent reminders about the organisation's tasks to someone who no longer executes them."""
    tasks = select(Task.id).where(Task.org_id == org_id)
    await session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.user_id == user_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.task_id.in_(tasks),
        )
    )


async def org_zones(session: AsyncSession, org_ids: Iterable[int], default: str) -> dict[int, str]:
    """Each organisation's zone, inherited from the nearest ancestor that has one."""
    known: dict[int, tuple[int | None, str | None]] = {}
    wanted = set(org_ids)
    missing = set(wanted)
    while missing:
        query = select(Organization.id, Organization.parent_id, Organization.timezone).where(
            Organization.id.in_(missing)
        )
        rows = (await session.execute(query)).all()
        for org_id, parent_id, tz in rows:
            known[org_id] = (parent_id, tz)
        missing = {p for p, tz in (known[r[0]] for r in rows) if tz is None and p} - known.keys()
    zones: dict[int, str] = {}
    for org_id in wanted:
        current: int | None = org_id
        zone = default
        while current is not None and current in known:
            parent_id, tz = known[current]
            if tz:
                zone = tz
                break
            current = parent_id
        zones[org_id] = zone
    return zones


async def list_recipients(
    session: AsyncSession, org_ids: Iterable[int]
) -> dict[int, list[Recipient]]:
    """Active executors by organisation: coordinators of schools, officers of offices."""
    org_ids = list(set(org_ids))
    if not org_ids:
        return {}
    query = (
        select(
            Role.org_id,
            Role.role,
            Organization.kind,
            User.id,
            User.reminder_hour,
            User.quiet_start,
            User.quiet_end,
        )
        .join(User, User.id == Role.user_id)
        .join(Organization, Organization.id == Role.org_id)
        .where(
            Role.org_id.in_(org_ids),
            Role.role.in_([RoleKind.COORDINATOR, RoleKind.OFFICER]),
            User.is_active.is_(True),
        )
        .order_by(User.id)
    )
    found: dict[int, list[Recipient]] = {}
    for org_id, role, kind, user_id, hour, q_start, q_end in (await session.execute(query)).all():
        executor = RoleKind.COORDINATOR if kind == OrgKind.SCHOOL else RoleKind.OFFICER
        if role == executor:
            found.setdefault(org_id, []).append(Recipient(user_id, org_id, hour, q_start, q_end))
    return found


def _task_info_query():
    """The columns of ``TaskInfo``, in its order."""
    return (
        select(
            Task.id,
            Task.org_id,
            Organization.name,
            Task.status,
            Task.due_date,
            Task.start_date,
            Measure.number,
            Measure.title,
            Measure.deadline_text,
            Plan.title,
            Plan.reminder_offsets,
        )
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
    )


async def task_infos(session: AsyncSession, task_ids: Iterable[int]) -> dict[int, TaskInfo]:
    task_ids = list(set(task_ids))
    if not task_ids:
        return {}
    query = _task_info_query().where(Task.id.in_(task_ids))
    return {row[0]: TaskInfo(*row) for row in (await session.execute(query)).all()}


async def user_may_see_task(session: AsyncSession, user_id: int, task_id: int) -> bool:
    """The user coordinates the task's school, or is an officer above it (or of it)."""
    org_id = await session.scalar(select(Task.org_id).where(Task.id == task_id))
    if org_id is None:
        return False
    chain = [org_id]
    while True:
        parent = await session.scalar(
            select(Organization.parent_id).where(Organization.id == chain[-1])
        )
        if parent is None:
            break
        chain.append(parent)
    query = select(func.count()).where(
        Role.user_id == user_id,
        (
            ((Role.role == RoleKind.COORDINATOR) & (Role.org_id == org_id))
            | ((Role.role == RoleKind.OFFICER) & Role.org_id.in_(chain))
        ),
    )
    return bool(await session.scalar(query))


async def role_org_ids(session: AsyncSession, user_id: int) -> list[int]:
    query = select(Role.org_id).where(Role.user_id == user_id, Role.org_id.is_not(None))
    return [org_id for org_id in (await session.scalars(query)).all() if org_id is not None]


async def set_user_settings(session: AsyncSession, user_id: int, **values: Any) -> None:
    await session.execute(update(User).where(User.id == user_id).values(**values))


async def list_officers(session: AsyncSession) -> list[tuple[User, int]]:
    """Active officers with the organisation each is bound to."""
    query = (
        select(User, Role.org_id)
        .join(Role, Role.user_id == User.id)
        .where(Role.role == RoleKind.OFFICER, Role.org_id.is_not(None), User.is_active.is_(True))
        .order_by(User.id, Role.org_id)
    )
    return [(user, org_id) for user, org_id in (await session.execute(query)).all()]


async def overdue_tasks(
    session: AsyncSession, org_ids: Sequence[int], today: date
) -> list[TaskInfo]:
    """Not-done tasks of these organisations whose due date is before ``today``."""
    if not org_ids:
        return []
    query = (
        _task_info_query()
        .where(
            Task.org_id.in_(org_ids),
            Task.status.in_([TaskStatus.OPEN, TaskStatus.RETURNED, TaskStatus.ON_REVIEW]),
            Task.due_date < today,
        )
        .order_by(Organization.name, Organization.id, Task.due_date, Measure.position)
    )
    return [TaskInfo(*row) for row in (await session.execute(query)).all()]
