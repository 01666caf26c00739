"""The hotline in a forum supergroup, end to end over the fake Bot API: each ticket is one
topic, operators answer in it, the topic's title and icon follow the ticket's state."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select

from bot.domain.delivery import Outcome
from bot.domain.messages import Address, OutgoingMessage, Ref, RefType
from bot.texts import forum as forum_texts
from bot.texts import hotline as texts
from storage.models import Ticket, TicketThread
from tests.fakeapi.topics import ICON_STICKERS
from tests.support.e2e import ADMIN_ID
from tests.support.hotline import ask

FORUM = -1001000000777
PARENT = 5101
ICON_OF = {s["emoji"]: s["custom_emoji_id"] for s in ICON_STICKERS}


def icon(status: str) -> str:
    return ICON_OF[forum_texts.ICONS[status]]


@pytest.fixture
def officer(running):
    return running.fake.user(ADMIN_ID, "Татьяна", "Ермакова")


async def bind_forum(running, officer):
    forum = running.fake.forum(FORUM, "Горячая линия ВПР", members=[officer])
    forum.add_member(officer, "administrator")
    await forum.post(officer, "/hotline_here")
    bound = await forum.wait_message(lambda m: m["text"].startswith("✅"))
    assert "Орган управления образованием" in bound["text"]
    return forum


@pytest.fixture
async def forum(running, officer):
    return await bind_forum(running, officer)


async def test_a_question_is_a_topic_answered_there_and_closed(running, forum, officer):
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    number = await ask(parent, "Когда будут результаты ВПР по математике?")

    topic = await forum.wait_topic(lambda t: number in t.name)
    assert "новое" in topic.name and topic.icon_custom_emoji_id == icon("new")
    header = await forum.wait_message(thread_id=topic.thread_id)
    assert number in header["text"] and "Петрова" in header["text"]
    question = await forum.wait_message(thread_id=topic.thread_id)
    assert "результаты ВПР по математике" in question["text"]

    # The operator answers in the topic; the parent gets it in the same chat.
    posted = await forum.post(officer, "Результаты будут в <мае>.", thread_id=topic.thread_id)
    answer = await parent.wait_message(lambda m: number in m["text"])
    assert "Результаты будут в <мае>." in answer["text"]
    await forum.wait_topic(lambda t: t.thread_id == topic.thread_id and "отвечено" in t.name)
    assert forum.topic(topic.thread_id).icon_custom_emoji_id == icon("answered")
    # An edit of the answer in the topic reaches the parent as an edit.
    await forum.edit(posted, text="Результаты будут 15 мая.")
    edited = await parent.wait_message(lambda m: "15 мая" in m["text"])
    assert "изменено" in edited["text"] and number in edited["text"]

    # A follow-up goes to the same topic, not a new one.
    await parent.press_button(answer, texts.BTN_FOLLOW_UP)
    await parent.wait_message(lambda m: "Напишите, что добавить" in m["text"])
    await parent.send("А по русскому языку?")
    more = await forum.wait_message(
        lambda m: "по русскому" in m["text"], thread_id=topic.thread_id
    )
    assert number in more["text"]
    assert len([t for t in forum.topics if number in t.name]) == 1

    # /close in the topic closes the ticket: the parent is told, the topic shows it.
    await forum.post(officer, "/close", thread_id=topic.thread_id)
    await parent.wait_message(lambda m: "закрыто" in m["text"].lower() and number in m["text"])
    await forum.wait_topic(lambda t: t.thread_id == topic.thread_id and "закрыто" in t.name)
    assert forum.topic(topic.thread_id).icon_custom_emoji_id == icon("closed")
    async with running.app.session_factory() as session:
        ticket = (await session.scalars(select(Ticket))).one()
        assert ticket.status == "closed" and ticket.first_answer_at is not None


async def test_an_anonymous_violation_report_shows_nothing_of_the_sender(running, forum, officer):
    parent = running.fake.user(PARENT, "Анна", "Петрова", username="anna_p")
    number = await ask(parent, "На ВПР учитель подсказывал ответы", violation=True, anonymous=True)
    topic = await forum.wait_topic(lambda t: number in t.name)
    assert forum_texts.VIOLATION_MARK in topic.name
    assert topic.icon_custom_emoji_id == icon("violation")
    await forum.wait_message(lambda m: "подсказывал" in m["text"], thread_id=topic.thread_id)
    seen = " ".join(
        [t.name for t in forum.topics] + [str(m) for m in forum.messages_in(topic.thread_id)]
    )
    for trace in ("Анна", "Петрова", "anna_p", str(PARENT)):
        assert trace not in seen, trace
    assert texts.ANONYMOUS in seen


async def test_a_deleted_topic_is_made_again_with_the_history(running, forum, officer):
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    number = await ask(parent, "Где смотреть расписание ВПР?")
    first = await forum.wait_topic(lambda t: number in t.name)
    await forum.wait_message(lambda m: "расписание" in m["text"], thread_id=first.thread_id)
    await forum.post(officer, "На сайте школы.", thread_id=first.thread_id)
    answer = await parent.wait_message(lambda m: number in m["text"])
    await forum.delete_topic(first.thread_id)

    await parent.press_button(answer, texts.BTN_FOLLOW_UP)
    await parent.wait_message(lambda m: "Напишите, что добавить" in m["text"])
    await parent.send("А для 8 класса?")
    second = await forum.wait_topic(lambda t: number in t.name and not t.deleted)
    assert second.thread_id != first.thread_id
    history = await forum.wait_message(
        lambda m: "Переписка" in m["text"], thread_id=second.thread_id
    )
    assert "расписание" in history["text"] and "На сайте школы." in history["text"]
    await forum.wait_message(lambda m: "8 класса" in m["text"], thread_id=second.thread_id)
    # Nobody was shown Telegram's error.
    everything = [m["text"] for m in forum.messages] + [m["text"] for m in parent.messages]
    assert not any("thread not found" in text.lower() for text in everything)


async def test_two_messages_at_once_make_one_topic(running, officer):
    # A ticket from before the office had a forum: its first messages there race.
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    number = await ask(parent, "Первый вопрос о ВПР")
    await officer.wait_message(lambda m: number in m["text"])
    forum = await bind_forum(running, officer)
    async with running.app.session_factory() as session:
        ticket = (await session.scalars(select(Ticket))).one()
    # Two senders (two workers) deliver a message of the ticket at the same moment.
    sender = running.app.senders["telegram"]
    address = Address("telegram", str(FORUM))
    results = await asyncio.gather(
        *(
            sender.send(address, OutgoingMessage(text, thread=Ref(RefType.TICKET, ticket.id)), 1)
            for text in ("Дополнение один", "Дополнение два")
        )
    )
    outcomes = sorted(result.outcome for result in results)
    # One makes the topic and sends; the other sends into it, or waits for it without
    # spending an attempt; nothing is lost and "thread not found" is not an outcome.
    assert Outcome.SENT in outcomes and Outcome.THREAD_GONE not in outcomes
    for result in results:
        assert result.outcome is Outcome.SENT or not result.counts_as_attempt
    assert len([t for t in forum.topics if number in t.name]) == 1
    async with running.app.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(TicketThread)) == 1
    # The topic starts with the ticket's card, once, then both messages.
    (topic,) = forum.topics
    texts_in_topic = [m["text"] for m in forum.messages_in(topic.thread_id)]
    assert number in texts_in_topic[0] and "Поступило" in texts_in_topic[0]
    assert sum("Поступило" in text for text in texts_in_topic) == 1


async def test_a_stranger_in_the_forum_cannot_answer(running, forum, officer):
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    number = await ask(parent, "Вопрос о НИКО и ВПР")
    topic = await forum.wait_topic(lambda t: number in t.name)
    stranger = running.fake.user(5202, "Иван")
    forum.add_member(stranger)
    await forum.post(stranger, "Я отвечу вместо оператора", thread_id=topic.thread_id)
    await forum.wait_message(
        lambda m: m["text"] == forum_texts.NOT_OPERATOR, thread_id=topic.thread_id
    )
    assert not any("вместо оператора" in m["text"] for m in parent.messages)
    async with running.app.session_factory() as session:
        ticket = (await session.scalars(select(Ticket))).one()
        assert ticket.status == "new"


async def test_stickers_are_told_in_words_and_a_long_caption_arrives_whole(
    running, forum, officer
):
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    number = await ask(parent, "Вопрос о фото работы ВПР")
    topic = await forum.wait_topic(lambda t: number in t.name)
    await forum.wait_message(lambda m: "фото работы" in m["text"], thread_id=topic.thread_id)
    await forum.post(officer, "Пришлите фото.", thread_id=topic.thread_id)
    answer = await parent.wait_message(lambda m: "Пришлите фото." in m["text"])

    await parent.press_button(answer, texts.BTN_FOLLOW_UP)
    await parent.wait_message(lambda m: "Напишите, что добавить" in m["text"])
    await parent.send_sticker("👍")
    sticker = await forum.wait_message(
        lambda m: "стикер 👍" in m["text"], thread_id=topic.thread_id
    )
    assert number in sticker["text"]
    caption = "Работа ученика. " + "Подробности задания. " * 70  # over 1,024 characters
    await parent.upload_photo(b"jpeg-bytes", caption=caption)
    whole = await forum.wait_message(
        lambda m: "Подробности" in m.get("text", ""), thread_id=topic.thread_id
    )
    assert whole["text"].count("Подробности задания.") == 70
    photo = await forum.wait_message(lambda m: "photo" in m, thread_id=topic.thread_id)
    assert photo["message_thread_id"] == topic.thread_id

    # What an operator cannot pass on as it is goes to the person in words, too.
    await forum.send_sticker(officer, "🙂", thread_id=topic.thread_id)
    told = await parent.wait_message(lambda m: "стикер 🙂" in m["text"])
    assert number in told["text"]
