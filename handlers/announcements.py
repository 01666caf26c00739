"""Buttons of announcements: a recipient's «Ознакомлен» or offer to observe, and the
author's stop, «Кто ознакомлен» and reminder to the rest."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.announcements import AnnouncementAction, AnnouncementCb
from bot.config import Settings
from bot.domain.errors import AccessDenied
from bot.services.access import Principal
from bot.services.announcements import responses, sending
from bot.texts import announcements as texts


def build_router() -> Router:
    router = Router(name="announcements")
    actions = {
        AnnouncementAction.ACK: on_ack,
        AnnouncementAction.VOLUNTEER: on_volunteer,
        AnnouncementAction.CANCEL: on_cancel,
        AnnouncementAction.ACKS: on_acks,
        AnnouncementAction.REMIND: on_remind,
    }
    for action, handler in actions.items():
        router.callback_query.register(handler, AnnouncementCb.filter(F.action == action))
    return router


def _principal(principal: Principal | None) -> Principal:
    if principal is None:
        raise AccessDenied()
    return principal


async def on_ack(
    callback: CallbackQuery,
    callback_data: AnnouncementCb,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    await responses.acknowledge(session, _principal(principal), callback_data.announcement_id)
    await callback.answer(texts.ACKED)
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)


async def on_volunteer(
    callback: CallbackQuery,
    callback_data: AnnouncementCb,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    await responses.volunteer(session, _principal(principal), callback_data.announcement_id)
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.edit_reply_markup(reply_markup=None)
        await callback.message.answer(texts.VOLUNTEER_THANKS)


async def on_cancel(
    callback: CallbackQuery,
    callback_data: AnnouncementCb,
    session: AsyncSession,
    principal: Principal | None,
    settings: Settings,
) -> None:
    state = await sending.cancel(
        session,
        _principal(principal),
        callback_data.announcement_id,
        default_tz=settings.default_timezone,
    )
    await callback.answer(texts.CANCELLED.format(n=state.not_sent), show_alert=True)
    if isinstance(callback.message, Message):
        await callback.message.edit_text(texts.progress(state), reply_markup=None)


async def on_acks(
    callback: CallbackQuery,
    callback_data: AnnouncementCb,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    report = await responses.ack_report(
        session, _principal(principal), callback_data.announcement_id
    )
    await callback.answer()
    if isinstance(callback.message, Message):
        await callback.message.answer(texts.ack_report(report))


async def on_remind(
    callback: CallbackQuery,
    callback_data: AnnouncementCb,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    queued = await responses.remind_unacknowledged(
        session, _principal(principal), callback_data.announcement_id
    )
    text = texts.REMINDED.format(n=queued) if queued else texts.NOBODY_TO_REMIND
    await callback.answer(text, show_alert=True)
