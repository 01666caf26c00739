"""The fake Bot API server and the recording session behave like Telegram for a real aiogram bot."""

import asyncio
import time

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router, html
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.filters import CommandObject, CommandStart
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendDocument, SendMessage
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    Message,
)

from tests.fakeapi import polling
from tests.fakeapi.polling import fake_bot
from tests.support.e2e import fake_telegram
from tests.support.recording import RecordingSession, make_bot
from tests.support.updates import (
    callback_update,
    document_update,
    message_update,
    my_chat_member_update,
)

TOKEN = "123456:TEST"
LIKE = InlineKeyboardMarkup(
    inline_keyboard=[
        [
            InlineKeyboardButton(text="Нравится", callback_data="like"),
            InlineKeyboardButton(text="Сайт", url="https://example.org"),
        ]
    ]
)


def build_dispatcher() -> Dispatcher:
    router = Router()

    @router.message(CommandStart())
    async def cmd_start(message: Message, command: CommandObject) -> None:
        name = html.quote(message.from_user.first_name)
        await message.answer(f"Привет, <b>{name}</b>! {command.args}", reply_markup=LIKE)

    @router.callback_query(F.data == "like")
    async def on_like(query: CallbackQuery) -> None:
        await query.answer("Спасибо")
        await query.message.edit_text("Оценка принята")

    @router.message(F.document)
    async def on_document(message: Message, bot: Bot) -> None:
        content = (await bot.download(message.document)).read()
        await message.answer(f"{len(content)} bytes")
        await message.answer_document(BufferedInputFile(content[::-1], filename="reversed.bin"))

    @router.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(html.quote(message.text))

    @router.my_chat_member()
    async def on_member(event: ChatMemberUpdated, member_events: asyncio.Queue) -> None:
        await member_events.put(event.new_chat_member.status)

    dp = Dispatcher(member_events=asyncio.Queue())
    dp.include_router(router)
    return dp


@pytest.fixture
async def fake():
    async with fake_telegram(TOKEN) as fake:
        yield fake


@pytest.fixture
async def bot(fake):
    bot = fake_bot(fake, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    yield bot
    await bot.session.close()


@pytest.fixture
async def dp(fake, bot):
    dp = build_dispatcher()
    async with polling(fake, dp, bot):
        yield dp


async def test_echo_reply_comes_from_the_bot(fake, dp):
    user = fake.user(tg_id=1001, first_name="Анна", last_name="Петрова", username="anna")

    await user.send("два < три & <b>")
    reply = await user.wait_message()

    assert reply["text"] == "два < три & <b>"
    assert reply["from"]["id"] == fake.bot_id
    assert reply["chat"] == {
        "id": 1001,
        "type": "private",
        "first_name": "Анна",
        "last_name": "Петрова",
        "username": "anna",
    }


async def test_start_command_html_is_rendered_to_text_and_entities(fake, dp):
    user = fake.user(tg_id=1001, first_name="Анна")

    sent = await user.send("/start abc")
    reply = await user.wait_message()

    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert reply["text"] == "Привет, Анна! abc"
    assert reply["entities"] == [{"type": "bold", "offset": 8, "length": 4}]
    assert user.messages == [reply]


async def test_button_press_is_answered_and_the_message_edited(fake, dp):
    user = fake.user(tg_id=1001, first_name="Анна")
    await user.send("/start")
    menu = await user.wait_message()

    callback_id = await user.press_button(menu, "Нравится")
    answer = await user.wait_callback_answer(callback_id)
    edited = await user.wait_edit()

    assert answer["text"] == "Спасибо"
    assert edited["message_id"] == menu["message_id"]
    assert edited["text"] == "Оценка принята"
    assert "reply_markup" not in edited
    assert [m["text"] for m in user.messages] == ["Оценка принята"]
    with pytest.raises(AssertionError, match="available: \\[\\]"):
        await user.press_button(menu, "Нравится")


async def test_press_button_lists_the_buttons_it_could_not_match(fake, dp):
    user = fake.user(tg_id=1001)
    await user.send("/start")
    menu = await user.wait_message()

    with pytest.raises(AssertionError, match="'Нравится', 'Сайт'"):
        await user.press_button(menu, "Не нравится")


async def test_uploaded_document_is_downloaded_by_the_bot(fake, dp):
    user = fake.user(tg_id=1001)
    content = bytes(range(256)) * 40

    await user.upload(filename="plan.docx", content=content, caption="план")
    size = await user.wait_message()
    document = await user.wait_message()

    assert size["text"] == f"{len(content)} bytes"
    assert document["document"]["file_name"] == "reversed.bin"
    assert fake.sent_documents(1001) == [("reversed.bin", content[::-1])]
    assert [method for method, _ in fake.requests if method == "getFile"] == ["getFile"]


async def test_every_update_reaches_the_bot_exactly_once(fake, dp):
    user = fake.user(tg_id=1001)
    for number in range(5):
        await user.send(f"message {number}")

    replies = [(await user.wait_message())["text"] for _ in range(5)]
    polls = len(fake.calls_to("getUpdates"))
    await fake.wait_for(lambda: len(fake.calls_to("getUpdates")) > polls, 5.0, "the next poll")

    delivered = [u["update_id"] for c in fake.calls_to("getUpdates") for u in c.result or []]
    assert sorted(replies) == [f"message {number}" for number in range(5)]
    assert len(delivered) == len(set(delivered)) == 5
    assert fake.pending_updates == []


async def test_blocking_the_bot_reaches_the_my_chat_member_handler(fake, dp):
    user = fake.user(tg_id=1001)
    events = dp["member_events"]

    await user.block_bot()
    assert await asyncio.wait_for(events.get(), 5) == "kicked"
    await user.unblock_bot()
    assert await asyncio.wait_for(events.get(), 5) == "member"


async def test_get_updates_holds_until_an_update_arrives(fake, bot):
    user = fake.user(tg_id=1001)
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))

    await asyncio.sleep(0.3)
    assert not poll.done()
    await user.send("hello")
    updates = await asyncio.wait_for(poll, 5)

    assert [update.message.text for update in updates] == ["hello"]
    assert 0.25 <= time.monotonic() - started < 9


async def test_get_updates_returns_empty_after_its_timeout(fake, bot):
    started = time.monotonic()

    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_offset_confirms_updates(fake, bot):
    user = fake.user(tg_id=1001)
    await user.send("one")
    await user.send("two")

    first = await bot.get_updates(timeout=0)
    again = await bot.get_updates(timeout=0)
    confirmed = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0)
    await user.send("three")
    later = await bot.get_updates(offset=first[-1].update_id + 1, timeout=0, limit=5)

    assert [u.message.text for u in first] == ["one", "two"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert confirmed == []
    assert [u.message.text for u in later] == ["three"]


async def test_allowed_updates_filters_delivery(fake, bot):
    user = fake.user(tg_id=1001)
    await user.send("text")
    await user.block_bot()

    updates = await bot.get_updates(timeout=0, allowed_updates=["my_chat_member"])

    assert [u.my_chat_member.new_chat_member.status for u in updates] == ["kicked"]


async def test_a_second_get_updates_terminates_the_first(fake, bot):
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await fake.wait_for(lambda: len(fake.calls_to("getUpdates")) == 1, 5.0, "the first poll")

    assert await bot.get_updates(timeout=0) == []
    with pytest.raises(TelegramConflictError):
        await asyncio.wait_for(first, 5)


async def test_429_raises_retry_after_and_the_retry_is_timed(fake, bot):
    fake.user(tg_id=1001)
    fake.fail_next("sendMessage", status=429, retry_after=1)

    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(1001, "first try")
    await asyncio.sleep(error.value.retry_after)
    await bot.send_message(1001, "second try")

    attempts = fake.calls_to("sendMessage")
    assert error.value.retry_after == 1
    assert "retry after 1" in error.value.message
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.95


async def test_injected_failure_can_target_one_chat(fake, bot):
    fake.user(tg_id=1001)
    fake.user(tg_id=1002)
    fake.fail_next("sendMessage", status=429, retry_after=3, chat_id=1002)

    await bot.send_message(1001, "not this chat")
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(1002, "this chat")

    assert error.value.retry_after == 3


async def test_blocked_user_answers_403(fake, bot):
    user = fake.user(tg_id=1001)
    await user.block_bot()

    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(1001, "hello")
    await user.unblock_bot()
    await bot.send_message(1001, "hello again")

    assert [m["text"] for m in user.messages] == ["hello again"]


async def test_server_errors_and_bad_requests(fake, bot):
    fake.user(tg_id=1001)
    fake.fail_next("sendMessage", status=500)
    fake.fail_next("sendDocument", status=502)
    fake.fail_next("getMe", status=400, description="Bad Request: nope")

    with pytest.raises(TelegramServerError, match="Internal Server Error"):
        await bot.send_message(1001, "x")
    with pytest.raises(TelegramServerError):
        await bot.send_document(1001, BufferedInputFile(b"x", filename="x.txt"))
    with pytest.raises(TelegramBadRequest, match="nope"):
        await bot.get_me()
    assert (await bot.send_message(1001, "recovered")).text == "recovered"


async def test_telegram_checks_catch_common_mistakes(fake, bot):
    fake.user(tg_id=1001)
    message = await bot.send_message(1001, "same", reply_markup=LIKE)

    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(999, "nobody")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "script"'):
        await bot.send_message(1001, "<script>")
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.send_message(1001, "2 < 3")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(1001, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "same", chat_id=1001, message_id=message.message_id, reply_markup=LIKE
        )
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query("12345")


async def test_latency_is_added_to_responses(fake, bot):
    fake.user(tg_id=1001)
    fake.latency = 0.3
    started = time.monotonic()
    await bot.get_me()
    assert time.monotonic() - started >= 0.25

    fake.latency = 0.0
    fake.set_latency("sendMessage", 0.3)
    started = time.monotonic()
    await bot.send_message(1001, "slow")
    assert time.monotonic() - started >= 0.25


async def test_commands_are_recorded_per_scope(fake, bot):
    fake.user(tg_id=1001)
    await bot.set_my_commands([BotCommand(command="start", description="Начать")])
    await bot.set_my_commands(
        [BotCommand(command="report", description="Отчёт")],
        scope=BotCommandScopeChat(chat_id=1001),
    )

    assert fake.commands() == [{"command": "start", "description": "Начать"}]
    assert fake.commands(1001) == [{"command": "report", "description": "Отчёт"}]
    assert fake.commands({"type": "chat", "chat_id": 1001}) == fake.commands(1001)
    assert [c.command for c in await bot.get_my_commands()] == ["start"]
    await bot.delete_my_commands(scope=BotCommandScopeChat(chat_id=1001))
    assert fake.commands(1001) is None
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad-Name", description="x")])


async def test_files_by_id_media_groups_copies_and_deletes(fake, bot):
    user = fake.user(tg_id=1001)
    uploaded = await user.upload(filename="plan.xlsx", content=b"xlsx")
    await bot.send_document(1001, uploaded["document"]["file_id"])
    await bot.send_media_group(
        1001,
        [
            InputMediaDocument(media=BufferedInputFile(b"a", filename="a.txt")),
            InputMediaDocument(media=BufferedInputFile(b"b", filename="b.txt"), caption="b"),
        ],
    )
    photo = await bot.send_photo(1001, BufferedInputFile(b"jpeg", filename="chart.png"))
    copied = await bot.copy_message(1001, from_chat_id=1001, message_id=photo.message_id)
    await bot.delete_message(1001, photo.message_id)
    await bot.send_chat_action(1001, "typing")

    assert fake.sent_documents(1001) == [("plan.xlsx", b"xlsx"), ("a.txt", b"a"), ("b.txt", b"b")]
    assert fake.sent_photos(1001) == [b"jpeg"]
    assert [m["message_id"] for m in user.messages][-1] == copied.message_id
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(1001, photo.message_id)


async def test_wait_message_timeout_shows_the_transcript(fake, dp):
    user = fake.user(tg_id=1001)
    await user.send("ping")
    await user.wait_message()

    with pytest.raises(AssertionError, match=r"(?s)user #1: ping.*bot  #2: ping"):
        await user.wait_message(predicate=lambda m: m.get("text") == "pong", timeout=0.2)


async def test_recording_session_feeds_updates_through_handlers():
    session = RecordingSession()
    bot = make_bot(session)
    dp = build_dispatcher()

    await dp.feed_update(bot, message_update(1001, "/start abc", first_name="<Анна>"))
    await dp.feed_update(bot, callback_update(1001, "like", message_id=7))
    file_id = session.add_file(b"report", file_name="r.docx")
    await dp.feed_update(bot, document_update(1001, file_id=file_id, file_name="r.docx"))
    await dp.feed_update(bot, my_chat_member_update(1001, "kicked"))

    assert session.sent_texts(1001) == ["Привет, <b>&lt;Анна&gt;</b>! abc", "6 bytes"]
    assert session.last(AnswerCallbackQuery).text == "Спасибо"
    assert session.last(EditMessageText).message_id == 7
    assert session.sent_documents(1001) == [("reversed.bin", b"troper")]
    assert isinstance(session.last(SendDocument), SendDocument)
    assert dp["member_events"].get_nowait() == "kicked"
    await bot.session.close()


async def test_recording_session_raises_injected_telegram_errors():
    session = RecordingSession()
    bot = make_bot(session)
    session.fail_next(SendMessage, status=403)

    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(1001, "x")
    sent = await bot.send_message(1001, "y")

    assert sent.text == "y" and sent.chat.id == 1001
    assert (await bot.get_me()).username == "roadmap_test_bot"
    with pytest.raises(AssertionError, match="no EditMessageText"):
        session.last(EditMessageText)


async def test_json_bodies_wrong_tokens_and_unknown_files(fake):
    user = fake.user(tg_id=1001)
    markup = {"inline_keyboard": [[{"text": "Да", "callback_data": "yes"}]]}
    async with aiohttp.ClientSession() as client:
        async with client.post(
            f"{fake.url}/bot{TOKEN}/sendMessage",
            json={"chat_id": 1001, "text": "json", "reply_markup": markup},
        ) as response:
            body = await response.json()
        async with client.post(f"{fake.url}/bot1:WRONG/getMe") as response:
            unauthorized = response.status
        async with client.get(f"{fake.url}/file/bot{TOKEN}/documents/none.bin") as response:
            missing = response.status

    assert body["ok"] and body["result"]["reply_markup"] == markup
    assert user.messages[0]["text"] == "json"
    assert (unauthorized, missing) == (401, 404)
