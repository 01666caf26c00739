"""/privacy for anyone, «Удалить мои данные», and the officer's /hotline_stats in chat."""

from __future__ import annotations

from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    SendMessage,
)
from sqlalchemy import func, select

from bot.channels.telegram.callbacks.faq import HotlineStatsCb, PrivacyAction, PrivacyCb
from bot.domain.enums import TicketKind
from bot.texts import faq as texts
from storage.base import utcnow
from storage.models import HotlineSettings, Ticket, TicketMessage
from tests.support.factories import telegram_principal
from tests.support.hotline import add_parent, add_ticket

PARENT = 300


def _buttons(markup) -> dict[str, str]:
    return {b.text: b.callback_data for row in markup.inline_keyboard for b in row}


async def test_privacy_names_the_appeal_channel_and_59_fz_for_a_stranger(chat, tree, settings):
    shown = await chat.reply_to(9999, "/privacy")
    assert "59-ФЗ" in shown.text and "консультация" in shown.text
    assert settings.hotline_appeal_url in shown.text
    assert texts.PRIVACY_NOTHING.strip() in shown.text
    assert shown.reply_markup is None


async def test_privacy_shows_the_offices_own_channel_to_its_parent(chat, tree, session):
    await add_parent(session, tg_id=PARENT, school=tree.school.id)
    session.add(HotlineSettings(org_id=tree.muni.id, appeal_url="https://kasimov.example/<ask>"))
    await session.commit()
    shown = await chat.reply_to(PARENT, "/privacy")
    assert "https://kasimov.example/&lt;ask&gt;" in shown.text
    assert texts.BTN_ERASE in _buttons(shown.reply_markup)


async def test_staff_are_not_offered_to_erase(chat, tree):
    shown = await chat.reply_to(tree.tg.coordinator, "/privacy")
    assert texts.PRIVACY_STAFF.strip() in shown.text
    assert shown.reply_markup is None


async def test_a_parent_erases_their_data_after_a_confirmation(chat, tree, session):
    parent = await add_parent(session, tg_id=PARENT, school=tree.school.id)
    ticket = await add_ticket(
        session, tree.muni.id, user=parent, school_id=tree.school.id, kind=TicketKind.VIOLATION
    )
    ticket_id = ticket.id
    await chat.reply_to(PARENT, "/privacy")
    await chat.press(PARENT, PrivacyCb(action=PrivacyAction.ASK_ERASE))
    confirm = chat.recording.last(EditMessageReplyMarkup)
    assert texts.BTN_YES_ERASE in _buttons(confirm.reply_markup)
    assert await telegram_principal(session, PARENT) is not None

    await chat.press(PARENT, PrivacyCb(action=PrivacyAction.ERASE))
    assert chat.recording.last(SendMessage).text == texts.ERASED.format(tickets="1 обращение")
    assert await telegram_principal(session, PARENT) is None
    assert await session.scalar(select(func.count(Ticket.id))) == 1
    kept = await session.get(Ticket, ticket_id, populate_existing=True)
    assert kept.user_id is None and kept.kind == TicketKind.VIOLATION
    words = await session.scalars(
        select(TicketMessage.text).where(TicketMessage.ticket_id == ticket_id)
    )
    assert list(words) == [""]
    # The person is a stranger now.
    again = await chat.reply_to(PARENT, "/privacy")
    assert texts.PRIVACY_NOTHING.strip() in again.text


async def test_keeping_the_data_changes_nothing(chat, tree, session):
    await add_parent(session, tg_id=PARENT)
    await chat.press(PARENT, PrivacyCb(action=PrivacyAction.KEEP))
    assert chat.recording.last(SendMessage).text == texts.ERASE_KEPT
    assert await telegram_principal(session, PARENT) is not None


async def test_an_officer_sees_the_hotline_statistics(chat, tree, session):
    parent = await add_parent(session, tg_id=PARENT, name="Сидорова Ольга")
    await add_ticket(session, tree.muni.id, user=parent, school_id=tree.school.id, anonymous=True)
    await add_ticket(session, tree.muni2.id)
    now = utcnow()
    await session.execute(Ticket.__table__.update().values(created_at=now, waiting_since=now))
    await session.commit()

    shown = await chat.reply_to(tree.tg.muni_officer, "/hotline_stats")
    assert "Касимов" in shown.text and "1 обращение" in shown.text
    assert "• МБОУ «СШ № 1»: 1" in shown.text and "Сидорова" not in shown.text
    await chat.press(tree.tg.muni_officer, HotlineStatsCb(org_id=tree.muni.id, days=7))
    assert "1 обращение" in chat.recording.last(EditMessageText).text

    region = await chat.reply_to(tree.tg.officer, texts.BTN_HOTLINE_STATS)
    assert "2 обращения" in region.text
    # Another municipality's statistics are refused.
    edits = len(chat.recording.of_type(EditMessageText))
    await chat.press(tree.tg.muni_officer, HotlineStatsCb(org_id=tree.muni2.id, days=7))
    assert chat.recording.last(AnswerCallbackQuery).show_alert
    assert len(chat.recording.of_type(EditMessageText)) == edits
