"""What erasing a person's data touches: tickets, their messages, outbox rows, forms."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind, TicketSide, TicketStatus
from bot.domain.messages import RefType
from storage.models import (
    ChannelAccount,
    FsmRecord,
    OutboxMessage,
    Role,
    Ticket,
    TicketMessage,
)


async def ticket_ids_of(session: AsyncSession, user_id: int) -> list[int]:
    query = select(Ticket.id).where(Ticket.user_id == user_id).order_by(Ticket.id)
    return list((await session.scalars(query)).all())


async def anonymise_tickets(
    session: AsyncSession, ticket_ids: Sequence[int], at: datetime
) -> None:
    """Detach the tickets from the person and close them; kind, topic, school, dates stay."""
    if not ticket_ids:
        return
    where = Ticket.id.in_(ticket_ids)
    await session.execute(
        update(Ticket).where(where).values(erased_at=at, anonymous=True, user_id=None)
    )
    await session.execute(
        update(Ticket)
        .where(where, Ticket.status != TicketStatus.CLOSED)
        .values(status=TicketStatus.CLOSED, closed_at=at, waiting_since=None)
    )


async def blank_person_messages(session: AsyncSession, ticket_ids: Sequence[int]) -> int:
    """Empty the texts and attachments the person wrote, and where they came from."""
    if not ticket_ids:
        return 0
    result = await session.execute(
        update(TicketMessage)
        .where(TicketMessage.ticket_id.in_(ticket_ids), TicketMessage.side == TicketSide.PERSON)
        .values(
            text="",
            attachments=[],
            author_id=None,
            media_group_id=None,
            source_channel=None,
            source_chat_id=None,
            source_message_id=None,
        )
    )
    return result.rowcount or 0


async def drop_outbox(
    session: AsyncSession,
    user_id: int,
    chats: Sequence[tuple[str, str]],
    ticket_ids: Sequence[int],
) -> None:
    """Drop every outbox row to the person, and the relays of their tickets not yet sent;
    the copies already sent keep no payload."""
    to_person = [OutboxMessage.user_id == user_id]
    to_person += [
        (OutboxMessage.channel == channel) & (OutboxMessage.chat_id == chat)
        for channel, chat in chats
    ]
    await session.execute(delete(OutboxMessage).where(or_(*to_person)))
    if not ticket_ids:
        return
    of_tickets = (OutboxMessage.ref_type == RefType.TICKET.value) & OutboxMessage.ref_id.in_(
        ticket_ids
    )
    await session.execute(delete(OutboxMessage).where(of_tickets, OutboxMessage.sent_at.is_(None)))
    await session.execute(update(OutboxMessage).where(of_tickets).values(payload={}))


async def delete_forms(session: AsyncSession, external_ids: Sequence[str]) -> None:
    """Form states and data of these channel users, whichever chat they were kept for.

    The key ends with «…:<user id>:<destiny>» (aiogram's key builder with destinies).
    """
    for external_id in external_ids:
        pattern = f"%:{external_id}:%"
        keys = (
            await session.scalars(select(FsmRecord.key).where(FsmRecord.key.like(pattern)))
        ).all()
        mine = [key for key in keys if key.split(":")[-2:-1] == [external_id]]
        if mine:
            await session.execute(delete(FsmRecord).where(FsmRecord.key.in_(mine)))


async def delete_accounts(session: AsyncSession, user_id: int) -> None:
    await session.execute(delete(ChannelAccount).where(ChannelAccount.user_id == user_id))


async def delete_roles(session: AsyncSession, user_id: int, role: RoleKind) -> None:
    await session.execute(delete(Role).where(Role.user_id == user_id, Role.role == role))
