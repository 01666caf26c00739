"""Deadline transfers: a coordinator asks for a new date, an officer approves or declines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import TaskStatus, TransferStatus
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.messages import Lane
from bot.services import notify, review_notices
from bot.services.access import Principal, ensure_manages, managed_org_ids
from bot.services.confirmations import (
    TaskBrief,
    brief,
    coordinated_task,
    coordinators_of,
    officers_of,
    sole_reviewer,
)
from storage.base import utcnow
from storage.models import TransferRequest
from storage.repo import audit, users
from storage.repo import confirmations as repo

MAX_REASON = 1000


@dataclass(frozen=True)
class TransferView:
    id: int
    task: TaskBrief
    old_due: date | None
    new_due: date
    reason: str
    status: TransferStatus
    requested_by: str


async def _view(session: AsyncSession, transfer: TransferRequest) -> TransferView:
    row = await repo.get_task_row(session, transfer.task_id)
    if row is None:
        raise NotFound()
    requester = ""
    if transfer.user_id is not None:
        user = await users.get_user(session, transfer.user_id)
        requester = user.full_name if user else ""
    return TransferView(
        id=transfer.id,
        task=brief(*row),
        old_due=transfer.old_due,
        new_due=transfer.new_due,
        reason=transfer.reason,
        status=transfer.status,
        requested_by=requester,
    )


async def list_pending_transfers(
    session: AsyncSession, principal: Principal, page: int, size: int = 8
) -> tuple[list[TransferView], int, int, int]:
    """Pending requests of the officer's subtree: one page, the page number, pages, total."""
    if not principal.is_officer:
        raise AccessDenied()
    org_ids = sorted(await managed_org_ids(session, principal))
    _, total = await repo.list_pending_transfers_page(session, org_ids, 0, 0)
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    rows, total = await repo.list_pending_transfers_page(session, org_ids, page * size, size)
    views = [
        TransferView(
            id=transfer.id,
            task=brief(task, measure, plan, org),
            old_due=transfer.old_due,
            new_due=transfer.new_due,
            reason=transfer.reason,
            status=transfer.status,
            requested_by=requester.full_name if requester else "",
        )
        for transfer, task, measure, plan, org, requester in rows
    ]
    return views, page, pages, total


async def count_pending_transfers(session: AsyncSession, principal: Principal) -> int:
    """How many transfer requests of the officer's subtree wait for a decision."""
    if not principal.is_officer:
        return 0
    org_ids = sorted(await managed_org_ids(session, principal))
    _, total = await repo.list_pending_transfers_page(session, org_ids, 0, 0)
    return total


async def task_to_transfer(session: AsyncSession, principal: Principal, task_id: int) -> TaskBrief:
    """The task whose deadline the coordinator wants to move; closed tasks cannot move."""
    task = await coordinated_task(session, principal, task_id)
    if task.status == TaskStatus.DONE:
        raise ValidationError("task_done")
    if await repo.pending_transfer_for_task(session, task_id) is not None:
        raise ValidationError("transfer_pending")
    return task


def check_new_date(new_due: date, today: date) -> date:
    if new_due < today:
        raise ValidationError("date_in_past")
    return new_due


async def request_transfer(
    session: AsyncSession,
    principal: Principal,
    task_id: int,
    new_due: date,
    reason: str,
    today: date,
) -> TransferView:
    """Ask to move the task's deadline to ``new_due``; officers decide."""
    task = await task_to_transfer(session, principal, task_id)
    check_new_date(new_due, today)
    if task.due == new_due:
        raise ValidationError("same_date")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError("reason_required")
    if len(reason) > MAX_REASON:
        raise ValidationError("text_too_long", limit=MAX_REASON)
    transfer = repo.add_transfer(
        session,
        task_id=task_id,
        user_id=principal.user_id,
        old_due=task.due,
        new_due=new_due,
        reason=reason,
    )
    await session.flush()
    audit.add_audit(
        session,
        principal.user_id,
        "transfer.request",
        "task",
        task_id,
        transfer_id=transfer.id,
        new_due=new_due.isoformat(),
    )
    view = await _view(session, transfer)
    await notify.queue_notice(
        session,
        await officers_of(session, view.task.org_id),
        review_notices.transfer_requested(view),
        key=f"transfer:{view.id}:requested",
        lane=Lane.INTERACTIVE,
    )
    await session.commit()
    return view


async def get_transfer(
    session: AsyncSession, principal: Principal, transfer_id: int
) -> TransferView:
    if not principal.is_officer:
        raise AccessDenied()
    transfer = await repo.get_transfer(session, transfer_id)
    if transfer is None:
        raise NotFound()
    view = await _view(session, transfer)
    await ensure_manages(session, principal, view.task.org_id)
    return view


async def decide_transfer(
    session: AsyncSession,
    principal: Principal,
    transfer_id: int,
    approve: bool,
    *,
    now: datetime | None = None,
) -> TransferView:
    """Approve (the task gets the new date and is replanned) or decline a pending request."""
    view = await get_transfer(session, principal, transfer_id)
    transfer = await repo.get_transfer(session, transfer_id, lock=True)
    if transfer is None:
        raise NotFound()
    if transfer.status != TransferStatus.PENDING:
        raise ValidationError("transfer_decided")
    # As with reports: an officer's own request is decided by someone else if anyone can.
    own = transfer.user_id == principal.user_id
    if own and not await sole_reviewer(session, principal, view.task.org_id):
        raise ValidationError("own_transfer")
    transfer.status = TransferStatus.APPROVED if approve else TransferStatus.DECLINED
    transfer.decided_by_id = principal.user_id
    transfer.decided_at = now or utcnow()
    if approve:
        task = await repo.get_task(session, view.task.id, lock=True)
        if task is None:
            raise NotFound()
        task.due_date = transfer.new_due
        if task.start_date is not None and task.start_date > transfer.new_due:
            task.start_date = transfer.new_due
        # The reminder planner replans tasks with planned=False against the new date.
        task.planned = False
    audit.add_audit(
        session,
        principal.user_id,
        "transfer.approve" if approve else "transfer.decline",
        "task",
        view.task.id,
        transfer_id=transfer.id,
        old_due=transfer.old_due.isoformat() if transfer.old_due else None,
        new_due=transfer.new_due.isoformat(),
        own=own,
    )
    decided = await _view(session, transfer)
    await notify.queue_notice(
        session,
        await coordinators_of(session, decided.task.org_id),
        review_notices.transfer_decided(decided, approve),
        key=f"transfer:{decided.id}:{'approved' if approve else 'declined'}",
        lane=Lane.INTERACTIVE,
    )
    await session.commit()
    return decided
