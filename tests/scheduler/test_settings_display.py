"""The settings show the hour reminders really come at, quiet hours taken into account."""

from __future__ import annotations

from datetime import date

from bot.services import reminders
from handlers import settings as settings_handlers
from scheduler.planner import plan_pending
from tests.support.clock import at
from tests.support.factories import add_task
from tests.support.outbox import rows_of


async def test_an_hour_inside_quiet_hours_shows_the_hour_reminders_really_come(
    session, tree, settings
):
    current = await reminders.update_settings(
        session, tree.coordinator.id, settings, hour=7, quiet=(20, 9)
    )
    text, _ = settings_handlers._render(current)

    assert (current.hour, current.send_hour) == (7, 9)
    assert "Напоминания приходят в 09:00 по местному времени" in text
    assert "выбранный час 07:00 попадает в тихие часы" in text
    assert "с 20:00 до 09:00" in text
    await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    await plan_pending(session, at("2024-03-01 00:00"), settings)
    [due] = await rows_of(session, kind="due")
    assert due.due_at == at("2024-03-15 06:00")  # 09:00 in Moscow


async def test_an_hour_outside_quiet_hours_is_shown_as_chosen(session, tree, settings):
    current = await reminders.update_settings(
        session, tree.coordinator.id, settings, hour=10, quiet=(22, 7)
    )
    text, _ = settings_handlers._render(current)

    assert "Напоминания приходят в 10:00 по местному времени.\n" in text
    assert "тихие часы, и" not in text
