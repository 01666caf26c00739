"""The preview's buttons: send now, schedule at a local time, change the text or the
audience, discard; then the progress message the scheduler keeps up to date."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram import render
from bot.channels.telegram.callbacks.announce_form import DraftCb
from bot.config import Settings
from bot.domain.enums import AnnouncementStatus
from bot.domain.errors import ValidationError
from bot.domain.messages import Address, Channel
from bot.services.access import Principal
from bot.services.announcements import sending
from bot.services.announcements.views import Progress
from bot.texts import announce_form as texts
from bot.texts.formatting import format_datetime
from handlers.officer.announcements.form import AnnounceForm, ask_audience

SCHEDULE_FORMAT = "%d.%m.%Y %H:%M"


async def _watch(
    message: Message, session: AsyncSession, principal: Principal, state: Progress
) -> None:
    """The author's progress message, registered to be edited as the delivery goes."""
    shown = sending.progress_message(state)
    sent = await message.answer(shown.text, reply_markup=render.keyboard(shown))
    address = Address(Channel.TELEGRAM, str(message.chat.id))
    await sending.watch_from(session, principal, state.announcement_id, address, sent.message_id)


async def _forget(state: FSMContext, announcement_id: int) -> None:
    """Leave the form when it was this draft's (an older preview leaves a newer form alone)."""
    if (await state.get_data()).get("draft_id") == announcement_id:
        await state.clear()


async def on_send(
    callback: CallbackQuery,
    callback_data: DraftCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    # A second press finds the announcement no longer a draft: the service refuses it.
    progress = await sending.send(
        session, principal, callback_data.announcement_id, default_tz=settings.default_timezone
    )
    await _forget(state, callback_data.announcement_id)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(texts.SENT.format(id=progress.announcement_id))
    await _watch(callback.message, session, principal, progress)


async def on_schedule(
    callback: CallbackQuery,
    callback_data: DraftCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    form = await state.get_state()
    if (
        form is not None
        and (await state.get_data()).get("draft_id") != callback_data.announcement_id
    ):
        await callback.answer(texts.STALE_PREVIEW, show_alert=True)
        return
    found = await sending.progress(
        session, principal, callback_data.announcement_id, default_tz=settings.default_timezone
    )
    if found.status != AnnouncementStatus.DRAFT:
        raise ValidationError("announcement_not_draft")
    await state.set_state(AnnounceForm.schedule)
    await state.update_data(draft_id=found.announcement_id, tz=found.timezone)
    await callback.answer()
    await callback.message.answer(
        texts.ASK_SCHEDULE.format(tz=found.timezone, example=texts.SCHEDULE_EXAMPLE)
    )


def parse_local(text: str, tz: str) -> datetime | None:
    """«15.03.2026 09:00» in the zone ``tz`` as a UTC moment; None when it is not one."""
    try:
        local = datetime.strptime(" ".join(text.split()), SCHEDULE_FORMAT).replace(
            tzinfo=ZoneInfo(tz)
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


async def schedule_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    data = await state.get_data()
    tz = data.get("tz") or settings.default_timezone
    at = parse_local(message.text, tz)
    if at is None:
        await message.answer(texts.SCHEDULE_BAD.format(example=texts.SCHEDULE_EXAMPLE))
        return
    now = datetime.now(UTC)
    if at <= now:
        await message.answer(texts.SCHEDULE_PAST.format(tz=tz, now=format_datetime(now, tz)))
        return
    progress = await sending.send(
        session, principal, data["draft_id"], at=at, default_tz=settings.default_timezone
    )
    await state.clear()
    await message.answer(texts.scheduled(progress.announcement_id, at, tz))
    await _watch(message, session, principal, progress)


async def schedule_invalid(message: Message) -> None:
    await message.answer(texts.SCHEDULE_BAD.format(example=texts.SCHEDULE_EXAMPLE))


async def _current(callback: CallbackQuery, callback_data: DraftCb, state: FSMContext) -> bool:
    """Whether the pressed preview is the form's latest; an alert when it is not."""
    if (await state.get_data()).get("draft_id") == callback_data.announcement_id:
        return True
    await callback.answer(texts.STALE_PREVIEW, show_alert=True)
    return False


async def on_edit_text(callback: CallbackQuery, callback_data: DraftCb, state: FSMContext) -> None:
    if not await _current(callback, callback_data, state):
        return
    await state.update_data(editing="text")
    await state.set_state(AnnounceForm.text)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(texts.ASK_TEXT_AGAIN)


async def on_edit_audience(
    callback: CallbackQuery,
    callback_data: DraftCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    if not await _current(callback, callback_data, state):
        return
    await state.update_data(editing="audience")
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await ask_audience(callback.message, state, session, principal, bot)


async def on_discard(callback: CallbackQuery, callback_data: DraftCb, state: FSMContext) -> None:
    if not await _current(callback, callback_data, state):
        return
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(texts.DISCARDED, reply_markup=None)


async def on_preview_button(callback: CallbackQuery) -> None:
    await callback.answer(texts.PREVIEW_BUTTON, show_alert=True)
