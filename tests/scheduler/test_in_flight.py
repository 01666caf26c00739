"""A batch keeps several chats in flight, each chat's messages one after another."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.methods import SendMessage

from bot.domain.enums import OutboxStatus
from bot.domain.messages import OutgoingMessage
from bot.services.notify import queue_notice
from scheduler.outbox import IN_FLIGHT, tick
from tests.support.factories import add_telegram_user
from tests.support.outbox import Ctx, rows_of
from tests.support.recording import RecordingSession, make_bot

FIRST_TG_ID = 7000


class SlowSession(RecordingSession):
    """Every sendMessage takes ``seconds``, as a round trip to Telegram does; it notes how
    many were in flight at once and any chat that had two."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.busy: set[int | str] = set()
        self.most = 0
        self.overlapped: list[int | str] = []

    async def make_request(self, bot, method, timeout=None) -> Any:  # noqa: ASYNC109
        if not isinstance(method, SendMessage):
            return await super().make_request(bot, method, timeout)
        if method.chat_id in self.busy:
            self.overlapped.append(method.chat_id)
        self.busy.add(method.chat_id)
        self.most = max(self.most, len(self.busy))
        try:
            await asyncio.sleep(self.seconds)
        finally:
            self.busy.discard(method.chat_id)
        return await super().make_request(bot, method, timeout)


async def people(session, count: int) -> list[int]:
    users = [await add_telegram_user(session, FIRST_TG_ID + n) for n in range(count)]
    return [user.id for user in users]


async def notify(session, user_ids: list[int], text: str) -> None:
    await queue_notice(session, user_ids, OutgoingMessage(text), key=text)
    await session.commit()


async def test_a_batch_sends_to_several_chats_at_once(session, session_factory, settings):
    slow = SlowSession(0.05)
    await notify(session, await people(session, 3 * IN_FLIGHT), "Собрание в пятницу")

    result = await tick(Ctx(settings, session_factory, make_bot(slow)))

    assert result.sent == 3 * IN_FLIGHT
    assert slow.most == IN_FLIGHT
    assert {row.status for row in await rows_of(session)} == {OutboxStatus.SENT}


async def test_one_chats_messages_go_one_after_another_in_order(
    session, session_factory, settings
):
    slow = SlowSession(0.05)
    user_ids = await people(session, 2 * IN_FLIGHT)
    for n in range(3):
        await notify(session, user_ids[:1], f"Уведомление {n}")
    await notify(session, user_ids[1:], "Всем остальным")

    result = await tick(Ctx(settings, session_factory, make_bot(slow)))

    assert result.sent == 3 + 2 * IN_FLIGHT - 1
    assert slow.overlapped == []
    assert slow.sent_texts(FIRST_TG_ID) == [f"Уведомление {n}" for n in range(3)]
    assert slow.most > 1
