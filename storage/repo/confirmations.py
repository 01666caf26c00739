"""Confirmations of tasks with their evidence, and deadline transfer requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.enums import ReviewStatus, TaskStatus, TransferStatus
from storage.db import is_postgres
from storage.models import (
    Confirmation,
    Evidence,
    Measure,
    Organization,
    Plan,
    Task,
    TransferRequest,
    User,
)

TaskRow = tuple[Task, Measure, Plan, Organization]
ConfirmationRow = tuple[Confirmation, Task, Measure, Plan, Organization, User | None]


async def _lock(session: AsyncSession, table: str, row_id: int) -> None:
    """Make the locked read that follows wait for concurrent writers (and them for us).

    SQLite ignores FOR UPDATE; a no-op write takes its database write lock for the rest of
    the transaction, so a re-check after it sees what a concurrent use case committed.
    """
    if not is_postgres(session):
        await session.execute(text(f"UPDATE {table} SET id = id WHERE id = :id"), {"id": row_id})


def _task_query():
    return (
        select(Task, Measure, Plan, Organization)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
    )


async def get_task_row(session: AsyncSession, task_id: int) -> TaskRow | None:
    row = (await session.execute(_task_query().where(Task.id == task_id))).first()
    return tuple(row) if row is not None else None


async def get_task(session: AsyncSession, task_id: int, *, lock: bool = False) -> Task | None:
    query = select(Task).where(Task.id == task_id)
    if lock:
        await _lock(session, "tasks", task_id)
        # A locked read must see the current row, not what the session loaded earlier.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


def add_confirmation(session: AsyncSession, **fields) -> Confirmation:
    confirmation = Confirmation(**fields)
    session.add(confirmation)
    return confirmation


def add_evidence(session: AsyncSession, confirmation_id: int, **fields) -> Evidence:
    evidence = Evidence(confirmation_id=confirmation_id, **fields)
    session.add(evidence)
    return evidence


async def list_evidence(
    session: AsyncSession, confirmation_ids: Sequence[int]
) -> dict[int, list[Evidence]]:
    if not confirmation_ids:
        return {}
    query = (
        select(Evidence)
        .where(Evidence.confirmation_id.in_(confirmation_ids))
        .order_by(Evidence.confirmation_id, Evidence.id)
    )
    found: dict[int, list[Evidence]] = {cid: [] for cid in confirmation_ids}
    for item in (await session.scalars(query)).all():
        found[item.confirmation_id].append(item)
    return found


def _confirmation_query():
    submitter = aliased(User)
    return (
        select(Confirmation, Task, Measure, Plan, Organization, submitter)
        .join(Task, Task.id == Confirmation.task_id)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
        .outerjoin(submitter, submitter.id == Confirmation.user_id)
    )


async def get_confirmation_row(
    session: AsyncSession, confirmation_id: int
) -> ConfirmationRow | None:
    query = _confirmation_query().where(Confirmation.id == confirmation_id)
    row = (await session.execute(query)).first()
    return tuple(row) if row is not None else None


async def get_confirmation(
    session: AsyncSession, confirmation_id: int, *, lock: bool = False
) -> Confirmation | None:
    query = select(Confirmation).where(Confirmation.id == confirmation_id)
    if lock:
        await _lock(session, "confirmations", confirmation_id)
        # A locked read must see the current row, not what the session loaded earlier.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def list_pending(
    session: AsyncSession, org_ids: Sequence[int], offset: int, limit: int
) -> tuple[list[ConfirmationRow], int]:
    """Confirmations awaiting review in the organisations, oldest first, with the total.

    Only a task's current report counts: the latest pending one of a task on review.
    """
    other = aliased(Confirmation)
    latest = (
        select(func.max(other.id))
        .where(other.task_id == Confirmation.task_id, other.review_status == ReviewStatus.PENDING)
        .correlate(Confirmation)
        .scalar_subquery()
    )
    where = (
        Confirmation.review_status == ReviewStatus.PENDING,
        Task.org_id.in_(org_ids),
        Task.status == TaskStatus.ON_REVIEW,
        Confirmation.id == latest,
    )
    total = await session.scalar(
        select(func.count())
        .select_from(Confirmation)
        .join(Task, Task.id == Confirmation.task_id)
        .where(*where)
    )
    query = (
        _confirmation_query()
        .where(*where)
        .order_by(Confirmation.submitted_at, Confirmation.id)
        .offset(offset)
        .limit(limit)
    )
    return [tuple(row) for row in (await session.execute(query)).all()], int(total or 0)


async def pending_for_task(session: AsyncSession, task_id: int) -> Confirmation | None:
    query = select(Confirmation).where(
        Confirmation.task_id == task_id, Confirmation.review_status == ReviewStatus.PENDING
    )
    return (await session.scalars(query.order_by(Confirmation.id.desc()))).first()


async def list_task_confirmations(session: AsyncSession, task_id: int) -> list[Confirmation]:
    query = select(Confirmation).where(Confirmation.task_id == task_id).order_by(Confirmation.id)
    return list((await session.scalars(query)).all())


def add_transfer(session: AsyncSession, **fields) -> TransferRequest:
    transfer = TransferRequest(**fields)
    session.add(transfer)
    return transfer


async def get_transfer(
    session: AsyncSession, transfer_id: int, *, lock: bool = False
) -> TransferRequest | None:
    query = select(TransferRequest).where(TransferRequest.id == transfer_id)
    if lock:
        await _lock(session, "transfer_requests", transfer_id)
        # A locked read must see the current row, not what the session loaded earlier.
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(query)).first()


async def pending_transfer_for_task(session: AsyncSession, task_id: int) -> TransferRequest | None:
    query = select(TransferRequest).where(
        TransferRequest.task_id == task_id, TransferRequest.status == TransferStatus.PENDING
    )
    return (await session.scalars(query)).first()


async def approved_transfer_dates(
    session: AsyncSession, measure_id: int, org_ids: Sequence[int] | None = None
) -> dict[int, date]:
    """The new date of each task's latest approved transfer, for the tasks of a measure."""
    where = [Task.measure_id == measure_id, TransferRequest.status == TransferStatus.APPROVED]
    if org_ids is not None:
        where.append(Task.org_id.in_(org_ids))
    latest = (
        select(func.max(TransferRequest.id).label("id"))
        .join(Task, Task.id == TransferRequest.task_id)
        .where(*where)
        .group_by(TransferRequest.task_id)
        .subquery()
    )
    query = select(TransferRequest.task_id, TransferRequest.new_due).join(
        latest, latest.c.id == TransferRequest.id
    )
    return {task_id: new_due for task_id, new_due in (await session.execute(query)).all()}


async def list_pending_transfers(
    session: AsyncSession, org_ids: Sequence[int]
) -> list[tuple[TransferRequest, Task, Measure, Plan, Organization]]:
    query = (
        select(TransferRequest, Task, Measure, Plan, Organization)
        .join(Task, Task.id == TransferRequest.task_id)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
        .where(TransferRequest.status == TransferStatus.PENDING, Task.org_id.in_(org_ids))
        .order_by(TransferRequest.created_at, TransferRequest.id)
    )
    return [tuple(row) for row in (await session.execute(query)).all()]


TransferRow = tuple[TransferRequest, Task, Measure, Plan, Organization, User | None]


async def list_pending_transfers_page(
    session: AsyncSession, org_ids: Sequence[int], offset: int, limit: int
) -> tuple[list[TransferRow], int]:
    """Pending transfer requests in the organisations, oldest first, with their requester,
    and the total."""
    where = (TransferRequest.status == TransferStatus.PENDING, Task.org_id.in_(org_ids))
    total = await session.scalar(
        select(func.count())
        .select_from(TransferRequest)
        .join(Task, Task.id == TransferRequest.task_id)
        .where(*where)
    )
    requester = aliased(User)
    query = (
        select(TransferRequest, Task, Measure, Plan, Organization, requester)
        .join(Task, Task.id == TransferRequest.task_id)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Plan, Plan.id == Measure.plan_id)
        .join(Organization, Organization.id == Task.org_id)
        .outerjoin(requester, requester.id == TransferRequest.user_id)
        .where(*where)
        .order_by(TransferRequest.created_at, TransferRequest.id)
        .offset(offset)
        .limit(limit)
    )
    return [tuple(row) for row in (await session.execute(query)).all()], int(total or 0)
