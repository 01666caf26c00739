"""Officers keep their organisation's FAQ; people read it by topic and get it suggested."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.domain.enums import TicketTopic
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.services.hotline import faq
from bot.services.hotline.faq import FaqDraft, FaqField
from storage.models import FaqDeflection
from tests.support.factories import telegram_principal

RESULTS = FaqDraft(
    topic=TicketTopic.VPR,
    question="Когда будут известны результаты ВПР?",
    answer="Результаты ВПР школа сообщает в течение двух недель после проверки работ.",
    keywords="оценки, баллы, итоги",
)
GIA_APPEAL = FaqDraft(
    topic=TicketTopic.GIA,
    question="Как подать апелляцию о несогласии с выставленными баллами ГИА?",
    answer="В течение двух рабочих дней после объявления результатов.",
    keywords="апелляция, несогласие",
)


async def _officers(session, tree):
    region = await telegram_principal(session, tree.tg.officer)
    muni = await telegram_principal(session, tree.tg.muni_officer)
    return region, muni


async def test_officer_adds_edits_reorders_and_deletes_entries(session, tree):
    _, officer = await _officers(session, tree)
    first = await faq.add_entry(session, officer, tree.muni.id, RESULTS)
    second = await faq.add_entry(session, officer, tree.muni.id, GIA_APPEAL)
    assert [e.question for e in await faq.list_managed(session, officer, tree.muni.id)] == [
        RESULTS.question,
        GIA_APPEAL.question,
    ]

    edited = await faq.edit_entry(session, officer, first.id, FaqField.ANSWER, "  Через неделю. ")
    assert edited.answer == "Через неделю."
    moved = await faq.move_entry(session, officer, second.id, up=True)
    assert [e.id for e in moved] == [second.id, first.id]
    # Moving the top entry up changes nothing.
    assert [e.id for e in await faq.move_entry(session, officer, second.id, up=True)] == [
        second.id,
        first.id,
    ]

    assert await faq.delete_entry(session, officer, second.id) == GIA_APPEAL.question
    assert [e.id for e in await faq.list_managed(session, officer, tree.muni.id)] == [first.id]


async def test_empty_and_too_long_texts_are_refused(session, tree):
    _, officer = await _officers(session, tree)
    with pytest.raises(ValidationError):
        await faq.add_entry(
            session, officer, tree.muni.id, FaqDraft(TicketTopic.VPR, "   ", "Ответ")
        )
    entry = await faq.add_entry(session, officer, tree.muni.id, RESULTS)
    with pytest.raises(ValidationError) as error:
        await faq.edit_entry(session, officer, entry.id, FaqField.QUESTION, "в" * 301)
    assert error.value.details == {"limit": 300}


async def test_an_officer_of_another_municipality_cannot_touch_the_entries(session, tree):
    region, officer = await _officers(session, tree)
    entry = await faq.add_entry(session, region, tree.muni2.id, RESULTS)
    with pytest.raises(AccessDenied):
        await faq.edit_entry(session, officer, entry.id, FaqField.QUESTION, "Чужой вопрос")
    with pytest.raises(AccessDenied):
        await faq.delete_entry(session, officer, entry.id)
    with pytest.raises(AccessDenied):
        await faq.move_entry(session, officer, entry.id, up=False)
    with pytest.raises(AccessDenied):
        await faq.add_entry(session, officer, tree.muni2.id, RESULTS)
    with pytest.raises(NotFound):
        await faq.get_managed(session, officer, entry.id + 100)
    assert (await faq.get_managed(session, region, entry.id)).question == RESULTS.question


async def test_a_parent_reads_the_entries_of_the_schools_organisations_up_the_tree(session, tree):
    region, _ = await _officers(session, tree)
    regional = await faq.add_entry(session, region, tree.region.id, GIA_APPEAL)
    local = await faq.add_entry(session, region, tree.muni.id, RESULTS)
    elsewhere = await faq.add_entry(session, region, tree.muni2.id, RESULTS)

    topics = await faq.list_topics(session, tree.school.id)
    assert topics == [(TicketTopic.VPR, 1), (TicketTopic.GIA, 1)]
    assert [e.id for e in await faq.list_by_topic(session, tree.school.id, TicketTopic.VPR)] == [
        local.id
    ]
    assert (await faq.read_entry(session, tree.school.id, regional.id)).answer
    with pytest.raises(NotFound):
        await faq.read_entry(session, tree.school.id, elsewhere.id)
    # Without a school a person sees every organisation's entries.
    everything = await faq.list_by_topic(session, None, TicketTopic.VPR)
    assert {e.id for e in everything} == {local.id, elsewhere.id}


@pytest.mark.parametrize(
    "text",
    [
        "Где узнать оценки за ВПР?",
        "когда станут известны итоги впр по математике",
        "Скажите, пожалуйста, результаты всероссийской проверочной работы уже известны?",
    ],
)
async def test_a_rephrased_question_is_suggested(session, tree, text):
    region, _ = await _officers(session, tree)
    entry = await faq.add_entry(session, region, tree.muni.id, RESULTS)
    await faq.add_entry(session, region, tree.muni.id, GIA_APPEAL)
    found = await faq.suggest(session, tree.school.id, text)
    assert [s.id for s in found][:1] == [entry.id]
    assert found[0].answer == RESULTS.answer


@pytest.mark.parametrize(
    "text", ["Привет", "ок", "Как записаться в кружок робототехники?", "спасибо!", "???"]
)
async def test_an_unrelated_text_matches_nothing(session, tree, text):
    region, _ = await _officers(session, tree)
    await faq.add_entry(session, region, tree.muni.id, RESULTS)
    await faq.add_entry(session, region, tree.muni.id, GIA_APPEAL)
    assert await faq.suggest(session, tree.school.id, text) == []


async def test_suggestions_come_from_the_persons_organisations_only(session, tree):
    region, _ = await _officers(session, tree)
    await faq.add_entry(session, region, tree.muni2.id, GIA_APPEAL)
    text = "Как подать апелляцию на баллы ГИА?"
    assert await faq.suggest(session, tree.school.id, text) == []
    assert [s.question for s in await faq.suggest(session, None, text)] == [GIA_APPEAL.question]


async def test_a_deflection_is_counted_for_the_organisation(session, tree):
    region, _ = await _officers(session, tree)
    entry = await faq.add_entry(session, region, tree.muni.id, RESULTS)
    await faq.count_deflection(session, entry.id, tree.school.id)
    await faq.count_deflection(session, entry.id, None)
    rows = (await session.scalars(select(FaqDeflection).order_by(FaqDeflection.id))).all()
    assert [(r.faq_id, r.org_id) for r in rows] == [
        (entry.id, tree.school.id),
        (entry.id, tree.muni.id),
    ]
    # A deleted entry's deflections stay counted.
    await faq.delete_entry(session, region, entry.id)
    total = await session.scalar(select(func.count(FaqDeflection.id)))
    assert total == 2
