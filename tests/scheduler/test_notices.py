"""Notices go through the outbox: queued once per event, woken at once, not held by quiet hours."""

from __future__ import annotations

import time_machine
from aiogram.methods import SendMessage

from bot.domain.enums import OutboxStatus
from bot.domain.messages import ActionKind, Lane, OutgoingMessage, single
from bot.services.notify import queue_notice
from scheduler.outbox import tick
from tests.support.clock import at
from tests.support.outbox import rows_of


async def test_notice_is_queued_once_woken_and_sent_in_quiet_hours(session, tree, ctx, recording):
    message = OutgoingMessage("Задача возвращена", single("Открыть", ActionKind.OPEN_REVIEW, 7))
    user_ids = [tree.coordinator.id, tree.officer.id]
    # 23:30 in Moscow is inside the default quiet hours, yet the answer goes out now.
    with time_machine.travel(at("2024-03-14 20:30"), tick=False):
        notice = {"key": "c:7", "lane": Lane.INTERACTIVE}
        assert await queue_notice(session, user_ids, message, **notice) == 2
        assert session.info.pop("outbox_queued") is True
        assert await queue_notice(session, user_ids, message, **notice) == 0
        assert "outbox_queued" not in session.info
        await session.commit()
        await tick(ctx, at("2024-03-14 20:30"))
    assert recording.sent_texts(tree.tg.coordinator) == ["Задача возвращена"]
    assert recording.sent_texts(tree.tg.officer) == ["Задача возвращена"]
    sent = recording.last(SendMessage)
    assert sent.reply_markup.inline_keyboard[0][0].callback_data == "rv:op:7:0"
    rows = await rows_of(session, kind="notice")
    assert {row.status for row in rows} == {OutboxStatus.SENT}
