"""Whose a ticket is, who answers it, where its relays go, and its header card."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, RoleKind, TicketStatus
from bot.domain.errors import NotFound, ValidationError
from bot.domain.messages import Action, ActionKind, Address, Button, OutgoingMessage
from bot.services.hotline.views import TicketMessageView, TicketView
from bot.texts import hotline as texts
from storage.models import Ticket
from storage.repo import hotline as repo
from storage.repo import orgs, users
from storage.repo.addresses import private_addresses


async def ticket_org_id(
    session: AsyncSession, school_id: int | None, hint_school_id: int | None = None
) -> int:
    """The organisation that answers: the school's municipality (its parent), or the top
    organisation when there is no school: the root above ``hint_school_id`` (the person's
    own school) if any, else the first region, else the first root."""
    if school_id is not None:
        school = await orgs.get_org(session, school_id)
        if school is None or school.kind != OrgKind.SCHOOL:
            raise NotFound()
        return school.parent_id or school.id
    if hint_school_id is not None:
        chain = await orgs.ancestors(session, hint_school_id)
        if chain:
            return chain[-1].id
    roots = await orgs.list_roots(session)
    if not roots:
        raise ValidationError("hotline_no_org")
    return next((r.id for r in roots if r.kind == OrgKind.REGION), roots[0].id)


async def operators_of(session: AsyncSession, org_id: int) -> list[int]:
    """User ids answering the organisation's hotline: its operators and its officers
    without an opt-out; active people only."""
    opted_out = await repo.opted_out(session, [org_id])
    found = [user for user, _ in await repo.users_with_role(session, RoleKind.OPERATOR, [org_id])]
    found += [
        user
        for user, org in await repo.users_with_role(session, RoleKind.OFFICER, [org_id])
        if (user.id, org) not in opted_out
    ]
    return list(dict.fromkeys(user.id for user in found if user.is_active))


async def answering_operators(session: AsyncSession, org_id: int) -> list[int]:
    """The operators of the organisation, else of its nearest ancestor that has some, so a
    municipality without operators does not leave its tickets unseen."""
    for org in await orgs.ancestors(session, org_id):
        found = await operators_of(session, org.id)
        if found:
            return found
    return []


async def officers_above(session: AsyncSession, org_id: int) -> list[int]:
    """Officers of the organisation's parent (of the organisation itself at the top)."""
    org = await orgs.get_org(session, org_id)
    if org is None:
        return []
    target = org.parent_id or org.id
    found = await repo.users_with_role(session, RoleKind.OFFICER, [target])
    return list(dict.fromkeys(user.id for user, _ in found if user.is_active))


async def officers_of_and_above(session: AsyncSession, org_id: int) -> list[int]:
    """Officers of the organisation and of every organisation above it."""
    chain = [org.id for org in await orgs.ancestors(session, org_id)]
    found = await repo.users_with_role(session, RoleKind.OFFICER, chain)
    return list(dict.fromkeys(user.id for user, _ in found if user.is_active))


async def forum_address(session: AsyncSession, org_id: int) -> Address | None:
    """The organisation's forum chat (no thread: the forum adapter finds the topic)."""
    row = await repo.get_settings(session, org_id)
    if row is None or not row.forum_chat_id or not row.forum_channel:
        return None
    return Address(row.forum_channel, row.forum_chat_id, None)


async def relay_addresses(
    session: AsyncSession, ticket: Ticket
) -> list[tuple[Address, int | None]]:
    """Where a new message of the person goes: the forum chat (``thread_id=None``, the forum
    adapter finds the topic) when the organisation has one, else each operator's private
    chat; pairs of the address and the operator's user id (None for the forum)."""
    forum = await forum_address(session, ticket.org_id)
    if forum is not None:
        return [(forum, None)]
    # A taken ticket's messages go to the one who took it while they can receive them.
    assignee = await users.get_user(session, ticket.assignee_id) if ticket.assignee_id else None
    if assignee is not None and assignee.is_active:
        operators = [assignee.id]
    else:
        operators = await answering_operators(session, ticket.org_id)
    addresses = await private_addresses(session, operators)
    return [(addresses[user_id], user_id) for user_id in operators if user_id in addresses]


def header_card(ticket: TicketView) -> str:
    """The ticket's card for operators (number, kind, topic, school, author or «Аноним»,
    when it came, state, deadlines), in HTML."""
    return texts.header_card(ticket)


def operator_buttons(ticket: TicketView) -> tuple[tuple[Button, ...], ...]:
    """«Ответить», «Взять себе», «Закрыть» (or «Открыть снова» for a closed ticket)."""
    if ticket.status == TicketStatus.CLOSED:
        return ((Button(texts.BTN_REOPEN, Action(ActionKind.REOPEN_TICKET, ticket.id)),),)
    first = [Button(texts.BTN_ANSWER, Action(ActionKind.ANSWER_TICKET, ticket.id))]
    if not ticket.is_mine:
        first.append(Button(texts.BTN_TAKE, Action(ActionKind.TAKE_TICKET, ticket.id)))
    return (
        tuple(first),
        (
            Button(texts.BTN_CLOSE, Action(ActionKind.CLOSE_TICKET, ticket.id)),
            Button(texts.BTN_MORE, Action(ActionKind.OPEN_TICKET, ticket.id)),
        ),
    )


def operator_relay(
    ticket: TicketView, message: TicketMessageView, *, with_buttons: bool = True, new: bool = False
) -> OutgoingMessage:
    """A person's message as operators get it: number, author label, text, files, and the
    «Ответить», «Взять себе», «Закрыть» buttons in private chats; ``new`` for the first."""
    text = texts.operator_relay(texts.RELAY_NEW if new else texts.RELAY_MORE, ticket, message.text)
    return OutgoingMessage(
        text=text,
        buttons=operator_buttons(ticket) if with_buttons else (),
        attachments=message.attachments,
    )


def person_relay(ticket: TicketView, message: TicketMessageView) -> OutgoingMessage:
    """An operator's answer as the person gets it, with «Уточнить» and «Вопрос решён»."""
    return OutgoingMessage(
        text=texts.person_relay(ticket.number, message.text),
        buttons=person_buttons(ticket),
        attachments=message.attachments,
    )


def person_buttons(ticket: TicketView) -> tuple[tuple[Button, ...], ...]:
    row = [Button(texts.BTN_FOLLOW_UP, Action(ActionKind.FOLLOW_UP_TICKET, ticket.id))]
    if ticket.status != TicketStatus.CLOSED:
        row.append(Button(texts.BTN_SOLVED, Action(ActionKind.SOLVED_TICKET, ticket.id)))
    return (tuple(row),)


def edit_relay(ticket: TicketView, message: TicketMessageView) -> OutgoingMessage:
    """An edited message, passed on to the other side as an edit."""
    return OutgoingMessage(text=texts.edited_relay(ticket.number, message.text))


async def school_name(session: AsyncSession, school_id: int) -> str | None:
    """The school's name, or None when there is no such school."""
    school = await orgs.get_org(session, school_id)
    return school.name if school is not None and school.kind == OrgKind.SCHOOL else None
