"""The asking person's use cases: open a ticket, follow up, see their tickets, close one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_TIMEZONE
from bot.domain.enums import OrgKind, RoleKind, TicketKind, TicketSide, TicketStatus, TicketTopic
from bot.domain.errors import NotFound, ValidationError
from bot.domain.hotline import MessageLimit
from bot.domain.messages import Attachment, OutgoingMessage
from bot.services import notify
from bot.services.access import Principal
from bot.services.hotline import relays, routing
from bot.services.hotline.common import (
    ensure_not_banned,
    message_view,
    own_ticket,
    ticket_view,
)
from bot.services.hotline.settings import effective_settings, work_schedule
from bot.services.hotline.views import (
    MessageSource,
    TicketDraft,
    TicketMessageView,
    TicketPage,
    TicketReceipt,
    TicketView,
)
from bot.texts import hotline as texts
from storage.base import utcnow
from storage.models import Ticket
from storage.repo import hotline as repo
from storage.repo import orgs

PAGE_SIZE = 8
# A relay adds a header to the text, and Telegram takes 4096 characters in a message.
LIMIT = MessageLimit(per_minute=6, max_chars=3500)
MAX_ATTACHMENTS = 10


async def ensure_may_ask(
    session: AsyncSession, principal: Principal, *, now: datetime | None = None
) -> None:
    """Raise HotlineBanned for a banned person (``details["told"]`` says they were told)."""
    await ensure_not_banned(session, principal, now)


def _attachment_dicts(attachments: Sequence[Attachment]) -> list[dict]:
    return [{"kind": a.kind, "file_ref": a.file_ref, "name": a.name} for a in attachments]


async def _check_message(
    session: AsyncSession,
    principal: Principal,
    text: str,
    attachments: Sequence[Attachment],
    now: datetime,
) -> str:
    text = (text or "").strip()
    if not text and not attachments:
        raise ValidationError("ticket_empty")
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError("too_much_evidence", limit=MAX_ATTACHMENTS)
    recent = await repo.recent_person_messages(
        session, principal.user_id, now - timedelta(minutes=1)
    )
    verdict = LIMIT.check(len(text), recent, now)
    if verdict == "too_long":
        raise ValidationError("text_too_long", limit=LIMIT.max_chars)
    if verdict == "too_fast":
        raise ValidationError("hotline_too_fast")
    return text


def _source_fields(source: MessageSource | None) -> dict:
    if source is None:
        return {}
    return {
        "source_channel": source.channel,
        "source_chat_id": source.chat_id,
        "source_message_id": source.message_id,
    }


async def open_ticket(
    session: AsyncSession,
    principal: Principal,
    draft: TicketDraft,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketReceipt:
    """Open a numbered ticket routed to its operators and queue their relays; commits."""
    now = now or utcnow()
    await ensure_not_banned(session, principal, now)
    text = await _check_message(session, principal, draft.text, draft.attachments, now)
    if draft.school_id is not None:
        school = await orgs.get_org(session, draft.school_id)
        if school is None or school.kind != OrgKind.SCHOOL:
            raise NotFound()
    own_school = next(iter(principal.org_ids(RoleKind.PARENT)), None)
    org_id = await routing.ticket_org_id(session, draft.school_id, own_school)
    kind, topic = TicketKind(draft.kind), TicketTopic(draft.topic)
    ticket = repo.add_ticket(
        session,
        kind=kind,
        topic=topic,
        status=TicketStatus.NEW,
        org_id=org_id,
        school_id=draft.school_id,
        user_id=principal.user_id,
        anonymous=draft.anonymous,
        created_at=now,
        waiting_since=now,
    )
    await session.flush()
    stored = repo.add_message(
        session,
        ticket_id=ticket.id,
        side=TicketSide.PERSON,
        author_id=principal.user_id,
        text=text,
        attachments=_attachment_dicts(draft.attachments),
        media_group_id=draft.media_group_id,
        created_at=now,
        **_source_fields(draft.source),
    )
    await session.flush()
    if kind == TicketKind.VIOLATION:
        await escalate_violation(session, ticket, default_tz=default_tz, now=now)
    await relays.relay_person_message(session, ticket, stored, default_tz=default_tz, new=True)
    await session.commit()
    settings = await effective_settings(session, org_id, default_tz=default_tz)
    schedule = work_schedule(settings)
    open_now = schedule.is_open(now)
    view = await ticket_view(session, ticket, for_operator=False, default_tz=default_tz)
    return TicketReceipt(
        ticket=view,
        answer_due=view.answer_due,
        open_now=open_now,
        opens_at=None if open_now else schedule.next_opening(now),
        timezone=settings.timezone,
    )


async def escalate_violation(
    session: AsyncSession, ticket: Ticket, *, default_tz: str, now: datetime
) -> int:
    """Tell the officers of the ticket's organisation and above about a violation report."""
    ticket.escalated_at = now
    view = await relays.operator_view(session, ticket, default_tz=default_tz)
    message = OutgoingMessage(
        text=texts.violation_notice(view),
        buttons=routing.operator_buttons(view),
    )
    officers = await routing.officers_of_and_above(session, ticket.org_id)
    return await notify.queue_notice(
        session, officers, message, key=f"ticket.{ticket.id}.violation", ref=relays.ref(ticket)
    )


def _waiting_again(ticket: Ticket, now: datetime) -> None:
    """The person wrote: the ticket waits for operators again (a closed one reopens)."""
    if ticket.status == TicketStatus.CLOSED:
        ticket.closed_at = None
    if ticket.status != TicketStatus.NEW:
        ticket.status = (
            TicketStatus.IN_PROGRESS if ticket.assignee_id is not None else TicketStatus.NEW
        )
    if ticket.waiting_since is None:
        ticket.waiting_since = now


async def add_follow_up(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    text: str,
    attachments: Sequence[Attachment] = (),
    *,
    default_tz: str,
    source: MessageSource | None = None,
    media_group_id: str | None = None,
    now: datetime | None = None,
) -> TicketMessageView:
    """The person writes more in their ticket (a closed one reopens); relayed to operators."""
    now = now or utcnow()
    await ensure_not_banned(session, principal, now)
    ticket = await own_ticket(session, principal, ticket_id, lock=True)
    text = await _check_message(session, principal, text, attachments, now)
    _waiting_again(ticket, now)
    stored = repo.add_message(
        session,
        ticket_id=ticket.id,
        side=TicketSide.PERSON,
        author_id=principal.user_id,
        text=text,
        attachments=_attachment_dicts(attachments),
        media_group_id=media_group_id,
        created_at=now,
        **_source_fields(source),
    )
    await session.flush()
    await relays.relay_person_message(session, ticket, stored, default_tz=default_tz, new=False)
    await session.commit()
    return await message_view(session, ticket, stored, for_operator=False)


async def add_album_items(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    media_group_id: str,
    attachments: Sequence[Attachment],
) -> TicketMessageView | None:
    """Add files of an album that came late to the person's message of that media group;
    None when the ticket has no such message. Relays the added files; commits."""
    await ensure_not_banned(session, principal)
    ticket = await own_ticket(session, principal, ticket_id)
    stored = await repo.find_by_media_group(session, ticket.id, media_group_id)
    if stored is None or not attachments:
        return None
    before = len(stored.attachments or [])
    if before + len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError("too_much_evidence", limit=MAX_ATTACHMENTS)
    stored.attachments = [*(stored.attachments or []), *_attachment_dicts(attachments)]
    await relays.queue_to_operators(
        session,
        ticket,
        OutgoingMessage(
            text=texts.album_more(texts.number_of(ticket.id)), attachments=tuple(attachments)
        ),
        key=f"ticket.{ticket.id}.msg.{stored.id}.album.{before}",
    )
    await session.commit()
    return await message_view(session, ticket, stored, for_operator=False)


async def list_my_tickets(
    session: AsyncSession,
    principal: Principal,
    *,
    page: int = 0,
    size: int = PAGE_SIZE,
    default_tz: str = DEFAULT_TIMEZONE,
) -> TicketPage:
    """The person's own tickets, newest first, one page (without conversations)."""
    if principal.is_system:
        return TicketPage((), 0, 1, 0)
    _, total = await repo.list_tickets_of_user(session, principal.user_id, 0, 0)
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    rows, total = await repo.list_tickets_of_user(session, principal.user_id, page * size, size)
    items = tuple(
        [await ticket_view(session, t, for_operator=False, default_tz=default_tz) for t in rows]
    )
    return TicketPage(items, page, pages, total)


async def my_ticket(
    session: AsyncSession, principal: Principal, ticket_id: int, *, default_tz: str
) -> TicketView:
    """One of the person's tickets with its conversation; NotFound for anyone else's."""
    ticket = await own_ticket(session, principal, ticket_id)
    return await ticket_view(
        session, ticket, for_operator=False, default_tz=default_tz, with_messages=True
    )


async def mark_solved(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """«Вопрос решён»: the person closes their ticket; operators are told."""
    now = now or utcnow()
    await ensure_not_banned(session, principal, now)
    ticket = await own_ticket(session, principal, ticket_id, lock=True)
    if ticket.status == TicketStatus.CLOSED:
        raise ValidationError("ticket_closed")
    ticket.status = TicketStatus.CLOSED
    ticket.closed_at = now
    ticket.waiting_since = None
    await relays.queue_to_operators(
        session,
        ticket,
        OutgoingMessage(text=texts.solved_notice(texts.number_of(ticket.id))),
        key=f"ticket.{ticket.id}.solved.{int(now.timestamp())}",
    )
    await session.commit()
    return await ticket_view(
        session, ticket, for_operator=False, default_tz=default_tz, with_messages=True
    )


async def record_edit(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    message_id: int,
    new_text: str,
    *,
    default_tz: str = DEFAULT_TIMEZONE,
    now: datetime | None = None,
) -> TicketMessageView | None:
    """An edited message (of the person or an operator) found by its source ids: store the
    new text and queue an «edited» relay to the other side; None if it is no ticket's."""
    now = now or utcnow()
    stored = await repo.find_by_source(session, channel, str(chat_id), message_id)
    if stored is None:
        return None
    ticket = await repo.get_ticket(session, stored.ticket_id)
    if ticket is None or ticket.erased_at is not None:
        return None
    text = (new_text or "").strip()
    if len(text) > LIMIT.max_chars or text == stored.text:
        return None
    stored.text = text
    stored.edited_at = now
    await session.flush()
    key = f"ticket.{ticket.id}.msg.{stored.id}.edit.{int(now.timestamp() * 1000)}"
    if stored.side == TicketSide.PERSON:
        view = await relays.operator_view(session, ticket, default_tz=default_tz)
        item = await message_view(session, ticket, stored, for_operator=True)
        await relays.queue_to_operators(session, ticket, routing.edit_relay(view, item), key=key)
    else:
        view = await ticket_view(session, ticket, for_operator=False, default_tz=default_tz)
        item = await message_view(session, ticket, stored, for_operator=False)
        await relays.queue_to_person(session, ticket, routing.edit_relay(view, item), key=key)
    await session.commit()
    return await message_view(
        session, ticket, stored, for_operator=stored.side != TicketSide.PERSON
    )
