"""Catch-all: whatever no other router took gets a short hint, never silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from bot import texts
from bot.services.access import Principal


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(on_unknown_in_form, ~StateFilter(None))
    router.message.register(on_unknown)
    router.callback_query.register(on_stale_button)
    return router


async def on_unknown_in_form(message: Message) -> None:
    await message.answer(texts.UNEXPECTED_IN_FORM)


async def on_unknown(message: Message, principal: Principal | None = None) -> None:
    if principal is None or principal.main_role is None:
        await message.answer(texts.NOT_REGISTERED)
    else:
        await message.answer(texts.UNKNOWN_COMMAND)


async def on_stale_button(callback: CallbackQuery) -> None:
    await callback.answer(texts.STALE_BUTTON, show_alert=True)
