"""An announcement from draft to report: preview, send now or at a local time, progress,
cancel. Each recipient's delivery is one outbox row on the bulk lane."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AnnouncementStatus, OutboxStatus, ResponseKind
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.messages import (
    Action,
    ActionKind,
    Address,
    Attachment,
    Button,
    OutgoingMessage,
    Ref,
    RefType,
)
from bot.services import notify
from bot.services.access import Principal, managed_org_ids
from bot.services.announcements import audience as audiences
from bot.services.announcements.views import Audience, Draft, Preview, Progress
from bot.services.orgs import effective_timezone
from bot.texts import announcements as texts
from storage.base import utcnow
from storage.models import Announcement
from storage.repo import announcements as repo
from storage.repo import audit, events, orgs
from storage.repo.addresses import private_addresses
from storage.repo.outbox import RECIPIENT_INACTIVE

MAX_TEXT = 4000
MAX_FILES = 10
# The author's progress message is edited at most this often.
PROGRESS_EVERY = timedelta(seconds=3)
CANCELLED_REASON = "announcement cancelled"
# Why a row of a recipient who blocked the bot was not sent (besides the channel's own words).
BLOCKED_REASONS = (RECIPIENT_INACTIVE, "recipient blocked the bot")


def ref(announcement_id: int) -> Ref:
    return Ref(RefType.ANNOUNCEMENT, announcement_id)


async def _event_label(session: AsyncSession, event_id: int | None) -> str | None:
    event = await events.get_event(session, event_id) if event_id else None
    if event is None:
        return None
    label = texts.event_label(event.kind, event.subject, event.grade)
    return f"{label} — {event.event_date:%d.%m.%Y}"


async def _check_event(session: AsyncSession, draft: Draft) -> None:
    if draft.response != ResponseKind.VOLUNTEER:
        return
    event = await events.get_event(session, draft.event_id) if draft.event_id else None
    if event is None:
        raise ValidationError("announcement_event_needed")
    if event.org_id not in await orgs.subtree_ids(session, [draft.org_id]):
        raise AccessDenied()


async def create_draft(
    session: AsyncSession, principal: Principal, draft: Draft, *, now: datetime | None = None
) -> Preview:
    """Store the composed announcement and say whom it reaches; nothing is sent yet."""
    if not audiences.may_send_from(principal, draft.org_id):
        raise AccessDenied()
    text = (draft.text or "").strip()
    if not text and not draft.attachments:
        raise ValidationError("announcement_empty")
    if len(text) > MAX_TEXT:
        raise ValidationError("text_too_long", limit=MAX_TEXT)
    if len(draft.attachments) > MAX_FILES:
        raise ValidationError("announcement_too_many_files", limit=MAX_FILES)
    await _check_event(session, draft)
    found = await audiences.recipients(session, principal, draft.org_id, draft.audience)
    if not found:
        raise ValidationError("announcement_no_recipients")
    row = repo.add_announcement(
        session,
        org_id=draft.org_id,
        author_id=principal.actor_id,
        text=text,
        attachments=[
            {"kind": a.kind, "file_ref": a.file_ref, "name": a.name} for a in draft.attachments
        ],
        response=draft.response,
        event_id=draft.event_id if draft.response == ResponseKind.VOLUNTEER else None,
        audience=draft.audience.to_dict(),
        recipients=len(found),
        created_at=now or utcnow(),
    )
    await session.commit()
    return await _preview(session, row, found)


async def _preview(session: AsyncSession, row: Announcement, found: list[int]) -> Preview:
    blocked = await repo.inactive(session, found)
    reachable = await private_addresses(session, found)
    message = await recipient_message(session, row)
    return Preview(
        announcement_id=row.id,
        recipients=len(found),
        blocked=len(blocked),
        unreachable=len(found) - len(reachable),
        text=message.text,
        attachments=message.attachments,
        response=row.response,
        event_label=await _event_label(session, row.event_id),
    )


async def recipient_message(session: AsyncSession, row: Announcement) -> OutgoingMessage:
    """The announcement as each recipient gets it, with its response button."""
    org = await orgs.get_org(session, row.org_id)
    event = await _event_label(session, row.event_id)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if row.response == ResponseKind.ACK:
        buttons = ((Button(texts.BTN_ACK, Action(ActionKind.ACK_ANNOUNCEMENT, row.id)),),)
    elif row.response == ResponseKind.VOLUNTEER:
        buttons = (
            (Button(texts.BTN_VOLUNTEER, Action(ActionKind.VOLUNTEER_ANNOUNCEMENT, row.id)),),
        )
    return OutgoingMessage(
        text=texts.recipient_text(org.name if org else "", row.text, event),
        buttons=buttons,
        attachments=tuple(Attachment(**a) for a in row.attachments or ()),
    )


async def own_announcement(
    session: AsyncSession, principal: Principal, announcement_id: int, *, lock: bool = False
) -> Announcement:
    """The announcement, if the person wrote it or manages the organisation it is from."""
    row = await repo.get_announcement(session, announcement_id, lock=lock)
    if row is None:
        raise NotFound()
    if principal.is_system or row.author_id == principal.user_id:
        return row
    if principal.is_officer and row.org_id in await managed_org_ids(session, principal):
        return row
    raise AccessDenied()


async def preview(session: AsyncSession, principal: Principal, announcement_id: int) -> Preview:
    """The draft's preview again, its audience counted afresh."""
    row = await own_announcement(session, principal, announcement_id)
    found = await audiences.recipients(
        session, principal, row.org_id, Audience.from_dict(row.audience)
    )
    return await _preview(session, row, found)


async def send(
    session: AsyncSession,
    principal: Principal,
    announcement_id: int,
    *,
    at: datetime | None = None,
    default_tz: str,
    now: datetime | None = None,
) -> Progress:
    """Queue the draft to each recipient, now or at ``at``; a second press changes nothing."""
    now = now or utcnow()
    row = await own_announcement(session, principal, announcement_id, lock=True)
    if row.status != AnnouncementStatus.DRAFT:
        raise ValidationError("announcement_not_draft")
    found = await audiences.recipients(
        session, principal, row.org_id, Audience.from_dict(row.audience)
    )
    if not found:
        raise ValidationError("announcement_no_recipients")
    due = at if at is not None and at > now else now
    queued = await notify.queue_bulk(
        session,
        found,
        await recipient_message(session, row),
        key=f"announcement.{row.id}",
        kind=repo.ANNOUNCEMENT_KIND,
        ref=ref(row.id),
        due_at=due,
    )
    row.recipients = queued
    row.scheduled_at = due
    row.queued_at = now
    row.status = AnnouncementStatus.SCHEDULED if due > now else AnnouncementStatus.SENDING
    audit.add_audit(
        session, principal.actor_id, "announcement.send", "announcement", row.id, to=queued
    )
    await session.commit()
    return await _progress(session, row, default_tz)


async def watch_from(
    session: AsyncSession,
    principal: Principal,
    announcement_id: int,
    address: Address,
    message_id: int,
) -> None:
    """The author's message that shows the progress, edited as the count grows."""
    row = await own_announcement(session, principal, announcement_id)
    row.progress_channel, row.progress_chat_id = address.channel, address.chat_id
    row.progress_message_id = message_id
    await session.commit()


async def cancel(
    session: AsyncSession,
    principal: Principal,
    announcement_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> Progress:
    """Stop the announcement: what is not yet sent is dropped (the one in flight still goes)."""
    row = await own_announcement(session, principal, announcement_id, lock=True)
    if row.status not in (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING):
        raise ValidationError("announcement_finished")
    dropped = await repo.drop_pending(session, row.id, CANCELLED_REASON)
    row.status = AnnouncementStatus.CANCELLED
    row.cancelled_at = now or utcnow()
    audit.add_audit(
        session, principal.actor_id, "announcement.cancel", "announcement", row.id, dropped=dropped
    )
    await session.commit()
    return await _progress(session, row, default_tz)


async def progress(
    session: AsyncSession, principal: Principal, announcement_id: int, *, default_tz: str
) -> Progress:
    row = await own_announcement(session, principal, announcement_id)
    return await _progress(session, row, default_tz)


async def _progress(session: AsyncSession, row: Announcement, default_tz: str) -> Progress:
    counts: Counter[str] = Counter()
    failures: Counter[str] = Counter()
    for status, error, active, n in await repo.delivery(session, row.id):
        if status == OutboxStatus.SENT:
            counts["delivered"] += n
        elif status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            counts["pending"] += n
        elif error == CANCELLED_REASON:
            counts["not_sent"] += n
        elif not active or error in BLOCKED_REASONS:
            counts["blocked"] += n
        else:
            counts["failed"] += n
            failures[error or "—"] += n
    responses = await repo.list_responses(session, [row.id])
    return Progress(
        announcement_id=row.id,
        status=row.status,
        recipients=row.recipients,
        delivered=counts["delivered"],
        blocked=counts["blocked"],
        failed=counts["failed"],
        pending=counts["pending"],
        not_sent=counts["not_sent"],
        failures=tuple(failures.most_common()),
        responses=len(responses),
        scheduled_at=row.scheduled_at,
        timezone=await effective_timezone(session, row.org_id, default_tz),
    )


@dataclass(frozen=True)
class ProgressEdit:
    """A progress message to edit: where, which message, and what it says now."""

    address: Address
    message_id: int
    message: OutgoingMessage


async def watch(
    session: AsyncSession, *, default_tz: str, now: datetime | None = None
) -> list[ProgressEdit]:
    """For the periodic job: start what is due, finish what is delivered (the author gets
    the report once, through the outbox), and say which progress messages to edit; commits."""
    now = now or utcnow()
    edits: list[ProgressEdit] = []
    for row in await repo.in_progress(session):
        if row.status == AnnouncementStatus.SCHEDULED and row.scheduled_at <= now:
            row.status = AnnouncementStatus.SENDING
        state = await _progress(session, row, default_tz)
        if row.status == AnnouncementStatus.SENDING and state.pending == 0:
            row.status = AnnouncementStatus.DONE
            row.finished_at = now
            state = await _progress(session, row, default_tz)
            await _queue_report(session, row, state)
        if row.progress_message_id is None or row.progress_chat_id is None:
            continue
        text = texts.progress(state)
        due = row.progress_at is None or now - row.progress_at >= PROGRESS_EVERY
        if text == row.progress_text or not (due or row.status == AnnouncementStatus.DONE):
            continue
        row.progress_text, row.progress_at = text, now
        edits.append(
            ProgressEdit(
                Address(row.progress_channel or "", row.progress_chat_id),
                row.progress_message_id,
                progress_message(state, text),
            )
        )
    await session.commit()
    return edits


def progress_message(state: Progress, text: str | None = None) -> OutgoingMessage:
    """The author's progress message, with «Остановить» while it runs."""
    buttons: tuple[tuple[Button, ...], ...] = ()
    if state.status in (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING):
        cancel_button = Button(
            texts.BTN_CANCEL_SENDING, Action(ActionKind.CANCEL_ANNOUNCEMENT, state.announcement_id)
        )
        buttons = ((cancel_button,),)
    return OutgoingMessage(text=text or texts.progress(state), buttons=buttons)


async def _queue_report(session: AsyncSession, row: Announcement, state: Progress) -> None:
    if row.author_id is None:
        return
    buttons: tuple[tuple[Button, ...], ...] = ()
    if row.response == ResponseKind.ACK:
        buttons = (
            (Button(texts.BTN_WHO_ACKED, Action(ActionKind.ACKS_OF_ANNOUNCEMENT, row.id)),),
            (Button(texts.BTN_REMIND, Action(ActionKind.REMIND_ANNOUNCEMENT, row.id)),),
        )
    await notify.queue_notice(
        session,
        [row.author_id],
        OutgoingMessage(text=texts.report(state), buttons=buttons),
        key=f"announcement.{row.id}.report",
        ref=ref(row.id),
    )
