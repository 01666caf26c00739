"""Lanes: a backlog of announcements does not hold back a notice or a reminder."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from aiogram.methods import SendMessage

from bot.channels.telegram.sending import LimiterMiddleware
from bot.domain.enums import OutboxStatus
from bot.domain.messages import Address, Lane, OutgoingMessage
from bot.services.notify import queue_message, queue_notice
from scheduler import outbox
from scheduler.limiter import RateLimiter
from scheduler.outbox import tick
from storage.repo import outbox as repo
from tests.support.clock import at
from tests.support.factories import add_task
from tests.support.outbox import Ctx, rows_of
from tests.support.recording import RecordingSession, make_bot

BULK = 10_000


async def test_a_notice_and_a_due_reminder_go_out_in_the_tick_that_meets_10000_bulk_rows(
    session, session_factory, tree, settings, monkeypatch
):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    recording = RecordingSession()
    bot = make_bot(recording)
    bot.session.middleware(LimiterMiddleware(RateLimiter(1e6, 0, 10**6)))
    ctx = Ctx(settings, session_factory, bot)
    await tick(ctx, at("2024-03-01 00:00"))  # plans the reminder for 08.03, 09:00 in Moscow

    # An announcement to 10,000 parents' chats, queued before anything else was due.
    now = at("2024-03-08 06:00")
    announcement = OutgoingMessage("Собрание родителей в пятницу")
    rows = [
        {
            "dedupe_key": f"announcement:1:{n}",
            "kind": "announcement",
            "due_at": now - timedelta(hours=1),
            "payload": announcement.to_dict(),
            **repo.envelope(Address("telegram", str(1_000_000 + n)), Lane.BULK),
        }
        for n in range(BULK)
    ]
    assert await repo.add_messages(session, rows) == BULK
    with time_machine.travel(now, tick=False):
        await queue_notice(
            session, [tree.officer.id], OutgoingMessage("Новое подтверждение"), key="c:1"
        )
    await session.commit()
    # One batch per tick, so the tick can reach only a twentieth of the backlog.
    monkeypatch.setattr(outbox, "MAX_BATCHES", 1)

    result = await tick(ctx, now)

    assert result.sent == outbox.CLAIM_LIMIT
    sent = [request.chat_id for request in recording.of_type(SendMessage)]
    assert sent[:2] == [tree.tg.officer, tree.tg.coordinator]
    assert recording.sent_texts(tree.tg.officer) == ["Новое подтверждение"]
    assert "Приказ о проведении ВПР" in recording.sent_texts(tree.tg.coordinator)[0]
    left = await rows_of(session, kind="announcement", status=OutboxStatus.PENDING)
    assert len(left) == BULK - (outbox.CLAIM_LIMIT - 2)


async def test_quiet_hours_hold_a_persons_bulk_message_but_not_an_interactive_one(
    session, session_factory, tree, settings
):
    recording = RecordingSession()
    ctx = Ctx(settings, session_factory, make_bot(recording))
    night = at("2024-03-14 20:30")  # 23:30 in Moscow
    with time_machine.travel(night, tick=False):
        for lane in (Lane.INTERACTIVE, Lane.BULK):
            await queue_notice(
                session,
                [tree.coordinator.id],
                OutgoingMessage(f"Сообщение {lane.name}"),
                key=f"lane:{lane}",
                lane=lane,
            )
        group = Address("telegram", "-100777")
        await queue_message(session, group, OutgoingMessage("В группу"), key="g", lane=Lane.BULK)
    await session.commit()

    result = await tick(ctx, night)

    assert (result.sent, result.deferred) == (2, 1)
    assert recording.sent_texts(tree.tg.coordinator) == ["Сообщение INTERACTIVE"]
    assert recording.sent_texts(-100777) == ["В группу"]
