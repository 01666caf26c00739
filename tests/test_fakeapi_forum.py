"""Forums, topics, copies, albums and edits of the fake Bot API, driven by a real aiogram Bot."""

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BufferedInputFile,
    ForumTopic,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
    Message,
)

from tests.fakeapi import FakeTelegram, Media, polling
from tests.fakeapi.forum import ICON_COLORS
from tests.fakeapi.polling import fake_bot

TOKEN = "123456:TEST"
FORUM = -1001000000001
PARENT = 1001
OPERATOR = 2001
ANSWERED = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Закрыть", callback_data="close")]]
)


@pytest.fixture
async def fake():
    fake = FakeTelegram(token=TOKEN, bot_username="roadmap_test_bot")
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(fake):
    bot = fake_bot(fake, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    yield bot
    await bot.session.close()


@pytest.fixture
def parent(fake):
    return fake.user(PARENT, "Анна", "Петрова")


@pytest.fixture
def operator(fake):
    return fake.user(OPERATOR, "Ольга")


@pytest.fixture
def forum(fake, operator):
    forum = fake.forum(FORUM, "Горячая линия")
    forum.add_member(operator, "administrator")
    return forum


def _photo(name: str = "p.jpg", content: bytes = b"jpeg") -> BufferedInputFile:
    return BufferedInputFile(content, filename=name)


async def test_topic_is_created_renamed_closed_reopened_and_deleted(fake, bot, forum):
    topic = await bot.create_forum_topic(FORUM, "  Обращение №1  ")
    thread = topic.message_thread_id
    created = forum.message(thread)

    assert isinstance(topic, ForumTopic)
    assert topic.name == "Обращение №1" and topic.icon_color in ICON_COLORS
    assert topic.icon_custom_emoji_id is None
    assert created["forum_topic_created"] == {
        "name": "Обращение №1",
        "icon_color": topic.icon_color,
    }
    assert created["from"]["id"] == fake.bot_id and created["message_thread_id"] == thread
    assert "reply_to_message" not in created
    assert forum.messages == [] and fake.pending_updates == []

    icon = (await bot.get_forum_topic_icon_stickers())[1]
    await bot.edit_forum_topic(FORUM, thread, name="Обращение №1: ответ дан")
    await bot.edit_forum_topic(FORUM, thread, icon_custom_emoji_id=icon.custom_emoji_id)
    assert forum.topic(thread).name == "Обращение №1: ответ дан"
    assert forum.topic(thread).icon_custom_emoji_id == icon.custom_emoji_id
    # aiogram leaves empty strings out of a request, so "" (no icon) goes as raw JSON.
    async with aiohttp.ClientSession() as client:
        body = {"chat_id": FORUM, "message_thread_id": thread, "icon_custom_emoji_id": ""}
        await client.post(f"{fake.url}/bot{TOKEN}/editForumTopic", json=body)
    assert forum.topic(thread).icon_custom_emoji_id is None
    edits = [m["forum_topic_edited"] for m in forum.all_messages() if "forum_topic_edited" in m]
    assert edits == [
        {"name": "Обращение №1: ответ дан"},
        {"icon_custom_emoji_id": icon.custom_emoji_id},
        {"icon_custom_emoji_id": ""},
    ]
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.edit_forum_topic(FORUM, thread, name="Обращение №1: ответ дан")

    await bot.close_forum_topic(FORUM, thread)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(FORUM, thread)
    # A bot that manages topics still posts in a closed one.
    note = await bot.send_message(FORUM, "Обращение закрыто", message_thread_id=thread)
    assert forum.topic(thread).closed and note.message_thread_id == thread
    await bot.reopen_forum_topic(FORUM, thread)
    assert not forum.topic(thread).closed

    general = await bot.send_message(FORUM, "В общий чат")
    await bot.delete_forum_topic(FORUM, thread)
    # The topic's messages go with it.
    assert forum.topic(thread).deleted and forum.message(note.message_id) is None
    assert [m["text"] for m in forum.messages] == ["В общий чат"]
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(FORUM, "ещё?", message_thread_id=thread)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.copy_message(FORUM, FORUM, general.message_id, message_thread_id=thread)
    with pytest.raises(TelegramBadRequest, match="TOPIC_ID_INVALID"):
        await bot.close_forum_topic(FORUM, thread)
    assert [(t.thread_id, t.deleted) for t in forum.topics] == [(thread, True)]


async def test_topic_methods_refuse_like_telegram(fake, bot, forum, parent, operator):
    fake.forum(-1002, "Без прав", bot_admin=False)
    fake.forum(-1003, "Без тем", bot_rights={"can_manage_topics": False}, members=[operator])
    mine = await bot.create_forum_topic(FORUM, "Своя")

    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await bot.create_forum_topic(PARENT, "Личная")
    with pytest.raises(TelegramBadRequest, match="not enough rights to create a topic"):
        await bot.create_forum_topic(-1002, "Тема")
    with pytest.raises(TelegramBadRequest, match="title must be non-empty"):
        await bot.create_forum_topic(FORUM, "   ")
    with pytest.raises(TelegramBadRequest, match="invalid icon color specified"):
        await bot.create_forum_topic(FORUM, "Тема", icon_color=0x1000000)
    with pytest.raises(TelegramBadRequest, match="TOPIC_ID_INVALID"):
        await bot.edit_forum_topic(FORUM, 999, name="Нет такой")
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(FORUM, "General", message_thread_id=1)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(
            PARENT, "личный чат без тем", message_thread_id=mine.message_thread_id
        )
    with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
        await bot.delete_message(FORUM, mine.message_thread_id)
    assert (await bot.create_forum_topic(FORUM, "я" * 200)).name == "я" * 128
    assert (
        await bot.create_forum_topic(FORUM, "Цвет", icon_color=16478047)
    ).icon_color == 16478047

    # Without can_manage_topics the bot manages only topics it created, and not closed ones.
    theirs = await fake.forums[-1003].create_topic(operator, "Тема оператора")
    await fake.forums[-1003].close_topic(operator, theirs.thread_id)
    with pytest.raises(TelegramBadRequest, match="not enough rights to close or open the topic"):
        await bot.reopen_forum_topic(-1003, theirs.thread_id)
    with pytest.raises(TelegramBadRequest, match="not enough rights to edit the topic"):
        await bot.edit_forum_topic(-1003, theirs.thread_id, name="Моя")
    with pytest.raises(TelegramBadRequest, match="TOPIC_CLOSED"):
        await bot.send_message(-1003, "в закрытую", message_thread_id=theirs.thread_id)


async def test_members_post_in_a_topic_as_topic_messages(fake, bot, forum, operator):
    topic = await bot.create_forum_topic(FORUM, "Обращение")
    thread = topic.message_thread_id
    stranger = fake.user(3001, "Чужой")

    posted = await forum.post(operator, "/take 12", thread_id=thread)
    general = await forum.post(operator, "в общий")
    updates = await bot.get_updates(timeout=0)
    message = updates[0].message

    assert posted["is_topic_message"] is True and posted["message_thread_id"] == thread
    assert message.chat.is_forum and message.chat.type == "supergroup"
    assert message.is_topic_message and message.message_thread_id == thread
    assert message.entities[0].type == "bot_command"
    # Telegram makes every message in a topic a reply to the message that created it.
    assert message.reply_to_message.forum_topic_created.name == "Обращение"
    assert "message_thread_id" not in general and "reply_to_message" not in general
    with pytest.raises(AssertionError, match="not a member"):
        await forum.post(stranger, "можно?", thread_id=thread)
    with pytest.raises(AssertionError, match="no topic 999"):
        await forum.post(operator, "куда?", thread_id=999)


async def test_a_member_closing_a_topic_reaches_the_bot(fake, bot, forum, operator):
    member = fake.user(3001, "Пётр")
    forum.add_member(member)
    topic = await forum.create_topic(operator, "Вопрос")

    await forum.close_topic(operator, topic.thread_id)
    updates = await bot.get_updates(timeout=0)

    assert updates[0].message.forum_topic_created.name == "Вопрос"
    assert updates[1].message.forum_topic_closed is not None
    assert updates[1].message.message_thread_id == topic.thread_id
    assert forum.topic(topic.thread_id).closed
    with pytest.raises(AssertionError, match="closed"):
        await forum.post(member, "а я?", thread_id=topic.thread_id)
    await forum.post(operator, "администратору можно", thread_id=topic.thread_id)


async def test_copies_go_from_a_private_chat_to_a_topic_and_back(
    fake, bot, forum, parent, operator
):
    thread = (await bot.create_forum_topic(FORUM, "Анна Петрова")).message_thread_id
    question = await parent.send("Когда <b>олимпиада</b>? /start")

    copied = await bot.copy_message(
        FORUM, PARENT, question["message_id"], message_thread_id=thread, reply_markup=ANSWERED
    )
    in_topic = await forum.wait_message(thread_id=thread)
    answer = await forum.upload_photo(
        operator, b"schedule", caption="Вот расписание", thread_id=thread
    )
    back = await bot.copy_message(PARENT, FORUM, answer["message_id"])
    to_parent = await parent.wait_message()

    assert in_topic["message_id"] == copied.message_id
    assert in_topic["text"] == question["text"] and in_topic["entities"] == question["entities"]
    assert in_topic["from"]["id"] == fake.bot_id and "forward_origin" not in in_topic
    assert in_topic["reply_markup"] == ANSWERED.model_dump(exclude_none=True)
    assert in_topic["message_thread_id"] == thread and in_topic["is_topic_message"]
    assert to_parent["message_id"] == back.message_id and "message_thread_id" not in to_parent
    assert to_parent["photo"] == answer["photo"] and to_parent["caption"] == "Вот расписание"
    assert forum.messages_in(thread) == [in_topic]
    assert fake.sent_photos(PARENT) == [b"schedule"]

    recaptioned = await bot.copy_message(
        PARENT, FORUM, answer["message_id"], caption="<i>Новое</i>"
    )
    assert parent.message(recaptioned.message_id)["caption_entities"][0]["type"] == "italic"
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(FORUM, PARENT, 999, message_thread_id=thread)
    with pytest.raises(TelegramBadRequest, match="message can't be copied"):
        await bot.copy_message(PARENT, FORUM, thread)
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.copy_message(PARENT, -1009, 1)


async def test_copy_messages_keeps_an_album_together_in_a_new_one(fake, bot, forum, parent):
    thread = (await bot.create_forum_topic(FORUM, "Документы")).message_thread_id
    album = await bot.send_media_group(
        PARENT,
        [
            InputMediaPhoto(media=_photo(), caption="Справка"),
            InputMediaPhoto(media=_photo()),
            InputMediaVideo(media=BufferedInputFile(b"mp4", filename="v.mp4")),
        ],
    )
    note = await parent.send("и ещё")

    ids = [m.message_id for m in album] + [note["message_id"], 999]
    copies = await bot.copy_messages(FORUM, PARENT, ids, message_thread_id=thread)
    copied = forum.messages_in(thread)
    bare = await bot.copy_messages(PARENT, PARENT, ids[:1], remove_caption=True)
    kept = await bot.copy_messages(PARENT, PARENT, ids[:1], remove_caption=False)

    assert [c.message_id for c in copies] == [m["message_id"] for m in copied]
    assert len(copied) == 4
    groups = {m.get("media_group_id") for m in copied[:3]}
    assert len(groups) == 1 and None not in groups
    assert groups != {album[0].media_group_id} and "media_group_id" not in copied[3]
    assert copied[0]["caption"] == "Справка" and copied[3]["text"] == "и ещё"
    assert "caption" not in parent.message(bare[0].message_id)
    assert parent.message(kept[0].message_id)["caption"] == "Справка"
    with pytest.raises(TelegramBadRequest, match="messages can't be forwarded"):
        await bot.copy_messages(FORUM, PARENT, [998, 999])


async def test_send_media_group_checks_and_groups_like_telegram(fake, bot, forum):
    thread = (await bot.create_forum_topic(FORUM, "Альбомы")).message_thread_id
    sent = await bot.send_media_group(
        FORUM,
        [
            InputMediaPhoto(media=_photo(), caption="<b>1</b>"),
            InputMediaVideo(media=BufferedInputFile(b"mp4", filename="v.mp4"), duration=7),
        ],
        message_thread_id=thread,
    )

    assert all(isinstance(m, Message) for m in sent) and len(sent) == 2
    assert sent[0].media_group_id == sent[1].media_group_id is not None
    assert [m.message_thread_id for m in sent] == [thread, thread]
    assert sent[0].caption == "1" and sent[0].caption_entities[0].type == "bold"
    assert sent[1].video.duration == 7 and sent[1].video.mime_type == "video/mp4"
    lone = await bot.send_media_group(FORUM, [InputMediaPhoto(media=_photo())])
    assert lone[0].media_group_id is None

    cases = [
        ([], "there are no messages to send"),
        ([InputMediaPhoto(media=_photo())] * 11, "too many messages to send as an album"),
        (
            [InputMediaPhoto(media=_photo()), InputMediaDocument(media=_photo("a.pdf"))],
            "document can't be mixed with other media types",
        ),
        (
            [InputMediaAudio(media=_photo("a.mp3")), InputMediaPhoto(media=_photo())],
            "audio can't be mixed with other media types",
        ),
        (
            [InputMediaPhoto(media=_photo(), caption="я" * 1025), InputMediaPhoto(media=_photo())],
            "message caption is too long",
        ),
        (
            [InputMediaPhoto(media=_photo(), caption="<x>"), InputMediaPhoto(media=_photo())],
            "can't parse InputMedia: Can't parse entities",
        ),
    ]
    for media, error in cases:
        with pytest.raises(TelegramBadRequest, match=error):
            await bot.send_media_group(FORUM, media)
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_media_group(
            FORUM, [InputMediaPhoto(media=_photo())] * 2, message_thread_id=5
        )
    assert len(forum.messages) == 3


async def test_a_users_album_arrives_as_updates_with_one_media_group_id(fake, bot, parent, forum):
    operator = fake.users[OPERATOR]
    thread = (await forum.create_topic(operator, "Фото")).thread_id
    sent = await parent.send_album(
        [Media("document", b"a", "a.pdf", caption="Заявление"), Media("document", b"b", "b.pdf")]
    )
    in_topic = await forum.send_album(
        operator, [Media("photo", b"1"), Media("photo", b"2")], thread_id=thread
    )

    updates = await bot.get_updates(timeout=0)
    private = [u.message for u in updates if u.message.chat.id == PARENT]
    topic = [u.message for u in updates if u.message.photo]

    assert [m.document.file_name for m in private] == ["a.pdf", "b.pdf"]
    assert private[0].caption == "Заявление" and private[1].caption is None
    assert {m.media_group_id for m in private} == {sent[0]["media_group_id"]}
    assert {m.media_group_id for m in topic} == {in_topic[0]["media_group_id"]}
    assert sent[0]["media_group_id"] != in_topic[0]["media_group_id"]
    assert [m.message_thread_id for m in topic] == [thread, thread]
    downloaded = await bot.download(private[0].document)
    assert downloaded.read() == b"a"
    with pytest.raises(AssertionError, match="grouped only with their own kind"):
        await parent.send_album([Media("photo", b"1"), Media("document", b"2", "d.pdf")])
    with pytest.raises(AssertionError, match="2-10 items"):
        await parent.send_album([Media("photo", b"1")])


async def test_edits_by_people_arrive_as_edited_message_updates(fake, bot, parent, forum):
    operator = fake.users[OPERATOR]
    thread = (await bot.create_forum_topic(FORUM, "Правки")).message_thread_id
    first = await parent.send("Здраствуйте")
    posted = await forum.post(operator, "Ответ", thread_id=thread)
    photo = await parent.upload_photo(b"jpeg", caption="скан")
    await bot.get_updates(timeout=0)

    edited = await parent.edit(first, text="Здравствуйте! /start")
    await forum.edit(posted, text="Ответ, исправленный")
    await parent.edit(photo, caption="скан справки")
    updates = await bot.get_updates(offset=-3, timeout=0)
    changes = [u.edited_message for u in updates]

    assert [u.message for u in updates] == [None, None, None]
    assert (
        changes[0].text == "Здравствуйте! /start" and changes[0].message_id == first["message_id"]
    )
    assert changes[0].edit_date is not None and changes[0].entities[0].type == "bot_command"
    assert changes[1].message_thread_id == thread and changes[1].is_topic_message
    assert changes[2].caption == "скан справки"
    assert parent.message(first["message_id"]) == edited
    with pytest.raises(AssertionError, match="as it was"):
        await parent.edit(edited, text="Здравствуйте! /start")
    with pytest.raises(AssertionError, match="has no caption"):
        await parent.edit(first, caption="подпись")

    # The bot's own edits in a topic keep the message in its thread.
    note = await bot.send_message(FORUM, "Принято", message_thread_id=thread)
    changed = await bot.edit_message_text(
        "Принято в работу", chat_id=FORUM, message_id=note.message_id
    )
    assert changed.message_thread_id == thread
    assert (await forum.wait_edit())["text"] == "Принято в работу"


async def test_voice_messages_and_stickers_from_people(fake, bot, parent, forum):
    thread = (await bot.create_forum_topic(FORUM, "Голосовые")).message_thread_id
    voice = await parent.send_voice(b"OggS...", duration=12)
    sticker = await parent.send_sticker("🙏")

    updates = await bot.get_updates(timeout=0)
    copied = await bot.copy_message(FORUM, PARENT, voice["message_id"], message_thread_id=thread)

    assert updates[0].message.voice.duration == 12
    assert updates[0].message.voice.mime_type == "audio/ogg"
    assert (
        updates[1].message.sticker.emoji == "🙏" and updates[1].message.sticker.type == "regular"
    )
    assert forum.message(copied.message_id)["voice"] == voice["voice"]
    assert (await bot.download(updates[0].message.voice)).read() == b"OggS..."
    assert "[voice]" in parent.format_transcript() and "[sticker 🙏]" in parent.format_transcript()
    assert sticker["sticker"]["file_id"] in fake.files


async def test_chat_members_and_chat_info_of_a_forum(fake, bot, forum, parent, operator):
    member = fake.user(3001, "Пётр")
    forum.add_member(member)
    forum.add_member(fake.user(3002, "Ирина"), "creator")

    me = await bot.get_chat_member(FORUM, fake.bot_id)
    chat = await bot.get_chat(FORUM)
    admins = await bot.get_chat_administrators(FORUM)

    assert me.status == "administrator" and me.can_manage_topics and me.can_delete_messages
    assert (await bot.get_chat_member(FORUM, OPERATOR)).status == "administrator"
    assert (await bot.get_chat_member(FORUM, 3001)).status == "member"
    assert (await bot.get_chat_member(FORUM, PARENT)).status == "left"
    assert (await bot.get_chat_member(PARENT, PARENT)).status == "member"
    assert chat.is_forum and chat.title == "Горячая линия" and chat.type == "supergroup"
    assert {a.user.id: a.status for a in admins} == {
        OPERATOR: "administrator",
        3002: "creator",
        fake.bot_id: "administrator",
    }
    with pytest.raises(TelegramBadRequest, match="user not found"):
        await bot.get_chat_member(FORUM, 404)
    without = fake.forum(-1002, bot_admin=False)
    assert (await bot.get_chat_member(-1002, fake.bot_id)).status == "member"
    assert without.bot_rights is None


def hotline() -> Dispatcher:
    """A miniature hotline: a question becomes a topic, an operator's answer goes back."""
    router = Router()
    tickets: dict[int, int] = {}

    @router.message(F.chat.type == "private")
    async def question(message: Message, bot: Bot) -> None:
        if message.chat.id not in tickets:
            topic = await bot.create_forum_topic(FORUM, message.from_user.full_name)
            tickets[message.chat.id] = topic.message_thread_id
        await message.copy_to(FORUM, message_thread_id=tickets[message.chat.id])

    @router.message(F.chat.id == FORUM, F.is_topic_message)
    async def answer(message: Message) -> None:
        parent = next(
            chat for chat, thread in tickets.items() if thread == message.message_thread_id
        )
        await message.copy_to(parent)

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def test_a_parent_and_an_operator_talk_through_a_topic(fake, bot, forum, parent, operator):
    async with polling(fake, hotline(), bot):
        await parent.send("Где взять справку?")
        topic = await forum.wait_topic(lambda t: t.name == "Анна Петрова")
        question = await forum.wait_message(thread_id=topic.thread_id)
        await forum.post(operator, "В канцелярии, каб. 12", thread_id=topic.thread_id)
        answer = await parent.wait_message()
        await parent.send_sticker("🙏")
        thanks = await forum.wait_message(thread_id=topic.thread_id)

    assert question["text"] == "Где взять справку?"
    assert answer["text"] == "В канцелярии, каб. 12"
    assert thanks["sticker"]["emoji"] == "🙏"
    assert [t.name for t in forum.topics] == ["Анна Петрова"]
    assert "Ольга #" in forum.format_transcript()
