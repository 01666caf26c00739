"""The fake Bot API's flood control answers a real aiogram Bot over Telegram's limits with 429."""

import asyncio

import aiohttp
import pytest
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter

from tests.fakeapi import FakeTelegram
from tests.fakeapi.polling import fake_bot

TOKEN = "123456:TEST"


@pytest.fixture
async def fake():
    fake = FakeTelegram(token=TOKEN)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(fake):
    bot = fake_bot(fake)
    yield bot
    await bot.session.close()


def people(fake: FakeTelegram, count: int) -> list[int]:
    return [fake.user(5000 + n).tg_id for n in range(count)]


async def send_all(bot, chats: list[int]) -> list[object]:
    return await asyncio.gather(
        *(bot.send_message(chat, "Объявление") for chat in chats), return_exceptions=True
    )


async def test_the_thirty_first_message_in_a_second_is_refused(fake, bot):
    fake.flood_control(global_per_second=30, per_chat_per_second=1)

    answers = await send_all(bot, people(fake, 31))

    refused = [a for a in answers if isinstance(a, TelegramRetryAfter)]
    assert len(refused) == 1 and len(answers) - len(refused) == 30
    assert refused[0].retry_after == 1
    assert "Too Many Requests: retry after 1" in refused[0].message
    assert fake.retry_after_hits == 1
    assert sum(len(fake.users[chat].messages) for chat in fake.users) == 30


async def test_a_second_message_to_one_chat_within_a_second_is_refused(fake, bot):
    fake.flood_control()
    chat, other = people(fake, 2)

    await bot.send_message(chat, "Первое")
    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(chat, "Второе")
    await bot.send_message(other, "Другому")

    assert error.value.retry_after == 1
    assert [m["text"] for m in fake.users[chat].messages] == ["Первое"]
    assert [m["text"] for m in fake.users[other].messages] == ["Другому"]


async def test_the_send_succeeds_once_retry_after_has_passed(fake, bot):
    fake.flood_control()
    (chat,) = people(fake, 1)
    await bot.send_message(chat, "Первое")

    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(chat, "Второе")
    await asyncio.sleep(error.value.retry_after)
    await bot.send_message(chat, "Второе")

    assert [m["text"] for m in fake.users[chat].messages] == ["Первое", "Второе"]
    assert [call.status for call in fake.calls_to("sendMessage")] == [200, 429, 200]


async def test_retry_after_counts_the_whole_seconds_until_the_window_frees(fake, bot):
    fake.flood_control(per_chat_per_second=2, window=3.0)
    (chat,) = people(fake, 1)
    await bot.send_message(chat, "1")
    await bot.send_message(chat, "2")

    with pytest.raises(TelegramRetryAfter) as error:
        await bot.send_message(chat, "3")

    assert error.value.retry_after == 3


async def test_the_answer_is_telegrams_429(fake):
    fake.flood_control()
    (chat,) = people(fake, 1)
    url = f"{fake.url}/bot{TOKEN}/sendMessage"

    async with aiohttp.ClientSession() as client:
        async with client.post(url, json={"chat_id": chat, "text": "1"}) as first:
            assert first.status == 200
        async with client.post(url, json={"chat_id": str(chat), "text": "2"}) as second:
            status, body = second.status, await second.json()

    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }


async def test_edits_files_and_copies_count_and_other_methods_do_not(fake, bot):
    fake.flood_control()
    (chat,) = people(fake, 1)
    message = await bot.send_message(chat, "Текст")

    for _ in range(5):
        await bot.get_me()
        await bot.send_chat_action(chat, "typing")
    with pytest.raises(TelegramRetryAfter):
        await bot.edit_message_text("Правка", chat_id=chat, message_id=message.message_id)
    with pytest.raises(TelegramRetryAfter):
        await bot.copy_message(chat, chat, message.message_id)

    assert fake.retry_after_hits == 2


async def test_a_blocked_users_403_counts_toward_the_limit(fake, bot):
    fake.flood_control(global_per_second=2)
    blocked, first, second = people(fake, 3)
    await fake.users[blocked].block_bot()

    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(blocked, "Вам")
    await bot.send_message(first, "Вам")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(second, "Вам")


async def test_without_flood_control_nothing_is_refused(fake, bot):
    chats = people(fake, 40)

    answers = await send_all(bot, chats + chats[:1] * 5)

    assert not [a for a in answers if isinstance(a, Exception)]
    assert fake.retry_after_hits == 0
    assert len(fake.users[chats[0]].messages) == 6
