"""Officer: the preview of a plan before import, and the choice of its executors."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks.plans import ImportCb
from bot.channels.telegram.keyboards import plans as kb
from bot.domain.plans.executors import ExecutorLevel
from bot.services import plans
from bot.texts import plans as ptexts
from bot.texts.formatting import format_date
from handlers.officer.plans.form import PlanImport, preview_of

PREVIEW_LIST_MAX = 10
LEVELS = list(ExecutorLevel)


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


async def show_preview(
    message: Message, state: FSMContext, data: dict, preview: plans.PlanPreview
) -> None:
    """Send the preview and keep the form at it, with the rows of the executors' screen."""
    data["measures"] = [
        [m.position, m.number, m.title[:30], m.executor.value] for m in preview.measures
    ]
    await state.set_state(PlanImport.preview)
    await state.set_data(data)
    await message.answer(render_preview(preview), reply_markup=kb.import_preview())


def _executor_markup(data: dict, page: int) -> tuple[str, InlineKeyboardMarkup]:
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
    preview = await preview_of(bot, await state.get_data())
    await callback.answer()
    await callback.message.edit_text(render_preview(preview), reply_markup=kb.import_preview())
