"""Tasks: one executor's occurrence of a measure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import TaskStatus
from storage.models import Measure, Organization, Plan, Task

TaskRow = tuple[Task, Measure, Plan, Organization]


async def list_measure_tasks(
    session: AsyncSession, measure_id: int, org_ids: Sequence[int] | None = None
) -> list[Task]:
    query = select(Task).where(Task.measure_id == measure_id)
    if org_ids is not None:
        query = query.where(Task.org_id.in_(org_ids))
    return list((await session.scalars(query.order_by(Task.id))).all())


def add_task(session: AsyncSession, **fields) -> Task:
    task = Task(**fields)
    session.add(task)
    return task


async def mark_plan_unplanned(session: AsyncSession, plan_id: int) -> int:
    """Hand every task of a plan back to the reminder planner; returns how many."""
    measure_ids = select(Measure.id).where(Measure.plan_id == plan_id)
    result = await session.execute(
        update(Task).where(Task.measure_id.in_(measure_ids)).values(planned=False)
    )
    return result.rowcount or 0


async def delete_tasks(session: AsyncSession, task_ids: Sequence[int]) -> None:
    if task_ids:
        await session.execute(delete(Task).where(Task.id.in_(task_ids)))


def _rows_query():
    return (
        select(Task, Measure, Plan, Organization)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
    )


async def list_tasks_page(
    session: AsyncSession,
    org_ids: Sequence[int],
    statuses: Sequence[TaskStatus],
    offset: int,
    limit: int,
) -> tuple[list[TaskRow], int]:
    """Tasks of the organisations, nearest due first and undated last, with the total."""
    where = (Task.org_id.in_(org_ids), Task.status.in_(statuses))
    total = await session.scalar(select(func.count()).select_from(Task).where(*where))
    query = (
        _rows_query()
        .where(*where)
        .order_by(Task.due_date.is_(None), Task.due_date, Measure.position, Task.id)
        .offset(offset)
        .limit(limit)
    )
    return [tuple(row) for row in (await session.execute(query)).all()], int(total or 0)


async def get_task_row(session: AsyncSession, task_id: int) -> TaskRow | None:
    row = (await session.execute(_rows_query().where(Task.id == task_id))).first()
    return tuple(row) if row is not None else None


async def count_plan_tasks(session: AsyncSession, plan_id: int) -> int:
    query = (
        select(func.count())
        .select_from(Task)
        .join(Measure, Measure.id == Task.measure_id)
        .where(Measure.plan_id == plan_id)
    )
    return int(await session.scalar(query) or 0)


async def progress_by_measure(
    session: AsyncSession, plan_id: int, today: date
) -> dict[int, tuple[int, int, int, int]]:
    """Per measure of the plan: tasks in total, done, on review, overdue."""
    overdue = case(((Task.status != TaskStatus.DONE) & (Task.due_date < today), 1), else_=0)
    query = (
        select(
            Task.measure_id,
            func.count(),
            func.sum(case((Task.status == TaskStatus.DONE, 1), else_=0)),
            func.sum(case((Task.status == TaskStatus.ON_REVIEW, 1), else_=0)),
            func.sum(overdue),
        )
        .join(Measure, Measure.id == Task.measure_id)
        .where(Measure.plan_id == plan_id)
        .group_by(Task.measure_id)
    )
    return {
        measure_id: (total, int(done or 0), int(review or 0), int(late or 0))
        for measure_id, total, done, review, late in (await session.execute(query)).all()
    }
