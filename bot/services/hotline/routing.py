"""Whose a ticket is, who answers it, where its relays go, and its header card."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Address, OutgoingMessage
from bot.services.hotline.views import TicketMessageView, TicketView
from storage.models import Ticket


async def ticket_org_id(session: AsyncSession, school_id: int | None) -> int:
    """The organisation that answers: the school's municipality (its parent), or the top
    organisation (the school's root, else the first region) when there is no school."""
    raise NotImplementedError


async def operators_of(session: AsyncSession, org_id: int) -> list[int]:
    """User ids answering the organisation's hotline: its operators and its officers
    without an opt-out; active people only."""
    raise NotImplementedError


async def officers_above(session: AsyncSession, org_id: int) -> list[int]:
    """Officers of the organisation's parent (of the organisation itself at the top)."""
    raise NotImplementedError


async def relay_addresses(
    session: AsyncSession, ticket: Ticket
) -> list[tuple[Address, int | None]]:
    """Where a new message of the person goes: the forum chat (``thread_id=None``, the forum
    adapter finds the topic) when the organisation has one, else each operator's private
    chat; pairs of the address and the operator's user id (None for the forum)."""
    raise NotImplementedError


def header_card(ticket: TicketView) -> str:
    """The ticket's card for operators (number, kind, topic, school, author or «Аноним»,
    when it came, state, deadlines), in HTML."""
    raise NotImplementedError


def operator_relay(
    ticket: TicketView, message: TicketMessageView, *, with_buttons: bool = True
) -> OutgoingMessage:
    """A person's message as operators get it: number, author label, text, files, and the
    «Ответить», «Взять себе», «Закрыть» buttons in private chats."""
    raise NotImplementedError


def person_relay(ticket: TicketView, message: TicketMessageView) -> OutgoingMessage:
    """An operator's answer as the person gets it, with «Уточнить» and «Вопрос решён»."""
    raise NotImplementedError
