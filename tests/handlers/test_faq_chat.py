"""The officer's FAQ form and screens, and a parent reading the FAQ, through feed_update."""

from __future__ import annotations

from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot.channels.telegram.callbacks.faq import (
    FaqAdminAction,
    FaqAdminCb,
    FaqEditCb,
    FaqFormAction,
    FaqFormCb,
    FaqReadAction,
    FaqReadCb,
    FaqTopicCb,
)
from bot.domain.enums import TicketTopic
from bot.services.hotline.faq import FaqField
from bot.texts import faq as texts
from storage.models import FaqEntry
from tests.support.hotline import add_parent
from tests.support.updates import document_update


def _buttons(message) -> dict[str, str]:
    rows = message.reply_markup.inline_keyboard
    return {button.text: button.callback_data for row in rows for button in row}


async def _entries(session) -> list[FaqEntry]:
    query = select(FaqEntry).order_by(FaqEntry.position).execution_options(populate_existing=True)
    return list((await session.scalars(query)).all())


async def test_an_officer_adds_an_entry_through_the_form(chat, tree, session):
    officer = tree.tg.muni_officer
    empty = await chat.reply_to(officer, "/faq_edit")
    assert "пока ни одного" in empty.text
    add = _buttons(empty)[texts.BTN_FAQ_ADD]

    await chat.press(officer, FaqAdminCb.unpack(add))
    assert chat.recording.last(SendMessage).text == texts.FAQ_ASK_TOPIC
    await chat.press(officer, FaqTopicCb(topic=TicketTopic.VPR))
    assert "Напишите вопрос" in chat.recording.last(EditMessageText).text
    await chat.feed(document_update(officer))
    assert chat.recording.last(SendMessage).text == texts.FAQ_TEXT_INVALID
    assert "ответ" in (await chat.reply_to(officer, "Когда будут <результаты> ВПР?")).text
    keywords = await chat.reply_to(officer, "Через две недели после проверки.")
    assert keywords.text == texts.FAQ_ASK_KEYWORDS
    preview = await chat.reply_to(officer, "оценки, баллы")
    assert "&lt;результаты&gt;" in preview.text and "оценки, баллы" in preview.text
    assert await _entries(session) == []

    await chat.press(officer, FaqFormCb(action=FaqFormAction.SAVE))
    (entry,) = await _entries(session)
    assert (entry.org_id, entry.topic, entry.question, entry.keywords) == (
        tree.muni.id,
        TicketTopic.VPR,
        "Когда будут <результаты> ВПР?",
        "оценки, баллы",
    )
    listing = chat.recording.last(SendMessage)
    assert "Касимов" in listing.text and "Когда будут <результаты> ВПР?" in _buttons(listing)


async def test_an_officer_edits_moves_and_deletes_with_a_confirmation(chat, tree, session):
    officer = tree.tg.muni_officer
    session.add_all(
        [
            FaqEntry(org_id=tree.muni.id, topic="vpr", question="Первый?", answer="А", position=1),
            FaqEntry(org_id=tree.muni.id, topic="gia", question="Второй?", answer="Б", position=2),
        ]
    )
    await session.commit()
    first, second = await _entries(session)

    await chat.press(officer, FaqEditCb(entry_id=first.id, field=FaqField.ANSWER))
    updated = await chat.reply_to(officer, "Новый ответ")
    assert texts.FAQ_UPDATED in updated.text and "Новый ответ" in updated.text

    await chat.press(officer, FaqAdminCb(action=FaqAdminAction.DOWN, entry_id=first.id))
    assert "Место в списке: 2 из 2" in chat.recording.last(EditMessageText).text
    assert [e.id for e in await _entries(session)] == [second.id, first.id]

    await chat.press(officer, FaqAdminCb(action=FaqAdminAction.ASK_DELETE, entry_id=second.id))
    assert "Удалить вопрос «Второй?»" in chat.recording.last(EditMessageText).text
    assert len(await _entries(session)) == 2
    await chat.press(
        officer, FaqAdminCb(action=FaqAdminAction.DELETE, org_id=tree.muni.id, entry_id=second.id)
    )
    assert "удалён" in chat.recording.last(EditMessageText).text
    assert [e.id for e in await _entries(session)] == [first.id]


async def test_a_forged_button_for_another_municipalitys_entry_is_refused(chat, tree, session):
    entry = FaqEntry(org_id=tree.muni2.id, topic="vpr", question="Мегион?", answer="Да")
    session.add(entry)
    await session.commit()
    officer = tree.tg.muni_officer
    for data in (
        FaqAdminCb(action=FaqAdminAction.DELETE, org_id=tree.muni.id, entry_id=entry.id),
        FaqAdminCb(action=FaqAdminAction.OPEN, entry_id=entry.id),
        FaqEditCb(entry_id=entry.id, field=FaqField.QUESTION),
        FaqTopicCb(topic=TicketTopic.GIA, entry_id=entry.id),
        FaqAdminCb(action=FaqAdminAction.ADD, org_id=tree.muni2.id),
    ):
        await chat.press(officer, data)
        alert = chat.recording.last(AnswerCallbackQuery)
        assert alert.show_alert and "нет доступа" in alert.text
    assert not chat.recording.of_type(EditMessageText)
    kept = await session.get(FaqEntry, entry.id, populate_existing=True)
    assert (kept.question, kept.topic) == ("Мегион?", TicketTopic.VPR)


async def test_a_parent_browses_topics_questions_and_an_answer(chat, tree, session):
    await add_parent(session, tg_id=700, school=tree.school.id)
    session.add_all(
        [
            FaqEntry(org_id=tree.muni.id, topic="vpr", question="Когда ВПР?", answer="В <марте>"),
            FaqEntry(org_id=tree.muni2.id, topic="gia", question="Чужой?", answer="Нет"),
        ]
    )
    await session.commit()
    topics = await chat.reply_to(700, "/faq")
    assert topics.text == texts.FAQ_TOPICS
    assert list(_buttons(topics)) == ["ВПР (1)"]

    await chat.press(700, FaqReadCb(action=FaqReadAction.TOPIC, topic=TicketTopic.VPR))
    listing = chat.recording.last(EditMessageText)
    entry_data = _buttons(listing)["Когда ВПР?"]
    await chat.press(700, FaqReadCb.unpack(entry_data))
    answer = chat.recording.last(EditMessageText)
    assert answer.text == "<b>Когда ВПР?</b>\n\nВ &lt;марте&gt;"
    assert texts.BTN_TOPICS in _buttons(answer)

    other = (await session.scalars(select(FaqEntry).where(FaqEntry.question == "Чужой?"))).one()
    await chat.press(700, FaqReadCb(action=FaqReadAction.ENTRY, entry_id=other.id))
    assert chat.recording.last(AnswerCallbackQuery).show_alert


async def test_a_stranger_reads_the_faq_too(chat, tree, session):
    session.add(FaqEntry(org_id=tree.muni2.id, topic="gia", question="ГИА?", answer="Да"))
    await session.commit()
    topics = await chat.reply_to(9999, "/faq")
    assert list(_buttons(topics)) == ["ГИА (1)"]


async def test_a_long_faq_is_paged_and_a_topic_changed(chat, tree, session):
    session.add_all(
        FaqEntry(
            org_id=tree.muni.id, topic="vpr", question=f"Вопрос {n:02d}?", answer="Да", position=n
        )
        for n in range(1, 11)
    )
    await session.commit()
    officer = tree.tg.muni_officer
    first = await chat.reply_to(officer, "/faq_edit")
    assert "Вопрос 08?" in _buttons(first) and "Вопрос 09?" not in _buttons(first)
    await chat.press(officer, FaqAdminCb.unpack(_buttons(first)["▶️"]))
    second = chat.recording.last(EditMessageText)
    assert "Вопрос 09?" in _buttons(second) and "1/2" not in _buttons(second)

    entry = FaqAdminCb.unpack(_buttons(second)["Вопрос 10?"])
    await chat.press(officer, FaqEditCb(entry_id=entry.entry_id, field=FaqField.TOPIC))
    await chat.press(officer, FaqTopicCb(topic=TicketTopic.NIKO, entry_id=entry.entry_id))
    changed = chat.recording.last(EditMessageText)
    assert "Тема: НИКО" in changed.text and "Место в списке: 10 из 10" in changed.text
