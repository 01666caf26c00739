"""The operators' use cases: their queue, a ticket's card, answer, take, hand over, close."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Attachment
from bot.services.access import Principal
from bot.services.hotline.views import (
    MessageSource,
    OperatorChoice,
    TicketMessageView,
    TicketPage,
    TicketView,
)

PAGE_SIZE = 8


async def operator_org_ids(session: AsyncSession, principal: Principal) -> set[int]:
    """Organisations whose tickets the person answers: their operator roles and their officer
    roles without an opt-out, each with its subtree; every organisation for the system."""
    raise NotImplementedError


async def is_operator(session: AsyncSession, principal: Principal) -> bool:
    """Whether the person answers any hotline."""
    raise NotImplementedError


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
    raise NotImplementedError


async def operator_ticket(
    session: AsyncSession, principal: Principal, ticket_id: int, *, default_tz: str
) -> TicketView:
    """A ticket's card with its conversation, as an operator may see it (anonymity kept)."""
    raise NotImplementedError


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
    raise NotImplementedError


async def take_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """The operator takes the ticket: it is theirs and in progress."""
    raise NotImplementedError


async def handover_choices(
    session: AsyncSession, principal: Principal, ticket_id: int
) -> list[OperatorChoice]:
    """The other operators of the ticket's organisation it can be handed over to."""
    raise NotImplementedError


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
    raise NotImplementedError


async def close_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Close the ticket; the person is told and may still write (which reopens it)."""
    raise NotImplementedError


async def reopen_ticket(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> TicketView:
    """Reopen a closed ticket."""
    raise NotImplementedError


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
    raise NotImplementedError


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
    raise NotImplementedError


async def unban_author(
    session: AsyncSession,
    principal: Principal,
    ticket_id: int,
    *,
    default_tz: str,
) -> TicketView:
    """Lift the ban of the ticket's author."""
    raise NotImplementedError


async def set_opt_out(
    session: AsyncSession, principal: Principal, org_id: int, opted_out: bool
) -> None:
    """An officer stops (or resumes) answering the hotline of their organisation."""
    raise NotImplementedError
