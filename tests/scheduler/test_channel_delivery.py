"""Neutral messages through the outbox to the Bot API: buttons, files, forum topics, and what
each outcome does to the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from aiogram.methods import SendMediaGroup, SendMessage

from bot.domain.delivery import ChannelRevoked
from bot.domain.enums import OutboxStatus
from bot.domain.messages import (
    Action,
    ActionKind,
    Address,
    Attachment,
    Button,
    Lane,
    OutgoingMessage,
    Ref,
    RefType,
)
from bot.services.notify import queue_message, queue_notice
from scheduler.outbox import tick
from storage.models import User
from tests.support.clock import at
from tests.support.outbox import rows_of
from tests.support.recording import RecordingSession

NOW = at("2024-03-14 07:00")
TOPIC = Address("telegram", "-1001234", thread_id=42)


async def queue(session, address: Address, text: str, key: str, **kwargs) -> None:
    with time_machine.travel(NOW, tick=False):
        await queue_message(session, address, OutgoingMessage(text, **kwargs), key=key)
    await session.commit()


async def test_buttons_and_files_round_trip_to_the_bot_api(session, tree, ctx, recording):
    message = OutgoingMessage(
        "Подтверждение выполнения: 2 файла",
        (
            (Button("Открыть", Action(ActionKind.OPEN_REVIEW, 12)),),
            (
                Button("Согласовать", Action(ActionKind.APPROVE_TRANSFER, 3)),
                Button("Отклонить", Action(ActionKind.DECLINE_TRANSFER, 3)),
            ),
        ),
        (Attachment("photo", "PHOTO1"), Attachment("photo", "PHOTO2", "акт.jpg")),
    )
    with time_machine.travel(NOW, tick=False):
        queued = await queue_notice(
            session,
            [tree.officer.id],
            message,
            key="confirmation:12:submitted",
            ref=Ref(RefType.CONFIRMATION, 12),
        )
    await session.commit()
    [row] = await rows_of(session, kind="notice")
    assert queued == 1
    assert (row.channel, row.chat_id, row.thread_id, row.lane) == ("telegram", "100", None, 0)
    assert (row.ref_type, row.ref_id, row.user_id) == ("confirmation", 12, tree.officer.id)
    assert OutgoingMessage.from_dict(row.payload) == message

    result = await tick(ctx, NOW)

    assert result.sent == 1
    text = recording.last(SendMessage)
    assert (text.chat_id, text.text) == (tree.tg.officer, message.text)
    keyboard = text.reply_markup.inline_keyboard
    assert [[b.callback_data for b in row] for row in keyboard] == [
        ["rv:op:12:0"],
        ["tf:ok:3", "tf:no:3"],
    ]
    album = recording.last(SendMediaGroup)
    assert [(item.type, item.media) for item in album.media] == [
        ("photo", "PHOTO1"),
        ("photo", "PHOTO2"),
    ]
    [row] = await rows_of(session, kind="notice")
    assert row.status is OutboxStatus.SENT and row.message_id is not None


async def test_a_forum_topic_address_sends_into_its_thread(session, tree, ctx, recording):
    await queue(session, TOPIC, "Новый вопрос №5", "ticket:5:opened")

    await tick(ctx, NOW)

    sent = recording.last(SendMessage)
    assert (sent.chat_id, sent.message_thread_id, sent.text) == (-1001234, 42, "Новый вопрос №5")


async def test_a_topic_that_is_gone_fails_its_row_and_leaves_the_chat_alone(
    session,
    tree,
    ctx,
    recording: RecordingSession,
):
    await queue(session, TOPIC, "Ответ оператора", "ticket:5:answer")
    await queue(session, Address("telegram", "-1001234"), "Общее", "general")
    recording.fail_next(
        SendMessage, status=400, description="Bad Request: message thread not found"
    )

    result = await tick(ctx, NOW)

    assert (result.sent, result.failed) == (1, 1)
    by_key = {row.dedupe_key: row for row in await rows_of(session, kind="notice")}
    gone = by_key["notice:ticket:5:answer"]
    assert (gone.status, gone.last_error) == (
        OutboxStatus.FAILED,
        "Bad Request: message thread not found",
    )
    assert by_key["notice:general"].status is OutboxStatus.SENT


async def test_a_group_the_bot_was_removed_from_gets_nothing_more(session, tree, ctx, recording):
    group = Address("telegram", "-100555")
    for n in range(3):
        await queue(session, group, f"Объявление {n}", f"group:{n}")
    recording.fail_next(
        SendMessage, status=403, description="Forbidden: bot was kicked from the group chat"
    )

    result = await tick(ctx, NOW)

    assert (result.messages, result.failed) == (1, 3)
    assert recording.sent_texts() == ["Объявление 0"]  # the one that met the 403
    assert {row.status for row in await rows_of(session, kind="notice")} == {OutboxStatus.FAILED}
    people = await session.scalars(User.__table__.select().where(User.is_active.is_(False)))
    assert people.all() == []


async def test_a_person_who_blocked_the_bot_is_marked_by_user_id(session, tree, ctx, recording):
    with time_machine.travel(NOW, tick=False):
        for n in range(2):
            await queue_notice(
                session, [tree.coordinator.id], OutgoingMessage(f"N{n}"), key=f"n:{n}"
            )
    await session.commit()
    recording.fail_next(SendMessage, status=403)

    await tick(ctx, NOW)

    user = await session.get(User, tree.coordinator.id, populate_existing=True)
    assert user.is_active is False
    assert timedelta(0) <= user.blocked_at - NOW < timedelta(minutes=1)
    rows = await rows_of(session, user_id=tree.coordinator.id)
    assert [row.status for row in rows] == [OutboxStatus.FAILED, OutboxStatus.FAILED]


async def test_a_revoked_token_stops_the_tick_and_keeps_the_rows(session, tree, ctx, recording):
    await queue(session, TOPIC, "Ответ", "ticket:6:answer", buttons=())
    recording.fail_next(SendMessage, status=401)

    with pytest.raises(ChannelRevoked):
        await tick(ctx, NOW)

    [row] = await rows_of(session, kind="notice")
    # Claimed and not sent: it comes back when the lease ends.
    assert (row.status, row.attempts) == (OutboxStatus.SENDING, 0)


async def test_lanes_are_stored_with_each_row(session, tree):
    with time_machine.travel(NOW, tick=False):
        await queue_notice(session, [tree.coordinator.id], OutgoingMessage("A"), key="a")
        await queue_notice(
            session, [tree.coordinator.id], OutgoingMessage("B"), key="b", lane=Lane.BULK
        )
    await session.commit()

    rows = await rows_of(session, kind="notice")
    assert sorted(row.lane for row in rows) == [Lane.INTERACTIVE, Lane.BULK]
