"""Officer: upload a plan, preview and confirm it, set missing dates, see plans' progress."""

from __future__ import annotations

import io
from datetime import date
from pathlib import PurePath

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks.plans import (
    DueAction,
    DueCb,
    ImportAction,
    ImportCb,
    PlanAction,
    PlanCb,
)
from bot.channels.telegram.keyboards import plans as kb
from bot.domain.enums import RoleKind
from bot.domain.errors import ValidationError
from bot.domain.plans.deadlines import ImpossibleDate, PlanPeriod, parse_typed_date
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.models import PlanFormatError
from bot.services import plans, tasks
from bot.services.access import Principal
from bot.texts import plans as ptexts
from bot.texts.formatting import format_date
from storage.base import utcnow

PLAN_SUFFIXES = {".docx", ".xlsx", ".csv", ".txt", ".tsv"}
# Telegram's Bot API lets bots download files up to 20 MB.
MAX_FILE_SIZE = 20 * 1024 * 1024
PROGRESS_EVERY = 10
PREVIEW_LIST_MAX = 10
LEVELS = list(ExecutorLevel)


class PlanImport(StatesGroup):
    preview = State()
    period = State()
    due = State()


def build_router() -> Router:
    router = Router(name="officer.plans")
    router.message.register(cmd_plans, Command("plans"))
    router.message.register(cmd_plans, F.text == texts.BTN_PLANS)
    router.message.register(on_document, F.document, StateFilter(None, *PlanImport.__states__))
    preview = (PlanImport.preview,)
    router.callback_query.register(
        on_confirm, *preview, ImportCb.filter(F.action == ImportAction.CONFIRM)
    )
    router.callback_query.register(
        on_ask_period, *preview, ImportCb.filter(F.action == ImportAction.PERIOD)
    )
    router.callback_query.register(
        on_executors, *preview, ImportCb.filter(F.action == ImportAction.EXECUTORS)
    )
    router.callback_query.register(
        on_cycle, *preview, ImportCb.filter(F.action == ImportAction.CYCLE)
    )
    router.callback_query.register(on_all, *preview, ImportCb.filter(F.action == ImportAction.ALL))
    router.callback_query.register(
        on_back_to_preview, *preview, ImportCb.filter(F.action == ImportAction.PREVIEW)
    )
    router.callback_query.register(
        on_cancel_import,
        StateFilter(PlanImport.preview, PlanImport.period),
        ImportCb.filter(F.action == ImportAction.CANCEL),
    )
    router.callback_query.register(on_stale_import, ImportCb.filter())
    router.message.register(period_entered, PlanImport.period, F.text)
    router.message.register(period_invalid, PlanImport.period)
    router.message.register(due_entered, PlanImport.due, F.text)
    router.message.register(due_invalid, PlanImport.due)
    router.callback_query.register(
        on_skip_due, PlanImport.due, DueCb.filter(F.action == DueAction.SKIP)
    )
    router.callback_query.register(on_plan_list, PlanCb.filter(F.action == PlanAction.LIST))
    router.callback_query.register(on_plan_open, PlanCb.filter(F.action == PlanAction.OPEN))
    router.callback_query.register(on_plan_dates, PlanCb.filter(F.action == PlanAction.DATES))
    router.callback_query.register(on_offsets, PlanCb.filter(F.action == PlanAction.OFFSETS))
    router.callback_query.register(
        on_set_offsets, PlanCb.filter(F.action == PlanAction.SET_OFFSETS)
    )
    return router


# --- upload and preview -------------------------------------------------------


async def _download(bot: Bot, file_id: str) -> bytes:
    buffer = await bot.download(file_id, destination=io.BytesIO())
    return buffer.getvalue()


def _period_of(data: dict) -> PlanPeriod | None:
    if not data.get("period"):
        return None
    start, end = data["period"]
    return PlanPeriod(date.fromisoformat(start), date.fromisoformat(end))


def _overrides(data: dict) -> dict[int, ExecutorLevel]:
    return {int(pos): ExecutorLevel(level) for pos, level in data.get("overrides", {}).items()}


def render_preview(preview: plans.PlanPreview) -> str:
    """The officer's summary of a document before import."""
    needs_date = ""
    if preview.needs_date:
        items = [
            ptexts.PREVIEW_NEEDS_DATE_ITEM.format(
                number=texts.q(m.number),
                title=texts.q(m.title[:80]),
                text=texts.q(m.deadline_text),
            )
            for m in preview.needs_date[:PREVIEW_LIST_MAX]
        ]
        if len(preview.needs_date) > PREVIEW_LIST_MAX:
            items.append("…")
        needs_date = ptexts.PREVIEW_NEEDS_DATE.format(
            count=len(preview.needs_date), items="\n".join(items)
        )
    review = preview.needs_review
    return ptexts.PREVIEW.format(
        title=texts.q(preview.title[:300]),
        approved=ptexts.PREVIEW_APPROVED.format(date=format_date(preview.approved))
        if preview.approved
        else "",
        start=format_date(preview.period.start),
        end=format_date(preview.period.end),
        period_source="" if preview.period_from_document else ptexts.PREVIEW_FROM_OFFICER,
        total=len(preview.measures),
        kinds="\n".join(
            ptexts.PREVIEW_LINE.format(name=ptexts.KIND_NAMES[k], count=n)
            for k, n in preview.by_kind.items()
        ),
        executors="\n".join(
            ptexts.PREVIEW_LINE.format(name=ptexts.EXECUTOR_NAMES[k], count=n)
            for k, n in preview.by_executor.items()
        ),
        needs_date=needs_date,
        needs_review=ptexts.PREVIEW_NEEDS_REVIEW.format(count=review) if review else "",
    )


async def _preview(bot: Bot, data: dict) -> plans.PlanPreview:
    content = await _download(bot, data["file_id"])
    preview = plans.preview_plan(content, data["file_name"], _period_of(data))
    return preview.with_executors(_overrides(data))


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
        preview = await _preview(bot, data)
    except plans.PeriodRequired:
        await state.set_state(PlanImport.period)
        await state.set_data(data)
        await message.answer(ptexts.ASK_PERIOD, reply_markup=kb.import_cancel())
        return
    except PlanFormatError as exc:
        await message.answer(
            ptexts.NOT_A_PLAN.format(name=texts.q(name), reason=texts.q(str(exc)))
        )
        return
    await _show_preview(message, state, data, preview)


async def _show_preview(
    message: Message, state: FSMContext, data: dict, preview: plans.PlanPreview
) -> None:
    data["measures"] = [
        [m.position, m.number, m.title[:30], m.executor.value] for m in preview.measures
    ]
    await state.set_state(PlanImport.preview)
    await state.set_data(data)
    await message.answer(render_preview(preview), reply_markup=kb.import_preview())


async def on_ask_period(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(PlanImport.period)
    await callback.answer()
    await callback.message.answer(ptexts.ASK_PERIOD, reply_markup=kb.import_cancel())


async def period_entered(message: Message, bot: Bot, state: FSMContext) -> None:
    try:
        period = plans.parse_period(message.text)
    except ValidationError as exc:
        await message.answer(ptexts.error_text(exc.code, exc.details))
        return
    data = await state.get_data()
    data["period"] = [period.start.isoformat(), period.end.isoformat()]
    try:
        preview = await _preview(bot, data)
    except PlanFormatError as exc:
        await state.clear()
        await message.answer(
            ptexts.NOT_A_PLAN.format(name=texts.q(data["file_name"]), reason=texts.q(str(exc)))
        )
        return
    await _show_preview(message, state, data, preview)


async def period_invalid(message: Message) -> None:
    await message.answer(ptexts.BAD_PERIOD)


def _executor_markup(data: dict, page: int):
    overrides = data.get("overrides", {})
    rows = [
        (pos, number, title, overrides.get(str(pos), level))
        for pos, number, title, level in data.get("measures", [])
    ]
    items, page, pages = keyboards.page_of(rows, page)
    head = ptexts.EXECUTORS_HEAD.format(page=texts.PAGE.format(page=page + 1, pages=pages))
    return head, kb.executor_list(items, page, pages)


async def on_executors(
    callback: CallbackQuery, callback_data: ImportCb, state: FSMContext
) -> None:
    text, markup = _executor_markup(await state.get_data(), callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_cycle(callback: CallbackQuery, callback_data: ImportCb, state: FSMContext) -> None:
    data = await state.get_data()
    defaults = {str(pos): level for pos, _, _, level in data.get("measures", [])}
    key = str(callback_data.position)
    if key not in defaults:
        await callback.answer(texts.STALE_BUTTON, show_alert=True)
        return
    overrides = dict(data.get("overrides", {}))
    current = ExecutorLevel(overrides.get(key, defaults[key]))
    overrides[key] = LEVELS[(LEVELS.index(current) + 1) % len(LEVELS)].value
    await state.update_data(overrides=overrides)
    data["overrides"] = overrides
    text, markup = _executor_markup(data, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_all(callback: CallbackQuery, callback_data: ImportCb, state: FSMContext) -> None:
    try:
        level = ExecutorLevel(callback_data.level)
    except ValueError:
        await callback.answer(texts.STALE_BUTTON, show_alert=True)
        return
    data = await state.get_data()
    overrides = {str(pos): level.value for pos, *_ in data.get("measures", [])}
    await state.update_data(overrides=overrides)
    data["overrides"] = overrides
    text, markup = _executor_markup(data, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_back_to_preview(callback: CallbackQuery, bot: Bot, state: FSMContext) -> None:
    preview = await _preview(bot, await state.get_data())
    await callback.answer()
    await callback.message.edit_text(render_preview(preview), reply_markup=kb.import_preview())


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
    content = await _download(bot, data["file_id"])
    status = await callback.message.answer(ptexts.PROGRESS.format(done=0, total="…"))

    async def progress(done: int, total: int) -> None:
        if done % PROGRESS_EVERY == 0 and done < total:
            await status.edit_text(ptexts.PROGRESS.format(done=done, total=total))

    try:
        result = await plans.import_plan(
            session,
            principal,
            data["org_id"],
            content,
            data["file_name"],
            _period_of(data),
            _overrides(data),
            progress,
        )
    except PlanFormatError as exc:
        await state.clear()
        await status.edit_text(
            ptexts.NOT_A_PLAN.format(name=texts.q(data["file_name"]), reason=texts.q(str(exc)))
        )
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
        await _start_dates(callback.message, state, session, principal, result.needs_date)


# --- dates for measures without one ---------------------------------------------


async def _start_dates(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    measure_ids: list[int],
) -> None:
    await state.set_state(PlanImport.due)
    await state.set_data({"due_queue": measure_ids, "due_index": 0})
    await _ask_due(message, state, session, principal)


async def _ask_due(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    queue, index = data.get("due_queue", []), data.get("due_index", 0)
    if index >= len(queue):
        await state.clear()
        await message.answer(ptexts.DUES_DONE)
        return
    measure = await plans.get_measure(session, principal, queue[index])
    await message.answer(
        ptexts.ASK_DUE.format(
            index=index + 1,
            total=len(queue),
            number=texts.q(measure.number),
            title=texts.q(measure.title[:300]),
            text=texts.q(measure.deadline_text),
        ),
        reply_markup=kb.due_skip(measure.id),
    )


async def due_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    try:
        due = parse_typed_date(message.text, utcnow().date())
    except ImpossibleDate as exc:
        await message.answer(ptexts.impossible_date(exc.year, exc.month, exc.days))
        return
    if due is None:
        await message.answer(ptexts.BAD_DUE)
        return
    data = await state.get_data()
    measure_id = data["due_queue"][data["due_index"]]
    stats = await tasks.set_measure_due(session, principal, measure_id, due)
    await message.answer(
        ptexts.DUE_SET.format(
            date=format_date(due, weekday=True), tasks=ptexts.tasks_count(stats.total)
        )
    )
    await state.update_data(due_index=data["due_index"] + 1)
    await _ask_due(message, state, session, principal)


async def due_invalid(message: Message) -> None:
    await message.answer(ptexts.BAD_DUE)


async def on_skip_due(
    callback: CallbackQuery,
    callback_data: DueCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    data = await state.get_data()
    queue, index = data.get("due_queue", []), data.get("due_index", 0)
    await callback.answer()
    if index < len(queue) and queue[index] == callback_data.measure_id:
        await state.update_data(due_index=index + 1)
        await _ask_due(callback.message, state, session, principal)


# --- plans and their progress ---------------------------------------------------


async def _plan_list(session: AsyncSession, principal: Principal, page: int):
    found = await plans.list_plans(session, principal)
    if not found:
        return ptexts.PLANS_EMPTY, None
    items, page, pages = keyboards.page_of(found, page)
    text = ptexts.PLANS_HEAD.format(
        count=len(found), page=texts.PAGE.format(page=page + 1, pages=pages)
    )
    labels = [
        (p.id, ptexts.PLAN_BUTTON.format(title=p.title[:40], org=p.org_name[:20])) for p in items
    ]
    return text, kb.plan_list(labels, page, pages)


async def cmd_plans(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.clear()
    text, markup = await _plan_list(session, principal, 0)
    await message.answer(text, reply_markup=markup)


async def on_plan_list(
    callback: CallbackQuery, callback_data: PlanCb, session: AsyncSession, principal: Principal
) -> None:
    text, markup = await _plan_list(session, principal, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


def _progress_line(item: tasks.MeasureProgress) -> str:
    if item.total == 0:
        progress, mark = (
            ptexts.PLAN_LINE_NO_TASKS,
            "❔" if item.deadline_kind == "unspecified" else "▫️",
        )
    else:
        progress = ptexts.PLAN_LINE_PROGRESS.format(
            done=item.done,
            total=item.total,
            review=ptexts.PLAN_LINE_REVIEW.format(count=item.on_review) if item.on_review else "",
            overdue=ptexts.PLAN_LINE_OVERDUE.format(count=item.overdue) if item.overdue else "",
        )
        mark = "✅" if item.done == item.total else "⚠️" if item.overdue else "🔹"
    return ptexts.PLAN_LINE.format(
        mark=mark,
        number=texts.q(item.number),
        title=texts.q(item.title[:100]),
        text=texts.q(item.deadline_text[:60] or "—"),
        progress=progress,
    )


async def _plan_card(session: AsyncSession, principal: Principal, plan_id: int, page: int):
    view = await plans.get_plan(session, principal, plan_id)
    progress = await tasks.plan_progress(session, principal, view.id)
    items, page, pages = keyboards.page_of(progress, page)
    text = ptexts.PLAN_CARD.format(
        title=texts.q(view.title[:300]),
        org=texts.q(view.org_name),
        start=format_date(view.period_start),
        end=format_date(view.period_end),
        measures=view.measures,
        needs_date=ptexts.PLAN_NEEDS_DATE.format(count=view.needs_date) if view.needs_date else "",
        lines="\n".join(_progress_line(item) for item in items),
        page=texts.PAGE.format(page=page + 1, pages=pages),
    )
    measures = [(item.measure_id, item.number) for item in items]
    return text, kb.plan_card(view.id, page, pages, view.needs_date, measures)


async def on_plan_open(
    callback: CallbackQuery, callback_data: PlanCb, session: AsyncSession, principal: Principal
) -> None:
    text, markup = await _plan_card(session, principal, callback_data.plan_id, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_plan_dates(
    callback: CallbackQuery,
    callback_data: PlanCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    undated = await plans.list_undated_measures(session, principal, callback_data.plan_id)
    await callback.answer()
    if not undated:
        await callback.message.answer(ptexts.DUES_DONE)
        return
    await _start_dates(callback.message, state, session, principal, [m.id for m in undated])


async def on_offsets(
    callback: CallbackQuery, callback_data: PlanCb, session: AsyncSession, principal: Principal
) -> None:
    view = await plans.get_plan(session, principal, callback_data.plan_id)
    current = view.reminder_offsets or ptexts.OFFSET_PRESETS[0]
    await callback.answer()
    await callback.message.edit_text(
        ptexts.OFFSETS_SCREEN.format(
            title=texts.q(view.title[:200]), current=ptexts.offsets_text(current)
        ),
        reply_markup=kb.offset_presets(view.id),
    )


async def on_set_offsets(
    callback: CallbackQuery, callback_data: PlanCb, session: AsyncSession, principal: Principal
) -> None:
    if not 0 <= callback_data.preset < len(ptexts.OFFSET_PRESETS):
        await callback.answer(texts.STALE_BUTTON, show_alert=True)
        return
    chosen = await plans.set_reminder_offsets(
        session, principal, callback_data.plan_id, ptexts.OFFSET_PRESETS[callback_data.preset]
    )
    text, markup = await _plan_card(session, principal, callback_data.plan_id, 0)
    await callback.answer(ptexts.OFFSETS_SAVED.format(current=ptexts.offsets_text(chosen)))
    await callback.message.edit_text(text, reply_markup=markup)
