"""Catch-all: whatever no other router took gets a short hint, never silence."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.domain.enums import RoleKind
from bot.services.access import Principal
from handlers.parent import ask


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(on_unknown_in_form, ~StateFilter(None))
    # Anyone who is not staff and writes outside a form is asking the hotline something.
    router.message.register(
        on_question,
        F.chat.type == ChatType.PRIVATE,
        F.text | F.caption | F.photo | F.document | F.voice,
        ~F.text.startswith("/"),
        IsAsker(),
    )
    router.message.register(on_unknown)
    router.callback_query.register(on_stale_button)
    return router


class IsAsker(Filter):
    """People who are not officers, coordinators or operators (and strangers)."""

    async def __call__(self, event: TelegramObject, principal: Principal | None = None) -> bool:
        staff = (RoleKind.OFFICER, RoleKind.COORDINATOR, RoleKind.OPERATOR)
        return principal is None or not any(principal.has(role) for role in staff)


async def on_question(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    await ask.start_form(message, state, session, principal, ask.prefill_of(message))


async def on_unknown_in_form(message: Message) -> None:
    await message.answer(texts.UNEXPECTED_IN_FORM)


async def on_unknown(message: Message, principal: Principal | None = None) -> None:
    if principal is None or principal.main_role is None:
        await message.answer(texts.NOT_REGISTERED)
    else:
        await message.answer(texts.UNKNOWN_COMMAND)


async def on_stale_button(callback: CallbackQuery) -> None:
    await callback.answer(texts.STALE_BUTTON, show_alert=True)
