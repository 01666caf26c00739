"""The confirmation form around the evidence: result, reason, comment, summary, sending."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.confirmations import (
    ConfirmAction,
    ConfirmCb,
    ConfirmResultCb,
    ConfirmStep,
    ConfirmStepCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.channels.telegram.keyboards import confirmations as kb
from bot.channels.telegram.notifier import Notifier
from bot.domain.enums import ConfirmationResult
from bot.domain.errors import ValidationError
from bot.services import confirmations as svc
from bot.services.access import Principal
from bot.texts import confirmations as texts
from handlers.coordinator.confirm.common import (
    ConfirmForm,
    ask_evidence,
    evidence_of,
    head,
    show_summary,
)


def build_router() -> Router:
    router = Router(name="coordinator.confirm.form")
    router.callback_query.register(on_confirm, TaskCb.filter(F.action == TaskAction.CONFIRM))
    router.callback_query.register(
        on_cancel, ConfirmCb.filter(F.action == ConfirmAction.CANCEL), StateFilter(ConfirmForm)
    )
    router.callback_query.register(on_result, ConfirmResultCb.filter(), ConfirmForm.result)
    router.message.register(confirm_reason_entered, ConfirmForm.reason, F.text)
    router.message.register(confirm_reason_invalid, ConfirmForm.reason)
    router.callback_query.register(
        on_no_comment, ConfirmCb.filter(F.action == ConfirmAction.NO_COMMENT), ConfirmForm.comment
    )
    router.message.register(confirm_comment_entered, ConfirmForm.comment, F.text)
    router.message.register(confirm_comment_invalid, ConfirmForm.comment)
    router.callback_query.register(
        on_send, ConfirmCb.filter(F.action == ConfirmAction.SEND), ConfirmForm.summary
    )
    router.callback_query.register(
        on_edit, ConfirmCb.filter(F.action == ConfirmAction.EDIT), ConfirmForm.summary
    )
    router.callback_query.register(on_goto, ConfirmStepCb.filter(), ConfirmForm.summary)
    router.callback_query.register(
        on_back_to_summary,
        ConfirmCb.filter(F.action == ConfirmAction.SUMMARY),
        ConfirmForm.summary,
    )
    return router


async def on_confirm(
    callback: CallbackQuery,
    callback_data: TaskCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    try:
        task = await svc.task_to_confirm(session, principal, callback_data.task_id)
    except ValidationError as exc:
        await callback.answer(texts.validation(exc.code, exc.details), show_alert=True)
        return
    await state.set_state(ConfirmForm.result)
    await state.set_data({"task_id": task.id})
    await callback.answer()
    await callback.message.answer(
        texts.ASK_RESULT.format(task=head(task)), reply_markup=kb.results()
    )


async def on_cancel(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(texts.FORM_CANCELLED)


async def on_result(
    callback: CallbackQuery,
    callback_data: ConfirmResultCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    result = callback_data.result
    data = await state.update_data(result=result.value)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    if result != ConfirmationResult.DONE:
        await state.set_state(ConfirmForm.reason)
        await callback.message.answer(
            texts.ASK_REASON.format(result=texts.RESULT_TITLES[result.value])
        )
        return
    await state.update_data(reason=None)
    if data.get("editing"):
        await show_summary(callback.message, state, session, principal)
        return
    await state.set_state(ConfirmForm.evidence)
    await ask_evidence(callback.message, data)


async def confirm_reason_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    reason = message.text.strip()
    if not reason or len(reason) > svc.MAX_REASON:
        await message.answer(texts.REASON_INVALID)
        return
    data = await state.update_data(reason=reason)
    if data.get("editing"):
        await show_summary(message, state, session, principal)
        return
    await state.set_state(ConfirmForm.evidence)
    await ask_evidence(message, data)


async def confirm_reason_invalid(message: Message) -> None:
    await message.answer(texts.REASON_INVALID)


async def confirm_comment_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    comment = message.text.strip()
    if len(comment) > svc.MAX_COMMENT:
        await message.answer(texts.COMMENT_INVALID)
        return
    await state.update_data(comment=comment or None)
    await show_summary(message, state, session, principal)


async def confirm_comment_invalid(message: Message) -> None:
    await message.answer(texts.COMMENT_INVALID)


async def on_no_comment(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.update_data(comment=None)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await show_summary(callback.message, state, session, principal)


async def on_edit(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=kb.edit_steps())


async def on_back_to_summary(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=kb.summary())


async def on_goto(
    callback: CallbackQuery, callback_data: ConfirmStepCb, state: FSMContext
) -> None:
    data = await state.update_data(editing=True)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    if callback_data.step == ConfirmStep.RESULT:
        await state.set_state(ConfirmForm.result)
        await callback.message.answer(texts.ASK_RESULT_AGAIN, reply_markup=kb.results())
    elif callback_data.step == ConfirmStep.EVIDENCE:
        await state.set_state(ConfirmForm.evidence)
        await ask_evidence(callback.message, data)
    else:
        await state.set_state(ConfirmForm.comment)
        await callback.message.answer(texts.ASK_COMMENT, reply_markup=kb.no_comment())


async def on_send(
    callback: CallbackQuery,
    state: FSMContext,
    notifier: Notifier,
    session: AsyncSession,
    principal: Principal,
) -> None:
    data = await state.get_data()
    try:
        view = await svc.submit_confirmation(
            session,
            principal,
            data["task_id"],
            ConfirmationResult(data["result"]),
            data.get("reason"),
            data.get("comment"),
            evidence_of(data),
        )
    except ValidationError as exc:
        await state.clear()
        await callback.answer(texts.validation(exc.code, exc.details), show_alert=True)
        await callback.message.edit_reply_markup(reply_markup=None)
        return
    await state.clear()
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(texts.SENT)
    officers = await svc.officers_of(session, view.task.org_id)
    await notifier.notify(
        session,
        officers,
        texts.NEW_CONFIRMATION.format(
            org=texts.short(view.task.org_name, 120),
            title=texts.short(view.task.title, 300),
            result=texts.RESULT_TITLES[view.result.value],
            who=texts.short(view.submitted_by, 100),
        ),
        kb.open_review(view.id).model_dump(exclude_none=True),
        key=f"confirmation:{view.id}:submitted",
    )
