"""Parent: the optional school, found by typing part of its name."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks import ParentAction, ParentCb
from bot.services import access, orgs
from bot.services.access import Principal
from handlers.menu import send_menu


class ParentSchool(StatesGroup):
    query = State()


def build_router() -> Router:
    router = Router(name="parent.school")
    router.message.register(cmd_school, Command("school"))
    router.message.register(school_query_entered, ParentSchool.query, F.text)
    router.message.register(school_query_invalid, ParentSchool.query)
    router.callback_query.register(on_pick, ParentCb.filter(F.action == ParentAction.PICK))
    router.callback_query.register(on_skip, ParentCb.filter(F.action == ParentAction.SKIP))
    return router


async def ask_school(message: Message, state: FSMContext) -> None:
    await state.set_state(ParentSchool.query)
    await message.answer(texts.ASK_PARENT_SCHOOL, reply_markup=keyboards.school_choices([]))


async def cmd_school(message: Message, state: FSMContext) -> None:
    await ask_school(message, state)


async def school_query_entered(message: Message, session: AsyncSession) -> None:
    found = await orgs.search_schools(session, message.text)
    if not found:
        await message.answer(
            texts.PARENT_SCHOOL_NOT_FOUND.format(query=texts.q(message.text[:100])),
            reply_markup=keyboards.school_choices([]),
        )
        return
    await message.answer(
        texts.PARENT_SCHOOL_CHOOSE,
        reply_markup=keyboards.school_choices([(s.id, s.name, s.place) for s in found]),
    )


async def school_query_invalid(message: Message) -> None:
    await message.answer(texts.PARENT_SCHOOL_INVALID)


async def on_pick(
    callback: CallbackQuery,
    callback_data: ParentCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    name = await access.set_parent_school(session, principal, callback_data.org_id)
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(texts.PARENT_SCHOOL_SAVED.format(name=texts.q(name)))
    await send_menu(callback.message, session, principal)


async def on_skip(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(texts.PARENT_SCHOOL_SKIPPED)
    await send_menu(callback.message, session, principal)
