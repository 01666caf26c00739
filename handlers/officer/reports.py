"""Officer: reports in chat — summary, overdue list, XLSX workbook and PNG chart."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TypeVar

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.chat_action import ChatActionSender
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common_texts
from bot.channels.telegram.callbacks.confirmations import ReportCb, ReportKind
from bot.channels.telegram.keyboards import confirmations as kb
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.domain.reports import Report
from bot.exports.chart import build_chart
from bot.services import orgs
from bot.services.access import Principal
from bot.services.hotline.stats import HotlineStats, report_with_hotline
from bot.services.reports import build_report
from bot.texts import confirmations as confirm_texts
from bot.texts import reports as texts
from bot.texts.errors import error_text
from bot.texts.formatting import format_date
from bot.texts.summary import PREPARING_FAILED, render_overdue, render_summary_parts
from storage.base import utcnow

logger = logging.getLogger(__name__)
T = TypeVar("T")


def build_router() -> Router:
    router = Router(name="officer.reports")
    router.message.register(cmd_report, Command("report"))
    router.message.register(cmd_report, F.text == common_texts.BTN_REPORTS)
    router.callback_query.register(on_menu, ReportCb.filter(F.kind == ReportKind.MENU))
    router.callback_query.register(
        on_text, ReportCb.filter(F.kind.in_({ReportKind.SUMMARY, ReportKind.OVERDUE}))
    )
    router.callback_query.register(
        on_file, ReportCb.filter(F.kind.in_({ReportKind.XLSX, ReportKind.CHART}))
    )
    return router


async def cmd_report(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings
) -> None:
    roots = await orgs.officer_roots(session, principal, settings.default_timezone)
    if len(roots) == 1:
        await message.answer(
            texts.MENU.format(org=confirm_texts.short(roots[0].name, 200)),
            reply_markup=kb.report_menu(roots[0].id),
        )
        return
    await message.answer(
        texts.CHOOSE_SCOPE, reply_markup=kb.report_scopes([(o.id, o.name) for o in roots])
    )


async def on_menu(
    callback: CallbackQuery,
    callback_data: ReportCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    org = await orgs.get_org(session, principal, callback_data.org_id, settings.default_timezone)
    await callback.answer()
    await callback.message.edit_text(
        texts.MENU.format(org=confirm_texts.short(org.name, 200)),
        reply_markup=kb.report_menu(org.id),
    )


async def on_text(
    callback: CallbackQuery,
    callback_data: ReportCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await callback.answer()
    # The database query is the slow part for a big region, so the progress note comes first;
    # the summary then takes its place.
    progress = await callback.message.answer(texts.PREPARING)
    async with ChatActionSender.typing(chat_id=callback.message.chat.id, bot=callback.bot):
        report = await _guarded(
            progress,
            callback_data,
            build_report(
                session, principal, callback_data.org_id, utcnow(), settings.default_timezone
            ),
        )
    if report is None:
        return
    if callback_data.kind == ReportKind.SUMMARY:
        parts = render_summary_parts(report)
    else:
        parts = [render_overdue(report)]
    await progress.edit_text(parts[0])
    for part in parts[1:]:
        await callback.message.answer(part)


async def on_file(
    callback: CallbackQuery,
    callback_data: ReportCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await callback.answer()
    progress = await callback.message.answer(texts.PREPARING)
    xlsx = callback_data.kind == ReportKind.XLSX
    action = ChatActionSender.upload_document if xlsx else ChatActionSender.upload_photo
    async with action(chat_id=callback.message.chat.id, bot=callback.bot):
        sent = await _guarded(
            progress,
            callback_data,
            _build_and_send(callback.message, session, principal, callback_data, settings),
        )
    if sent:
        await progress.edit_text(texts.READY)


async def _build_and_send(
    message: Message,
    session: AsyncSession,
    principal: Principal,
    callback_data: ReportCb,
    settings: Settings,
) -> bool:
    if callback_data.kind == ReportKind.XLSX:
        report, hotline = await report_with_hotline(
            session, principal, callback_data.org_id, utcnow(), settings.default_timezone
        )
        await _send_xlsx(message, report, hotline)
        return True
    report = await build_report(
        session, principal, callback_data.org_id, utcnow(), settings.default_timezone
    )
    await _send_chart(message, report)
    return True


async def _guarded(progress: Message, callback_data: ReportCb, work: Awaitable[T]) -> T | None:
    """Run ``work``; on failure say so in the progress note and return None."""
    try:
        return await work
    except DomainError as exc:
        await progress.edit_text(error_text(exc))
    except Exception:
        # The callback is answered already, so the error handler could not tell the officer:
        # the progress note does, and the traceback is logged here.
        logger.exception("report %s of org %s failed", callback_data.kind, callback_data.org_id)
        await progress.edit_text(PREPARING_FAILED)
    return None


async def _send_xlsx(message: Message, report: Report, hotline: HotlineStats) -> None:
    # openpyxl is loaded by the first workbook, not by the bot's start.
    from bot.exports.xlsx import build_xlsx

    day = report.generated_at.date()
    # Workbooks and charts of a big region take seconds of CPU; the bot keeps answering.
    data = await asyncio.to_thread(build_xlsx, report, hotline)
    await message.answer_document(
        BufferedInputFile(data, filename=texts.XLSX_NAME.format(date=day.isoformat())),
        caption=texts.XLSX_CAPTION.format(
            org=confirm_texts.short(report.scope, 200), date=format_date(day)
        ),
    )


async def _send_chart(message: Message, report: Report) -> None:
    day = report.generated_at.date()
    data = await asyncio.to_thread(build_chart, report)
    await message.answer_photo(
        BufferedInputFile(data, filename=texts.CHART_NAME.format(date=day.isoformat())),
        caption=texts.CHART_CAPTION.format(
            org=confirm_texts.short(report.scope, 200), date=format_date(day)
        ),
    )
