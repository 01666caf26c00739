"""Queue a ticket's messages to the other side: the operators (or the forum) and the person."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Lane, OutgoingMessage, Ref, RefType
from bot.services import notify
from bot.services.hotline import routing
from bot.services.hotline.common import message_view, ticket_view
from bot.services.hotline.views import MessageSource, TicketMessageView, TicketView
from storage.models import Ticket, TicketMessage
from storage.repo.addresses import private_addresses


def ref(ticket: Ticket) -> Ref:
    return Ref(RefType.TICKET, ticket.id)


async def operator_view(session: AsyncSession, ticket: Ticket, *, default_tz: str) -> TicketView:
    await session.flush()
    return await ticket_view(session, ticket, for_operator=True, default_tz=default_tz)


async def queue_to_operators(
    session: AsyncSession,
    ticket: Ticket,
    message: OutgoingMessage,
    *,
    key: str,
    forum_message: OutgoingMessage | None = None,
) -> int:
    """Queue the message where the ticket's operators read: each private chat, or the forum
    (``forum_message`` there, without private-chat buttons, when given)."""
    queued = 0
    for address, user_id in await routing.relay_addresses(session, ticket):
        if user_id is None:
            queued += await notify.queue_message(
                session,
                address,
                replace(forum_message or message, thread=ref(ticket)),
                key=f"{key}:forum",
                lane=Lane.INTERACTIVE,
                ref=ref(ticket),
            )
        else:
            queued += await notify.queue_message(
                session,
                address,
                message,
                key=f"{key}:{user_id}",
                lane=Lane.INTERACTIVE,
                ref=ref(ticket),
                user_id=user_id,
            )
    return queued


async def note_to_forum(
    session: AsyncSession,
    ticket: Ticket,
    text: str,
    *,
    key: str,
    unless_from: MessageSource | None = None,
) -> int:
    """Queue a line to the ticket's topic when its organisation has a forum: what happened
    to the ticket (a close, a hand-over, an answer given elsewhere); nothing when the change
    was written in the forum itself (``unless_from``)."""
    address = await routing.forum_address(session, ticket.org_id)
    if address is None:
        return 0
    if unless_from is not None and (unless_from.channel, unless_from.chat_id) == (
        address.channel,
        address.chat_id,
    ):
        return 0
    return await notify.queue_message(
        session,
        address,
        OutgoingMessage(text=text, thread=ref(ticket)),
        key=f"{key}:forum",
        lane=Lane.INTERACTIVE,
        ref=ref(ticket),
    )


async def relay_person_message(
    session: AsyncSession, ticket: Ticket, stored: TicketMessage, *, default_tz: str, new: bool
) -> TicketMessageView:
    """Pass the person's stored message on to the operators; returns it as operators see it."""
    view = await operator_view(session, ticket, default_tz=default_tz)
    item = await message_view(session, ticket, stored, for_operator=True)
    await queue_to_operators(
        session,
        ticket,
        routing.operator_relay(view, item, new=new),
        key=f"ticket.{ticket.id}.msg.{stored.id}",
        forum_message=routing.operator_relay(view, item, with_buttons=False, new=new),
    )
    return item


async def queue_to_person(
    session: AsyncSession, ticket: Ticket, message: OutgoingMessage, *, key: str
) -> int:
    """Queue the message to the person's private chat, unless they had their data erased."""
    if ticket.user_id is None:
        return 0
    addresses = await private_addresses(session, [ticket.user_id])
    address = addresses.get(ticket.user_id)
    if address is None:
        return 0
    return await notify.queue_message(
        session,
        address,
        message,
        key=key,
        lane=Lane.INTERACTIVE,
        ref=ref(ticket),
        user_id=ticket.user_id,
    )
