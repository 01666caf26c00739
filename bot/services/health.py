"""What a health check reports about delivery: the depth of the outbox."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repo import outbox


@dataclass(frozen=True)
class OutboxDepth:
    pending: int
    due: int


async def outbox_depth(session: AsyncSession, now: datetime) -> OutboxDepth:
    """Messages waiting in the outbox, and those of them whose time has come."""
    pending, due = await outbox.count_pending(session, now)
    return OutboxDepth(pending=pending, due=due)
