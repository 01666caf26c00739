"""Notices to people about what others did, queued in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Lane, OutgoingMessage
from storage.base import utcnow
from storage.repo import outbox

NOTICE = "notice"


async def queue_notice(
    session: AsyncSession,
    user_ids: Sequence[int],
    message: OutgoingMessage,
    *,
    key: str,
    lane: Lane = Lane.INTERACTIVE,
) -> int:
    """Queue one notice per person; ``key`` names the event so it is never queued twice.

    Does not commit: the use case that caused the notice commits both together, so a crash
    can never keep the change and lose the notice.
    """
    rows = [
        {
            "dedupe_key": f"{NOTICE}:{key}:{user_id}",
            "user_id": user_id,
            "kind": NOTICE,
            "due_at": utcnow(),
            "payload": {"message": message.to_dict(), "lane": int(lane)},
        }
        for user_id in dict.fromkeys(user_ids)
    ]
    queued = await outbox.add_messages(session, rows)
    if queued:
        # The channel adapter wakes the delivery tick after the update that queued this.
        session.info["outbox_queued"] = True
    return queued
