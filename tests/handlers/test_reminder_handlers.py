"""Snooze button and reminder settings through Dispatcher.feed_update."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot import texts
from bot.channels.telegram.callbacks.reminders import ReminderSettingsCb, SettingsField
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from scheduler.outbox import tick
from storage.models import Task, User
from tests.support.chat import ChatDriver
from tests.support.clock import at
from tests.support.factories import add_task
from tests.support.outbox import Ctx, rows_of
from tests.support.recording import RecordingSession, make_bot


@pytest.fixture
def recording(chat: ChatDriver) -> RecordingSession:
    """What the bot does in the chat and in the ticks that share its recording."""
    return chat.recording


async def test_snooze_reminds_tomorrow_morning_once(
    chat, session, session_factory, settings, tree, recording
):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    press = TaskCb(action=TaskAction.SNOOZE, task_id=task.id).pack()
    with time_machine.travel(at("2024-03-10 15:00"), tick=False):  # Sunday 18:00 in Moscow
        await chat.press(tree.tg.coordinator, press)
        await chat.press(tree.tg.coordinator, press)
    answers = [a.text for a in recording.of_type(AnswerCallbackQuery)]
    assert answers == [
        "Хорошо, напомню 11.03.2024 в 09:00.",
        "Напоминание на 11.03.2024 уже запланировано.",
    ]
    [row] = await rows_of(session, kind="snooze")
    assert row.due_at == at("2024-03-11 06:00")
    assert row.dedupe_key == f"rem:{task.id}:{tree.coordinator.id}:snooze:2024-03-11"

    ctx = Ctx(settings, session_factory, make_bot(recording))
    await tick(ctx, at("2024-03-11 05:59"))
    assert recording.sent_texts() == []
    await tick(ctx, at("2024-03-11 06:00"))
    [text] = recording.sent_texts(tree.tg.coordinator)
    assert "осталось 4 дня" in text


async def test_snooze_of_someone_elses_task_is_refused(chat, session, tree, recording):
    task = await add_task(session, tree.school2, date(2024, 3, 15))
    await session.commit()
    press = TaskCb(action=TaskAction.SNOOZE, task_id=task.id).pack()
    await chat.press(tree.tg.coordinator, press)
    answer = recording.last(AnswerCallbackQuery)
    assert answer.text == texts.STALE_BUTTON and answer.show_alert
    assert await rows_of(session) == []


async def test_officer_may_snooze_a_task_in_the_subtree(chat, session, tree, recording):
    task = await add_task(session, tree.school2, date(2024, 3, 15))
    await session.commit()
    press = TaskCb(action=TaskAction.SNOOZE, task_id=task.id).pack()
    await chat.press(tree.tg.officer, press)
    assert recording.last(AnswerCallbackQuery).text.startswith("Хорошо, напомню")
    assert [r.user_id for r in await rows_of(session)] == [tree.officer.id]


@pytest.mark.parametrize("entry", ["/settings", texts.BTN_SETTINGS])
async def test_settings_show_the_current_values(chat, tree, entry):
    recording = await chat.say(tree.tg.coordinator, entry)
    [text] = recording.sent_texts()
    assert "09:00" in text and "с 21:00 до 08:00" in text
    keyboard = recording.last(SendMessage).reply_markup.inline_keyboard
    assert [b.text for b in keyboard[0]] == ["07:00", "08:00", "• 09:00 •"]


async def test_changing_the_hour_replans_the_users_tasks(chat, session, tree, recording):
    task = await add_task(session, tree.school, date(2024, 3, 15))
    task.planned = True
    other = await add_task(session, tree.school2, date(2024, 3, 15))
    other.planned = True
    await session.commit()
    hour = ReminderSettingsCb(field=SettingsField.HOUR, value=7).pack()
    await chat.press(tree.tg.coordinator, hour)
    quiet = ReminderSettingsCb(field=SettingsField.QUIET, value=22, end=7).pack()
    await chat.press(tree.tg.coordinator, quiet)

    user = await session.get(User, tree.coordinator.id, populate_existing=True)
    assert (user.reminder_hour, user.quiet_start, user.quiet_end) == (7, 22, 7)
    planned = dict((await session.execute(select(Task.id, Task.planned))).all())
    assert planned == {task.id: False, other.id: True}
    edited = recording.edited_texts()
    assert "07:00" in edited[-1] and "с 22:00 до 07:00" in edited[-1]
    assert recording.of_type(EditMessageText)[-1].reply_markup is not None


async def test_strangers_get_no_settings(chat):
    recording = await chat.say(777, "/settings")
    assert recording.sent_texts() == [texts.NOT_REGISTERED]
