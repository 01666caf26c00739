"""The operators' use cases: their queue, a ticket's card, answer, take, hand over, close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind, TicketKind, TicketSide, TicketStatus
from bot.domain.errors import AccessDenied, ValidationError
from bot.domain.messages import Action, ActionKind, Attachment, Button, OutgoingMessage
from bot.services import notify
from bot.services.access import Principal
from bot.services.hotline import common, relays, routing
from bot.services.hotline.common import message_view, operated_ticket, ticket_view
from bot.services.hotline.tickets import LIMIT, escalate_violation
from bot.services.hotline.views import (
    MessageSource,
    OperatorChoice,
    TicketMessageView,
    TicketPage,
    TicketView,
)
from bot.texts import forum as forum_texts
from bot.texts import hotline as texts
from storage.base import utcnow
from storage.models import Ticket
from storage.repo import audit, users
from storage.repo import hotline as repo

PAGE_SIZE = 8


async def operator_org_ids(session: AsyncSession, principal: Principal) -> set[int]:
    """Organisations whose tickets the person may see and answer: the subtrees of their
    operator and officer roles; every organisation for the system."""
    return await common.operator_org_ids(session, principal)


async def is_operator(session: AsyncSession, principal: Principal) -> bool:
    """Whether the person answers any hotline."""
    return principal.has(RoleKind.OPERATOR) or principal.is_officer


async def list_open_tickets(
    session: AsyncSession,
    principal: Principal,
    *,
    default_tz: str,
    page: int = 0,
    size: int = PAGE_SIZE,
    mine_only: bool = False,
) -> TicketPage:
    """Tickets not closed in the operator's organisations, oldest waiting first."""
    org_ids = sorted(await operator_org_ids(session, principal))
    if not org_ids:
        raise AccessDenied()
    assignee = principal.user_id if mine_only and not principal.is_system else None
    _, total = await repo.list_open_tickets(session, org_ids, 0, 0, assignee)
    pages = max(1, -(-total // size))
    page = min(max(page, 0), pages - 1)
    rows, total = await repo.list_open_tickets(session, org_ids, page * size, size, assignee)
    items = tuple(
        [
            await ticket_view(
                session, t, for_operator=True, default_tz=default_tz, viewer_id=principal.user_id
            )
            for t in rows
        ]
    )
    return TicketPage(items, page, pages, total)


async def _view(
    session: AsyncSession,
    principal: Principal,
    ticket: Ticket,
    default_tz: str,
    *,
    with_messages: bool = True,
) -> TicketView:
    await session.flush()
    return await ticket_view(
        session,
        ticket,
        for_operator=True,
        default_tz=default_tz,
        viewer_id=principal.user_id,
        with_messages=with_messages,
    )


async def operator_ticket(
    session: AsyncSession, principal: Principal, ticket_id: int, *, default_tz: str
) -> TicketView:
    """A ticket's card with its conversation, as an operator may see it (anonymity kept)."""
    ticket = await operated_ticket(session, principal, ticket_id)
    return await _view(session, principal, ticket, default_tz)


def _name(principal: Principal) -> str | None:
    return None if principal.is_system else principal.full_name


def _stamp(now: datetime) -> int:
    return int(now.timestamp() * 1000)


def _open(ticket: Ticket) -> None:
    if ticket.status == TicketStatus.CLOSED:
        raise ValidationError("ticket_closed")


async def answer_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    text: str,
    attachments: Sequence[Attachment] = (),
    *,
    default_tz: str,
    source: MessageSource | None = None,
    now: datetime | None = None,
) -> TicketMessageView:
    """Store the operator's answer, mark the ticket answered and queue it to the person."""
    now = now or utcnow()
    ticket = await operated_ticket(session, principal, ticket_id, lock=True)
    _open(ticket)
    text = (text or "").strip()
    if not text and not attachments:
        raise ValidationError("ticket_empty")
    if len(text) > LIMIT.max_chars:
        raise ValidationError("text_too_long", limit=LIMIT.max_chars)
    stored = repo.add_message(
        session,
        ticket_id=ticket.id,
        side=TicketSide.OPERATOR,
        author_id=principal.actor_id,
        text=text,
        attachments=[
            {"kind": a.kind, "file_ref": a.file_ref, "name": a.name} for a in attachments
        ],
        created_at=now,
        source_channel=source.channel if source else None,
        source_chat_id=source.chat_id if source else None,
        source_message_id=source.message_id if source else None,
    )
    ticket.status = TicketStatus.ANSWERED
    ticket.first_answer_at = ticket.first_answer_at or now
    ticket.waiting_since = None
    if ticket.assignee_id is None and not principal.is_system:
        ticket.assignee_id = principal.user_id
    await session.flush()
    person_view = await ticket_view(session, ticket, for_operator=False, default_tz=default_tz)
    item = await message_view(session, ticket, stored, for_operator=False)
    await relays.queue_to_person(
        session,
        ticket,
        routing.person_relay(person_view, item),
        key=f"ticket.{ticket.id}.answer.{stored.id}",
    )
    await relays.note_to_forum(
        session,
        ticket,
        forum_texts.answered(_name(principal), text or texts.NO_TEXT),
        key=f"ticket.{ticket.id}.answer.{stored.id}",
        unless_from=source,
    )
    audit.add_audit(session, principal.actor_id, "ticket.answer", "ticket", ticket.id)
    await session.commit()
    return await message_view(session, ticket, stored, for_operator=True)


async def take_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """The operator takes the ticket: it is theirs and in progress."""
    if principal.is_system:
        raise AccessDenied()
    ticket = await operated_ticket(session, principal, ticket_id, lock=True)
    _open(ticket)
    now = now or utcnow()
    ticket.assignee_id = principal.user_id
    if ticket.status == TicketStatus.NEW:
        ticket.status = TicketStatus.IN_PROGRESS
    await relays.note_to_forum(
        session,
        ticket,
        forum_texts.taken(principal.full_name or texts.NAMELESS),
        key=f"ticket.{ticket.id}.take.{principal.user_id}.{_stamp(now)}",
    )
    audit.add_audit(session, principal.actor_id, "ticket.take", "ticket", ticket.id)
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def handover_choices(
    session: AsyncSession, principal: Principal, ticket_id: int
) -> list[OperatorChoice]:
    """The other operators of the ticket's organisation it can be handed over to."""
    ticket = await operated_ticket(session, principal, ticket_id)
    found = []
    for user_id in await routing.operators_of(session, ticket.org_id):
        if user_id in (principal.user_id, ticket.assignee_id):
            continue
        user = await users.get_user(session, user_id)
        if user is not None:
            found.append(OperatorChoice(user.id, user.full_name or texts.NAMELESS))
    return sorted(found, key=lambda c: c.full_name)


async def hand_over(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    to_user_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Give the ticket to another operator of its organisation, who is told."""
    now = now or utcnow()
    ticket = await operated_ticket(session, principal, ticket_id, lock=True)
    _open(ticket)
    if to_user_id not in await routing.operators_of(session, ticket.org_id):
        raise ValidationError("not_an_operator")
    ticket.assignee_id = to_user_id
    if ticket.status == TicketStatus.NEW:
        ticket.status = TicketStatus.IN_PROGRESS
    await session.flush()
    view = await ticket_view(
        session, ticket, for_operator=True, default_tz=default_tz, viewer_id=to_user_id
    )
    from_name = "" if principal.is_system else principal.full_name
    await notify.queue_notice(
        session,
        [to_user_id],
        OutgoingMessage(
            text=texts.handed_over(view, from_name), buttons=routing.operator_buttons(view)
        ),
        key=f"ticket.{ticket.id}.handover.{to_user_id}.{int(now.timestamp())}",
        ref=relays.ref(ticket),
    )
    await relays.note_to_forum(
        session,
        ticket,
        forum_texts.handed_over(view.assignee_name or texts.NAMELESS),
        key=f"ticket.{ticket.id}.handover.{to_user_id}.{_stamp(now)}",
    )
    audit.add_audit(
        session, principal.actor_id, "ticket.hand_over", "ticket", ticket.id, to=to_user_id
    )
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def close_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Close the ticket; the person is told and may still write (which reopens it)."""
    now = now or utcnow()
    ticket = await operated_ticket(session, principal, ticket_id, lock=True)
    _open(ticket)
    ticket.status = TicketStatus.CLOSED
    ticket.closed_at = now
    ticket.waiting_since = None
    await relays.queue_to_person(
        session,
        ticket,
        OutgoingMessage(
            text=texts.closed_notice(texts.number_of(ticket.id)),
            buttons=(
                (Button(texts.BTN_FOLLOW_UP, Action(ActionKind.FOLLOW_UP_TICKET, ticket.id)),),
            ),
        ),
        key=f"ticket.{ticket.id}.closed.{int(now.timestamp())}",
    )
    await relays.note_to_forum(
        session,
        ticket,
        forum_texts.closed(_name(principal)),
        key=f"ticket.{ticket.id}.closed.{_stamp(now)}",
    )
    audit.add_audit(session, principal.actor_id, "ticket.close", "ticket", ticket.id)
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def reopen_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Reopen a closed ticket: it waits for an answer again."""
    now = now or utcnow()
    ticket = await operated_ticket(session, principal, ticket_id, lock=True)
    if ticket.status != TicketStatus.CLOSED:
        raise ValidationError("ticket_not_closed")
    ticket.status = TicketStatus.IN_PROGRESS if ticket.assignee_id else TicketStatus.NEW
    ticket.closed_at = None
    ticket.waiting_since = now
    await relays.note_to_forum(
        session,
        ticket,
        forum_texts.reopened(_name(principal)),
        key=f"ticket.{ticket.id}.reopen.{_stamp(now)}",
    )
    audit.add_audit(session, principal.actor_id, "ticket.reopen", "ticket", ticket.id)
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def mark_violation(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Make the ticket a violation report: the officers of its organisation and above are
    told at once."""
    now = now or utcnow()
    ticket = await operated_ticket(session, principal, ticket_id, lock=True)
    if ticket.kind == TicketKind.VIOLATION:
        raise ValidationError("ticket_already_violation")
    ticket.kind = TicketKind.VIOLATION
    await escalate_violation(session, ticket, default_tz=default_tz, now=now)
    await relays.note_to_forum(
        session,
        ticket,
        forum_texts.violation(_name(principal)),
        key=f"ticket.{ticket.id}.violation.{_stamp(now)}",
    )
    audit.add_audit(session, principal.actor_id, "ticket.violation", "ticket", ticket.id)
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def ban_author(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    reason: str = "",
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Ban the ticket's author from the hotline (by ticket, so no id is ever shown)."""
    now = now or utcnow()
    ticket = await operated_ticket(session, principal, ticket_id)
    if ticket.user_id is None:
        raise ValidationError("author_gone")
    if await repo.get_ban(session, ticket.user_id) is not None:
        raise ValidationError("already_banned")
    repo.add_ban(
        session,
        user_id=ticket.user_id,
        banned_by_id=principal.actor_id,
        reason=(reason or "").strip()[:1000],
        created_at=now,
    )
    # The ticket, not the person, is recorded: the trail must not undo anonymity.
    audit.add_audit(session, principal.actor_id, "hotline.ban", "ticket", ticket.id)
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def unban_author(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
) -> TicketView:
    """Lift the ban of the ticket's author."""
    ticket = await operated_ticket(session, principal, ticket_id)
    ban = await repo.get_ban(session, ticket.user_id) if ticket.user_id else None
    if ban is None:
        raise ValidationError("not_banned")
    await session.delete(ban)
    audit.add_audit(session, principal.actor_id, "hotline.unban", "ticket", ticket.id)
    await session.commit()
    return await _view(session, principal, ticket, default_tz)


async def set_opt_out(
    session: AsyncSession, principal: Principal, org_id: int, opted_out: bool
) -> None:
    """An officer stops (or resumes) answering the hotline of their organisation."""
    if org_id not in principal.org_ids(RoleKind.OFFICER):
        raise AccessDenied()
    row = await repo.get_opt_out(session, principal.user_id, org_id)
    if opted_out and row is None:
        repo.add_opt_out(session, principal.user_id, org_id)
    elif not opted_out and row is not None:
        await session.delete(row)
    action = "hotline.opt_out" if opted_out else "hotline.opt_in"
    audit.add_audit(session, principal.actor_id, action, "org", org_id)
    await session.commit()
