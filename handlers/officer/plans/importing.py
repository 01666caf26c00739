"""Officer: upload a plan document, give its period if it has none, import or cancel it."""

from __future__ import annotations

from pathlib import PurePath

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.keyboards import plans as kb
from bot.config import Settings
from bot.domain.enums import RoleKind
from bot.domain.errors import ValidationError
from bot.domain.plans.models import PlanFormatError
from bot.services import orgs, plans
from bot.services.access import Principal
from bot.texts import plans as ptexts
from bot.texts.errors import error_text
from handlers.officer.plans.dates import start_dates
from handlers.officer.plans.form import (
    PlanImport,
    download,
    keep_plan,
    overrides_of,
    period_of,
    plan_of,
    preview_of,
)
from handlers.officer.plans.preview import show_preview

PLAN_SUFFIXES = {".docx", ".xlsx", ".csv", ".txt", ".tsv"}
# Telegram's Bot API lets bots download files up to 20 MB.
MAX_FILE_SIZE = 20 * 1024 * 1024
PROGRESS_EVERY = 10


def _not_a_plan(name: str, exc: PlanFormatError) -> str:
    return ptexts.NOT_A_PLAN.format(name=texts.q(name), reason=error_text(exc))


async def on_document(message: Message, bot: Bot, state: FSMContext, principal: Principal) -> None:
    document = message.document
    name = document.file_name or "plan"
    suffix = PurePath(name).suffix.lower()
    if suffix not in PLAN_SUFFIXES:
        await message.answer(ptexts.BAD_FILE_TYPE.format(suffix=texts.q(suffix or name)))
        return
    if (document.file_size or 0) > MAX_FILE_SIZE:
        await message.answer(ptexts.FILE_TOO_BIG)
        return
    await state.clear()
    data = {
        "file_id": document.file_id,
        "file_name": name,
        "org_id": principal.org_ids(RoleKind.OFFICER)[0],
        "period": None,
        "overrides": {},
    }
    try:
        parsed = plans.read_plan(await download(bot, document.file_id), name)
        # Read once: the later steps take the plan from the form, not from Telegram.
        keep_plan(data, parsed)
        preview = plans.preview_parsed(parsed)
    except plans.PeriodRequired:
        await state.set_state(PlanImport.period)
        await state.set_data(data)
        await message.answer(ptexts.ASK_PERIOD, reply_markup=kb.import_cancel())
        return
    except PlanFormatError as exc:
        await message.answer(_not_a_plan(name, exc))
        return
    await show_preview(message, state, data, preview)


async def on_ask_period(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(PlanImport.period)
    await callback.answer()
    await callback.message.answer(ptexts.ASK_PERIOD, reply_markup=kb.import_cancel())


async def period_entered(
    message: Message, bot: Bot, state: FSMContext, session: AsyncSession, settings: Settings
) -> None:
    data = await state.get_data()
    today = await orgs.org_today(session, data["org_id"], settings.default_timezone)
    try:
        period = plans.parse_period(message.text, today)
    except ValidationError as exc:
        await message.answer(error_text(exc))
        return
    data["period"] = [period.start.isoformat(), period.end.isoformat()]
    try:
        preview = await preview_of(bot, data)
    except PlanFormatError as exc:
        await state.clear()
        await message.answer(_not_a_plan(data["file_name"], exc))
        return
    await show_preview(message, state, data, preview)


async def period_invalid(message: Message) -> None:
    await message.answer(ptexts.BAD_PERIOD)


async def on_cancel_import(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(ptexts.IMPORT_CANCELLED)


async def on_stale_import(callback: CallbackQuery) -> None:
    await callback.answer(ptexts.IMPORT_EXPIRED, show_alert=True)


async def on_confirm(
    callback: CallbackQuery,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    data = await state.get_data()
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    parsed = await plan_of(bot, data)
    status = await callback.message.answer(ptexts.PROGRESS.format(done=0, total="…"))

    async def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 and done < total:
            await status.edit_text(ptexts.PROGRESS.format(done=done, total=total))

    try:
        result = await plans.import_parsed_plan(
            session,
            principal,
            data["org_id"],
            parsed,
            data["file_name"],
            period_of(data),
            overrides_of(data),
            progress,
        )
    except PlanFormatError as exc:
        await state.clear()
        await status.edit_text(_not_a_plan(data["file_name"], exc))
        return
    view = await plans.get_plan(session, principal, result.plan_id)
    await status.edit_text(
        ptexts.IMPORTED.format(
            title=texts.q(view.title),
            measures=result.measures,
            created=result.created,
            updated=result.updated,
            removed=result.removed,
            tasks=result.tasks,
        )
    )
    await state.clear()
    if result.needs_date:
        await start_dates(callback.message, state, session, principal, result.needs_date)
