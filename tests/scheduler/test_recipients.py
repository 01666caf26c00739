"""Reminders follow the people: joining, leaving, blocking and coming back, snoozing."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.channels.telegram.identity import telegram_identity
from bot.domain.enums import ConfirmationResult, OutboxStatus, RoleKind
from bot.domain.messages import Channel, Lane
from bot.services import access, confirmations, events, invites, orgs, plans, reminders
from bot.services.access import SYSTEM
from scheduler import outbox
from scheduler.outbox import claim_due, tick
from storage.models import Task, User
from storage.repo import users as users_repo
from storage.repo.addresses import private_addresses
from tests.support.clock import at
from tests.support.factories import add_person, add_task, tg_id_of
from tests.support.outbox import Ctx, rows_of
from tests.support.seeds import VPR_PLAN


async def test_a_coordinator_who_joins_later_gets_the_reminders(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))  # planned for the first coordinator only

    invite = await invites.create_invite(
        session, SYSTEM, tree.school.id, RoleKind.COORDINATOR, ttl_days=30
    )
    await invites.redeem_invite(session, invite.token, telegram_identity(777001), "Ирина Петровна")
    await tick(ctx, at("2024-03-02 00:00"))

    await tick(ctx, at("2024-03-08 06:00"))
    assert len(recording.sent_texts(tree.tg.coordinator)) == 1
    assert len(recording.sent_texts(777001)) == 1


async def test_a_removed_coordinator_gets_nothing_more(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    second = await add_person(session, tree.school, name="Второй координатор")
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    await reminders.snooze(
        session,
        second.id,
        (await rows_of(session))[0].task_id,
        at("2024-03-05 06:00"),
        ctx.settings,
    )
    [role] = await users_repo.list_roles(session, second.id)

    await orgs.remove_coordinator(session, SYSTEM, role.id)
    for day in ("2024-03-06", "2024-03-08", "2024-03-14"):
        await tick(ctx, at(f"{day} 06:00"))

    assert recording.sent_texts(await tg_id_of(session, second)) == []
    assert len(recording.sent_texts(tree.tg.coordinator)) == 2
    assert await rows_of(session, user_id=second.id) == []


async def test_unblocking_the_bot_brings_reminders_and_notices_back(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    recording.fail_next(SendMessage, status=403)
    await tick(ctx, at("2024-03-08 06:00"))
    user = await session.get(User, tree.coordinator.id, populate_existing=True)
    assert user.is_active is False
    [address] = (await private_addresses(session, [user.id])).values()
    notice = {
        "dedupe_key": "notice:returned:1",
        "user_id": user.id,
        "kind": "notice",
        "due_at": at("2024-03-09 06:00"),
        "payload": {"text": "Задача возвращена на доработку"},
        **outbox.repo.envelope(address, Lane.INTERACTIVE),
    }
    await outbox.repo.add_messages(session, [notice])
    await session.commit()
    await tick(ctx, at("2024-03-09 06:00"))  # still blocked: the notice is held back
    [held] = await rows_of(session, kind="notice")
    assert (held.status, held.last_error) == (OutboxStatus.SKIPPED, "recipient inactive")

    with time_machine.travel(at("2024-03-10 05:00"), tick=False):
        await access.set_blocked(session, Channel.TELEGRAM, str(tree.tg.coordinator), False)
    await tick(ctx, at("2024-03-10 06:00"))
    await tick(ctx, at("2024-03-14 06:00"))

    texts = recording.sent_texts(tree.tg.coordinator)
    assert texts[-2] == "Задача возвращена на доработку"
    assert "срок завтра" in texts[-1]


async def test_a_snooze_does_not_end_the_weekly_overdue_series(session, tree, ctx, recording):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    await tick(ctx, at("2024-03-16 06:00"))  # first overdue reminder
    await reminders.snooze(
        session, tree.coordinator.id, task.id, at("2024-03-22 08:00"), ctx.settings
    )
    await tick(ctx, at("2024-03-23 06:00"))  # the snooze and the weekly overdue, together

    texts = recording.sent_texts(tree.tg.coordinator)
    assert len(texts) == 2
    assert "просрочено на 8 дней" in texts[-1]
    pending = await rows_of(session, kind="overdue", status=OutboxStatus.PENDING)
    assert [r.payload["date"] for r in pending] == ["2024-03-30"]


async def test_weekends_move_the_due_day_reminder_to_friday(session, tree, ctx, recording):
    settings = ctx.settings.model_copy(update={"skip_weekends": True})
    ctx = Ctx(settings, ctx.session_factory, ctx.bot)
    await add_task(session, tree.school, date(2024, 3, 16), offsets=[0])  # a Saturday
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    [row] = await rows_of(session)
    assert row.payload["date"] == "2024-03-15"
    await tick(ctx, at("2024-03-15 06:00"))
    assert "срок завтра" in recording.sent_texts()[0]


async def test_a_weekend_move_never_lands_in_the_past(session, tree, ctx):
    settings = ctx.settings.model_copy(update={"skip_weekends": True})
    ctx = Ctx(settings, ctx.session_factory, ctx.bot)
    await add_task(session, tree.school, date(2024, 3, 18), offsets=[1, 0])  # a Monday
    await session.commit()
    await tick(ctx, at("2024-03-16 00:00"))  # planned on Saturday: Sunday's "1 day" moves on
    rows = await rows_of(session)
    assert [r.payload["date"] for r in rows] == ["2024-03-18", "2024-03-18"]


async def test_exhausted_retries_fail_but_the_overdue_series_goes_on(
    session, tree, ctx, recording
):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    [overdue] = await rows_of(session, kind="overdue")
    overdue.attempts = outbox.MAX_ATTEMPTS - 1
    await session.commit()
    recording.fail_next(SendMessage, status=502)
    result = await tick(ctx, at("2024-03-16 06:00"))
    assert result.failed == 1
    [failed, follow] = await rows_of(session, kind="overdue")
    assert (failed.status, failed.attempts) == (OutboxStatus.FAILED, outbox.MAX_ATTEMPTS)
    assert "Bad Gateway" in failed.last_error
    assert (follow.status, follow.payload["date"]) == (OutboxStatus.PENDING, "2024-03-23")


async def test_an_unexpected_error_is_retried_and_the_batch_goes_on(session, tree, ctx, recording):
    await add_task(session, tree.school, date(2024, 3, 15))
    await add_task(session, tree.school2, date(2024, 3, 15))
    await add_person(session, tree.school2)
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    recording.fail_next(SendMessage, status=409, chat_id=tree.tg.coordinator)
    result = await tick(ctx, at("2024-03-08 06:00"))
    assert (result.sent, result.retried) == (1, 1)
    [row] = [r for r in await rows_of(session) if r.last_error]
    assert row.status == OutboxStatus.PENDING and row.attempts == 1
    assert (await tick(ctx, at("2024-03-08 06:01"))).sent == 1


async def test_a_full_batch_keeps_each_recipients_morning_together(session, tree, ctx):
    for n in range(3):
        await add_task(session, tree.school, date(2024, 3, 15), title=f"Мероприятие {n}")
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    claimed = await claim_due(session, at("2024-03-08 06:00"), limit=2)
    assert len(claimed) == 3


async def test_a_batch_out_of_time_gives_its_rest_back(session, tree, ctx, recording, monkeypatch):
    for n in range(3):
        await add_person(session, tree.school2, name=f"Координатор {n}")
    await add_task(session, tree.school2, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    monkeypatch.setattr(outbox, "BATCH_BUDGET", timedelta(0))
    result = await tick(ctx, at("2024-03-08 06:00"))
    assert result.sent == 1 and result.deferred == 2
    pending = await rows_of(session, status=OutboxStatus.PENDING, kind="before")
    assert {r.last_error for r in pending} >= {"batch out of time"}
    monkeypatch.setattr(outbox, "BATCH_BUDGET", timedelta(minutes=5))
    assert (await tick(ctx, at("2024-03-08 06:01"))).sent == 2


async def test_a_confirmation_clears_the_queue_and_a_return_brings_reminders_back(
    session, tree, ctx, recording
):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    officer = await access.load_principal(session, tree.officer.id)
    coordinator = await access.load_principal(session, tree.coordinator.id)
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))

    view = await confirmations.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.DONE, None, "Приказ издан", []
    )
    await tick(ctx, at("2024-03-08 06:00"))
    assert recording.sent_texts(tree.tg.coordinator) == []
    assert await rows_of(session, status=OutboxStatus.PENDING, user_id=tree.coordinator.id) == []

    await confirmations.return_confirmation(session, officer, view.id, "Нет подписи")
    await tick(ctx, at("2024-03-14 06:00"))
    assert "срок завтра" in recording.sent_texts(tree.tg.coordinator)[-1]


async def test_moving_an_event_moves_the_queued_reminders(session, tree, ctx, recording):
    result = await plans.import_plan(
        session, SYSTEM, tree.muni.id, VPR_PLAN.read_bytes(), VPR_PLAN.name
    )
    assert result.plan_id
    event = await events.upsert_event(
        session, SYSTEM, tree.school.id, "ВПР", "математика", 5, date(2024, 4, 16)
    )
    [task_id] = await session.scalars(
        select(Task.id).where(Task.occurrence == f"event:{event.id}")
    )

    async def queued() -> list[tuple[str, str]]:
        rows = await rows_of(session, task_id=task_id, status=OutboxStatus.PENDING)
        return [(r.kind, r.payload["date"]) for r in rows]

    await tick(ctx, at("2024-03-01 00:00"))
    # «За 2 недели до проведения»: due on 02.04 for an event on 16.04.
    assert await queued() == [
        ("before", "2024-03-26"),
        ("before", "2024-04-01"),
        ("due", "2024-04-02"),
        ("overdue", "2024-04-03"),
    ]
    await events.upsert_event(
        session, SYSTEM, tree.school.id, "ВПР", "математика", 5, date(2024, 4, 23)
    )
    await tick(ctx, at("2024-03-02 00:00"))
    assert await queued() == [
        ("before", "2024-04-02"),
        ("before", "2024-04-08"),
        ("due", "2024-04-09"),
        ("overdue", "2024-04-10"),
    ]
