"""The asking person's use cases: open a ticket, follow up, see their tickets, close one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Attachment
from bot.services.access import Principal
from bot.services.hotline.views import (
    MessageSource,
    TicketDraft,
    TicketMessageView,
    TicketPage,
    TicketReceipt,
    TicketView,
)

PAGE_SIZE = 8


async def ensure_may_ask(
    session: AsyncSession, principal: Principal, *, now: datetime | None = None
) -> None:
    """Raise HotlineBanned for a banned person (``details["told"]`` says they were told)."""
    raise NotImplementedError


async def open_ticket(
    session: AsyncSession,
    principal: Principal,
    draft: TicketDraft,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketReceipt:
    """Open a numbered ticket routed to its operators and queue their relays; commits."""
    raise NotImplementedError


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
    raise NotImplementedError


async def add_album_items(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    media_group_id: str,
    attachments: Sequence[Attachment],
) -> TicketMessageView | None:
    """Add files of an album that came late to the person's message of that media group;
    None when the ticket has no such message. Relays the added files; commits."""
    raise NotImplementedError


async def list_my_tickets(
    session: AsyncSession, principal: Principal, *, page: int = 0, size: int = PAGE_SIZE
) -> TicketPage:
    """The person's own tickets, newest first, one page."""
    raise NotImplementedError


async def my_ticket(
    session: AsyncSession, principal: Principal, ticket_id: int, *, default_tz: str
) -> TicketView:
    """One of the person's tickets with its conversation; NotFound for anyone else's."""
    raise NotImplementedError


async def mark_solved(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """«Вопрос решён»: the person closes their ticket; operators are told."""
    raise NotImplementedError


async def record_edit(
    session: AsyncSession,
    channel: str,
    chat_id: str,
    message_id: int,
    new_text: str,
    *,
    now: datetime | None = None,
) -> TicketMessageView | None:
    """An edited message (of the person or an operator) found by its source ids: store the
    new text and queue an «edited» relay to the other side; None if it is no ticket's."""
    raise NotImplementedError
