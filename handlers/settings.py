"""«⚙️ Настройки» and /settings: the reminder hour and quiet hours of any registered user."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message, TelegramObject
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.callbacks.reminders import ReminderSettingsCb, SettingsField
from bot.channels.telegram.keyboards import reminders as keyboards
from bot.config import Settings
from bot.domain.errors import ValidationError
from bot.services import reminders
from bot.services.access import Principal
from bot.texts import reminders as reminder_texts


async def is_registered(event: TelegramObject, principal: Principal | None = None) -> bool:
    return principal is not None and principal.main_role is not None


def build_router() -> Router:
    router = Router(name="settings")
    router.message.filter(is_registered)
    router.callback_query.filter(is_registered)
    router.message.register(cmd_settings, Command("settings"))
    router.message.register(cmd_settings, F.text == texts.BTN_SETTINGS)
    router.callback_query.register(on_settings_change, ReminderSettingsCb.filter())
    return router


def _render(current: reminders.ReminderSettings) -> tuple[str, object]:
    return (
        reminder_texts.settings_text(
            current.hour, current.quiet_start, current.quiet_end, current.send_hour
        ),
        keyboards.reminder_settings(current.hour, current.quiet_start, current.quiet_end),
    )


async def cmd_settings(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings
) -> None:
    current = await reminders.get_settings(session, principal.user_id, settings)
    text, markup = _render(current)
    await message.answer(text, reply_markup=markup)


async def on_settings_change(
    callback: CallbackQuery,
    callback_data: ReminderSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    try:
        if callback_data.field == SettingsField.HOUR:
            current = await reminders.update_settings(
                session, principal.user_id, settings, hour=callback_data.value
            )
        else:
            current = await reminders.update_settings(
                session,
                principal.user_id,
                settings,
                quiet=(callback_data.value, callback_data.end),
            )
    except ValidationError:
        await callback.answer(texts.STALE_BUTTON, show_alert=True)
        return
    text, markup = _render(current)
    if callback.message is not None:
        try:
            await callback.message.edit_text(text, reply_markup=markup)
        except TelegramBadRequest as exc:
            # Pressing the already chosen value leaves the message as it was.
            if "not modified" not in exc.message:
                raise
    await callback.answer(reminder_texts.SETTINGS_SAVED)
