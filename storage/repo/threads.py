"""Ticket threads in forum chats: one row per ticket, claimed before its topic is made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import HotlineSettings, TicketThread


async def get_thread(session: AsyncSession, ticket_id: int) -> TicketThread | None:
    query = select(TicketThread).where(TicketThread.ticket_id == ticket_id)
    return (await session.scalars(query.execution_options(populate_existing=True))).first()


async def add_claim(
    session: AsyncSession, ticket_id: int, channel: str, chat_id: str, at: datetime
) -> bool:
    """Insert the ticket's row without a thread; False when another writer has one already
    (the primary key on the ticket keeps it to one)."""
    try:
        async with session.begin_nested():
            session.add(
                TicketThread(ticket_id=ticket_id, channel=channel, chat_id=chat_id, created_at=at)
            )
    except IntegrityError:
        return False
    return True


async def take_over_claim(
    session: AsyncSession,
    ticket_id: int,
    seen_at: datetime,
    channel: str,
    chat_id: str,
    at: datetime,
) -> bool:
    """Claim a row last claimed at ``seen_at`` for a new topic; False when someone else
    claimed it since (the compare on the claim time makes the take-over atomic)."""
    result = await session.execute(
        update(TicketThread)
        .where(TicketThread.ticket_id == ticket_id, TicketThread.created_at == seen_at)
        .values(channel=channel, chat_id=chat_id, thread_id=None, created_at=at)
    )
    return result.rowcount == 1


async def set_thread(
    session: AsyncSession, ticket_id: int, thread_id: int | None, shown_status: str | None
) -> None:
    await session.execute(
        update(TicketThread)
        .where(TicketThread.ticket_id == ticket_id)
        .values(thread_id=thread_id, shown_status=shown_status)
    )


async def forget_thread(
    session: AsyncSession, ticket_id: int, thread_id: int, released_at: datetime
) -> None:
    """The topic is gone: the row stays (so the next topic shows the history) without it."""
    await session.execute(
        update(TicketThread)
        .where(TicketThread.ticket_id == ticket_id, TicketThread.thread_id == thread_id)
        .values(thread_id=None, created_at=released_at)
    )


async def release_claim(session: AsyncSession, ticket_id: int, released_at: datetime) -> None:
    """A topic could not be made: the claim lapses at once so the next attempt may try."""
    await session.execute(
        update(TicketThread)
        .where(TicketThread.ticket_id == ticket_id, TicketThread.thread_id.is_(None))
        .values(created_at=released_at)
    )


async def set_shown_status(session: AsyncSession, ticket_id: int, status: str) -> None:
    await session.execute(
        update(TicketThread).where(TicketThread.ticket_id == ticket_id).values(shown_status=status)
    )


async def ticket_in_thread(
    session: AsyncSession, channel: str, chat_id: str, thread_id: int
) -> int | None:
    query = select(TicketThread.ticket_id).where(
        TicketThread.channel == channel,
        TicketThread.chat_id == chat_id,
        TicketThread.thread_id == thread_id,
    )
    return (await session.scalars(query)).first()


async def forum_org(session: AsyncSession, channel: str, chat_id: str) -> int | None:
    """The organisation whose hotline forum the chat is."""
    query = select(HotlineSettings.org_id).where(
        HotlineSettings.forum_channel == channel, HotlineSettings.forum_chat_id == chat_id
    )
    return (await session.scalars(query)).first()
