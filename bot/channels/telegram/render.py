"""Channel-neutral buttons rendered into Telegram inline keyboards and callback data."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.channels.telegram.callbacks.confirmations import (
    ReviewAction,
    ReviewCb,
    TransferAction,
    TransferCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.messages import ActionKind, Button, OutgoingMessage

CALLBACKS: dict[ActionKind, Callable[[int], CallbackData]] = {
    ActionKind.CONFIRM_TASK: lambda i: TaskCb(action=TaskAction.CONFIRM, task_id=i),
    ActionKind.SNOOZE_TASK: lambda i: TaskCb(action=TaskAction.SNOOZE, task_id=i),
    ActionKind.LIST_TASKS: lambda i: TaskCb(action=TaskAction.LIST),
    ActionKind.OPEN_REVIEW: lambda i: ReviewCb(action=ReviewAction.OPEN, item_id=i),
    ActionKind.APPROVE_TRANSFER: lambda i: TransferCb(
        action=TransferAction.APPROVE, transfer_id=i
    ),
    ActionKind.DECLINE_TRANSFER: lambda i: TransferCb(
        action=TransferAction.DECLINE, transfer_id=i
    ),
}


def button(item: Button) -> InlineKeyboardButton:
    if item.action is None:
        return InlineKeyboardButton(text=item.label, url=item.url)
    data = CALLBACKS[item.action.kind](item.action.object_id)
    return InlineKeyboardButton(text=item.label, callback_data=data.pack())


def keyboard(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[button(b) for b in row] for row in message.buttons]
    )
