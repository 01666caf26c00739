"""Notices go through the outbox: queued once per event, woken at once, not held by quiet hours."""

from __future__ import annotations

import time_machine
from aiogram.methods import SendMessage
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.channels.telegram.notifier import Notifier
from bot.domain.enums import OutboxStatus
from scheduler.outbox import tick
from tests.scheduler.test_outbox import ctx, recording  # noqa: F401  (fixtures)
from tests.scheduler.test_planner import at, rows_of


async def test_notice_is_queued_once_woken_and_sent_in_quiet_hours(session, tree, ctx, recording):  # noqa: F811
    wakes: list[bool] = []
    notifier = Notifier(wake=lambda: wakes.append(True))
    builder = InlineKeyboardBuilder()
    builder.button(text="Открыть", callback_data="rv:op:7:0")
    markup = builder.as_markup().model_dump(exclude_none=True)

    tg_ids = [tree.coordinator.tg_id, tree.officer.tg_id, 999_999]  # the last one never registered
    # 23:30 in Moscow is inside the default quiet hours, yet the answer goes out now.
    with time_machine.travel(at("2024-03-14 20:30"), tick=False):
        assert await notifier.notify(session, tg_ids, "Задача возвращена", markup, key="c:7") == 2
        assert await notifier.notify(session, tg_ids, "Задача возвращена", markup, key="c:7") == 0
        assert wakes == [True]
        await tick(ctx, at("2024-03-14 20:30"))
    assert recording.sent_texts(tree.coordinator.tg_id) == ["Задача возвращена"]
    assert recording.sent_texts(tree.officer.tg_id) == ["Задача возвращена"]
    sent = recording.last(SendMessage)
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "rv:op:7:0"
    rows = await rows_of(session, kind="notice")
    assert {row.status for row in rows} == {OutboxStatus.SENT}
