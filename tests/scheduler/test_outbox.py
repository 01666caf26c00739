"""Outbox delivery: local mornings, grouping, stale backlogs, crashes, races, 403 and 429."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

from aiogram.methods import SendMessage
from sqlalchemy import update

from bot.domain.enums import OutboxStatus, TaskStatus
from scheduler.outbox import LEASE, claim_due, tick
from storage.models import Task, User
from tests.support.clock import at
from tests.support.factories import add_person, add_school, add_task, tg_id_of
from tests.support.outbox import rows_of


async def test_lifecycle_across_time_zones(session, tree, ctx, recording):
    people = {}
    for tz in ("Europe/Kaliningrad", "Europe/Moscow", "Asia/Irkutsk"):
        school = await add_school(session, tree.muni, f"Школа {tz}", tz)
        people[tz] = await add_person(session, school)
        await add_task(session, school, date(2024, 3, 15))
    await session.commit()
    chats = {tz: await tg_id_of(session, person) for tz, person in people.items()}

    result = await tick(ctx, at("2024-03-01 00:00"))
    assert (result.planned, result.sent) == (3, 0)

    await tick(ctx, at("2024-03-08 01:00"))  # 09:00 in Irkutsk, the night before elsewhere
    assert [len(recording.sent_texts(c)) for c in chats.values()] == [0, 0, 1]
    await tick(ctx, at("2024-03-08 06:00"))  # 09:00 in Moscow
    assert [len(recording.sent_texts(c)) for c in chats.values()] == [0, 1, 1]
    await tick(ctx, at("2024-03-08 07:00"))  # 09:00 in Kaliningrad
    assert [len(recording.sent_texts(c)) for c in chats.values()] == [1, 1, 1]

    text = recording.sent_texts(chats["Europe/Moscow"])[0]
    assert "Приказ о проведении ВПР" in text
    assert "15.03.2024 (пт)" in text
    assert "до 15 марта 2024 года" in text
    assert "осталось 7 дней" in text
    buttons = recording.last(SendMessage).reply_markup.inline_keyboard
    labels = [button.text for row in buttons for button in row]
    assert labels == ["✅ Отметить выполнение", "⏰ Напомнить завтра", "📋 Все мои задачи"]

    for day in ("2024-03-14", "2024-03-15", "2024-03-16"):
        await tick(ctx, at(f"{day} 07:00"))
    moscow = recording.sent_texts(chats["Europe/Moscow"])
    assert len(moscow) == 4
    assert "срок завтра" in moscow[1]
    assert "срок сегодня" in moscow[2]
    assert "просрочено на 1 день" in moscow[3]

    # The overdue reminder queued its weekly follow-up.
    follow = await rows_of(session, user_id=people["Europe/Moscow"].id, kind="overdue")
    assert [r.payload["date"] for r in follow] == ["2024-03-16", "2024-03-23"]
    assert follow[1].status == OutboxStatus.PENDING


async def test_reminders_of_one_morning_come_as_one_message(session, tree, ctx, recording):
    for title in ("Приказ о ВПР", "План-график", "Анализ результатов"):
        await add_task(session, tree.school, date(2024, 3, 15), title=title)
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    result = await tick(ctx, at("2024-03-08 06:00"))
    assert (result.messages, result.sent) == (1, 3)
    [text] = recording.sent_texts(tree.tg.coordinator)
    assert "Напоминание: 3 задачи" in text
    assert all(title in text for title in ("Приказ о ВПР", "План-график", "Анализ результатов"))
    buttons = recording.last(SendMessage).reply_markup.inline_keyboard
    assert len(buttons) == 4 and len(buttons[0]) == 2


async def test_many_reminders_keep_only_the_list_button(session, tree, ctx, recording):
    for n in range(7):
        await add_task(session, tree.school, date(2024, 3, 15), title=f"Мероприятие {n}")
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    await tick(ctx, at("2024-03-08 06:00"))
    assert len(recording.sent_texts()) == 1
    buttons = recording.last(SendMessage).reply_markup.inline_keyboard
    assert [[b.text for b in row] for row in buttons] == [["📋 Все мои задачи"]]


async def test_confirmed_task_gets_no_more_reminders(session, tree, ctx, recording):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    # Status changed without a replan yet: the send-time check still stops it.
    await session.execute(update(Task).where(Task.id == task.id).values(status=TaskStatus.DONE))
    await session.commit()
    result = await tick(ctx, at("2024-03-08 06:00"))
    assert result.sent == 0 and result.skipped == 1
    for day in ("2024-03-14", "2024-03-15", "2024-03-16", "2024-03-23"):
        await tick(ctx, at(f"{day} 07:00"))
    assert recording.sent_texts() == []
    # Once the status change marks it for replanning, the queue is cleared at once.
    await session.execute(update(Task).where(Task.id == task.id).values(planned=False))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    assert (await rows_of(session, status=OutboxStatus.PENDING)) == []


async def test_stale_reminders_collapse_after_downtime(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    result = await tick(ctx, at("2024-03-14 10:00"))  # down since before the 7-day reminder
    assert (result.messages, result.sent, result.skipped) == (1, 1, 1)
    [text] = recording.sent_texts()
    assert "срок завтра" in text
    skipped = await rows_of(session, status=OutboxStatus.SKIPPED)
    assert [(r.payload["date"], r.last_error) for r in skipped] == [("2024-03-08", "superseded")]


async def test_ahead_reminders_are_dropped_once_the_deadline_passed(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15), offsets=[1, 0])
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    result = await tick(ctx, at("2024-03-20 10:00"))
    assert result.sent == 0 and result.skipped == 2
    assert recording.sent_texts() == []


async def test_nothing_is_sent_in_quiet_hours(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    result = await tick(ctx, at("2024-03-08 19:30"))  # 22:30 in Moscow
    assert (result.sent, result.deferred) == (0, 1)
    [row] = [r for r in await rows_of(session) if r.last_error == "quiet hours"]
    assert row.due_at == at("2024-03-09 05:00") and row.attempts == 0
    await tick(ctx, at("2024-03-09 05:00"))
    assert len(recording.sent_texts()) == 1


async def test_crash_between_claim_and_send_loses_nothing(
    session, session_factory, tree, ctx, recording
):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    now = at("2024-03-08 06:00")
    async with session_factory() as doomed:
        claimed = await claim_due(doomed, now)
        await doomed.commit()
    assert len(claimed) == 1  # ...and the process dies before sending

    assert (await tick(ctx, now + timedelta(minutes=1))).claimed == 0
    assert recording.sent_texts() == []
    result = await tick(ctx, now + LEASE + timedelta(seconds=1))
    assert (result.claimed, result.sent) == (1, 1)
    await tick(ctx, now + LEASE * 3)
    assert len(recording.sent_texts()) == 1


async def test_two_concurrent_ticks_send_each_reminder_once(session, tree, ctx, recording):
    for n in range(3):
        school = await add_school(session, tree.muni, f"Школа {n}")
        for _ in range(3):
            await add_person(session, school)
        await add_task(session, school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    now = at("2024-03-08 06:00")
    results = await asyncio.gather(*(tick(ctx, now) for _ in range(3)))
    assert sum(r.sent for r in results) == 9
    chats = [request.chat_id for request in recording.of_type(SendMessage)]
    assert len(chats) == len(set(chats)) == 9


async def test_blocked_user_is_deactivated_and_never_retried(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    recording.fail_next(SendMessage, status=403)
    result = await tick(ctx, at("2024-03-08 06:00"))
    assert result.failed == 1
    user = await session.get(User, tree.coordinator.id, populate_existing=True)
    assert user.is_active is False and user.blocked_at is not None
    rows = await rows_of(session, user_id=user.id)
    assert {r.status for r in rows} == {OutboxStatus.FAILED}
    assert "blocked" in rows[0].last_error
    for day in ("2024-03-14", "2024-03-15", "2024-03-16"):
        await tick(ctx, at(f"{day} 07:00"))
    assert len(recording.of_type(SendMessage)) == 1


async def test_flood_wait_is_honoured_exactly(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    now = at("2024-03-08 06:00")
    recording.fail_next(SendMessage, status=429, retry_after=7)
    result = await tick(ctx, now)
    assert result.retried == 1
    [row] = [r for r in await rows_of(session) if r.last_error]
    assert row.status == OutboxStatus.PENDING
    # Counted from Telegram's answer, which came a moment after the tick began.
    assert now + timedelta(seconds=7) <= row.due_at < now + timedelta(seconds=7.5)
    assert row.attempts == 0
    assert (await tick(ctx, now + timedelta(seconds=6))).claimed == 0
    assert (await tick(ctx, now + timedelta(seconds=8))).sent == 1
    assert len(recording.sent_texts()) == 2  # the refused attempt and the delivered one


async def test_server_errors_back_off_and_keep_the_error(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    now = at("2024-03-08 06:00")
    recording.fail_next(SendMessage, status=502)
    assert (await tick(ctx, now)).retried == 1
    [row] = [r for r in await rows_of(session) if r.last_error]
    assert row.attempts == 1 and "Bad Gateway" in row.last_error
    assert now + timedelta(seconds=5) <= row.due_at <= now + timedelta(seconds=7)
    assert (await tick(ctx, now + timedelta(seconds=7))).sent == 1


async def test_scheduler_jobs_are_explicit_and_start_with_a_tick(ctx):
    from scheduler.jobs import (
        ANNOUNCEMENTS_JOB,
        DIGEST_JOB,
        HOTLINE_JOB,
        TICK_JOB,
        build_scheduler,
    )

    scheduler = build_scheduler(ctx)
    scheduler.start()
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {TICK_JOB, DIGEST_JOB, HOTLINE_JOB, ANNOUNCEMENTS_JOB}
        for job in jobs.values():
            assert job.coalesce and job.max_instances == 1 and job.misfire_grace_time
        assert jobs[TICK_JOB].trigger.interval.total_seconds() == ctx.settings.tick_seconds
        assert jobs[TICK_JOB].next_run_time <= jobs[DIGEST_JOB].next_run_time
    finally:
        await scheduler.stop()
    await asyncio.sleep(0)  # AsyncIOScheduler.shutdown runs on the next loop iteration
    assert not scheduler.running
