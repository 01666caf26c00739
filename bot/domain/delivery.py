"""What one delivery attempt came to, in any channel, and how long to wait before the next."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum

BACKOFF_BASE = 5.0
BACKOFF_CAP = 3600.0
BACKOFF_JITTER = 0.1


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    BLOCKED = "blocked"
    FAILED = "failed"


@dataclass(frozen=True)
class DeliveryResult:
    """What one attempt came to; `counts_as_attempt` is False for flood waits (429), and
    `everyone` says the whole bot is paused, not only this chat."""

    outcome: Outcome
    message_id: int | None = None
    retry_in: float | None = None
    error: str | None = None
    counts_as_attempt: bool = True
    everyone: bool = False


def backoff(attempt: int) -> float:
    """Seconds before retry number `attempt` (1-based): 5, 10, 20 … up to an hour, +0–10 %."""
    delay = min(BACKOFF_BASE * 2 ** (max(attempt, 1) - 1), BACKOFF_CAP)
    # Jitter spreads the retries of one outage so they do not all return in the same second.
    return min(delay * (1 + random.uniform(0, BACKOFF_JITTER)), BACKOFF_CAP)
