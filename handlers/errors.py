"""The one error handler: friendly texts for domain errors, a logged traceback for the rest."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from bot import texts
from bot.domain.errors import DomainError, HotlineBanned
from bot.texts.errors import error_text

logger = logging.getLogger(__name__)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_domain_error, ExceptionTypeFilter(DomainError))
    router.errors.register(on_unchanged_message, ExceptionTypeFilter(TelegramBadRequest))
    router.errors.register(on_error)
    return router


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.message is not None:
        await update.message.answer(text)


async def on_domain_error(event: ErrorEvent) -> None:
    logger.info("domain error %s in update %s", event.exception.code, event.update.update_id)
    if isinstance(event.exception, HotlineBanned) and event.exception.details.get("told"):
        # A banned person is told once; a button of theirs is only stopped from spinning.
        if event.update.callback_query is not None:
            await event.update.callback_query.answer()
        return
    await _tell(event, error_text(event.exception))


async def on_unchanged_message(event: ErrorEvent) -> None:
    # Pressing the same button twice edits a message into itself; Telegram refuses that.
    if "message is not modified" in str(event.exception):
        if event.update.callback_query is not None:
            await event.update.callback_query.answer()
        return
    await on_error(event)


async def on_error(event: ErrorEvent) -> None:
    logger.error("update %s failed", event.update.update_id, exc_info=event.exception)
    await _tell(event, texts.ERROR)
