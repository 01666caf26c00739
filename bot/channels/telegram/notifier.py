"""Notices from the Telegram handlers: Telegram ids and an inline keyboard in, neutral out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram import render
from bot.domain.messages import OutgoingMessage, Ref, RefType
from bot.services.notify import queue_notice
from storage.repo import users


class Notifier:
    """Queues notices in the outbox, commits, and wakes the delivery tick so they leave at once."""

    def __init__(self, wake: Callable[[], None] | None = None) -> None:
        self.wake = wake

    async def notify(
        self,
        session: AsyncSession,
        tg_ids: Sequence[int],
        text: str,
        markup: Mapping[str, Any] | None = None,
        *,
        key: str,
    ) -> int:
        """Queue one notice per user; ``key`` names the event so it is never queued twice.

        The keyboard's buttons must each be an action the outbox knows (or a link).
        """
        found = await users.list_users_by_tg(session, tg_ids)
        message = OutgoingMessage(text, render.buttons_of(markup) if markup else ())
        queued = await queue_notice(
            session, [user.id for user in found], message, key=key, ref=_ref(key)
        )
        await session.commit()
        if queued and self.wake is not None:
            self.wake()
        return queued


def _ref(key: str) -> Ref | None:
    """What an event key such as ``confirmation:12:submitted`` is about."""
    kind, _, rest = key.partition(":")
    object_id = rest.partition(":")[0]
    if kind in set(RefType) and object_id.isdigit():
        return Ref(kind, int(object_id))
    return None
