"""The outbox of scheduled messages: idempotent inserts, claims and delivery results."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OutboxStatus
from bot.domain.messages import Address, Lane, Ref
from storage.db import is_postgres
from storage.models import OutboxMessage, User

# Claimed rows stay in the session; re-evaluating every status update against all of them
# is quadratic in the batch and the tick never reads them back, so skip the sync.
_NO_SYNC = {"synchronize_session": False}
_CHUNK = 500
# Why a row addressed to someone who blocked the bot was not sent.
RECIPIENT_INACTIVE = "recipient inactive"


def envelope(address: Address, lane: Lane, ref: Ref | None = None) -> dict[str, Any]:
    """The columns of a row that say where it goes, how urgent it is and what it is about."""
    return {
        "channel": address.channel,
        "chat_id": address.chat_id,
        "thread_id": address.thread_id,
        "lane": int(lane),
        "ref_type": ref.type if ref else None,
        "ref_id": ref.id if ref else None,
    }


async def add_messages(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows, ignoring those whose ``dedupe_key`` already exists; returns how many.

    Each row carries its ``envelope``; ``user_id`` names the person, if the chat is one's.
    """
    if not rows:
        return 0
    insert = postgresql.insert if is_postgres(session) else sqlite.insert
    table = OutboxMessage.__table__
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=[table.c.dedupe_key])
        .returning(table.c.id)
    )
    # One cached statement run over the rows (SQLAlchemy batches them into multi-row
    # INSERTs); RETURNING counts what was really inserted, where asyncpg reports no rowcount.
    # Rows are grouped by their keys, as one executemany needs the same columns throughout.
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        full = {**_defaults(), **row}
        groups.setdefault(tuple(sorted(full)), []).append(full)
    added = 0
    for group in groups.values():
        for start in range(0, len(group), _CHUNK):
            result = await session.execute(statement, group[start : start + _CHUNK])
            added += len(result.all())
    return added


def _defaults() -> dict[str, Any]:
    return {
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "payload": {},
        "user_id": None,
        "task_id": None,
        "thread_id": None,
        "ref_type": None,
        "ref_id": None,
        "last_error": None,
    }


async def claim_due(
    session: AsyncSession,
    now: datetime,
    lease_cutoff: datetime,
    limit: int,
    channels: Collection[str] | None = None,
) -> list[OutboxMessage]:
    """Mark due rows (and rows whose claim expired) SENDING, lane by lane; return them.

    A lane is claimed only while the batch has room after the lanes before it, so a backlog
    of announcements never holds back a notice or a reminder. ``channels`` limits the claim
    to the channels this process can send to.
    """
    claimed: list[OutboxMessage] = []
    for lane in sorted(Lane):
        room = limit - len(claimed)
        if room <= 0:
            break
        in_lane = (OutboxMessage.lane == int(lane), *_of_channels(channels))
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, *in_lane)
            .where(OutboxMessage.due_at <= now)
            .order_by(OutboxMessage.due_at)
            .limit(room)
        )
        expired = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.SENDING, *in_lane)
            # Always true for a claimed row; it lets the (status, lane, due_at) index serve it.
            .where(OutboxMessage.due_at <= now, OutboxMessage.claimed_at < lease_cutoff)
            .limit(room)
        )
        if is_postgres(session):
            due = due.with_for_update(skip_locked=True)
            expired = expired.with_for_update(skip_locked=True)
        # One statement per lane, so two ticks (or processes) never claim the same row.
        claimed += await _claim(
            session, or_(OutboxMessage.id.in_(due), OutboxMessage.id.in_(expired)), now
        )
    people = {row.user_id for row in claimed if row.user_id is not None}
    if len(claimed) >= limit and people:
        # A full batch may have cut a recipient's morning in two; take the rest of theirs too,
        # so that they still get one message.
        rest = select(OutboxMessage.id).where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.due_at <= now,
            OutboxMessage.user_id.in_(people),
            *_of_channels(channels),
        )
        if is_postgres(session):
            rest = rest.with_for_update(skip_locked=True)
        claimed += await _claim(session, OutboxMessage.id.in_(rest), now)
    return claimed


def _of_channels(channels: Collection[str] | None) -> tuple[Any, ...]:
    return () if channels is None else (OutboxMessage.channel.in_(list(channels)),)


async def _claim(session: AsyncSession, condition: Any, now: datetime) -> list[OutboxMessage]:
    statement = (
        update(OutboxMessage)
        .where(condition)
        .values(status=OutboxStatus.SENDING, claimed_at=now)
        .returning(OutboxMessage)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return list((await session.scalars(statement)).all())


async def not_claimed(session: AsyncSession, ids: Sequence[int]) -> set[int]:
    """Those of the rows no longer claimed for sending (taken back since)."""
    found: set[int] = set()
    for start in range(0, len(ids), 900):
        chunk = list(ids[start : start + 900])
        query = select(OutboxMessage.id).where(
            OutboxMessage.id.in_(chunk), OutboxMessage.status != OutboxStatus.SENDING
        )
        found.update((await session.scalars(query)).all())
    return found


async def release_claims(session: AsyncSession) -> int:
    """Every claimed row back to the queue: for a process that knows no other is sending."""
    result = await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.SENDING)
        .values(status=OutboxStatus.PENDING, claimed_at=None)
        .execution_options(**_NO_SYNC)
    )
    return result.rowcount or 0


async def mark_sent(
    session: AsyncSession, ids: Iterable[int], at: datetime, message_id: int | None
) -> None:
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)))
        .values(
            status=OutboxStatus.SENT,
            sent_at=at,
            message_id=message_id,
            attempts=OutboxMessage.attempts + 1,
            last_error=None,
        )
        .execution_options(**_NO_SYNC)
    )


async def mark_retry(
    session: AsyncSession,
    ids: Iterable[int],
    due_at: datetime,
    error: str | None,
    *,
    count_attempt: bool = True,
) -> None:
    values: dict[str, Any] = {
        "status": OutboxStatus.PENDING,
        "due_at": due_at,
        "claimed_at": None,
        "last_error": error,
    }
    if count_attempt:
        values["attempts"] = OutboxMessage.attempts + 1
    await session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(list(ids)))
        .values(**values)
        .execution_options(**_NO_SYNC)
    )


async def mark_done(
    session: AsyncSession,
    ids: Iterable[int],
    status: OutboxStatus,
    error: str | None,
    *,
    count_attempt: bool = False,
) -> None:
    """Close rows as FAILED or SKIPPED with the reason kept in ``last_error``."""
    ids = list(ids)
    if ids:
        values: dict[str, Any] = {"status": status, "last_error": error, "claimed_at": None}
        if count_attempt:
            values["attempts"] = OutboxMessage.attempts + 1
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids))
            .values(**values)
            .execution_options(**_NO_SYNC)
        )


async def fail_pending_of_user(session: AsyncSession, user_id: int, error: str) -> None:
    """The recipient is gone: nothing else queued for them will be tried."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.user_id == user_id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(status=OutboxStatus.FAILED, last_error=error, claimed_at=None)
        .execution_options(**_NO_SYNC)
    )


async def fail_pending_of_chat(session: AsyncSession, address: Address, error: str) -> None:
    """The chat is gone (the bot was removed from a group): nothing queued for it is tried."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.channel == address.channel,
            OutboxMessage.chat_id == address.chat_id,
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        )
        .values(status=OutboxStatus.FAILED, last_error=error, claimed_at=None)
        .execution_options(**_NO_SYNC)
    )


async def reopen_failed_of_user(
    session: AsyncSession,
    user_id: int,
    since: datetime,
    now: datetime,
    *,
    replanned_kinds: Sequence[str],
) -> None:
    """A recipient came back: what failed or was held for them recently goes out again,
    except ``replanned_kinds``, deleted because the planner recreates what is still due."""
    failed = (
        OutboxMessage.user_id == user_id,
        OutboxMessage.due_at >= since,
        or_(
            OutboxMessage.status == OutboxStatus.FAILED,
            and_(
                OutboxMessage.status == OutboxStatus.SKIPPED,
                OutboxMessage.last_error == RECIPIENT_INACTIVE,
            ),
        ),
    )
    await session.execute(
        delete(OutboxMessage)
        .where(*failed, OutboxMessage.kind.in_(replanned_kinds))
        .execution_options(**_NO_SYNC)
    )
    await session.execute(
        update(OutboxMessage)
        .where(*failed, OutboxMessage.kind.not_in(replanned_kinds))
        .values(status=OutboxStatus.PENDING, due_at=now, attempts=0, claimed_at=None)
        .execution_options(**_NO_SYNC)
    )


async def delete_pending(
    session: AsyncSession, task_ids: Sequence[int], keep_kinds: Sequence[str] = ()
) -> None:
    """Drop not-yet-sent rows of these tasks (except ``keep_kinds``) before replanning."""
    if not task_ids:
        return
    statement = delete(OutboxMessage).where(
        OutboxMessage.task_id.in_(task_ids), OutboxMessage.status == OutboxStatus.PENDING
    )
    if keep_kinds:
        statement = statement.where(OutboxMessage.kind.not_in(keep_kinds))
    await session.execute(statement)


async def skip_pending_key(session: AsyncSession, dedupe_key: str, reason: str) -> None:
    """A queued message that lost its point is not sent (the row stays, so its key does)."""
    await session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.dedupe_key == dedupe_key, OutboxMessage.status == OutboxStatus.PENDING
        )
        .values(status=OutboxStatus.SKIPPED, last_error=reason)
    )


async def last_settled_keys(
    session: AsyncSession, task_ids: Sequence[int], kinds: Sequence[str]
) -> dict[tuple[int, int, str], str]:
    """The latest ``dedupe_key`` of each (task, recipient, kind) that is no longer queued:
    sent, in flight, failed or skipped. Keys of one group differ only in their ISO date."""
    found: dict[tuple[int, int, str], str] = {}
    for start in range(0, len(task_ids), _CHUNK):
        query = (
            select(
                OutboxMessage.task_id,
                OutboxMessage.user_id,
                OutboxMessage.kind,
                func.max(OutboxMessage.dedupe_key),
            )
            .where(
                OutboxMessage.task_id.in_(task_ids[start : start + _CHUNK]),
                OutboxMessage.kind.in_(kinds),
                OutboxMessage.status != OutboxStatus.PENDING,
            )
            .group_by(OutboxMessage.task_id, OutboxMessage.user_id, OutboxMessage.kind)
        )
        for task_id, user_id, kind, key in (await session.execute(query)).all():
            found[task_id, user_id, kind] = key
    return found


async def get_users(session: AsyncSession, ids: Iterable[int]) -> dict[int, User]:
    ids = list(set(ids))
    if not ids:
        return {}
    return {u.id: u for u in (await session.scalars(select(User).where(User.id.in_(ids)))).all()}


async def key_exists(session: AsyncSession, dedupe_key: str) -> bool:
    query = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    return (await session.scalar(query)) is not None


async def list_messages(
    session: AsyncSession, *, user_id: int | None = None, task_id: int | None = None
) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.due_at, OutboxMessage.id)
    if user_id is not None:
        query = query.where(OutboxMessage.user_id == user_id)
    if task_id is not None:
        query = query.where(OutboxMessage.task_id == task_id)
    return list((await session.scalars(query)).all())


async def next_due_at(
    session: AsyncSession, channels: Collection[str] | None = None
) -> datetime | None:
    """When the earliest waiting row (of ``channels``) is due, None if nothing waits."""
    query = select(func.min(OutboxMessage.due_at)).where(
        OutboxMessage.status == OutboxStatus.PENDING, *_of_channels(channels)
    )
    return await session.scalar(query)


async def count_queued(session: AsyncSession, now: datetime) -> tuple[int, int, int]:
    """Rows waiting, those of them already due, and rows claimed by a sender right now."""
    waiting = OutboxMessage.status == OutboxStatus.PENDING
    query = select(
        func.count().filter(waiting),
        func.count().filter(waiting, OutboxMessage.due_at <= now),
        func.count().filter(OutboxMessage.status == OutboxStatus.SENDING),
    ).where(OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)))
    pending, due, sending = (await session.execute(query)).one()
    return pending, due, sending
