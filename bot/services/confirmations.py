"""Coordinators confirm tasks with evidence; officers accept or return the confirmations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import ConfirmationResult, ReviewStatus, RoleKind, TaskStatus
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.services.access import Principal, ensure_executes, ensure_manages, managed_org_ids
from storage.base import utcnow
from storage.models import Confirmation, Evidence, Measure, Organization, Plan, Task, User
from storage.repo import audit, orgs, users
from storage.repo import confirmations as repo

MAX_EVIDENCE = 20
MAX_REASON = 1000
MAX_COMMENT = 2000
# Telegram lets bots download files up to 20 MB; bigger ones could not be archived or checked.
MAX_FILE_SIZE = 20 * 1024 * 1024
EVIDENCE_KINDS = ("document", "photo", "link")


@dataclass(frozen=True)
class EvidenceItem:
    """A file (by Telegram file id) or a link; plain data so a form can keep it as JSON."""

    kind: str
    file_id: str | None = None
    file_unique_id: str | None = None
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None
    url: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvidenceItem:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class TaskBrief:
    id: int
    title: str
    plan: str
    number: str
    org_id: int
    org_name: str
    deadline_text: str
    due: date | None
    status: TaskStatus


@dataclass(frozen=True)
class ConfirmationView:
    id: int
    task: TaskBrief
    result: ConfirmationResult
    reason: str | None
    comment: str | None
    submitted_at: datetime
    submitted_by: str
    review_status: ReviewStatus
    review_comment: str | None
    reviewed_at: datetime | None
    evidence: tuple[EvidenceItem, ...] = field(default_factory=tuple)


def brief(task: Task, measure: Measure, plan: Plan, org: Organization) -> TaskBrief:
    return TaskBrief(
        id=task.id,
        title=measure.title,
        plan=plan.title,
        number=measure.number,
        org_id=org.id,
        org_name=org.name,
        deadline_text=measure.deadline_text,
        due=task.due_date,
        status=task.status,
    )


def _item(evidence: Evidence) -> EvidenceItem:
    return EvidenceItem(
        kind=evidence.kind,
        file_id=evidence.file_id,
        file_unique_id=evidence.file_unique_id,
        name=evidence.name,
        mime_type=evidence.mime_type,
        size=evidence.size,
        url=evidence.url,
    )


def _view(
    row: tuple[Confirmation, Task, Measure, Plan, Organization, User | None],
    evidence: list[Evidence],
) -> ConfirmationView:
    confirmation, task, measure, plan, org, submitter = row
    return ConfirmationView(
        id=confirmation.id,
        task=brief(task, measure, plan, org),
        result=confirmation.result,
        reason=confirmation.reason,
        comment=confirmation.comment,
        submitted_at=confirmation.submitted_at,
        submitted_by=submitter.full_name if submitter else "",
        review_status=confirmation.review_status,
        review_comment=confirmation.review_comment,
        reviewed_at=confirmation.reviewed_at,
        evidence=tuple(_item(e) for e in evidence),
    )


async def _load_view(session: AsyncSession, confirmation_id: int) -> ConfirmationView:
    row = await repo.get_confirmation_row(session, confirmation_id)
    if row is None:
        raise NotFound()
    evidence = await repo.list_evidence(session, [confirmation_id])
    return _view(row, evidence[confirmation_id])


async def coordinated_task(session: AsyncSession, principal: Principal, task_id: int) -> TaskBrief:
    row = await repo.get_task_row(session, task_id)
    if row is None:
        raise NotFound()
    # The access check comes before any state is revealed, so forged ids learn nothing.
    ensure_executes(principal, row[0].org_id)
    return brief(*row)


async def task_to_confirm(session: AsyncSession, principal: Principal, task_id: int) -> TaskBrief:
    """The task a coordinator is about to confirm; refuses closed and already sent ones."""
    task = await coordinated_task(session, principal, task_id)
    if task.status == TaskStatus.DONE:
        raise ValidationError("task_done")
    if task.status == TaskStatus.ON_REVIEW:
        raise ValidationError("already_on_review")
    return task


def _clean_text(text: str | None, limit: int) -> str | None:
    text = (text or "").strip()
    if len(text) > limit:
        raise ValidationError("text_too_long", limit=limit)
    return text or None


# What a school sends as evidence: office documents and tables, scans, photos, archives,
# and phone videos of a procedure (sent as files, within the 20 MB limit).
DOCUMENT_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "csv"}
    | {"jpg", "jpeg", "png", "zip", "rar", "7z", "mp4", "mov"}
)
DOCUMENT_MIME_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
        "application/rtf",
        "application/x-rtf",
        "text/rtf",
        "text/plain",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
        "text/csv",
        "application/csv",
        "image/jpeg",
        "image/pjpeg",
        "image/png",
        "application/zip",
        "application/x-zip-compressed",
        "application/vnd.rar",
        "application/x-rar-compressed",
        "application/x-7z-compressed",
        "video/mp4",
        "video/quicktime",
    }
)
# Clients send these when they do not know the type; the file's extension decides then.
GENERIC_MIME_TYPES = frozenset({"", "application/octet-stream"})


def document_allowed(name: str | None, mime_type: str | None) -> bool:
    """Whether a document's extension (or, without a name, its MIME type) is on the list."""
    suffix = PurePosixPath(name or "").suffix.lower().removeprefix(".")
    mime = (mime_type or "").lower()
    if suffix:
        known_mime = mime in GENERIC_MIME_TYPES or mime in DOCUMENT_MIME_TYPES
        return suffix in DOCUMENT_EXTENSIONS and known_mime
    return mime in DOCUMENT_MIME_TYPES


def check_evidence(item: EvidenceItem) -> EvidenceItem:
    """Refuse what cannot be stored: unknown kinds and document types, files over 20 MB."""
    if item.kind not in EVIDENCE_KINDS:
        raise ValidationError("evidence_kind")
    if item.kind == "link":
        if not item.url or not item.url.lower().startswith(("http://", "https://")):
            raise ValidationError("evidence_link")
    elif not item.file_id:
        raise ValidationError("evidence_kind")
    if item.size is not None and item.size > MAX_FILE_SIZE:
        raise ValidationError("file_too_big")
    if item.kind == "document" and not document_allowed(item.name, item.mime_type):
        raise ValidationError("document_type")
    return item


async def submit_confirmation(
    session: AsyncSession,
    principal: Principal,
    task_id: int,
    result: ConfirmationResult,
    reason: str | None,
    comment: str | None,
    evidence: list[EvidenceItem],
    *,
    now: datetime | None = None,
) -> ConfirmationView:
    """Record the coordinator's report; the task waits for an officer's review."""
    await task_to_confirm(session, principal, task_id)
    result = ConfirmationResult(result)
    reason = _clean_text(reason, MAX_REASON)
    comment = _clean_text(comment, MAX_COMMENT)
    if result != ConfirmationResult.DONE and not reason:
        raise ValidationError("reason_required")
    if len(evidence) > MAX_EVIDENCE:
        raise ValidationError("too_much_evidence", limit=MAX_EVIDENCE)
    items = [check_evidence(item) for item in evidence]
    task = await repo.get_task(session, task_id, lock=True)
    if task is None:
        raise NotFound()
    # Another coordinator of the school may have sent a report since the check above.
    if task.status == TaskStatus.DONE:
        raise ValidationError("task_done")
    if task.status == TaskStatus.ON_REVIEW:
        raise ValidationError("already_on_review")
    # «Не выполнено» goes to review as well: the officer sees the reason and decides.
    confirmation = repo.add_confirmation(
        session,
        task_id=task_id,
        user_id=principal.user_id,
        result=result,
        reason=reason,
        comment=comment,
        submitted_at=now or utcnow(),
    )
    await session.flush()
    for item in items:
        repo.add_evidence(
            session,
            confirmation.id,
            kind=item.kind,
            file_id=item.file_id,
            file_unique_id=item.file_unique_id,
            name=item.name,
            mime_type=item.mime_type,
            size=item.size,
            url=item.url,
        )
    task.status = TaskStatus.ON_REVIEW
    task.planned = False
    audit.add_audit(
        session,
        principal.user_id,
        "confirmation.submit",
        "task",
        task_id,
        confirmation_id=confirmation.id,
        result=result.value,
        evidence=len(items),
    )
    await session.commit()
    return await _load_view(session, confirmation.id)


async def _reviewable(
    session: AsyncSession, principal: Principal, confirmation_id: int
) -> ConfirmationView:
    if not principal.is_officer:
        raise AccessDenied()
    view = await _load_view(session, confirmation_id)
    await ensure_manages(session, principal, view.task.org_id)
    return view


async def get_review_item(
    session: AsyncSession, principal: Principal, confirmation_id: int
) -> ConfirmationView:
    """A confirmation as an officer of the school's subtree sees it."""
    return await _reviewable(session, principal, confirmation_id)


async def list_review_queue(
    session: AsyncSession, principal: Principal, page: int, size: int = 8
) -> tuple[list[ConfirmationView], int, int]:
    """Pending confirmations of the officer's subtree: one page, the page number, page count."""
    if not principal.is_officer:
        raise AccessDenied()
    org_ids = sorted(await managed_org_ids(session, principal))
    _, total = await repo.list_pending(session, org_ids, 0, 0)
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    rows, _ = await repo.list_pending(session, org_ids, page * size, size)
    evidence = await repo.list_evidence(session, [row[0].id for row in rows])
    return [_view(row, evidence[row[0].id]) for row in rows], page, pages


async def _decide(
    session: AsyncSession,
    principal: Principal,
    confirmation_id: int,
    status: ReviewStatus,
    comment: str | None,
    now: datetime | None,
) -> ConfirmationView:
    view = await _reviewable(session, principal, confirmation_id)
    confirmation = await repo.get_confirmation(session, confirmation_id, lock=True)
    if confirmation is None:
        raise NotFound()
    if confirmation.review_status != ReviewStatus.PENDING:
        raise ValidationError("already_reviewed")
    # An office's own task is confirmed by its officer; someone else has to check that report.
    own = confirmation.user_id == principal.user_id
    if own and not await sole_reviewer(session, principal, view.task.org_id):
        raise ValidationError("own_confirmation")
    task = await repo.get_task(session, view.task.id, lock=True)
    if task is None:
        raise NotFound()
    # Only the task's current report is decided on: a stale duplicate must not reopen a task
    # that was closed or returned on another report.
    current = await repo.pending_for_task(session, task.id)
    if task.status != TaskStatus.ON_REVIEW or current is None or current.id != confirmation.id:
        raise ValidationError("confirmation_outdated")
    moment = now or utcnow()
    confirmation.review_status = status
    confirmation.reviewer_id = principal.user_id
    confirmation.reviewed_at = moment
    confirmation.review_comment = comment
    if status == ReviewStatus.ACCEPTED:
        # «Снять с контроля» closes the task with the reported result, which may be
        # «не выполнено»: reports count only the fully done ones as done.
        task.status = TaskStatus.DONE
        task.outcome = confirmation.result
        # Discipline measures the school: the task counts as done when it was reported,
        # not when the officer got round to the review.
        task.done_at = confirmation.submitted_at
    else:
        task.status = TaskStatus.RETURNED
        task.outcome = None
        task.done_at = None
    task.planned = False
    action = "confirmation.accept" if status == ReviewStatus.ACCEPTED else "confirmation.return"
    audit.add_audit(
        session,
        principal.user_id,
        action,
        "confirmation",
        confirmation_id,
        task_id=task.id,
        comment=comment,
        own=own,
    )
    await session.commit()
    return await _load_view(session, confirmation_id)


async def accept_confirmation(
    session: AsyncSession,
    principal: Principal,
    confirmation_id: int,
    *,
    now: datetime | None = None,
) -> ConfirmationView:
    """«Снять с контроля»: the task is closed with the result the executor reported."""
    return await _decide(session, principal, confirmation_id, ReviewStatus.ACCEPTED, None, now)


async def return_confirmation(
    session: AsyncSession,
    principal: Principal,
    confirmation_id: int,
    comment: str,
    *,
    now: datetime | None = None,
) -> ConfirmationView:
    """Send the confirmation back with a comment; the task is reminded again."""
    comment = _clean_text(comment, MAX_COMMENT)
    if not comment:
        raise ValidationError("return_comment_required")
    return await _decide(session, principal, confirmation_id, ReviewStatus.RETURNED, comment, now)


async def sole_reviewer(session: AsyncSession, principal: Principal, org_id: int) -> bool:
    """Whether no other active officer works in the organisation or above it.

    Officers do not decide on their own reports and requests, except when nobody else could:
    otherwise the own tasks of a top office with a single officer could never be closed.
    """
    chain = [org.id for org in await orgs.ancestors(session, org_id)]
    found = await users.active_users_with_role(session, RoleKind.OFFICER, chain)
    return all(user.id == principal.user_id for user, _ in found)


async def officers_of(session: AsyncSession, org_id: int) -> list[int]:
    """User ids of active officers whose subtree holds the organisation."""
    chain = [org.id for org in await orgs.ancestors(session, org_id)]
    found = await users.active_users_with_role(session, RoleKind.OFFICER, chain)
    return sorted({user.id for user, _ in found})


async def coordinators_of(session: AsyncSession, org_id: int) -> list[int]:
    """User ids of the organisation's active coordinators."""
    found = await users.active_users_with_role(session, RoleKind.COORDINATOR, [org_id])
    return sorted({user.id for user, _ in found})
