"""Common handlers through Dispatcher.feed_update with a recording session."""

from __future__ import annotations

import logging

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Chat, ChatMemberLeft, Message, User

from bot import texts
from bot.channels.telegram.middlewares import ThrottlingMiddleware
from bot.services import orgs as org_service
from bot.texts.formatting import plural
from tests.support.recording import RecordingSession, make_bot
from tests.support.updates import media_update, my_chat_member_update, user_dict


async def test_unexpected_failure_is_logged_and_answered_politely(chat, tree, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr(org_service, "officer_roots", broken)
    with caplog.at_level(logging.ERROR, logger="handlers.errors"):
        recording = await chat.say(tree.tg.officer, "/orgs")
    assert recording.sent_texts() == [texts.ERROR]
    record = next(r for r in caplog.records if r.name == "handlers.errors")
    assert record.exc_info and "database on fire" in str(record.exc_info[1])


async def test_forged_callback_for_another_subtree_is_refused(chat, tree):
    # A municipal officer presses a button pointing at the other municipality's school.
    recording = await chat.press(tree.tg.muni_officer, f"org:open:{tree.other_school.id}:0")
    answer = recording.last(AnswerCallbackQuery)
    assert answer.text == texts.NO_ACCESS and answer.show_alert
    assert not recording.of_type(SendMessage)


async def test_user_text_is_escaped(chat, tree, session):
    tree.coordinator.full_name = "<b>Вася</b> & Ко"
    await session.commit()
    recording = await chat.say(tree.tg.coordinator, "/start")
    assert recording.sent_texts()[0] == "С возвращением, &lt;b&gt;Вася&lt;/b&gt; &amp; Ко!"


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 задача"),
        (2, "2 задачи"),
        (5, "5 задач"),
        (11, "11 задач"),
        (21, "21 задача"),
        (22, "22 задачи"),
        (112, "112 задач"),
        (0, "0 задач"),
    ],
)
def test_russian_plurals(n, expected):
    assert plural(n, "задача", "задачи", "задач") == expected


async def test_an_album_counts_as_one_action_for_flood_protection():
    seen: list[int] = []

    async def handler(event, data):
        seen.append(event.message_id)

    throttling = ThrottlingMiddleware(limit=3, window=60)
    recording = RecordingSession()
    bot = make_bot(recording)
    sender = User(**user_dict(1))

    def photo(message_id: int, group: str | None) -> Message:
        sizes = [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]
        update = media_update(1, message_id=message_id, media_group_id=group, photo=sizes)
        return update.message.as_(bot)

    for message_id in range(1, 11):
        await throttling(handler, photo(message_id, "album-1"), {"event_from_user": sender})
    assert seen == list(range(1, 11))
    for message_id in range(11, 14):
        await throttling(handler, photo(message_id, None), {"event_from_user": sender})
    # The album was one action, so the third single photo is the fourth and is dropped.
    assert seen[-2:] == [11, 12]
    assert recording.sent_texts() == [texts.TOO_FAST]


async def test_officer_opens_the_task_list_of_own_office(chat, tree):
    recording = await chat.press(tree.tg.muni_officer, "tk:list:0:0")
    answer = recording.last(AnswerCallbackQuery)
    assert answer.text != texts.STALE_BUTTON


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
async def test_removing_the_bot_from_a_group_does_not_block_the_remover(
    chat, tree, session, chat_type
):
    update = my_chat_member_update(tree.tg.coordinator, "kicked")
    group = Chat(id=-100500, type=chat_type, title="Координаторы")
    kicked = update.my_chat_member.model_copy(
        update={
            "chat": group,
            "new_chat_member": ChatMemberLeft(user=update.my_chat_member.new_chat_member.user),
        }
    )
    await chat.feed(update.model_copy(update={"my_chat_member": kicked}))

    await session.refresh(tree.coordinator)
    assert tree.coordinator.is_active


async def test_blocking_the_bot_in_a_private_chat_marks_the_user_inactive(chat, tree, session):
    await chat.member(tree.tg.coordinator, "kicked")

    await session.refresh(tree.coordinator)
    assert not tree.coordinator.is_active


async def test_help_lists_the_commands_of_the_users_role(chat, tree):
    officer = (await chat.say(tree.tg.officer, "/help")).sent_texts()[-1]
    coordinator = (await chat.say(tree.tg.coordinator, "/help")).sent_texts()
    stranger = (await chat.say(987654, "/help")).sent_texts()[-1]
    assert "/review — подтверждения на проверке" in officer
    assert "/events — даты оценочных процедур" in coordinator[-1]
    assert "/review" not in coordinator[-1]
    assert stranger.startswith(texts.HELP_TITLE) and "/start — начать" in stranger
    assert "/plans" not in stranger
