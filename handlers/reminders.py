"""Reminder buttons: «⏰ Напомнить завтра»."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.config import Settings
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.services import reminders
from bot.services.access import Principal
from bot.texts import reminders as reminder_texts
from bot.texts.formatting import format_date


def build_router() -> Router:
    router = Router(name="reminders")
    router.callback_query.register(on_snooze, TaskCb.filter(F.action == TaskAction.SNOOZE))
    return router


async def on_snooze(
    callback: CallbackQuery,
    callback_data: TaskCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    try:
        snoozed = await reminders.snooze(
            session, principal.user_id, callback_data.task_id, datetime.now(UTC), settings
        )
    except (AccessDenied, NotFound):
        await callback.answer(texts.STALE_BUTTON, show_alert=True)
        return
    except ValidationError:
        await callback.answer(reminder_texts.SNOOZE_TASK_CLOSED, show_alert=True)
        return
    template = reminder_texts.SNOOZED if snoozed.created else reminder_texts.SNOOZE_ALREADY
    await callback.answer(template.format(date=format_date(snoozed.day), hour=snoozed.hour))
