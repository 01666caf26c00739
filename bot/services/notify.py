"""Notices to people and messages to chats, queued in the caller's transaction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Address, Lane, OutgoingMessage, Ref
from storage.base import utcnow
from storage.repo import outbox
from storage.repo.addresses import private_addresses

logger = logging.getLogger(__name__)

NOTICE = "notice"


async def queue_notice(
    session: AsyncSession,
    user_ids: Sequence[int],
    message: OutgoingMessage,
    *,
    key: str,
    lane: Lane = Lane.INTERACTIVE,
    ref: Ref | None = None,
    due_at: datetime | None = None,
) -> int:
    """Queue one notice per person to their private chat (due now, or at ``due_at``);
    ``key`` names the event so it is never queued twice.

    Does not commit: the use case that caused the notice commits both together, so a crash
    can never keep the change and lose the notice.
    """
    people = list(dict.fromkeys(user_ids))
    addresses = await private_addresses(session, people)
    if len(addresses) < len(people):
        logger.info("notice %s: %s people have no chat", key, len(people) - len(addresses))
    rows = [
        _row(
            f"{NOTICE}:{key}:{user_id}",
            addresses[user_id],
            message,
            lane,
            ref,
            user_id,
            due_at=due_at,
        )
        for user_id in people
        if user_id in addresses
    ]
    return await _queue(session, rows)


async def queue_message(
    session: AsyncSession,
    address: Address,
    message: OutgoingMessage,
    *,
    key: str,
    lane: Lane = Lane.INTERACTIVE,
    ref: Ref | None = None,
    user_id: int | None = None,
) -> int:
    """Queue a message to one chat (a group, a forum topic); ``user_id`` if it is a person's.

    ``key`` names the event, as for ``queue_notice``; this does not commit either.
    """
    row = _row(f"{NOTICE}:{key}", address, message, lane, ref, user_id)
    return await _queue(session, [row])


async def queue_bulk(
    session: AsyncSession,
    user_ids: Sequence[int],
    message: OutgoingMessage,
    *,
    key: str,
    kind: str,
    ref: Ref,
    due_at: datetime,
) -> int:
    """Queue one message per person on the bulk lane, due at ``due_at``: every other lane
    goes first. Does not commit."""
    people = list(dict.fromkeys(user_ids))
    addresses = await private_addresses(session, people)
    rows = [
        _row(
            f"{kind}:{key}:{user_id}",
            addresses[user_id],
            message,
            Lane.BULK,
            ref,
            user_id,
            kind=kind,
            due_at=due_at,
        )
        for user_id in people
        if user_id in addresses
    ]
    return await _queue(session, rows)


def _row(
    key: str,
    address: Address,
    message: OutgoingMessage,
    lane: Lane,
    ref: Ref | None,
    user_id: int | None,
    *,
    kind: str = NOTICE,
    due_at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "dedupe_key": key,
        "user_id": user_id,
        "kind": kind,
        "due_at": due_at or utcnow(),
        "payload": message.to_dict(),
        **outbox.envelope(address, lane, ref),
    }


async def _queue(session: AsyncSession, rows: list[dict[str, Any]]) -> int:
    queued = await outbox.add_messages(session, rows)
    if queued:
        # The channel adapter wakes the delivery tick after the update that queued this.
        session.info["outbox_queued"] = True
    return queued
