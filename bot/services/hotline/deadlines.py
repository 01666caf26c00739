"""Answer deadlines: remind the operators, then escalate to the officers above; once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class DeadlineRun:
    reminded: int
    escalated: int


async def run_due(session: AsyncSession, now: datetime, *, default_tz: str) -> DeadlineRun:
    """Queue the reminders and escalations that are due at ``now``; commits."""
    raise NotImplementedError
