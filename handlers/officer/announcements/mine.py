"""«Мои объявления»: the author's announcements, each with its progress and, for those with
«Ознакомлен», who acknowledged (in a message or a workbook) and the reminder to the rest."""

from __future__ import annotations

import asyncio

from aiogram.types import BufferedInputFile, CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.announce_form import MineCb
from bot.channels.telegram.callbacks.announcements import AnnouncementCb
from bot.channels.telegram.keyboards import announcements as kb
from bot.config import Settings
from bot.exports.acks import acks_xlsx
from bot.services.access import Principal
from bot.services.announcements import listing, responses
from bot.texts import announce_form as texts
from bot.texts import announcements as atexts


async def cmd_announcements(message: Message, session: AsyncSession, principal: Principal) -> None:
    page = await listing.list_announcements(session, principal)
    await message.answer(texts.my_list(page), reply_markup=kb.my_list(page))


async def on_page(
    callback: CallbackQuery, callback_data: MineCb, session: AsyncSession, principal: Principal
) -> None:
    page = await listing.list_announcements(session, principal, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(texts.my_list(page), reply_markup=kb.my_list(page))


async def on_open(
    callback: CallbackQuery,
    callback_data: MineCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    found = await listing.card(
        session, principal, callback_data.announcement_id, default_tz=settings.default_timezone
    )
    await callback.answer()
    await callback.message.edit_text(
        texts.card(found, atexts.progress(found.progress)),
        reply_markup=kb.my_card(found, callback_data.page),
    )


async def on_acks_xlsx(
    callback: CallbackQuery,
    callback_data: AnnouncementCb,
    session: AsyncSession,
    principal: Principal,
) -> None:
    report = await responses.ack_report(session, principal, callback_data.announcement_id)
    await callback.answer()
    # A big region's table takes a moment of CPU; the bot keeps answering meanwhile.
    data = await asyncio.to_thread(acks_xlsx, report)
    await callback.message.answer_document(
        BufferedInputFile(data, filename=texts.ACKS_XLSX_NAME.format(id=report.announcement_id)),
        caption=texts.ACKS_XLSX_CAPTION.format(
            id=report.announcement_id,
            acked=report.acknowledged,
            total=report.acknowledged + report.missing,
        ),
    )
