"""Notifications to people about what others did, delivered through the outbox."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.base import utcnow
from storage.repo import outbox

NOTICE = "notice"


class Notifier:
    """Queues notices in the outbox and wakes the delivery tick so they leave at once."""

    def __init__(self, wake: Callable[[], None] | None = None) -> None:
        self.wake = wake

    async def notify(
        self,
        session: AsyncSession,
        user_ids: Sequence[int],
        text: str,
        markup: Mapping[str, Any] | None = None,
        *,
        key: str,
    ) -> int:
        """Queue one notice per person; ``key`` names the event so it is never queued twice."""
        found = await outbox.get_users(session, user_ids)
        rows = [
            {
                "dedupe_key": f"{NOTICE}:{key}:{user_id}",
                "user_id": user_id,
                "kind": NOTICE,
                "due_at": utcnow(),
                "payload": {"text": text, "reply_markup": dict(markup) if markup else None},
            }
            for user_id in sorted(found)
        ]
        queued = await outbox.add_messages(session, rows)
        await session.commit()
        if queued and self.wake is not None:
            self.wake()
        return queued
