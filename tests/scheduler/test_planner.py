"""Reminder planning: offsets, local mornings across time zones, quiet hours, replanning."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from bot.domain.enums import OutboxStatus, RoleKind, TaskStatus
from bot.domain.reminders import Timing, next_overdue
from scheduler.planner import plan_pending
from storage.models import Task
from tests.support.clock import at
from tests.support.factories import add_person, add_school, add_task
from tests.support.outbox import rows_of


async def test_same_due_date_is_local_nine_in_each_zone(session, tree, settings):
    zones = {"Europe/Kaliningrad": 7, "Europe/Moscow": 6, "Asia/Irkutsk": 1}
    people = {}
    for tz in zones:
        school = await add_school(session, tree.muni, f"Школа {tz}", tz)
        people[tz] = await add_person(session, school)
        await add_task(session, school, date(2024, 3, 15))
    await session.commit()

    assert await plan_pending(session, at("2024-03-01 00:00"), settings) == 3
    await session.commit()

    for tz, utc_hour in zones.items():
        rows = await rows_of(session, user_id=people[tz].id)
        moments = {row.kind: row.due_at for row in rows}
        assert [row.kind for row in rows] == ["before", "before", "due", "overdue"]
        assert moments["due"] == at(f"2024-03-15 {utc_hour:02d}:00")
        assert [r.payload["date"] for r in rows] == [
            "2024-03-08",
            "2024-03-14",
            "2024-03-15",
            "2024-03-16",
        ]
        assert all(r.due_at.hour == utc_hour for r in rows)
        assert rows[0].dedupe_key.endswith(f":{people[tz].id}:before:2024-03-08")


async def test_zone_is_inherited_from_the_municipality(session, tree, settings):
    await add_task(session, tree.other_school, date(2024, 3, 15))
    person = await add_person(session, tree.other_school)
    await session.commit()
    await plan_pending(session, at("2024-03-01 00:00"), settings)
    rows = await rows_of(session, user_id=person.id, kind="due")
    assert rows[0].due_at == at("2024-03-15 04:00")  # 09:00 in Yekaterinburg (UTC+5)


async def test_hour_inside_quiet_hours_moves_to_their_end(session, tree, settings):
    early = await add_person(session, tree.school, reminder_hour=6)
    night = await add_person(session, tree.school, reminder_hour=7, quiet_start=22, quiet_end=10)
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await plan_pending(session, at("2024-03-01 00:00"), settings)
    assert (await rows_of(session, user_id=early.id, kind="due"))[0].due_at == at(
        "2024-03-15 05:00"
    )  # 08:00 Moscow, the end of the default quiet hours
    assert (await rows_of(session, user_id=night.id, kind="due"))[0].due_at == at(
        "2024-03-15 07:00"
    )


def test_quiet_hours_arithmetic(settings):
    timing = Timing.of(settings)
    assert [h for h in range(24) if timing.is_quiet(h)] == [0, 1, 2, 3, 4, 5, 6, 7, 21, 22, 23]
    assert timing.quiet_until(at("2024-03-15 19:30"), "Europe/Moscow") == at("2024-03-16 05:00")
    assert timing.quiet_until(at("2024-03-15 02:00"), "Europe/Moscow") == at("2024-03-15 05:00")
    assert timing.quiet_until(at("2024-03-15 09:00"), "Europe/Moscow") is None
    assert not Timing(9, 0, 0).is_quiet(3)


def test_weekends_move_to_friday_ahead_and_monday_after(settings):
    timing = Timing(9, 21, 8, skip_weekends=True)
    saturday = date(2024, 3, 16)
    assert timing.working_day(saturday, earlier=True) == date(2024, 3, 15)
    assert timing.working_day(saturday, earlier=False) == date(2024, 3, 18)
    assert Timing(9, 21, 8).working_day(saturday, earlier=False) == saturday


def test_overdue_follow_ups_are_weekly():
    due = date(2024, 3, 15)
    assert next_overdue(due, -1, date(2024, 3, 10)) == date(2024, 3, 16)
    assert next_overdue(due, -1, date(2024, 3, 17)) == date(2024, 3, 23)
    assert next_overdue(due, -1, date(2024, 3, 23)) == date(2024, 3, 23)


async def test_past_reminders_are_not_planned(session, tree, settings):
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await plan_pending(session, at("2024-03-14 12:00"), settings)
    rows = await rows_of(session, user_id=tree.coordinator.id)
    assert [(r.kind, r.payload["date"]) for r in rows] == [
        ("before", "2024-03-14"),
        ("due", "2024-03-15"),
        ("overdue", "2024-03-16"),
    ]


async def test_plan_offsets_and_office_tasks_go_to_officers(session, tree, settings):
    await add_task(session, tree.muni, date(2024, 3, 15), offsets=[3, 0])
    await session.commit()
    await plan_pending(session, at("2024-03-01 00:00"), settings)
    rows = await rows_of(session)
    assert {r.user_id for r in rows} == {tree.muni_officer.id}
    assert [(r.kind, r.payload["date"]) for r in rows] == [
        ("before", "2024-03-12"),
        ("due", "2024-03-15"),
    ]


async def test_continuous_gets_a_monthly_check_in_and_unspecified_nothing(session, tree, settings):
    await add_task(
        session,
        tree.school,
        date(2024, 8, 31),
        kind="continuous",
        deadline_text="постоянно",
        start=date(2023, 9, 1),
    )
    await add_task(session, tree.school, date(2024, 5, 1), kind="unspecified")
    await session.commit()
    await plan_pending(session, at("2024-03-05 00:00"), settings)
    rows = await rows_of(session, kind="checkin")
    assert [r.payload["date"] for r in rows] == ["2024-04-01"]
    assert len(await rows_of(session)) == 5  # the check-in and four final-report reminders


async def test_replan_is_idempotent_and_closing_removes_pending(session, tree, settings):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    now = at("2024-03-01 00:00")
    await plan_pending(session, now, settings)
    await session.commit()
    before = [r.dedupe_key for r in await rows_of(session)]
    assert await plan_pending(session, now, settings) == 0

    await session.execute(update(Task).where(Task.id == task.id).values(planned=False))
    await session.commit()
    assert await plan_pending(session, now, settings) == 1
    await session.commit()
    assert [r.dedupe_key for r in await rows_of(session)] == before

    await session.execute(
        update(Task).where(Task.id == task.id).values(status=TaskStatus.DONE, planned=False)
    )
    await session.commit()
    await plan_pending(session, now, settings)
    await session.commit()
    assert await rows_of(session, status=OutboxStatus.PENDING) == []


async def test_a_change_during_planning_is_not_lost(session, tree, settings, session_factory):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    from storage.repo import reminders as repo

    seen = await repo.list_unplanned(session, 10)
    async with session_factory() as other:
        await other.execute(
            update(Task).where(Task.id == task.id).values(due_date=date(2024, 4, 1))
        )
        await other.commit()
    await repo.mark_planned(session, [(row.id, row.updated_at) for row in seen])
    await session.commit()
    task = await session.get(Task, task.id, populate_existing=True)
    assert task.planned is False


async def test_inactive_people_and_other_roles_get_nothing(session, tree, settings):
    await add_person(session, tree.school, is_active=False)
    await add_person(session, tree.school, RoleKind.PARENT)
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await plan_pending(session, at("2024-03-01 00:00"), settings)
    assert {r.user_id for r in await rows_of(session)} == {tree.coordinator.id}
