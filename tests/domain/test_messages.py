"""The channel-neutral outgoing message survives the outbox's JSON and renders for Telegram."""

from __future__ import annotations

import json

import pytest

from bot.channels.telegram import render
from bot.channels.telegram.callbacks.confirmations import ReviewAction, ReviewCb
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.messages import (
    Action,
    ActionKind,
    Attachment,
    Button,
    OutgoingMessage,
    single,
)


def test_message_round_trips_through_json():
    message = OutgoingMessage(
        "<b>Отчёт</b> принят",
        buttons=(
            (Button("Открыть", Action(ActionKind.OPEN_REVIEW, 7)),),
            (Button("Сайт", url="https://example.org"),),
        ),
        attachments=(Attachment("document", "FILE1", "приказ.pdf"),),
    )
    stored = json.loads(json.dumps(message.to_dict()))
    assert OutgoingMessage.from_dict(stored) == message


def test_plain_text_is_stored_without_empty_parts():
    assert OutgoingMessage("Готово").to_dict() == {"text": "Готово"}


def test_button_needs_exactly_one_target():
    with pytest.raises(ValueError):
        Button("Пусто")
    with pytest.raises(ValueError):
        Button("Оба", Action(ActionKind.LIST_TASKS), url="https://example.org")


def test_every_action_has_a_telegram_callback():
    assert set(render.CALLBACKS) == set(ActionKind)


def test_actions_render_into_the_callbacks_the_handlers_read():
    markup = render.keyboard(
        OutgoingMessage(
            "x",
            buttons=single("Открыть", ActionKind.OPEN_REVIEW, 12)
            + single("Отчитаться", ActionKind.CONFIRM_TASK, 5),
        )
    )
    assert markup is not None
    review, confirm = (row[0].callback_data for row in markup.inline_keyboard)
    assert ReviewCb.unpack(review) == ReviewCb(action=ReviewAction.OPEN, item_id=12)
    assert TaskCb.unpack(confirm) == TaskCb(action=TaskAction.CONFIRM, task_id=5)


def test_message_without_buttons_has_no_keyboard():
    assert render.keyboard(OutgoingMessage("x")) is None
