"""Outbox worker: claim due rows, drop stale ones, group per recipient, send and record."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from time import monotonic
from typing import Any, Protocol

from aiogram import Bot
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import render
from bot.channels.telegram.keyboards import reminders as keyboards
from bot.channels.telegram.sending import deliver
from bot.config import Settings
from bot.domain import reminders as rules
from bot.domain.delivery import DeliveryResult, Outcome, backoff
from bot.domain.enums import OutboxStatus
from bot.domain.messages import Channel, OutgoingMessage
from bot.domain.reminders import OPEN_STATUSES, REMINDER_KINDS, Timing, local_today
from bot.services.notify import NOTICE
from bot.texts import reminders as texts
from scheduler import planner
from storage.models import OutboxMessage, User
from storage.repo import accounts
from storage.repo import outbox as repo
from storage.repo import reminders as reminders_repo
from storage.repo import users as users_repo

logger = logging.getLogger(__name__)

# A claim older than this belongs to a process that died between claiming and sending.
LEASE = timedelta(minutes=10)
CLAIM_LIMIT = 500
# The request timeout of one message, in seconds.
SEND_TIMEOUT = 60
# A batch stops sending after this and gives back what it did not reach. One message more
# takes at most OUTBOX_WAIT_LIMIT in the limiter (longer flood waits are postponed) and
# SEND_TIMEOUT, so a batch ends well inside the lease that starts when it is claimed, and
# no second process takes its rows while it still sends them.
BATCH_BUDGET = LEASE / 4
# Transient failures are retried with a backoff growing to an hour: about a day in all.
MAX_ATTEMPTS = 30
# Batches per tick: the backlog after downtime drains at the limiter's pace, tick by tick.
MAX_BATCHES = 20
# Kinds that lose their point once the deadline has passed (the overdue reminder takes over).
AHEAD_KINDS = (rules.BEFORE, rules.DUE, rules.CHECKIN)
# Why a row addressed to someone without a Telegram account was not sent.
NO_CHAT = "recipient has no chat"


Clock = Callable[[], datetime]


class TickContext(Protocol):
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    bot: Bot


@dataclass
class TickResult:
    planned: int = 0
    claimed: int = 0
    messages: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    deferred: int = 0
    # The batch stopped short (out of time, or the whole bot is paused): the tick ends too.
    interrupted: bool = False

    def add(self, other: TickResult) -> None:
        for name in ("claimed", "messages", "sent", "retried", "failed", "skipped", "deferred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Message:
    user: User
    chat_id: str
    rows: list[OutboxMessage]
    text: str
    markup: InlineKeyboardMarkup | dict[str, Any] | None = None
    follow_ups: list[dict] = field(default_factory=list)


async def claim_due(
    session: AsyncSession, now: datetime, limit: int = CLAIM_LIMIT, lease: timedelta = LEASE
) -> list[OutboxMessage]:
    """Mark due PENDING rows (and SENDING rows past their lease) as SENDING; caller commits."""
    return await repo.claim_due(session, now, now - lease, limit)


def running_clock(start: datetime | None = None) -> Clock:
    """The current time; from a given ``start`` (tests, the bench), that start plus the real
    time elapsed since."""
    if start is None:
        return lambda: datetime.now(UTC)
    began = monotonic()
    return lambda: start + timedelta(seconds=monotonic() - began)


async def tick(app: TickContext, now: datetime | None = None) -> TickResult:
    """Plan changed tasks, claim what is due and send it, batch after batch."""
    clock = running_clock(now)
    async with app.session_factory() as session:
        planned = await planner.plan_pending(session, clock(), app.settings)
        await session.commit()
    result = TickResult(planned=planned)
    for _ in range(MAX_BATCHES):
        async with app.session_factory() as session:
            # Claimed at the time the batch really starts: its lease runs from then.
            rows = await claim_due(session, clock(), CLAIM_LIMIT)
            await session.commit()
            batch = await send_claimed(session, app.bot, rows, clock, app.settings)
        result.add(batch)
        # A short batch emptied the queue; rows held for quiet hours or a flood wait are due
        # later and do not come back, so only a batch that stopped short ends the tick.
        if len(rows) < CLAIM_LIMIT or batch.interrupted:
            result.interrupted = batch.interrupted
            break
    if result.claimed:
        logger.info("outbox tick: %s", result)
    return result


async def send_claimed(
    session: AsyncSession,
    bot: Bot,
    rows: Sequence[OutboxMessage],
    clock: Clock,
    settings: Settings,
) -> TickResult:
    """Send claimed rows: one message per recipient for reminders, each other row on its own."""
    result = TickResult(claimed=len(rows))
    if not rows:
        return result
    started = monotonic()
    now = clock()
    users = await repo.get_users(session, (row.user_id for row in rows))
    chats = await accounts.chats_of(session, users.keys(), Channel.TELEGRAM)
    tasks = await reminders_repo.task_infos(session, (r.task_id for r in rows if r.task_id))
    zones = await reminders_repo.org_zones(
        session, {t.org_id for t in tasks.values()}, settings.default_timezone
    )
    skipped: dict[str, list[int]] = defaultdict(list)
    deferred: dict[datetime, list[int]] = defaultdict(list)
    reminders: dict[int, list[OutboxMessage]] = defaultdict(list)
    messages: list[_Message] = []
    for row in rows:
        user = users.get(row.user_id)
        tz = _zone(row, tasks, zones, settings)
        if user is None or not user.is_active:
            skipped[repo.RECIPIENT_INACTIVE].append(row.id)
            continue
        if row.user_id not in chats:
            skipped[NO_CHAT].append(row.id)
            continue
        timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
        # A notice answers something the user is waiting for, so quiet hours do not hold it.
        quiet_end = None if row.kind == NOTICE else timing.quiet_until(now, tz)
        if quiet_end is not None:
            deferred[quiet_end].append(row.id)
            continue
        if row.kind not in REMINDER_KINDS:
            neutral = row.payload.get("message")
            if neutral:
                outgoing = OutgoingMessage.from_dict(neutral)
                text, markup = outgoing.text, render.keyboard(outgoing)
            else:
                text, markup = row.payload.get("text"), row.payload.get("reply_markup")
            if not text:
                skipped["nothing to send"].append(row.id)
                continue
            messages.append(_Message(user, chats[row.user_id], [row], text, markup))
            continue
        reason = _stale(row, tasks, local_today(now, tz))
        if reason:
            skipped[reason].append(row.id)
            continue
        reminders[row.user_id].append(row)
    for user_id, items in reminders.items():
        messages.append(
            _reminder_message(users[user_id], chats[user_id], items, tasks, zones, now, settings)
        )
        for row in items:
            if row not in messages[-1].rows:
                skipped["superseded"].append(row.id)
    for reason, ids in skipped.items():
        await repo.mark_done(session, ids, OutboxStatus.SKIPPED, reason)
        result.skipped += len(ids)
    for until, ids in deferred.items():
        await repo.mark_retry(session, ids, until, "quiet hours", count_attempt=False)
        result.deferred += len(ids)
    await session.commit()
    for index, message in enumerate(messages):
        if index and monotonic() - started > BATCH_BUDGET.total_seconds():
            await _give_back(session, messages[index:], clock(), "batch out of time", result)
            break
        outcome = await _send(session, bot, message, clock, result)
        if outcome.everyone:
            # The whole bot is held: the rest waits it out too, without a try each.
            until = clock() + timedelta(seconds=outcome.retry_in or 0)
            await _give_back(session, messages[index + 1 :], until, outcome.error, result)
            break
    return result


async def _give_back(
    session: AsyncSession,
    messages: Sequence[_Message],
    due_at: datetime,
    reason: str | None,
    result: TickResult,
) -> None:
    """Unsent rows go back to the queue, due at ``due_at``, without spending an attempt."""
    rest = [row.id for message in messages for row in message.rows]
    if rest:
        await repo.mark_retry(session, rest, due_at, reason, count_attempt=False)
        await session.commit()
    result.deferred += len(rest)
    result.interrupted = True


def _zone(row: OutboxMessage, tasks: dict, zones: dict[int, str], settings: Settings) -> str:
    task = tasks.get(row.task_id) if row.task_id else None
    if task is not None:
        return zones.get(task.org_id, settings.default_timezone)
    return row.payload.get("tz") or settings.default_timezone


def _stale(row: OutboxMessage, tasks: dict, today: date) -> str | None:
    task = tasks.get(row.task_id)
    if task is None or task.status not in OPEN_STATUSES or task.due_date is None:
        return "task closed"
    if row.kind in AHEAD_KINDS and today > task.due_date:
        return "stale: deadline passed"
    return None


# Of two reminders of one task due together, the one that says more is sent.
_WEIGHT = {rules.SNOOZE: 0, rules.BEFORE: 1, rules.CHECKIN: 2, rules.DUE: 3}


def _collapse(items: list[OutboxMessage]) -> list[OutboxMessage]:
    """Only the latest reminder of each task survives a backlog (e.g. after downtime)."""
    latest: dict[int, OutboxMessage] = {}
    for row in sorted(items, key=lambda r: (r.due_at, _WEIGHT.get(r.kind, 4), r.id)):
        latest[row.task_id] = row
    return list(latest.values())


def _chains(items: list[OutboxMessage]) -> list[OutboxMessage]:
    """The newest overdue and check-in row of each task: each continues its own series,
    even when a snooze or a later reminder was sent in its place."""
    newest: dict[tuple[int, str], OutboxMessage] = {}
    for row in sorted(items, key=lambda r: (r.due_at, r.id)):
        if row.kind in (rules.OVERDUE, rules.CHECKIN):
            newest[row.task_id, row.kind] = row
    return list(newest.values())


def _reminder_message(
    user: User,
    chat_id: str,
    rows: list[OutboxMessage],
    tasks: dict[int, reminders_repo.TaskInfo],
    zones: dict[int, str],
    now: datetime,
    settings: Settings,
) -> _Message:
    timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
    follow_ups: list[dict] = []
    for row in _chains(rows):
        task = tasks[row.task_id]
        tz = zones.get(task.org_id, settings.default_timezone)
        today = local_today(now, tz)
        sent_day = date.fromisoformat(row.payload.get("date", today.isoformat()))
        follow = rules.follow_up(row.kind, task, user.id, sent_day, today, tz, timing)
        if follow is not None:
            follow_ups.append(follow)
    rows = _collapse(rows)
    items: list[texts.ReminderItem] = []
    for row in rows:
        task = tasks[row.task_id]
        today = local_today(now, zones.get(task.org_id, settings.default_timezone))
        items.append(
            texts.ReminderItem(
                task_id=task.id,
                kind=row.kind,
                title=task.title,
                plan=task.plan_title,
                number=task.number,
                deadline_text=task.deadline_text,
                due=task.due_date,
                days_left=(task.due_date - today).days,
            )
        )
    order = sorted(range(len(items)), key=lambda i: (items[i].due, items[i].task_id))
    items = [items[i] for i in order]
    rows = [rows[i] for i in order]
    return _Message(
        user,
        chat_id,
        rows,
        texts.reminder(items),
        keyboards.reminder([item.task_id for item in items]),
        follow_ups,
    )


async def _send(
    session: AsyncSession,
    bot: Bot,
    message: _Message,
    clock: Clock,
    result: TickResult,
) -> DeliveryResult:
    ids = [row.id for row in message.rows]
    attempt = max(row.attempts for row in message.rows) + 1
    try:
        outcome = await deliver(
            lambda: bot.send_message(
                chat_id=int(message.chat_id),
                text=message.text,
                reply_markup=message.markup,
                request_timeout=SEND_TIMEOUT,
            ),
            attempt,
            max_attempts=MAX_ATTEMPTS,
        )
    except TelegramUnauthorizedError:
        raise  # a revoked token stops every send; the rows return when the lease ends
    except Exception as exc:  # one broken message must not stall the queue
        logger.exception("message to user %s raised", message.user.id)
        outcome = (
            DeliveryResult(Outcome.RETRY, retry_in=backoff(attempt), error=repr(exc))
            if attempt < MAX_ATTEMPTS
            else DeliveryResult(Outcome.FAILED, error=repr(exc))
        )
    # Sent at, and retries counted from, when Telegram answered.
    answered = clock()
    result.messages += 1
    if outcome.outcome is Outcome.SENT:
        await repo.mark_sent(session, ids, answered, outcome.message_id)
        await repo.add_messages(session, message.follow_ups)
        result.sent += len(ids)
    elif outcome.outcome is Outcome.RETRY:
        retry_at = answered + timedelta(seconds=outcome.retry_in or 0)
        await repo.mark_retry(
            session, ids, retry_at, outcome.error, count_attempt=outcome.counts_as_attempt
        )
        result.retried += len(ids)
    elif outcome.outcome is Outcome.BLOCKED:
        logger.info("user %s blocked the bot: %s", message.user.id, outcome.error)
        await users_repo.mark_active(session, message.user.id, False, answered)
        await repo.mark_done(session, ids, OutboxStatus.FAILED, outcome.error)
        await repo.fail_pending_of_user(session, message.user.id, "recipient blocked the bot")
        result.failed += len(ids)
    else:
        logger.warning("message to user %s failed: %s", message.user.id, outcome.error)
        await repo.mark_done(session, ids, OutboxStatus.FAILED, outcome.error, count_attempt=True)
        # This one is lost, the next overdue or check-in reminder still comes.
        await repo.add_messages(session, message.follow_ups)
        result.failed += len(ids)
    await session.commit()
    return outcome
