"""Facts of tickets for the hotline statistics: no person, no text, only what is counted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import TicketKind, TicketStatus, TicketTopic
from storage.models import Ticket


@dataclass(frozen=True)
class TicketFacts:
    kind: TicketKind
    topic: TicketTopic
    status: TicketStatus
    org_id: int
    school_id: int | None
    created_at: datetime
    waiting_since: datetime | None
    first_answer_at: datetime | None


def _of_orgs(org_ids: Sequence[int]):
    return or_(Ticket.org_id.in_(org_ids), Ticket.school_id.in_(org_ids))


async def created_between(
    session: AsyncSession, org_ids: Sequence[int], start: datetime, end: datetime
) -> list[TicketFacts]:
    """Tickets of these organisations (answering or about a school) created in [start, end)."""
    query = _facts().where(_of_orgs(org_ids), Ticket.created_at >= start, Ticket.created_at < end)
    return [TicketFacts(*row) for row in (await session.execute(query)).all()]


async def not_closed(session: AsyncSession, org_ids: Sequence[int]) -> list[TicketFacts]:
    query = _facts().where(_of_orgs(org_ids), Ticket.status != TicketStatus.CLOSED)
    return [TicketFacts(*row) for row in (await session.execute(query)).all()]


def _facts():
    return select(
        Ticket.kind,
        Ticket.topic,
        Ticket.status,
        Ticket.org_id,
        Ticket.school_id,
        Ticket.created_at,
        Ticket.waiting_since,
        Ticket.first_answer_at,
    ).order_by(Ticket.id)
