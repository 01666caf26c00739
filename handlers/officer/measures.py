"""Officer: one measure of a plan, and changing its deadline."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.callbacks.plans import MeasureAction, MeasureCb
from bot.channels.telegram.keyboards import plans as kb
from bot.domain.errors import ValidationError
from bot.services import plans, tasks
from bot.services.access import Principal
from bot.texts import plans as ptexts
from bot.texts.errors import error_text
from bot.texts.formatting import format_date


class MeasureEdit(StatesGroup):
    deadline = State()


def build_router() -> Router:
    router = Router(name="officer.measures")
    router.callback_query.register(on_open, MeasureCb.filter(F.action == MeasureAction.OPEN))
    router.callback_query.register(on_edit, MeasureCb.filter(F.action == MeasureAction.EDIT))
    router.message.register(measure_deadline_entered, MeasureEdit.deadline, F.text)
    router.message.register(measure_deadline_invalid, MeasureEdit.deadline)
    return router


def render_measure(view: plans.MeasureView) -> str:
    shown = view.due[:6]
    dates = ", ".join(format_date(day) for day in shown) + ("…" if len(view.due) > 6 else "")
    return ptexts.MEASURE_CARD.format(
        number=texts.q(view.number),
        title=texts.q(view.title[:600]),
        section=ptexts.MEASURE_SECTION.format(section=texts.q(view.section[:200]))
        if view.section
        else "",
        responsible=texts.q(view.responsible[:300] or "—"),
        executor=ptexts.EXECUTOR_NAMES.get(view.executor_level, view.executor_level),
        text=texts.q(view.deadline_text[:300]),
        kind=ptexts.KIND_NAMES.get(view.deadline_kind, view.deadline_kind),
        dates=ptexts.MEASURE_DATES.format(dates=dates) if shown else "",
        review=ptexts.MEASURE_REVIEW if view.needs_review else "",
    )


async def on_open(
    callback: CallbackQuery, callback_data: MeasureCb, session: AsyncSession, principal: Principal
) -> None:
    view = await plans.get_measure(session, principal, callback_data.measure_id)
    await callback.answer()
    await callback.message.edit_text(
        render_measure(view),
        reply_markup=kb.measure_card(view.id, view.plan_id, callback_data.page),
    )


async def on_edit(
    callback: CallbackQuery,
    callback_data: MeasureCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    view = await plans.get_measure(session, principal, callback_data.measure_id)
    await state.set_state(MeasureEdit.deadline)
    await state.set_data({"measure_id": view.id, "page": callback_data.page})
    await callback.answer()
    await callback.message.answer(ptexts.ASK_DEADLINE.format(text=texts.q(view.deadline_text)))


async def measure_deadline_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    try:
        stats = await tasks.change_measure_deadline(
            session, principal, data["measure_id"], message.text[:500]
        )
    except ValidationError as exc:
        await message.answer(error_text(exc))
        return
    await state.clear()
    await message.answer(
        ptexts.DEADLINE_CHANGED.format(
            total=stats.total, created=stats.created, changed=stats.changed, deleted=stats.deleted
        )
    )
    view = await plans.get_measure(session, principal, data["measure_id"])
    await message.answer(
        render_measure(view), reply_markup=kb.measure_card(view.id, view.plan_id, data["page"])
    )


async def measure_deadline_invalid(message: Message) -> None:
    await message.answer(ptexts.DEADLINE_INVALID)
