"""Composing an announcement after its audience: the text, files, the response button and
the assessment a volunteer call is for; «Отмена» at any step."""

from __future__ import annotations

import asyncio

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram.attachments import attachments_of
from bot.channels.telegram.callbacks.announce_form import ComposeCb
from bot.channels.telegram.keyboards import announcements as kb
from bot.config import Settings
from bot.domain.enums import ResponseKind
from bot.services.access import Principal
from bot.services.announcements import listing, sending
from bot.texts import announce_form as texts
from bot.texts.errors import error_text
from handlers.officer.announcements.form import (
    ALBUM_PREFIX,
    FILE_PREFIX,
    AnnounceForm,
    ask_files,
    ask_response,
    files_of,
    show_preview,
)

# Album parts arrive within moments of each other; the last one answers for all.
ALBUM_WAIT = 1.0


async def text_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    # Telegram's entities as HTML, what the person typed escaped: bold, italics, links stay.
    text = message.html_text
    if len(text) > sending.MAX_TEXT:
        await message.answer(error_text("text_too_long", {"limit": sending.MAX_TEXT}))
        return
    await state.update_data(text=text)
    if (await state.get_data()).get("editing"):
        await show_preview(message, state, session, principal, bot)
        return
    await ask_files(message, state)


async def text_invalid(message: Message) -> None:
    await message.answer(texts.TEXT_EXPECTED)


async def files_entered(message: Message, state: FSMContext) -> None:
    found = attachments_of(message)
    update = {
        f"{FILE_PREFIX}{item.file_ref}": {
            "kind": item.kind,
            "file_ref": item.file_ref,
            "name": item.name,
            "n": message.message_id,
        }
        for item in found
    }
    # The storage merges atomically, so album parts arriving at once never overwrite each other.
    data = await state.update_data(update)
    if len(files_of(data)) > sending.MAX_FILES:
        # Parts arriving together all got in; the ones past the limit step back.
        data = await state.update_data(dict.fromkeys(update))
        await message.answer(texts.FILES_TOO_MANY.format(limit=sending.MAX_FILES))
        return
    group = message.media_group_id
    if group:
        key = ALBUM_PREFIX + group
        await state.update_data({key: message.message_id})
        await asyncio.sleep(ALBUM_WAIT)
        if await state.get_state() != AnnounceForm.files.state:
            return
        data = await state.get_data()
        if data.get(key) != message.message_id:
            return  # a later part came meanwhile and answers for the album
    await message.answer(
        texts.FILES_ADDED.format(n=len(files_of(data)), done=texts.BTN_DONE),
        reply_markup=kb.files(True),
    )


async def files_invalid(message: Message, state: FSMContext) -> None:
    has_files = bool(files_of(await state.get_data()))
    await message.answer(
        texts.FILES_EXPECTED.format(done=texts.BTN_DONE, none=texts.BTN_NO_FILES),
        reply_markup=kb.files(has_files),
    )


async def on_files_done(callback: CallbackQuery, state: FSMContext) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await ask_response(callback.message, state)


async def on_response(
    callback: CallbackQuery,
    callback_data: ComposeCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    bot: Bot,
) -> None:
    choices = {k.value: k for k in ResponseKind}
    response = choices.get(callback_data.value)
    if response is None:
        await callback.answer(common.STALE_BUTTON, show_alert=True)
        return
    data = await state.get_data()
    if response == ResponseKind.VOLUNTEER:
        found = await listing.call_events(
            session, principal, data["org_id"], default_tz=settings.default_timezone
        )
        if not found:
            await callback.answer(texts.NO_EVENTS, show_alert=True)
            return
        await state.update_data(response=response.value)
        await state.set_state(AnnounceForm.event)
        await callback.answer()
        await callback.message.edit_text(texts.ASK_EVENT, reply_markup=kb.events(found))
        return
    await state.update_data(response=response.value, event_id=None)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await show_preview(callback.message, state, session, principal, bot)


async def on_event(
    callback: CallbackQuery,
    callback_data: ComposeCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
    bot: Bot,
) -> None:
    data = await state.get_data()
    found = await listing.call_events(
        session, principal, data["org_id"], default_tz=settings.default_timezone
    )
    if callback_data.id not in {e.id for e in found}:
        await callback.answer(common.STALE_BUTTON, show_alert=True)
        return
    await state.update_data(event_id=callback_data.id)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await show_preview(callback.message, state, session, principal, bot)


async def on_cancel(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(texts.FORM_CANCELLED, reply_markup=None)


async def step_invalid(message: Message) -> None:
    await message.answer(common.UNEXPECTED_IN_FORM)
