"""Officer: due dates for the measures that wait for an officer's date, one after another."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.callbacks.plans import DueCb, PlanCb
from bot.channels.telegram.keyboards import plans as kb
from bot.config import Settings
from bot.domain.plans.deadlines import ImpossibleDate
from bot.services import plans, tasks
from bot.services.access import Principal
from bot.texts import plans as ptexts
from bot.texts.formatting import format_date
from handlers.officer.plans.form import PlanImport


async def start_dates(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    measure_ids: list[int],
) -> None:
    """Ask for the due date of each of these measures in turn."""
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
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    data = await state.get_data()
    measure_id = data["due_queue"][data["due_index"]]
    try:
        found = await tasks.set_measure_due_typed(
            session, principal, measure_id, message.text, settings.default_timezone
        )
    except ImpossibleDate as exc:
        await message.answer(ptexts.impossible_date(exc.year, exc.month, exc.days))
        return
    if found is None:
        await message.answer(ptexts.BAD_DUE)
        return
    await message.answer(
        ptexts.DUE_SET.format(
            date=format_date(found.due, weekday=True),
            tasks=ptexts.tasks_count(found.stats.total),
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
    await start_dates(callback.message, state, session, principal, [m.id for m in undated])
