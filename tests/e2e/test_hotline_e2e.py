"""The hotline without a forum, end to end over the fake Bot API: operators in private chat,
a ban that survives a restart, erasing one's data, and the answer deadlines on a clock the
test moves."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from sqlalchemy import func, select

from bot.services.access import SYSTEM
from bot.services.hotline import stats
from bot.texts import faq as faq_texts
from bot.texts import hotline as texts
from scheduler.jobs import run_hotline_deadlines
from storage.models import OutboxMessage, Ticket, TicketMessage
from tests.support.e2e import ADMIN_ID, running_app
from tests.support.hotline import ask

PARENT = 5301


async def test_an_operator_answers_in_private_chat_and_the_parent_closes(running):
    officer = running.fake.user(ADMIN_ID, "Татьяна", "Ермакова")
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    number = await ask(parent, "Когда пересдача ВПР?")

    relay = await officer.wait_message(lambda m: number in m["text"])
    assert "Когда пересдача ВПР?" in relay["text"] and "Петрова" in relay["text"]
    await officer.press_button(relay, texts.BTN_ANSWER)
    await officer.wait_message(lambda m: "Напишите ответ" in m["text"] or number in m["text"])
    await officer.send("Пересдача в апреле.")
    await officer.wait_message(lambda m: m["text"] == texts.ANSWER_SENT)
    answer = await parent.wait_message(lambda m: "Пересдача в апреле." in m["text"])
    assert number in answer["text"]

    await parent.press_button(answer, texts.BTN_SOLVED)
    await officer.wait_message(lambda m: "вопрос решён" in m["text"] and number in m["text"])
    async with running.app.session_factory() as session:
        ticket = (await session.scalars(select(Ticket))).one()
        assert ticket.status == "closed"


async def test_a_ban_survives_a_restart(fake, e2e_settings):
    officer = fake.user(ADMIN_ID, "Татьяна", "Ермакова")
    parent = fake.user(PARENT, "Анна", "Петрова")
    async with running_app(fake, e2e_settings):
        number = await ask(parent, "Оскорбительный текст про ВПР")
        relay = await officer.wait_message(lambda m: number in m["text"])
        await officer.press_button(relay, texts.BTN_MORE)
        card = await officer.wait_message(lambda m: texts.BTN_BAN in str(m.get("reply_markup")))
        await officer.press_button(card, texts.BTN_BAN)
        confirm = await officer.wait_message(lambda m: texts.BTN_YES_BAN in str(m["reply_markup"]))
        await officer.press_button(confirm, texts.BTN_YES_BAN)
        await officer.wait_message(lambda m: texts.AUTHOR_BANNED in m["text"])

    async with running_app(fake, e2e_settings) as running:
        await parent.send("Ещё один вопрос")
        refusal = await parent.wait_message(lambda m: "ограничили доступ" in m["text"])
        assert refusal["text"].startswith("Вы больше не можете писать")
        # Told once: the buttons of their ticket do nothing more and say nothing more.
        await parent.send(texts.BTN_MY_TICKETS)
        mine = await parent.wait_message(lambda m: number in m["text"])
        await parent.press_button(mine, texts.BTN_OPEN.format(number=number))
        card = await parent.wait_message(lambda m: texts.BTN_SOLVED in str(m.get("reply_markup")))
        pressed = await parent.press_button(card, texts.BTN_SOLVED)
        answer = await parent.wait_callback_answer(pressed)
        assert not answer.get("text")
        assert sum("ограничили доступ" in m["text"] for m in parent.messages) == 1
        async with running.app.session_factory() as session:
            ticket = (await session.scalars(select(Ticket))).one()
            assert ticket.status != "closed"
            assert await session.scalar(select(func.count()).select_from(Ticket)) == 1


async def test_erasing_my_data_keeps_the_ticket_in_the_statistics(running):
    parent = running.fake.user(PARENT, "Анна", "Петрова")
    await ask(parent, "Мой личный вопрос о ВПР")
    async with running.app.session_factory() as session:
        before = await _stats(session)

    await parent.send("/privacy")
    notice = await parent.wait_message(lambda m: faq_texts.BTN_ERASE in str(m.get("reply_markup")))
    await parent.press_button(notice, faq_texts.BTN_ERASE)
    confirm = await parent.wait_edit(lambda m: faq_texts.BTN_YES_ERASE in str(m["reply_markup"]))
    await parent.press_button(confirm, faq_texts.BTN_YES_ERASE)
    await parent.wait_message(lambda m: "удалены" in m["text"].lower())

    async with running.app.session_factory() as session:
        after = await _stats(session)
        ticket = (await session.scalars(select(Ticket))).one()
        texts_left = (await session.scalars(select(TicketMessage.text))).all()
    assert after.total == before.total == 1
    assert ticket.user_id is None and ticket.erased_at is not None
    assert all("личный" not in text for text in texts_left)


async def _stats(session):
    org_id = await session.scalar(select(Ticket.org_id))
    start, end = datetime(2020, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
    return await stats.hotline_stats(session, SYSTEM, org_id, start, end, datetime.now(UTC))


async def _queued(running, start: str) -> list[str]:
    async with running.app.session_factory() as session:
        payloads = (await session.scalars(select(OutboxMessage.payload))).all()
    return [p["text"] for p in payloads if p.get("text", "").startswith(start)]


async def test_an_unanswered_question_reminds_then_escalates_on_working_time(fake, e2e_settings):
    officer = fake.user(ADMIN_ID, "Татьяна", "Ермакова")
    parent = fake.user(PARENT, "Анна", "Петрова")
    # Tuesday 3 March 2026, 9:30 in Moscow: 8 working hours run out at 17:30.
    with time_machine.travel(datetime(2026, 3, 3, 6, 30, tzinfo=UTC), tick=True) as clock:
        async with running_app(fake, e2e_settings) as running:
            number = await ask(parent, "Вопрос без ответа о ВПР")
            await officer.wait_message(lambda m: number in m["text"])

            clock.move_to(datetime(2026, 3, 3, 14, 0, tzinfo=UTC))  # 17:00: not yet
            await run_hotline_deadlines(running.app)
            assert not await _queued(running, "⏰")
            clock.move_to(datetime(2026, 3, 3, 15, 30, tzinfo=UTC))  # 18:30
            await run_hotline_deadlines(running.app)
            reminder = await officer.wait_message(lambda m: m["text"].startswith("⏰"))
            assert number in reminder["text"]

            # Three working days later (Friday 11:00) it goes to the officers above.
            clock.move_to(datetime(2026, 3, 6, 8, 0, tzinfo=UTC))
            await run_hotline_deadlines(running.app)
            await run_hotline_deadlines(running.app)
            escalation = await officer.wait_message(lambda m: m["text"].startswith("🔺"))
            assert number in escalation["text"]
            sent = [m["text"] for m in officer.messages]
            # Each went out exactly once, however often the job ran.
            assert sum(t.startswith("⏰") for t in sent) == 1
            assert sum(t.startswith("🔺") for t in sent) == 1
