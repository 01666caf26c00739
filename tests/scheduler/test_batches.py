"""Long ticks: each batch claimed at its own time, quiet hours and flood waits do not stall."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from typing import Any

import pytest
from aiogram.methods import SendMessage

from bot.channels.telegram.sending import OUTBOX_WAIT_LIMIT, LimiterMiddleware
from bot.domain.enums import OutboxStatus
from bot.domain.messages import Lane
from bot.services.notify import NOTICE
from scheduler import outbox
from scheduler.limiter import RateLimiter
from scheduler.outbox import LEASE, claim_due, tick
from storage.repo import outbox as repo
from storage.repo.addresses import private_addresses
from tests.support.clock import at
from tests.support.factories import add_person, add_school, add_task, tg_id_of
from tests.support.outbox import Ctx, rows_of
from tests.support.recording import RecordingSession, make_bot


class FakeTime:
    """A clock that moves only when told to (or when something sleeps on it)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


class SlowSession(RecordingSession):
    """Every sendMessage takes ``seconds`` of the fake time; ``during`` runs inside each."""

    def __init__(self, time: FakeTime, seconds: float) -> None:
        super().__init__()
        self.time, self.seconds = time, seconds
        self.during: Callable[[int], Awaitable[None]] | None = None

    async def make_request(self, bot, method, timeout=None) -> Any:  # noqa: ASYNC109
        if isinstance(method, SendMessage):
            self.time.now += self.seconds
            if self.during is not None:
                await self.during(len(self.of_type(SendMessage)) + 1)
        return await super().make_request(bot, method, timeout)


@pytest.fixture
def fake_time(monkeypatch) -> FakeTime:
    time = FakeTime()
    monkeypatch.setattr(outbox, "monotonic", time)
    return time


@pytest.fixture
def one_row_batches(monkeypatch) -> None:
    """Batches of one row, to see what several batches of a tick do."""
    claim = repo.claim_due

    async def claim_one(session, now, lease_cutoff, limit, channels=None):
        return await claim(session, now, lease_cutoff, 1, channels)

    monkeypatch.setattr(repo, "claim_due", claim_one)
    monkeypatch.setattr(outbox, "CLAIM_LIMIT", 1)


def test_a_batch_ends_well_inside_its_lease():
    # The budget, plus the one message that may start just before it runs out.
    longest = outbox.BATCH_BUDGET + timedelta(seconds=OUTBOX_WAIT_LIMIT + outbox.SEND_TIMEOUT)
    assert 2 * longest <= LEASE


async def test_each_batch_is_claimed_and_sent_at_its_own_time(
    session, session_factory, tree, settings, fake_time, one_row_batches
):
    people = []
    for n in range(3):
        school = await add_school(session, tree.muni, f"Школа {n}")
        people.append(await add_person(session, school))
        await add_task(session, school, date(2024, 3, 15))
    await session.commit()
    recording = SlowSession(fake_time, seconds=4 * 60)
    ctx = Ctx(settings, session_factory, make_bot(recording))
    await tick(ctx, at("2024-03-01 00:00"))
    start = at("2024-03-08 06:00")
    stolen = []

    async def second_process(send: int) -> None:
        # Another bot process ticks while the last batch, claimed 8 minutes in, is sending.
        if send == 3:
            async with session_factory() as other:
                stolen.extend(await claim_due(other, start + LEASE + timedelta(minutes=2)))
                await other.commit()

    recording.during = second_process
    result = await tick(ctx, start)

    assert (result.sent, stolen) == (3, [])
    rows = sorted(
        await rows_of(session, kind="before", status=OutboxStatus.SENT), key=lambda r: r.id
    )
    minutes = [timedelta(minutes=m) for m in (0, 4, 8)]
    assert sorted(r.claimed_at for r in rows) == [start + m for m in minutes]
    assert sorted(r.sent_at for r in rows) == [start + m + timedelta(minutes=4) for m in minutes]
    assert len(recording.sent_texts()) == 3


async def test_quiet_hours_in_one_zone_do_not_end_the_tick(
    session, session_factory, tree, settings, one_row_batches
):
    far = await add_school(session, tree.muni, "Школа в Иркутске", "Asia/Irkutsk")
    night = await add_person(session, far)
    await add_task(session, far, date(2024, 3, 15))
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    recording = RecordingSession()
    ctx = Ctx(settings, session_factory, make_bot(recording))
    await tick(ctx, at("2024-03-14 00:00"))

    # 23:00 in Irkutsk, whose row was due first; 18:00 in Moscow.
    result = await tick(ctx, at("2024-03-14 15:00"))

    assert (result.deferred, result.sent) == (1, 1)
    assert recording.sent_texts(await tg_id_of(session, night)) == []
    assert "срок завтра" in recording.sent_texts(tree.tg.coordinator)[0]


def limited_ctx(settings, session_factory) -> tuple[Ctx, RecordingSession, RateLimiter]:
    time = FakeTime()
    limiter = RateLimiter(clock=time, sleep=time.sleep)
    recording = RecordingSession()
    bot = make_bot(recording)
    bot.session.middleware(LimiterMiddleware(limiter))
    return Ctx(settings, session_factory, bot), recording, limiter


async def notices(session, now, *users) -> None:
    addresses = await private_addresses(session, [user.id for user in users])
    rows = [
        {
            "dedupe_key": f"notice:test:{n}",
            "user_id": user.id,
            "kind": NOTICE,
            "due_at": now - timedelta(seconds=10 - n),
            "payload": {"text": f"Уведомление {n}"},
            **repo.envelope(addresses[user.id], Lane.INTERACTIVE),
        }
        for n, user in enumerate(users)
    ]
    await repo.add_messages(session, rows)
    await session.commit()


async def test_a_chat_under_a_long_flood_wait_does_not_hold_up_the_batch(
    session, session_factory, tree, settings
):
    ctx, recording, _ = limited_ctx(settings, session_factory)
    now = at("2024-03-08 06:00")
    await notices(session, now, tree.coordinator, tree.coordinator, tree.officer)
    recording.fail_next(SendMessage, status=429, retry_after=600, chat_id=tree.tg.coordinator)

    result = await tick(ctx, now)

    assert (result.sent, result.retried) == (1, 2)
    assert recording.sent_texts(tree.tg.officer) == ["Уведомление 2"]
    # The second notice never reached Telegram: it waits out the pause, its attempts intact.
    assert recording.sent_texts(tree.tg.coordinator) == ["Уведомление 0"]
    held = await rows_of(session, user_id=tree.coordinator.id)
    assert {(r.status, r.attempts) for r in held} == {(OutboxStatus.PENDING, 0)}
    assert all(
        now + timedelta(seconds=590) <= r.due_at <= now + timedelta(seconds=610) for r in held
    )
    assert "flood wait" in held[1].last_error


async def test_a_paused_bot_gives_the_whole_batch_back_without_trying(
    session, session_factory, tree, settings
):
    ctx, recording, limiter = limited_ctx(settings, session_factory)
    now = at("2024-03-08 06:00")
    await notices(session, now, tree.coordinator, tree.officer, tree.muni_officer)
    limiter.pause_all(300)

    result = await tick(ctx, now)

    assert (result.sent, result.retried, result.deferred) == (0, 1, 2)
    assert result.interrupted
    assert recording.of_type(SendMessage) == []
    rows = await rows_of(session)
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.PENDING, 0)}
    assert all(r.due_at >= now + timedelta(seconds=290) for r in rows)
