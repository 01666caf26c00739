"""Callback payloads of the reminder settings screen."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class SettingsField(StrEnum):
    HOUR = "hour"
    QUIET = "quiet"


class ReminderSettingsCb(CallbackData, prefix="rs"):
    field: SettingsField
    value: int = 0
    end: int = 0
