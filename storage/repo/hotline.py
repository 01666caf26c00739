"""Hotline queries: settings, tickets and their messages, operators, opt-outs, bans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind, TicketKind, TicketSide, TicketStatus
from storage.models import (
    ChannelAccount,
    HotlineBan,
    HotlineOptOut,
    HotlineSettings,
    Role,
    Ticket,
    TicketMessage,
    User,
)


async def get_settings(session: AsyncSession, org_id: int) -> HotlineSettings | None:
    return await session.get(HotlineSettings, org_id)


async def get_ticket(
    session: AsyncSession, ticket_id: int, *, lock: bool = False
) -> Ticket | None:
    query = select(Ticket).where(Ticket.id == ticket_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


def add_ticket(session: AsyncSession, **fields) -> Ticket:
    ticket = Ticket(**fields)
    session.add(ticket)
    return ticket


def add_message(session: AsyncSession, **fields) -> TicketMessage:
    message = TicketMessage(**fields)
    session.add(message)
    return message


async def list_messages(session: AsyncSession, ticket_id: int) -> list[TicketMessage]:
    query = (
        select(TicketMessage)
        .where(TicketMessage.ticket_id == ticket_id)
        .order_by(TicketMessage.created_at, TicketMessage.id)
    )
    return list((await session.scalars(query)).all())


async def get_message(session: AsyncSession, message_id: int) -> TicketMessage | None:
    return await session.get(TicketMessage, message_id)


async def find_by_source(
    session: AsyncSession, channel: str, chat_id: str, message_id: int
) -> TicketMessage | None:
    query = select(TicketMessage).where(
        TicketMessage.source_channel == channel,
        TicketMessage.source_chat_id == chat_id,
        TicketMessage.source_message_id == message_id,
    )
    return (await session.scalars(query)).first()


async def find_by_media_group(
    session: AsyncSession, ticket_id: int, media_group_id: str
) -> TicketMessage | None:
    query = (
        select(TicketMessage)
        .where(
            TicketMessage.ticket_id == ticket_id,
            TicketMessage.media_group_id == media_group_id,
        )
        .order_by(TicketMessage.id)
    )
    return (await session.scalars(query)).first()


async def recent_person_messages(
    session: AsyncSession, user_id: int, since: datetime
) -> list[datetime]:
    """When the person wrote hotline messages since ``since``."""
    query = select(TicketMessage.created_at).where(
        TicketMessage.author_id == user_id,
        TicketMessage.side == TicketSide.PERSON,
        TicketMessage.created_at > since,
    )
    return list((await session.scalars(query)).all())


async def list_tickets_of_user(
    session: AsyncSession, user_id: int, offset: int, limit: int
) -> tuple[list[Ticket], int]:
    where = Ticket.user_id == user_id
    total = await session.scalar(select(func.count()).select_from(Ticket).where(where))
    query = select(Ticket).where(where).order_by(Ticket.id.desc()).offset(offset).limit(limit)
    return list((await session.scalars(query)).all()), int(total or 0)


async def list_open_tickets(
    session: AsyncSession,
    org_ids: Sequence[int],
    offset: int,
    limit: int,
    assignee_id: int | None = None,
) -> tuple[list[Ticket], int]:
    """Tickets not closed of the organisations: waiting ones first, oldest wait first."""
    conditions = [Ticket.org_id.in_(org_ids), Ticket.status != TicketStatus.CLOSED]
    if assignee_id is not None:
        conditions.append(Ticket.assignee_id == assignee_id)
    total = await session.scalar(select(func.count()).select_from(Ticket).where(*conditions))
    query = (
        select(Ticket)
        .where(*conditions)
        .order_by(
            Ticket.waiting_since.is_(None), Ticket.waiting_since, Ticket.created_at, Ticket.id
        )
        .offset(offset)
        .limit(limit)
    )
    return list((await session.scalars(query)).all()), int(total or 0)


async def list_waiting_tickets(session: AsyncSession) -> list[Ticket]:
    """Tickets with a message waiting for an answer, or violation reports not escalated."""
    query = (
        select(Ticket)
        .where(
            Ticket.status != TicketStatus.CLOSED,
            Ticket.waiting_since.is_not(None)
            | ((Ticket.kind == TicketKind.VIOLATION) & Ticket.escalated_at.is_(None)),
        )
        .order_by(Ticket.id)
    )
    return list((await session.scalars(query)).all())


async def users_with_role(
    session: AsyncSession, role: RoleKind, org_ids: Sequence[int]
) -> list[tuple[User, int]]:
    query = (
        select(User, Role.org_id)
        .join(Role, Role.user_id == User.id)
        .where(Role.role == role, Role.org_id.in_(org_ids))
        .order_by(User.id)
    )
    return [(user, org_id) for user, org_id in (await session.execute(query)).all()]


async def opted_out(session: AsyncSession, org_ids: Sequence[int]) -> set[tuple[int, int]]:
    """(user id, org id) of the officers who opted out of these organisations' hotlines."""
    query = select(HotlineOptOut.user_id, HotlineOptOut.org_id).where(
        HotlineOptOut.org_id.in_(org_ids)
    )
    return {(user_id, org_id) for user_id, org_id in (await session.execute(query)).all()}


async def get_opt_out(session: AsyncSession, user_id: int, org_id: int) -> HotlineOptOut | None:
    return await session.get(HotlineOptOut, (user_id, org_id))


async def get_ban(session: AsyncSession, user_id: int) -> HotlineBan | None:
    return await session.get(HotlineBan, user_id)


def add_ban(session: AsyncSession, **fields) -> HotlineBan:
    ban = HotlineBan(**fields)
    session.add(ban)
    return ban


async def username_of(session: AsyncSession, user_id: int) -> str | None:
    query = (
        select(ChannelAccount.username)
        .where(ChannelAccount.user_id == user_id, ChannelAccount.username.is_not(None))
        .order_by(ChannelAccount.id.desc())
    )
    return (await session.scalars(query)).first()


def add_opt_out(session: AsyncSession, user_id: int, org_id: int) -> HotlineOptOut:
    row = HotlineOptOut(user_id=user_id, org_id=org_id)
    session.add(row)
    return row
