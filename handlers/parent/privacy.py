"""Anyone: /privacy — what is kept and why, the formal appeal channel, erasing one's data."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram.callbacks.faq import PrivacyAction, PrivacyCb
from bot.channels.telegram.commands import publish_role_commands
from bot.channels.telegram.keyboards import faq as kb
from bot.config import Settings
from bot.services.access import Principal
from bot.services.hotline import faq, privacy
from bot.texts import faq as texts


def build_router() -> Router:
    router = Router(name="parent.privacy")
    router.message.register(cmd_privacy, Command("privacy"))
    router.callback_query.register(
        on_ask_erase, PrivacyCb.filter(F.action == PrivacyAction.ASK_ERASE)
    )
    router.callback_query.register(on_erase, PrivacyCb.filter(F.action == PrivacyAction.ERASE))
    router.callback_query.register(on_keep, PrivacyCb.filter(F.action == PrivacyAction.KEEP))
    return router


async def cmd_privacy(
    message: Message, session: AsyncSession, principal: Principal | None, settings: Settings
) -> None:
    home = faq.home_org(principal) if principal is not None else None
    info = await privacy.privacy_info(session, home, default_appeal=settings.hotline_appeal_url)
    erasable = principal is not None and privacy.can_erase(principal)
    text = texts.PRIVACY.format(appeal=common.q(info.appeal_url))
    if principal is None:
        text += texts.PRIVACY_NOTHING
    elif not erasable:
        text += texts.PRIVACY_STAFF
    await message.answer(text, reply_markup=kb.privacy(erasable), disable_web_page_preview=True)


async def on_ask_erase(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=kb.confirm_erase())


async def on_erase(
    callback: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    if principal is None:
        await callback.answer(common.STALE_BUTTON, show_alert=True)
        return
    erased = await privacy.erase_my_data(session, principal.user_id)
    # A form kept in Redis is out of the service's reach; this chat's is cleared here.
    await state.clear()
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(
        texts.ERASED.format(tickets=texts.tickets(erased.tickets)),
        reply_markup=ReplyKeyboardRemove(),
    )
    await publish_role_commands(bot, callback.from_user.id, None)


async def on_keep(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(texts.ERASE_KEPT)
