"""Answer deadlines: a reminder after the working hours, an escalation after the working days,
each queued exactly once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.hotline import deadlines, operators, tickets
from storage.models import HotlineSettings, OutboxMessage, Ticket
from tests.support.tickets import MORNING, TZ, draft, principal_of


async def keyed(session, part: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.dedupe_key.contains(part))
    return list((await session.scalars(query)).all())


async def test_reminder_then_escalation_each_sent_once(session, tree, people):
    parent = await principal_of(session, people.parent)
    # Tuesday 10:00 in Moscow; 8 working hours end at 18:00, 3 working days on Friday 10:00.
    await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    early = await deadlines.run_due(session, MORNING + timedelta(hours=7), default_tz=TZ)
    assert (early.reminded, early.escalated) == (0, 0)

    evening = MORNING + timedelta(hours=8)
    first = await deadlines.run_due(session, evening, default_tz=TZ)
    again = await deadlines.run_due(session, evening + timedelta(minutes=5), default_tz=TZ)
    assert (first.reminded, again.reminded) == (1, 0)
    reminders = await keyed(session, ".remind.")
    assert {r.user_id for r in reminders} == {people.operator.id, tree.muni_officer.id}
    assert "ждёт ответа больше 8 рабочих часов" in reminders[0].payload["text"]

    just_before = MORNING + timedelta(days=2, hours=23, minutes=59)
    assert (await deadlines.run_due(session, just_before, default_tz=TZ)).escalated == 0
    friday = MORNING + timedelta(days=3)
    assert (await deadlines.run_due(session, friday, default_tz=TZ)).escalated == 1
    assert (await deadlines.run_due(session, friday, default_tz=TZ)).escalated == 0
    # The municipality's parent is the region: its officer is told.
    [escalation] = await keyed(session, ".escalate.")
    assert escalation.user_id == tree.officer.id
    assert "без ответа больше 3 рабочих дней" in escalation.payload["text"]


async def test_an_answer_stops_the_clock(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    operator = await principal_of(session, people.operator)
    await operators.answer_ticket(
        session, operator, receipt.ticket.id, "Ответ", default_tz=TZ, now=MORNING
    )
    result = await deadlines.run_due(session, MORNING + timedelta(days=10), default_tz=TZ)
    assert (result.reminded, result.escalated) == (0, 0)


async def test_the_deadlines_are_settings_of_the_organisation(session, tree, people):
    session.add(HotlineSettings(org_id=tree.muni.id, answer_hours=1, escalate_days=1))
    await session.commit()
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    assert receipt.answer_due == MORNING + timedelta(hours=1)
    assert (await deadlines.run_due(session, MORNING + timedelta(hours=1), default_tz=TZ)).reminded
    result = await deadlines.run_due(session, MORNING + timedelta(days=1), default_tz=TZ)
    assert result.escalated == 1


async def test_a_question_over_the_weekend_and_a_holiday_waits_for_working_hours(
    session, tree, people
):
    parent = await principal_of(session, people.parent)
    # Friday 6 March 2026, 17:00 in Moscow; 8 and 9 March are days off.
    friday = MORNING + timedelta(days=3, hours=7)
    await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=friday
    )
    monday_evening = friday + timedelta(days=3, hours=2)
    assert (await deadlines.run_due(session, monday_evening, default_tz=TZ)).reminded == 0
    # One hour on Friday, seven on Tuesday 10 March: 16:00 Moscow.
    tuesday = friday + timedelta(days=4, hours=-1)
    assert (await deadlines.run_due(session, tuesday, default_tz=TZ)).reminded == 1
    ticket = (await session.scalars(select(Ticket))).one()
    assert ticket.escalated_at is None
