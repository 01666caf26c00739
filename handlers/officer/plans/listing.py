"""Officer: the list of plans, a plan's card with its measures' progress, reminder days."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks.plans import PlanCb
from bot.channels.telegram.keyboards import plans as kb
from bot.config import Settings
from bot.services import plans, tasks
from bot.services.access import Principal
from bot.texts import plans as ptexts
from bot.texts.formatting import format_date


async def _plan_list(
    session: AsyncSession, principal: Principal, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
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


async def _plan_card(
    session: AsyncSession, principal: Principal, plan_id: int, page: int, default_tz: str
) -> tuple[str, InlineKeyboardMarkup]:
    view = await plans.get_plan(session, principal, plan_id)
    progress = await tasks.plan_progress(session, principal, view.id, default_tz=default_tz)
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
    callback: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    text, markup = await _plan_card(
        session, principal, callback_data.plan_id, callback_data.page, settings.default_timezone
    )
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


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
    callback: CallbackQuery,
    callback_data: PlanCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    if not 0 <= callback_data.preset < len(ptexts.OFFSET_PRESETS):
        await callback.answer(texts.STALE_BUTTON, show_alert=True)
        return
    chosen = await plans.set_reminder_offsets(
        session, principal, callback_data.plan_id, ptexts.OFFSET_PRESETS[callback_data.preset]
    )
    text, markup = await _plan_card(
        session, principal, callback_data.plan_id, 0, settings.default_timezone
    )
    await callback.answer(ptexts.OFFSETS_SAVED.format(current=ptexts.offsets_text(chosen)))
    await callback.message.edit_text(text, reply_markup=markup)
