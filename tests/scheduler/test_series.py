"""Overdue and check-in series go on, once each, whatever replans them in between."""

from __future__ import annotations

from datetime import date

from bot.domain.enums import OutboxStatus
from bot.services import reminders
from scheduler.outbox import tick
from tests.support.clock import at
from tests.support.factories import add_task
from tests.support.outbox import Ctx, rows_of


def weekends_off(ctx: Ctx) -> Ctx:
    settings = ctx.settings.model_copy(update={"skip_weekends": True})
    return Ctx(settings, ctx.session_factory, ctx.bot)


async def continuous_task(session, tree):
    task = await add_task(
        session,
        tree.school,
        date(2024, 8, 31),
        kind="continuous",
        deadline_text="постоянно",
        start=date(2023, 9, 1),
    )
    await session.commit()
    return task


async def series(session, kind: str) -> list[tuple[str, OutboxStatus]]:
    return [(r.payload["date"], r.status) for r in await rows_of(session, kind=kind)]


async def test_a_replan_on_the_day_an_overdue_reminder_went_out_keeps_the_series(
    session, tree, ctx, recording
):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    await tick(ctx, at("2024-03-16 06:00"))  # the first overdue reminder, 09:00 in Moscow
    await reminders.update_settings(session, tree.coordinator.id, ctx.settings, hour=10)
    await tick(ctx, at("2024-03-16 12:00"))  # the replan, later that day

    assert await series(session, "overdue") == [
        ("2024-03-16", OutboxStatus.SENT),
        ("2024-03-23", OutboxStatus.PENDING),
    ]
    for day in ("2024-03-16", "2024-03-23", "2024-03-30"):
        await tick(ctx, at(f"{day} 07:00"))  # 10:00 in Moscow
        await reminders.update_settings(session, tree.coordinator.id, ctx.settings, hour=10)
        await tick(ctx, at(f"{day} 15:00"))
    late = [t for t in recording.sent_texts(tree.tg.coordinator) if "Срок прошёл" in t]
    assert len(late) == 3
    assert "просрочено на 15 дней" in late[-1]


async def test_a_replan_on_a_check_in_day_keeps_the_monthly_series(session, tree, ctx, recording):
    await continuous_task(session, tree)
    await tick(ctx, at("2024-03-25 00:00"))
    await tick(ctx, at("2024-04-01 06:00"))
    await reminders.update_settings(session, tree.coordinator.id, ctx.settings, quiet=(22, 7))
    await tick(ctx, at("2024-04-01 12:00"))
    await tick(ctx, at("2024-05-01 06:00"))
    await tick(ctx, at("2024-05-01 07:00"))

    assert await series(session, "checkin") == [
        ("2024-04-01", OutboxStatus.SENT),
        ("2024-05-01", OutboxStatus.SENT),
        ("2024-06-01", OutboxStatus.PENDING),
    ]
    assert len(recording.sent_texts(tree.tg.coordinator)) == 2


async def test_a_weekend_check_in_sent_on_friday_is_not_sent_again_on_monday(
    session, tree, ctx, recording
):
    ctx = weekends_off(ctx)
    await continuous_task(session, tree)
    await tick(ctx, at("2024-05-20 00:00"))
    await tick(ctx, at("2024-05-31 06:00"))  # Friday, for Saturday 01.06
    await reminders.update_settings(session, tree.coordinator.id, ctx.settings, hour=10)
    await tick(ctx, at("2024-06-01 09:00"))  # the replan, on Saturday
    await tick(ctx, at("2024-06-03 07:00"))  # Monday

    assert len(recording.sent_texts(tree.tg.coordinator)) == 1
    assert await series(session, "checkin") == [
        ("2024-05-31", OutboxStatus.SENT),
        ("2024-07-01", OutboxStatus.PENDING),
    ]


async def test_a_weekend_replan_keeps_the_overdue_reminder_moved_to_monday(
    session, tree, ctx, recording
):
    ctx = weekends_off(ctx)
    await add_task(session, tree.school, date(2024, 3, 15), offsets=[0, -1])  # a Friday
    await session.commit()
    await tick(ctx, at("2024-03-01 00:00"))
    await tick(ctx, at("2024-03-15 06:00"))
    await reminders.update_settings(session, tree.coordinator.id, ctx.settings, hour=10)
    await tick(ctx, at("2024-03-17 09:00"))  # the replan, on Sunday
    await tick(ctx, at("2024-03-18 07:00"))
    await tick(ctx, at("2024-03-25 07:00"))

    texts = recording.sent_texts(tree.tg.coordinator)
    assert ["просрочено на 3 дня" in t for t in texts] == [False, True, False]
    assert "просрочено на 10 дней" in texts[-1]
    assert await series(session, "overdue") == [
        ("2024-03-18", OutboxStatus.SENT),
        ("2024-03-25", OutboxStatus.SENT),
        ("2024-04-01", OutboxStatus.PENDING),
    ]
