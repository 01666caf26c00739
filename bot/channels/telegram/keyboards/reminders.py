"""The keyboard of the reminder settings; reminders themselves carry neutral buttons."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.channels.telegram.callbacks.reminders import ReminderSettingsCb, SettingsField
from bot.texts import reminders as texts

HOURS = range(7, 13)


def _button(text: str, callback: ReminderSettingsCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=callback.pack())


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
