"""The coordinator's request to move a task's deadline: a new date and a reason."""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.channels.telegram.keyboards import confirmations as kb
from bot.channels.telegram.notifier import Notifier
from bot.config import Settings
from bot.domain.errors import ValidationError
from bot.domain.plans.deadlines import ImpossibleDate, parse_typed_date
from bot.services import confirmations as svc
from bot.services import transfers
from bot.services.access import Principal
from bot.texts import confirmations as texts
from bot.texts import plans as ptexts
from bot.texts.formatting import format_date
from handlers.coordinator.confirm.common import TransferForm, head


def build_router() -> Router:
    router = Router(name="coordinator.confirm.transfer")
    router.callback_query.register(on_transfer, TaskCb.filter(F.action == TaskAction.TRANSFER))
    router.message.register(transfer_date_entered, TransferForm.new_date, F.text)
    router.message.register(transfer_date_invalid, TransferForm.new_date)
    router.message.register(transfer_reason_entered, TransferForm.reason, F.text)
    router.message.register(transfer_reason_invalid, TransferForm.reason)
    return router


async def on_transfer(
    callback: CallbackQuery,
    callback_data: TaskCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    try:
        task = await transfers.task_to_transfer(session, principal, callback_data.task_id)
    except ValidationError as exc:
        await callback.answer(texts.validation(exc.code, exc.details), show_alert=True)
        return
    await state.set_state(TransferForm.new_date)
    await state.set_data({"task_id": task.id, "org_id": task.org_id})
    await callback.answer()
    await callback.message.answer(texts.ASK_NEW_DATE.format(task=head(task)))


async def transfer_date_entered(
    message: Message, state: FSMContext, session: AsyncSession, settings: Settings
) -> None:
    data = await state.get_data()
    today = await transfers.local_today(session, data["org_id"], settings.default_timezone)
    try:
        new_due = parse_typed_date(message.text, today)
    except ImpossibleDate as exc:
        await message.answer(ptexts.impossible_date(exc.year, exc.month, exc.days))
        return
    if new_due is None:
        await message.answer(texts.DATE_INVALID)
        return
    try:
        transfers.check_new_date(new_due, today)
    except ValidationError as exc:
        await message.answer(texts.validation(exc.code, exc.details))
        return
    await state.update_data(new_due=new_due.isoformat())
    await state.set_state(TransferForm.reason)
    await message.answer(texts.ASK_TRANSFER_REASON.format(date=format_date(new_due, True)))


async def transfer_date_invalid(message: Message) -> None:
    await message.answer(texts.DATE_INVALID)


async def transfer_reason_entered(
    message: Message,
    state: FSMContext,
    notifier: Notifier,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    data = await state.get_data()
    today = await transfers.local_today(session, data["org_id"], settings.default_timezone)
    try:
        view = await transfers.request_transfer(
            session,
            principal,
            data["task_id"],
            date.fromisoformat(data["new_due"]),
            message.text,
            today,
        )
    except ValidationError as exc:
        await message.answer(texts.validation(exc.code, exc.details))
        if exc.code != "reason_required":
            await state.clear()
        return
    await state.clear()
    await message.answer(texts.TRANSFER_SENT.format(date=format_date(view.new_due)))
    await notifier.notify(
        session,
        await svc.officers_of(session, view.task.org_id),
        texts.transfer_request(
            view.task.org_name,
            view.task.title,
            view.old_due,
            view.new_due,
            view.reason,
            view.requested_by,
        ),
        kb.transfer_decision(view.id).model_dump(exclude_none=True),
        key=f"transfer:{view.id}:requested",
    )


async def transfer_reason_invalid(message: Message) -> None:
    await message.answer(texts.validation("reason_required"))
