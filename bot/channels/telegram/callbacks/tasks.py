"""Callback payloads for task buttons shared by reminders, task lists and confirmations."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class TaskAction(StrEnum):
    OPEN = "open"
    CONFIRM = "done"
    SNOOZE = "snooze"
    TRANSFER = "move"
    LIST = "list"


class TaskCb(CallbackData, prefix="tk"):
    action: TaskAction
    task_id: int = 0
    page: int = 0
