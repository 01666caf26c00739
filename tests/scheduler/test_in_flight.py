"""A batch keeps several chats in flight, each chat's messages one after another; the tick job
goes on at once after a full tick and waits out a short flood wait."""

from __future__ import annotations

import asyncio
from typing import Any

from aiogram.methods import SendMessage

from bot.domain.enums import OutboxStatus
from bot.domain.messages import OutgoingMessage
from bot.services.notify import queue_notice
from scheduler import outbox
from scheduler.jobs import run_tick
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


async def test_the_tick_job_goes_on_at_once_after_a_full_tick(
    session, session_factory, settings, monkeypatch
):
    recording = RecordingSession()
    await notify(session, await people(session, 5), "Объявление")
    monkeypatch.setattr(outbox, "CLAIM_LIMIT", 2)
    monkeypatch.setattr(outbox, "MAX_BATCHES", 1)

    await run_tick(Ctx(settings, session_factory, make_bot(recording)))

    assert len(recording.sent_texts()) == 5
    assert {row.status for row in await rows_of(session)} == {OutboxStatus.SENT}


async def test_the_tick_job_waits_out_a_short_flood_wait_but_not_a_long_one(
    session, session_factory, settings
):
    recording = RecordingSession()
    ctx = Ctx(settings, session_factory, make_bot(recording))
    first, second = await people(session, 2)
    await notify(session, [first], "Первое")
    recording.fail_next(SendMessage, retry_after=1, chat_id=FIRST_TG_ID)

    await run_tick(ctx)

    assert recording.sent_texts(FIRST_TG_ID) == ["Первое", "Первое"]
    assert [row.status for row in await rows_of(session)] == [OutboxStatus.SENT]

    await notify(session, [second], "Второе")
    recording.fail_next(SendMessage, retry_after=60, chat_id=FIRST_TG_ID + 1)
    async with asyncio.timeout(5):
        await run_tick(ctx)

    assert recording.sent_texts(FIRST_TG_ID + 1) == ["Второе"]
    [held] = await rows_of(session, status=OutboxStatus.PENDING)
    assert held.user_id == second
