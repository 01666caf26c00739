"""Officer: the organisation's FAQ — list, add form, edit a field, reorder, delete."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks.faq import (
    FaqAdminAction,
    FaqAdminCb,
    FaqEditCb,
    FaqFormAction,
    FaqFormCb,
    FaqTopicCb,
)
from bot.channels.telegram.keyboards import faq as kb
from bot.config import Settings
from bot.domain.enums import TicketTopic
from bot.domain.errors import ValidationError
from bot.services import orgs
from bot.services.access import Principal
from bot.services.hotline import faq
from bot.services.hotline.faq import FaqDraft, FaqEntryView, FaqField
from bot.texts import faq as texts
from bot.texts.errors import error_text

q = common.q
LIMITS = {
    FaqField.QUESTION: faq.MAX_QUESTION,
    FaqField.ANSWER: faq.MAX_ANSWER,
    FaqField.KEYWORDS: faq.MAX_KEYWORDS,
}


class FaqForm(StatesGroup):
    topic = State()
    question = State()
    answer = State()
    keywords = State()
    preview = State()


class FaqEdit(StatesGroup):
    value = State()


def build_router() -> Router:
    router = Router(name="officer.faq")
    router.message.register(cmd_faq_edit, Command("faq_edit"))
    router.message.register(cmd_faq_edit, F.text == texts.BTN_FAQ_MANAGE)
    admin = FaqAdminCb.filter
    router.callback_query.register(on_list, admin(F.action == FaqAdminAction.LIST))
    router.callback_query.register(on_open, admin(F.action == FaqAdminAction.OPEN))
    router.callback_query.register(on_add, admin(F.action == FaqAdminAction.ADD))
    router.callback_query.register(on_ask_delete, admin(F.action == FaqAdminAction.ASK_DELETE))
    router.callback_query.register(on_delete, admin(F.action == FaqAdminAction.DELETE))
    router.callback_query.register(
        on_move, admin(F.action.in_({FaqAdminAction.UP, FaqAdminAction.DOWN}))
    )
    router.callback_query.register(
        on_form_topic, FaqForm.topic, FaqTopicCb.filter(F.entry_id == 0)
    )
    router.message.register(form_question_entered, FaqForm.question, F.text)
    router.message.register(form_answer_entered, FaqForm.answer, F.text)
    router.message.register(form_keywords_entered, FaqForm.keywords, F.text)
    router.callback_query.register(
        on_skip_keywords, FaqForm.keywords, FaqFormCb.filter(F.action == FaqFormAction.SKIP)
    )
    router.callback_query.register(
        on_save, FaqForm.preview, FaqFormCb.filter(F.action == FaqFormAction.SAVE)
    )
    router.message.register(edit_value_entered, FaqEdit.value, F.text)
    router.message.register(
        form_text_invalid,
        StateFilter(FaqForm.question, FaqForm.answer, FaqForm.keywords, FaqEdit.value),
    )
    router.callback_query.register(on_edit, FaqEditCb.filter())
    router.callback_query.register(on_edit_topic, FaqTopicCb.filter(F.entry_id > 0))
    return router


def card(entry: FaqEntryView | FaqDraft) -> str:
    return texts.FAQ_CARD.format(
        question=q(entry.question),
        answer=q(entry.answer),
        topic=texts.TOPIC_NAMES[TicketTopic(entry.topic)],
        keywords=q(entry.keywords) or texts.FAQ_NO_KEYWORDS,
    )


async def _list_screen(
    session: AsyncSession, principal: Principal, org_id: int, page: int, tz: str
):
    org = await orgs.get_org(session, principal, org_id, tz)
    entries = await faq.list_managed(session, principal, org_id)
    if not entries:
        return texts.FAQ_ADMIN_EMPTY.format(org=q(org.name)), kb.admin_list(org_id, [], 0, 1)
    items, page, pages = keyboards.page_of(entries, page)
    text = texts.FAQ_ADMIN_LIST.format(org=q(org.name), count=len(entries))
    return text, kb.admin_list(org_id, [(e.id, e.question) for e in items], page, pages)


async def _card_screen(session: AsyncSession, principal: Principal, entry_id: int, page: int):
    entry, place, count = await faq.managed_place(session, principal, entry_id)
    text = card(entry) + texts.FAQ_PLACE.format(place=place, count=count)
    return text, kb.admin_card(entry.id, entry.org_id, page)


async def cmd_faq_edit(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await state.clear()
    roots = await orgs.officer_roots(session, principal, settings.default_timezone)
    if len(roots) != 1:
        await message.answer(
            texts.FAQ_CHOOSE_ORG, reply_markup=kb.orgs([(o.id, o.name) for o in roots])
        )
        return
    text, markup = await _list_screen(
        session, principal, roots[0].id, 0, settings.default_timezone
    )
    await message.answer(text, reply_markup=markup)


async def on_list(
    callback: CallbackQuery,
    callback_data: FaqAdminCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await state.clear()
    text, markup = await _list_screen(
        session, principal, callback_data.org_id, callback_data.page, settings.default_timezone
    )
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_open(
    callback: CallbackQuery,
    callback_data: FaqAdminCb,
    session: AsyncSession,
    principal: Principal,
) -> None:
    text, markup = await _card_screen(
        session, principal, callback_data.entry_id, callback_data.page
    )
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_add(
    callback: CallbackQuery,
    callback_data: FaqAdminCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    # The right to add is checked now, not after the officer typed the whole entry.
    await orgs.get_org(session, principal, callback_data.org_id, settings.default_timezone)
    await state.set_state(FaqForm.topic)
    await state.set_data({"org_id": callback_data.org_id})
    await callback.answer()
    await callback.message.answer(texts.FAQ_ASK_TOPIC, reply_markup=kb.topics())


async def on_form_topic(
    callback: CallbackQuery, callback_data: FaqTopicCb, state: FSMContext
) -> None:
    await state.update_data(topic=callback_data.topic.value)
    await state.set_state(FaqForm.question)
    await callback.answer()
    await callback.message.edit_text(texts.FAQ_ASK_QUESTION.format(limit=faq.MAX_QUESTION))


async def _clean(message: Message, field: FaqField) -> str | None:
    """The entered text as it will be stored, or None after telling what is wrong."""
    try:
        return faq.clean_field(field, message.text)
    except ValidationError as exc:
        await message.answer(error_text(exc) if exc.details else texts.FAQ_TEXT_INVALID)
        return None


async def form_question_entered(message: Message, state: FSMContext) -> None:
    value = await _clean(message, FaqField.QUESTION)
    if value is None:
        return
    await state.update_data(question=value)
    await state.set_state(FaqForm.answer)
    await message.answer(texts.FAQ_ASK_ANSWER.format(limit=faq.MAX_ANSWER))


async def form_answer_entered(message: Message, state: FSMContext) -> None:
    value = await _clean(message, FaqField.ANSWER)
    if value is None:
        return
    await state.update_data(answer=value)
    await state.set_state(FaqForm.keywords)
    await message.answer(texts.FAQ_ASK_KEYWORDS, reply_markup=kb.skip_keywords())


async def form_keywords_entered(message: Message, state: FSMContext) -> None:
    value = await _clean(message, FaqField.KEYWORDS)
    if value is None:
        return
    await _preview(message, state, value)


async def on_skip_keywords(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await _preview(callback.message, state, "")


async def _preview(message: Message, state: FSMContext, keywords: str) -> None:
    data = await state.update_data(keywords=keywords)
    await state.set_state(FaqForm.preview)
    draft = FaqDraft(data["topic"], data["question"], data["answer"], keywords)
    await message.answer(texts.FAQ_PREVIEW.format(card=card(draft)), reply_markup=kb.preview())


async def form_text_invalid(message: Message) -> None:
    await message.answer(texts.FAQ_TEXT_INVALID)


async def on_save(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    data = await state.get_data()
    draft = FaqDraft(
        TicketTopic(data["topic"]), data["question"], data["answer"], data["keywords"]
    )
    await faq.add_entry(session, principal, data["org_id"], draft)
    await state.clear()
    await callback.answer(texts.FAQ_SAVED)
    await callback.message.edit_text(f"{texts.FAQ_SAVED}\n\n{card(draft)}")
    text, markup = await _list_screen(
        session, principal, data["org_id"], 0, settings.default_timezone
    )
    await callback.message.answer(text, reply_markup=markup)


async def on_edit(
    callback: CallbackQuery,
    callback_data: FaqEditCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    entry = await faq.get_managed(session, principal, callback_data.entry_id)
    await callback.answer()
    if callback_data.field == FaqField.TOPIC:
        await callback.message.answer(texts.FAQ_ASK_TOPIC, reply_markup=kb.topics(entry.id))
        return
    await state.set_state(FaqEdit.value)
    await state.set_data({"entry_id": entry.id, "field": callback_data.field.value})
    prompt = texts.FAQ_ASK_NEW[callback_data.field.value]
    await callback.message.answer(prompt.format(limit=LIMITS[callback_data.field]))


async def on_edit_topic(
    callback: CallbackQuery,
    callback_data: FaqTopicCb,
    session: AsyncSession,
    principal: Principal,
) -> None:
    await faq.edit_entry(
        session, principal, callback_data.entry_id, FaqField.TOPIC, callback_data.topic.value
    )
    text, markup = await _card_screen(session, principal, callback_data.entry_id, 0)
    await callback.answer(texts.FAQ_UPDATED)
    await callback.message.edit_text(text, reply_markup=markup)


async def edit_value_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    field = FaqField(data["field"])
    value = "" if field == FaqField.KEYWORDS and message.text.strip() == "-" else message.text
    try:
        await faq.edit_entry(session, principal, data["entry_id"], field, value)
    except ValidationError as exc:
        await message.answer(error_text(exc) if exc.details else texts.FAQ_TEXT_INVALID)
        return
    await state.clear()
    text, markup = await _card_screen(session, principal, data["entry_id"], 0)
    await message.answer(f"{texts.FAQ_UPDATED}\n\n{text}", reply_markup=markup)


async def on_ask_delete(
    callback: CallbackQuery,
    callback_data: FaqAdminCb,
    session: AsyncSession,
    principal: Principal,
) -> None:
    entry = await faq.get_managed(session, principal, callback_data.entry_id)
    await callback.answer()
    await callback.message.edit_text(
        texts.FAQ_CONFIRM_DELETE.format(question=q(entry.question)),
        reply_markup=kb.confirm_delete(entry.id, entry.org_id, callback_data.page),
    )


async def on_delete(
    callback: CallbackQuery,
    callback_data: FaqAdminCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    question = await faq.delete_entry(session, principal, callback_data.entry_id)
    done = texts.FAQ_DELETED.format(question=q(question))
    text, markup = await _list_screen(
        session, principal, callback_data.org_id, callback_data.page, settings.default_timezone
    )
    await callback.answer()
    await callback.message.edit_text(f"{done}\n\n{text}", reply_markup=markup)


async def on_move(
    callback: CallbackQuery,
    callback_data: FaqAdminCb,
    session: AsyncSession,
    principal: Principal,
) -> None:
    up = callback_data.action == FaqAdminAction.UP
    await faq.move_entry(session, principal, callback_data.entry_id, up=up)
    text, markup = await _card_screen(
        session, principal, callback_data.entry_id, callback_data.page
    )
    await callback.answer(texts.FAQ_MOVED)
    await callback.message.edit_text(text, reply_markup=markup)
