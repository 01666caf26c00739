"""Anyone: the FAQ by topic — topics, the questions of one, an answer, and back."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks.faq import FaqReadAction, FaqReadCb
from bot.channels.telegram.keyboards import faq as kb
from bot.services.access import Principal
from bot.services.hotline import faq
from bot.texts import faq as texts


def _home(principal: Principal | None) -> int | None:
    return faq.home_org(principal) if principal is not None else None


def build_router() -> Router:
    router = Router(name="parent.faq")
    router.message.register(cmd_faq, Command("faq"))
    router.message.register(cmd_faq, F.text == texts.BTN_FAQ)
    read = FaqReadCb.filter
    router.callback_query.register(on_topics, read(F.action == FaqReadAction.TOPICS))
    router.callback_query.register(on_topic, read(F.action == FaqReadAction.TOPIC))
    router.callback_query.register(on_entry, read(F.action == FaqReadAction.ENTRY))
    return router


async def _topics(session: AsyncSession, principal: Principal | None):
    topics = await faq.list_topics(session, _home(principal))
    if not topics:
        return texts.FAQ_EMPTY, None
    return texts.FAQ_TOPICS, kb.read_topics(topics)


async def cmd_faq(message: Message, session: AsyncSession, principal: Principal | None) -> None:
    text, markup = await _topics(session, principal)
    await message.answer(text, reply_markup=markup)


async def on_topics(
    callback: CallbackQuery, session: AsyncSession, principal: Principal | None
) -> None:
    text, markup = await _topics(session, principal)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_topic(
    callback: CallbackQuery,
    callback_data: FaqReadCb,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    entries = await faq.list_by_topic(session, _home(principal), callback_data.topic)
    if not entries:
        await on_topics(callback, session, principal)
        return
    items, page, pages = keyboards.page_of(entries, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(
        texts.FAQ_TOPIC.format(topic=texts.TOPIC_NAMES[callback_data.topic], count=len(entries)),
        reply_markup=kb.read_topic(
            callback_data.topic, [(e.id, e.question) for e in items], page, pages
        ),
    )


async def on_entry(
    callback: CallbackQuery,
    callback_data: FaqReadCb,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    entry = await faq.read_entry(session, _home(principal), callback_data.entry_id)
    await callback.answer()
    await callback.message.edit_text(
        texts.FAQ_ANSWER.format(question=common.q(entry.question), answer=common.q(entry.answer)),
        reply_markup=kb.read_entry(entry.topic, callback_data.page),
    )
