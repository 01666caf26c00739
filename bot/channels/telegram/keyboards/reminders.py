"""Keyboards of reminders and of the reminder settings."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.channels.telegram.callbacks.reminders import ReminderSettingsCb, SettingsField
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.texts import reminders as texts

# Beyond this many tasks per-task buttons stop being readable; the list button remains.
BUTTON_ROWS = 5
HOURS = range(7, 13)


def _button(text: str, callback: TaskCb | ReminderSettingsCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=callback.pack())


def reminder(task_ids: Sequence[int]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if len(task_ids) == 1:
        builder.row(
            _button(texts.BTN_CONFIRM, TaskCb(action=TaskAction.CONFIRM, task_id=task_ids[0]))
        )
        builder.row(
            _button(texts.BTN_SNOOZE, TaskCb(action=TaskAction.SNOOZE, task_id=task_ids[0]))
        )
    elif len(task_ids) <= BUTTON_ROWS:
        for number, task_id in enumerate(task_ids, 1):
            builder.row(
                _button(
                    texts.BTN_CONFIRM_N.format(n=number),
                    TaskCb(action=TaskAction.CONFIRM, task_id=task_id),
                ),
                _button(
                    texts.BTN_SNOOZE_N.format(n=number),
                    TaskCb(action=TaskAction.SNOOZE, task_id=task_id),
                ),
            )
    builder.row(_button(texts.BTN_ALL_TASKS, TaskCb(action=TaskAction.LIST)))
    return builder.as_markup()


def reminder_settings(hour: int, quiet_start: int, quiet_end: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.row(
        *(
            _button(
                (texts.BTN_HOUR_CURRENT if h == hour else texts.BTN_HOUR).format(hour=h),
                ReminderSettingsCb(field=SettingsField.HOUR, value=h),
            )
            for h in HOURS
        ),
        width=3,
    )
    for start, end in texts.QUIET_PRESETS:
        current = (start, end) == (quiet_start, quiet_end) or (
            start == end and quiet_start == quiet_end
        )
        if start == end:
            label = texts.BTN_QUIET_OFF
        else:
            label = texts.BTN_QUIET_CURRENT if current else texts.BTN_QUIET
        builder.row(
            _button(
                label.format(start=start, end=end),
                ReminderSettingsCb(field=SettingsField.QUIET, value=start, end=end),
            )
        )
    return builder.as_markup()
