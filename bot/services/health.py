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
    # Claimed by a sender and not yet settled: in flight now, or left by a stopped process.
    sending: int


async def outbox_depth(session: AsyncSession, now: datetime) -> OutboxDepth:
    """Messages waiting in the outbox, those of them whose time has come, and those in flight."""
    pending, due, sending = await outbox.count_queued(session, now)
    return OutboxDepth(pending=pending, due=due, sending=sending)
