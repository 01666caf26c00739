"""A ticket's thread in its organisation's forum chat: claimed once, its cards and its title."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import TicketKind, TicketStatus
from bot.domain.messages import Address
from bot.services.hotline import routing
from bot.services.hotline.common import ticket_view
from bot.texts import forum as texts
from storage.base import utcnow
from storage.repo import hotline as hotline_repo
from storage.repo import threads as repo

# A claim not turned into a topic within this time belongs to a process that died making it.
CLAIM_TIMEOUT = timedelta(minutes=2)
# The claim time of a row whose claim has lapsed on purpose, so the next writer may take it.
LAPSED = datetime(2000, 1, 1, tzinfo=UTC)
VIOLATION = "violation"


@dataclass(frozen=True)
class ThreadClaim:
    """The ticket's thread in the chat, or the right to make it; neither while another
    writer is making it (try again shortly)."""

    thread_id: int | None = None
    create: bool = False


@dataclass(frozen=True)
class TopicCard:
    """What a ticket's topic shows: its title, the state its icon stands for, the header
    card, the conversation so far (when there is more than the first message), the topic
    (None before it is made) and the state it showed last."""

    title: str
    status: str
    header: str
    history: str | None
    address: Address | None
    shown_status: str | None


async def claim_thread(
    session: AsyncSession, ticket_id: int, address: Address, *, now: datetime | None = None
) -> ThreadClaim:
    """The ticket's thread in the forum of ``address``; when it has none, the claim to make
    one, given to exactly one writer; commits."""
    now = now or utcnow()
    row = await repo.get_thread(session, ticket_id)
    same_chat = row is not None and (row.channel, row.chat_id) == (
        address.channel,
        address.chat_id,
    )
    if row is not None and same_chat and row.thread_id is not None:
        return ThreadClaim(thread_id=row.thread_id)
    if row is None:
        claimed = await repo.add_claim(session, ticket_id, address.channel, address.chat_id, now)
    elif same_chat and row.created_at > now - CLAIM_TIMEOUT:
        return ThreadClaim()
    else:
        claimed = await repo.take_over_claim(
            session, ticket_id, row.created_at, address.channel, address.chat_id, now
        )
    await session.commit()
    return ThreadClaim(create=claimed)


async def thread_made(session: AsyncSession, ticket_id: int, thread_id: int, status: str) -> None:
    """The topic exists: messages of the ticket go to it from now on."""
    await repo.set_thread(session, ticket_id, thread_id, status)
    await session.commit()


async def claim_failed(session: AsyncSession, ticket_id: int) -> None:
    await repo.release_claim(session, ticket_id, LAPSED)
    await session.commit()


async def thread_lost(session: AsyncSession, ticket_id: int, thread_id: int) -> None:
    """The topic was deleted: the next message makes a new one, with the history."""
    await repo.forget_thread(session, ticket_id, thread_id, LAPSED)
    await session.commit()


async def status_shown(session: AsyncSession, ticket_id: int, status: str) -> None:
    await repo.set_shown_status(session, ticket_id, status)
    await session.commit()


def topic_status(kind: TicketKind, status: TicketStatus) -> str:
    """The state a topic's icon shows: an open violation report stands out."""
    if kind == TicketKind.VIOLATION and status != TicketStatus.CLOSED:
        return VIOLATION
    return status.value


async def topic_card(
    session: AsyncSession, ticket_id: int, *, default_tz: str, with_history: bool = True
) -> TopicCard | None:
    """The ticket's topic as operators see it (anonymity kept); None if it is gone. Without
    ``with_history`` (a title check after each message) the conversation is not read."""
    ticket = await hotline_repo.get_ticket(session, ticket_id)
    if ticket is None:
        return None
    view = await ticket_view(
        session, ticket, for_operator=True, default_tz=default_tz, with_messages=with_history
    )
    row = await repo.get_thread(session, ticket_id)
    return TopicCard(
        title=texts.title(view.number, view.kind, view.topic, view.status),
        status=topic_status(view.kind, view.status),
        header=routing.header_card(view),
        history=texts.history(view.messages) if len(view.messages) > 1 else None,
        address=(
            Address(row.channel, row.chat_id, row.thread_id)
            if row is not None and row.thread_id is not None
            else None
        ),
        shown_status=row.shown_status if row is not None else None,
    )


async def ticket_in_thread(session: AsyncSession, address: Address) -> int | None:
    """The ticket whose topic the address is, if any."""
    if address.thread_id is None:
        return None
    return await repo.ticket_in_thread(
        session, address.channel, address.chat_id, address.thread_id
    )


async def forum_org(session: AsyncSession, channel: str, chat_id: str) -> int | None:
    """The organisation whose hotline forum the chat is, if any."""
    return await repo.forum_org(session, channel, chat_id)
