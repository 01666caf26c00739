"""What one delivery attempt came to, in any channel, and how long to wait before the next."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from bot.domain.messages import Address, OutgoingMessage

BACKOFF_BASE = 5.0
BACKOFF_CAP = 3600.0
BACKOFF_JITTER = 0.1


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    BLOCKED = "blocked"  # the recipient is gone: blocked the bot, deactivated, chat not found
    THREAD_GONE = "thread_gone"  # the chat is there, its forum thread is not (or is closed)
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


class ChannelRevoked(Exception):
    """The channel refuses every message of the bot (a revoked token): stop sending."""


class Sender(Protocol):
    """Delivers a channel-neutral message to an address of one channel."""

    async def send(
        self, address: Address, message: OutgoingMessage, attempt: int
    ) -> DeliveryResult:
        """Try once (``attempt`` is 1-based) and say what came of it; raises ChannelRevoked."""
        ...

    async def edit(self, address: Address, message_id: int, message: OutgoingMessage) -> bool:
        """Change a message the bot sent earlier (a progress count); False if it could not."""
        ...
