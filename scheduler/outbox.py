"""Outbox worker: claim due rows lane by lane, compose, hand to the channel's sender, record."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from time import monotonic
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.domain import reminders as rules
from bot.domain.delivery import ChannelRevoked, DeliveryResult, Outcome, Sender, backoff
from bot.domain.enums import OutboxStatus
from bot.domain.messages import Address, Lane, OutgoingMessage
from bot.domain.reminders import OPEN_STATUSES, REMINDER_KINDS, Timing, local_today
from scheduler import planner
from scheduler.composers import reminders as composer
from storage.models import OutboxMessage, User
from storage.repo import outbox as repo
from storage.repo import reminders as reminders_repo
from storage.repo import users as users_repo

logger = logging.getLogger(__name__)

# A claim older than this belongs to a process that died between claiming and sending.
LEASE = timedelta(minutes=10)
CLAIM_LIMIT = 500
# The longest one delivery attempt may take, in seconds, whatever the channel.
SEND_TIMEOUT = 60
# A batch stops sending after this and gives back what it did not reach. One message more
# takes at most SEND_TIMEOUT (a sender's wait in a limiter included; longer flood waits are
# postponed), so a batch ends well inside the lease that starts when it is claimed, and no
# second process takes its rows while it still sends them.
BATCH_BUDGET = LEASE / 4
# Transient failures are retried with a backoff growing to an hour: about a day in all.
MAX_ATTEMPTS = 30
# Chats a batch sends to at once. The limiter paces them; without this a message would wait
# out the Bot API's round trip (50–300 ms) before the next one starts, far below Telegram's
# 30 a second. It also bounds what a crash sends twice: the messages in flight.
IN_FLIGHT = 8
WITHDRAWN_CHECK = 0.25
# Batches per tick: the backlog after downtime drains at the limiter's pace, tick by tick,
# each tick planning first; a tick that used them all is followed by the next at once.
MAX_BATCHES = 20
# Rows due again this soon (a flood wait, a first retry) are waited for by the tick job
# rather than left to the next run of the interval.
SOON = timedelta(seconds=5)
# Kinds that lose their point once the deadline has passed (the overdue reminder takes over).
AHEAD_KINDS = (rules.BEFORE, rules.DUE, rules.CHECKIN)
# Why a row addressed to someone without a Telegram account was not sent.


Clock = Callable[[], datetime]


class TickContext(Protocol):
    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    # One sender per channel name; rows of other channels are left to processes that have one.
    senders: Mapping[str, Sender]


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
    # Every batch of the tick was full: more may be due already.
    backlog: bool = False

    def add(self, other: TickResult) -> None:
        for name in ("claimed", "messages", "sent", "retried", "failed", "skipped", "deferred"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class _Message:
    user: User | None
    address: Address
    lane: int
    rows: list[OutboxMessage]
    message: OutgoingMessage
    follow_ups: list[dict[str, Any]] = field(default_factory=list)

    @property
    def order(self) -> tuple[int, datetime, int]:
        first = min(self.rows, key=lambda row: (row.due_at, row.id))
        return self.lane, first.due_at, first.id


async def claim_due(
    session: AsyncSession,
    now: datetime,
    limit: int = CLAIM_LIMIT,
    lease: timedelta = LEASE,
    channels: Sequence[str] | None = None,
) -> list[OutboxMessage]:
    """Mark due PENDING rows (and SENDING rows past their lease) as SENDING, the lanes in
    order of priority; caller commits."""
    return await repo.claim_due(session, now, now - lease, limit, channels)


async def release_orphans(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Rows a dead process had claimed go back to the queue at once. Only for a process that
    holds the database alone (SQLite's lock file): with several workers the lease decides.
    A message that was in flight when the process died may go twice; none is lost."""
    async with session_factory() as session:
        released = await repo.release_claims(session)
        await session.commit()
    if released:
        logger.info("outbox: %s messages claimed by a stopped process are queued again", released)
    return released


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
    for number in range(MAX_BATCHES):
        async with app.session_factory() as session:
            # Claimed at the time the batch really starts: its lease runs from then.
            rows = await claim_due(session, clock(), CLAIM_LIMIT, channels=list(app.senders))
            await session.commit()
            batch = await send_claimed(
                session, app.senders, rows, clock, app.settings, probe=not number
            )
        result.add(batch)
        # A short batch emptied the queue; rows held for quiet hours or a flood wait are due
        # later and do not come back, so only a batch that stopped short ends the tick.
        if len(rows) < CLAIM_LIMIT or batch.interrupted:
            result.interrupted = batch.interrupted
            break
    else:
        result.backlog = True
    if result.claimed:
        logger.info("outbox tick: %s", result)
    return result


async def due_soon(app: TickContext, now: datetime | None = None) -> float | None:
    """Seconds until the next waiting row is due, if that is within ``SOON``."""
    async with app.session_factory() as session:
        due_at = await repo.next_due_at(session, list(app.senders))
    if due_at is None:
        return None
    wait = (due_at - (now or datetime.now(UTC))).total_seconds()
    return max(wait, 0.0) if wait <= SOON.total_seconds() else None


async def send_claimed(
    session: AsyncSession,
    senders: Mapping[str, Sender],
    rows: Sequence[OutboxMessage],
    clock: Clock,
    settings: Settings,
    *,
    probe: bool = True,
) -> TickResult:
    """Send claimed rows: one message per recipient for reminders, each other row on its own,
    interactive lanes first. With ``probe`` (the first batch of a tick) the first message
    goes alone, to learn whether the channel is held as a whole before the rest try."""
    result = TickResult(claimed=len(rows))
    if not rows:
        return result
    started = monotonic()
    now = clock()
    users = await repo.get_users(session, (row.user_id for row in rows if row.user_id))
    tasks = await reminders_repo.task_infos(session, (r.task_id for r in rows if r.task_id))
    zones = await reminders_repo.org_zones(
        session, {t.org_id for t in tasks.values()}, settings.default_timezone
    )
    skipped: dict[str, list[int]] = defaultdict(list)
    deferred: dict[datetime, list[int]] = defaultdict(list)
    reminders: dict[tuple[int, Address], list[OutboxMessage]] = defaultdict(list)
    messages: list[_Message] = []
    for row in rows:
        user = users.get(row.user_id) if row.user_id is not None else None
        if row.user_id is not None and (user is None or not user.is_active):
            skipped[repo.RECIPIENT_INACTIVE].append(row.id)
            continue
        # An interactive message answers something someone waits for: quiet hours do not
        # hold it. A chat that is no one's own has no quiet hours of its own.
        quiet_end = None
        if user is not None and row.lane != Lane.INTERACTIVE:
            tz = _zone(row, tasks, zones, settings)
            timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
            quiet_end = timing.quiet_until(now, tz)
        if quiet_end is not None:
            deferred[quiet_end].append(row.id)
            continue
        if row.kind not in REMINDER_KINDS:
            outgoing = OutgoingMessage.from_dict(row.payload)
            if not outgoing.text and not outgoing.attachments:
                skipped["nothing to send"].append(row.id)
                continue
            messages.append(_Message(user, row.address, row.lane, [row], outgoing))
            continue
        reason = _stale(row, tasks, local_today(now, _zone(row, tasks, zones, settings)))
        if reason:
            skipped[reason].append(row.id)
            continue
        reminders[row.user_id, row.address].append(row)
    for (user_id, address), items in reminders.items():
        composed = composer.compose(users[user_id], address, items, tasks, zones, now, settings)
        lane = min(row.lane for row in composed.rows)
        messages.append(
            _Message(
                users[user_id], address, lane, composed.rows, composed.message, composed.follow_ups
            )
        )
        for row in items:
            if row not in composed.rows:
                skipped["superseded"].append(row.id)
    messages.sort(key=lambda message: message.order)
    for reason, ids in skipped.items():
        await repo.mark_done(session, ids, OutboxStatus.SKIPPED, reason)
        result.skipped += len(ids)
    for until, ids in deferred.items():
        await repo.mark_retry(session, ids, until, "quiet hours", count_attempt=False)
        result.deferred += len(ids)
    await session.commit()
    await _Flight(session, senders, clock, result, started).send(messages, probe=probe)
    return result


class _Flight:
    """The sending of one batch: up to IN_FLIGHT chats at once, each chat's messages one
    after another in their order, every outcome recorded as soon as it is known."""

    def __init__(
        self,
        session: AsyncSession,
        senders: Mapping[str, Sender],
        clock: Clock,
        result: TickResult,
        started: float,
    ) -> None:
        self.session, self.senders, self.clock = session, senders, clock
        self.result, self.started = result, started
        # The batch has one session: its writes take turns.
        self.writing = asyncio.Lock()
        self.slots = asyncio.Semaphore(IN_FLIGHT)
        self.first_answer = asyncio.Event()
        self.gone_chats: set[tuple[str, str]] = set()
        self.gone_people: set[int] = set()
        # Channels held as a whole, with when and why: their messages are given back.
        self.paused: dict[str, tuple[datetime, str | None]] = {}
        # Claimed bulk rows taken back since (an announcement stopped), looked up at most
        # once per WITHDRAWN_CHECK seconds, so a stop reaches the rest of the batch.
        self.withdrawn: set[int] = set()
        self.bulk_ids: list[int] = []
        self.withdrawn_checked = monotonic()

    async def send(self, messages: Sequence[_Message], *, probe: bool) -> None:
        self.bulk_ids = [r.id for m in messages if m.lane == Lane.BULK for r in m.rows]
        chats: dict[Address, list[_Message]] = defaultdict(list)
        for message in messages:
            chats[message.address].append(message)
        queues = list(chats.values())
        try:
            async with asyncio.TaskGroup() as group:
                for index, queue in enumerate(queues):
                    await self.slots.acquire()
                    if index and self.out_of_time():
                        rest = [m for q in queues[index:] for m in q]
                        await self.give_back(rest, self.clock(), "batch out of time")
                        self.slots.release()
                        break
                    group.create_task(self.send_chat(queue))
                    if probe and not index:
                        # The first message goes alone: when the whole bot is held, the batch
                        # learns it from that one and gives the rest back without a try each.
                        await self.first_answer.wait()
        except ExceptionGroup as errors:
            # A revoked token (or a broken database) stops the batch as it stopped the loop.
            raise errors.exceptions[0] from None

    async def send_chat(self, queue: list[_Message]) -> None:
        try:
            for index, message in enumerate(queue):
                channel = message.address.channel
                if self.is_gone(message):
                    # Failed with the rest of the chat's queue when the chat turned out to
                    # be gone.
                    self.result.failed += len(message.rows)
                    continue
                if channel in self.paused:
                    await self.give_back(queue[index:], *self.paused[channel])
                    return
                if index and self.out_of_time():
                    await self.give_back(queue[index:], self.clock(), "batch out of time")
                    return
                if await self.was_withdrawn(message):
                    self.result.skipped += len(message.rows)
                    continue
                outcome = await _send(
                    self.session,
                    self.senders[channel],
                    message,
                    self.clock,
                    self.result,
                    self.writing,
                )
                if outcome.outcome is Outcome.BLOCKED:
                    self.gone_chats.add((channel, message.address.chat_id))
                    if message.user is not None:
                        self.gone_people.add(message.user.id)
                self.first_answer.set()
                if outcome.everyone and channel not in self.paused:
                    # The whole channel is held: the rest of its messages wait it out too,
                    # without a try each; other channels go on.
                    until = self.clock() + timedelta(seconds=outcome.retry_in or 0)
                    self.paused[channel] = (until, outcome.error)
                    self.result.interrupted = True
        finally:
            self.first_answer.set()
            self.slots.release()

    async def was_withdrawn(self, message: _Message) -> bool:
        """Whether the bulk message's rows were taken back after the batch claimed them."""
        if message.lane != Lane.BULK:
            return False
        if monotonic() - self.withdrawn_checked >= WITHDRAWN_CHECK:
            self.withdrawn_checked = monotonic()
            async with self.writing:
                self.withdrawn |= await repo.not_claimed(session=self.session, ids=self.bulk_ids)
        return any(row.id in self.withdrawn for row in message.rows)

    def out_of_time(self) -> bool:
        return monotonic() - self.started > BATCH_BUDGET.total_seconds()

    def is_gone(self, message: _Message) -> bool:
        address, user = message.address, message.user
        if (address.channel, address.chat_id) in self.gone_chats:
            return True
        return user is not None and user.id in self.gone_people

    async def give_back(
        self, messages: Sequence[_Message], due_at: datetime, reason: str | None
    ) -> None:
        """Unsent messages go back, those of a held channel due when the hold ends; those of
        a chat that is gone stay failed with it."""
        held: dict[tuple[datetime, str | None], list[_Message]] = defaultdict(list)
        for message in messages:
            if not self.is_gone(message):
                held[self.paused.get(message.address.channel, (due_at, reason))].append(message)
        async with self.writing:
            for (until, why), items in held.items():
                await _give_back(self.session, items, until, why, self.result)
        self.result.interrupted = True


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


async def _send(
    session: AsyncSession,
    sender: Sender,
    message: _Message,
    clock: Clock,
    result: TickResult,
    writing: asyncio.Lock,
) -> DeliveryResult:
    ids = [row.id for row in message.rows]
    attempt = max(row.attempts for row in message.rows) + 1
    try:
        async with asyncio.timeout(SEND_TIMEOUT):
            outcome = await sender.send(message.address, message.message, attempt)
    except ChannelRevoked:
        raise  # a revoked token stops every send; the rows return when the lease ends
    except Exception as exc:  # one broken message must not stall the queue
        logger.exception("message of rows %s raised", ids)
        outcome = DeliveryResult(Outcome.RETRY, retry_in=backoff(attempt), error=repr(exc))
    if outcome.outcome is Outcome.RETRY and outcome.counts_as_attempt and attempt >= MAX_ATTEMPTS:
        logger.warning("Delivery failed after %s attempts: %s", attempt, outcome.error)
        outcome = DeliveryResult(Outcome.FAILED, error=outcome.error)
    # Sent at, and retries counted from, when the channel answered.
    answered = clock()
    result.messages += 1
    async with writing:
        await _record(session, message, outcome, answered, result)
    return outcome


async def _record(
    session: AsyncSession,
    message: _Message,
    outcome: DeliveryResult,
    answered: datetime,
    result: TickResult,
) -> None:
    """Write down what came of one message and commit: a crash repeats only what was in
    flight."""
    ids = [row.id for row in message.rows]
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
        await repo.mark_done(session, ids, OutboxStatus.FAILED, outcome.error)
        await _recipient_gone(session, message, outcome, answered)
        result.failed += len(ids)
    else:
        # A forum topic that is gone is kept apart in the log (its owner may reopen it); for
        # the row it is as final as any other failure.
        level = logging.INFO if outcome.outcome is Outcome.THREAD_GONE else logging.WARNING
        logger.log(level, "message of rows %s failed: %s", ids, outcome.error)
        await repo.mark_done(session, ids, OutboxStatus.FAILED, outcome.error, count_attempt=True)
        # This one is lost, the next overdue or check-in reminder still comes.
        await repo.add_messages(session, message.follow_ups)
        result.failed += len(ids)
    await session.commit()


async def _recipient_gone(
    session: AsyncSession, message: _Message, outcome: DeliveryResult, at: datetime
) -> None:
    """Nothing else queued for a person who blocked the bot, or for a chat it was removed
    from, is tried; the person is marked inactive until they come back."""
    if message.user is not None:
        logger.info("user %s blocked the bot: %s", message.user.id, outcome.error)
        await users_repo.mark_active(session, message.user.id, False, at)
        await repo.fail_pending_of_user(session, message.user.id, "recipient blocked the bot")
    else:
        logger.info("chat %s is gone: %s", message.address, outcome.error)
    await repo.fail_pending_of_chat(session, message.address, "recipient blocked the bot")
