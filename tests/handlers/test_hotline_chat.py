"""The hotline in private chats: a parent's free text becomes a ticket, an operator answers
from the relay's button, and the answer is queued to the parent."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery, SendMessage
from aiogram.types import Update
from sqlalchemy import select

from bot.channels.telegram.callbacks.hotline import AskCb, AskStep, TicketAction, TicketCb
from bot.domain.enums import RoleKind, TicketKind, TicketTopic
from bot.services.access import load_principal
from bot.services.hotline import tickets
from bot.services.hotline.views import TicketDraft
from bot.texts import hotline as texts
from storage.models import OutboxMessage, Role, Ticket, TicketMessage
from tests.support.factories import add_telegram_user
from tests.support.updates import message_update

PARENT, OPERATOR, OTHER = 700, 800, 801


@pytest.fixture
async def operators(session, tree):
    operator = await add_telegram_user(session, OPERATOR, "Оператор Касимов")
    other = await add_telegram_user(session, OTHER, "Оператор Мегион")
    parent = await add_telegram_user(session, PARENT, "Иванова Мария")
    session.add_all(
        [
            Role(user_id=operator.id, role=RoleKind.OPERATOR, org_id=tree.muni.id),
            Role(user_id=other.id, role=RoleKind.OPERATOR, org_id=tree.muni2.id),
            Role(user_id=parent.id, role=RoleKind.PARENT, org_id=None),
        ]
    )
    await session.commit()
    return operator, other, parent


def ask(step: AskStep, value: str = "") -> str:
    return AskCb(step=step, value=value).pack()


async def test_free_text_becomes_a_ticket_answered_from_the_relay(chat, session, tree, operators):
    operator, _, parent = operators
    form = await chat.reply_to(PARENT, "Когда будут <результаты> ВПР?")
    assert form.text == texts.ASK_KIND
    await chat.press(PARENT, ask(AskStep.KIND, "question"))
    await chat.press(PARENT, ask(AskStep.TOPIC, "vpr"))
    found = await chat.reply_to(PARENT, "сш 1 касимов")
    assert found.text == texts.SCHOOL_CHOOSE
    await chat.press(PARENT, ask(AskStep.SCHOOL, str(tree.school.id)))
    await chat.press(PARENT, ask(AskStep.ANONYMITY, "1"))
    summary = chat.recording.last(SendMessage)
    # The text the parent typed was kept, escaped.
    assert "&lt;результаты&gt;" in summary.text and "Анонимно" in summary.text
    await chat.press(PARENT, ask(AskStep.SEND))
    ticket = (await session.scalars(select(Ticket))).one()
    assert ticket.org_id == tree.muni.id and ticket.anonymous
    receipt = chat.recording.last(SendMessage).text
    assert f"№ {ticket.id:06d}" in receipt and "Ответ ожидается" in receipt

    relay = await session.scalar(select(OutboxMessage).where(OutboxMessage.user_id == operator.id))
    assert "Иванова" not in relay.payload["text"] and "Аноним" in relay.payload["text"]
    answer_button = relay.payload["buttons"][0][0]
    assert answer_button["action"] == "ticket.answer"

    # The operator presses «Ответить» on the relay and writes the answer.
    await chat.press(OPERATOR, TicketCb(action=TicketAction.ANSWER, ticket_id=ticket.id).pack())
    assert chat.recording.last(SendMessage).text == texts.ASK_ANSWER.format(
        number=f"№ {ticket.id:06d}"
    )
    done = await chat.reply_to(OPERATOR, "Результаты будут в мае.")
    assert done.text == texts.ANSWER_SENT
    to_parent = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == parent.id))
    ).one()
    assert to_parent.chat_id == str(PARENT)
    assert "Результаты будут в мае." in to_parent.payload["text"]
    await session.refresh(ticket)
    assert ticket.status == "answered"

    # «Мои обращения» shows the answer to the parent.
    mine = await chat.reply_to(PARENT, texts.BTN_MY_TICKETS)
    assert f"№ {ticket.id:06d}" in mine.text and "отвечено" in mine.text


async def test_forged_callbacks_are_refused(chat, session, tree, operators):
    _, _, parent = operators
    draft = TicketDraft(TicketKind.QUESTION, TicketTopic.GIA, tree.school.id, False, "Вопрос")
    principal = await load_principal(session, parent.id)
    receipt = await tickets.open_ticket(session, principal, draft, default_tz="Europe/Moscow")
    ticket = await session.get(Ticket, receipt.ticket.id)
    # An operator of another municipality, the coordinator and the parent press operators'
    # buttons of the ticket; nobody gets its card.
    for user in (OTHER, tree.tg.coordinator, PARENT):
        before = len(chat.recording.of_type(SendMessage))
        for action in (TicketAction.OPEN, TicketAction.ANSWER, TicketAction.CLOSE):
            await chat.press(user, TicketCb(action=action, ticket_id=ticket.id).pack())
        assert len(chat.recording.of_type(SendMessage)) == before
        alerts = chat.recording.of_type(AnswerCallbackQuery)[-3:]
        assert all(a.show_alert for a in alerts), (user, alerts)
    await session.refresh(ticket)
    assert ticket.status == "new"


async def test_a_stale_form_button_is_answered_clearly(chat, operators):
    await chat.press(PARENT, ask(AskStep.SEND))
    alert = chat.recording.last(AnswerCallbackQuery)
    assert alert.text == texts.FORM_STALE and alert.show_alert


async def test_an_edited_answer_is_passed_on_as_an_edit(chat, session, tree, operators):
    operator, _, parent = operators
    draft = TicketDraft(TicketKind.QUESTION, TicketTopic.VPR, tree.school.id, True, "Вопрос")
    principal = await load_principal(session, parent.id)
    receipt = await tickets.open_ticket(session, principal, draft, default_tz="Europe/Moscow")
    await chat.press(
        OPERATOR, TicketCb(action=TicketAction.ANSWER, ticket_id=receipt.ticket.id).pack()
    )
    await chat.reply_to(OPERATOR, "Ответ с опечаткой")
    answer = await session.scalar(
        select(TicketMessage).where(TicketMessage.text == "Ответ с опечаткой")
    )
    update = message_update(OPERATOR, "Ответ без опечатки", message_id=answer.source_message_id)
    edited = Update.model_validate(
        {"update_id": update.update_id + 100000, "edited_message": update.message.model_dump()}
    )
    await chat.feed(edited)
    await session.refresh(answer)
    assert answer.text == "Ответ без опечатки" and answer.edited_at is not None
    rows = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.user_id == parent.id))
    ).all()
    assert any("изменено" in r.payload["text"] for r in rows)
