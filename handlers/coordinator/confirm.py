"""Coordinator: confirming a task with evidence, and asking for a deadline transfer."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
from datetime import date

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks.confirmations import ConfirmAction, ConfirmCb, ConfirmStep
from bot.callbacks.tasks import TaskAction, TaskCb
from bot.config import Settings
from bot.formatting import format_date
from bot.keyboards import confirmations as kb
from bot.plans.deadlines import parse_user_date
from bot.services import confirmations as svc
from bot.services import transfers
from bot.services.access import Principal
from bot.services.confirmations import EvidenceItem, TaskBrief
from bot.services.errors import ValidationError
from bot.services.notifications import Notifier
from bot.texts import confirmations as texts
from storage.models import ConfirmationResult

logger = logging.getLogger(__name__)
EVIDENCE_PREFIX = "ev."
# Telegram delivers an album as separate messages within a moment of each other.
ALBUM_WAIT = 1.0
URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


class ConfirmForm(StatesGroup):
    result = State()
    reason = State()
    evidence = State()
    comment = State()
    summary = State()


class TransferForm(StatesGroup):
    new_date = State()
    reason = State()


def build_router() -> Router:
    router = Router(name="coordinator.confirm")
    router.callback_query.register(on_confirm, TaskCb.filter(F.action == TaskAction.CONFIRM))
    router.callback_query.register(on_transfer, TaskCb.filter(F.action == TaskAction.TRANSFER))
    router.callback_query.register(
        on_cancel, ConfirmCb.filter(F.action == ConfirmAction.CANCEL), StateFilter(ConfirmForm)
    )
    router.callback_query.register(
        on_result, ConfirmCb.filter(F.action == ConfirmAction.RESULT), ConfirmForm.result
    )
    router.message.register(confirm_reason_entered, ConfirmForm.reason, F.text)
    router.message.register(confirm_reason_invalid, ConfirmForm.reason)
    router.callback_query.register(
        on_evidence_done,
        ConfirmCb.filter(F.action == ConfirmAction.EVIDENCE_DONE),
        ConfirmForm.evidence,
    )
    router.callback_query.register(
        on_clear_evidence, ConfirmCb.filter(F.action == ConfirmAction.CLEAR), ConfirmForm.evidence
    )
    router.message.register(confirm_evidence_entered, ConfirmForm.evidence)
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
    router.callback_query.register(
        on_goto, ConfirmCb.filter(F.action == ConfirmAction.GOTO), ConfirmForm.summary
    )
    router.callback_query.register(
        on_back_to_summary,
        ConfirmCb.filter(F.action == ConfirmAction.SUMMARY),
        ConfirmForm.summary,
    )
    router.message.register(transfer_date_entered, TransferForm.new_date, F.text)
    router.message.register(transfer_date_invalid, TransferForm.new_date)
    router.message.register(transfer_reason_entered, TransferForm.reason, F.text)
    router.message.register(transfer_reason_invalid, TransferForm.reason)
    return router


def _head(task: TaskBrief) -> str:
    return texts.task_head(task.title, task.org_name, task.plan, task.number, task.due)


def _evidence(data: dict) -> list[EvidenceItem]:
    stored = [v for k, v in data.items() if k.startswith(EVIDENCE_PREFIX)]
    stored.sort(key=lambda item: (item.get("n", 0), item.get("url") or ""))
    return [EvidenceItem.from_dict(item) for item in stored]


async def _ask_evidence(message: Message, data: dict) -> None:
    await message.answer(
        texts.ASK_EVIDENCE,
        reply_markup=kb.evidence(bool(_evidence(data)), bool(data.get("editing"))),
    )


async def _show_summary(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    task = await svc.task_to_confirm(session, principal, data["task_id"])
    items = _evidence(data)
    lines = [texts.evidence_line(i.kind, i.name, i.url, i.size) for i in items]
    reason = data.get("reason")
    await state.set_state(ConfirmForm.summary)
    await message.answer(
        texts.SUMMARY.format(
            task=_head(task),
            result=texts.RESULT_TITLES[data["result"]],
            reason=texts.SUMMARY_REASON.format(reason=texts.short(reason, 1000)) if reason else "",
            evidence=("\n" + "\n".join(lines)) if lines else texts.NOTHING,
            comment=texts.short(data.get("comment"), 2000) or texts.NOTHING,
        ),
        reply_markup=kb.summary(),
    )


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
        texts.ASK_RESULT.format(task=_head(task)), reply_markup=kb.results()
    )


async def on_cancel(callback: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await callback.answer()
    await callback.message.edit_text(texts.FORM_CANCELLED)


async def on_result(
    callback: CallbackQuery,
    callback_data: ConfirmCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    result = ConfirmationResult(callback_data.value)
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
        await _show_summary(callback.message, state, session, principal)
        return
    await state.set_state(ConfirmForm.evidence)
    await _ask_evidence(callback.message, data)


async def confirm_reason_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    reason = message.text.strip()
    if not reason or len(reason) > svc.MAX_REASON:
        await message.answer(texts.REASON_INVALID)
        return
    data = await state.update_data(reason=reason)
    if data.get("editing"):
        await _show_summary(message, state, session, principal)
        return
    await state.set_state(ConfirmForm.evidence)
    await _ask_evidence(message, data)


async def confirm_reason_invalid(message: Message) -> None:
    await message.answer(texts.REASON_INVALID)


def _links(message: Message) -> list[str]:
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    found: list[str] = []
    for entity in entities:
        if entity.type == "text_link" and entity.url:
            found.append(entity.url)
        elif entity.type == "url":
            url = entity.extract_from(text)
            found.append(url if "://" in url else "https://" + url)
    found += URL_RE.findall(text)
    unique: list[str] = []
    for url in found:
        url = url.rstrip(".,;)")
        if url not in unique:
            unique.append(url)
    return unique


def _files(message: Message) -> list[EvidenceItem] | None:
    """Files of the message, [] when it has none, None when it holds something unsupported."""
    if message.document is not None:
        doc = message.document
        return [
            EvidenceItem(
                kind="document",
                file_id=doc.file_id,
                file_unique_id=doc.file_unique_id,
                name=doc.file_name,
                mime_type=doc.mime_type,
                size=doc.file_size,
            )
        ]
    if message.photo:
        # Telegram sends several sizes of one photo; the last is the largest.
        photo = message.photo[-1]
        return [
            EvidenceItem(
                kind="photo",
                file_id=photo.file_id,
                file_unique_id=photo.file_unique_id,
                mime_type="image/jpeg",
                size=photo.file_size,
            )
        ]
    if message.text is not None:
        return []
    return None


async def confirm_evidence_entered(message: Message, state: FSMContext) -> None:
    files = _files(message)
    if files is None:
        await message.answer(texts.UNSUPPORTED)
        return
    links = _links(message)
    if not files and not links:
        await message.answer(texts.TEXT_WITHOUT_LINK)
        return
    for item in files:
        if item.size is not None and item.size > svc.MAX_FILE_SIZE:
            await message.answer(texts.FILE_TOO_BIG.format(name=texts.short(item.name or "")))
            return
    items = files + [EvidenceItem(kind="link", url=url) for url in links]
    data = await state.get_data()
    if len(_evidence(data)) + len(items) > svc.MAX_EVIDENCE:
        await message.answer(texts.TOO_MUCH_EVIDENCE.format(limit=svc.MAX_EVIDENCE))
        return
    group = message.media_group_id
    update: dict[str, dict] = {}
    for item in items:
        try:
            svc.check_evidence(item)
        except ValidationError as exc:
            await message.answer(texts.validation(exc.code, exc.details))
            return
        key = item.file_unique_id or hashlib.sha1(item.url.encode()).hexdigest()[:16]
        update[EVIDENCE_PREFIX + key] = {**item.to_dict(), "n": message.message_id, "g": group}
    # Each item has its own key and the storage merges atomically, so album parts that
    # arrive at once never overwrite each other.
    data = await state.update_data(update)
    if group:
        await _acknowledge_album(message, state, group)
        return
    what = ", ".join(texts.evidence_line(i.kind, i.name, i.url, i.size) for i in items)
    total = len(_evidence(data))
    await message.answer(
        texts.EVIDENCE_ADDED.format(what=what, total=total),
        reply_markup=kb.evidence(True, bool(data.get("editing"))),
    )


async def _acknowledge_album(message: Message, state: FSMContext, group: str) -> None:
    await asyncio.sleep(ALBUM_WAIT)
    if await state.get_state() != ConfirmForm.evidence.state:
        return
    data = await state.get_data()
    members = [v for k, v in data.items() if k.startswith(EVIDENCE_PREFIX) and v.get("g") == group]
    # Only the album's first message answers, once for the whole album.
    if not members or min(v["n"] for v in members) != message.message_id:
        return
    await message.answer(
        texts.ALBUM_ADDED.format(
            photos=texts.files_word(len(members)), total=len(_evidence(data))
        ),
        reply_markup=kb.evidence(True, bool(data.get("editing"))),
    )


async def on_clear_evidence(callback: CallbackQuery, state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_data({k: v for k, v in data.items() if not k.startswith(EVIDENCE_PREFIX)})
    await callback.answer()
    await callback.message.edit_text(texts.EVIDENCE_CLEARED, reply_markup=kb.evidence(False, True))


async def on_evidence_done(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    if data.get("editing"):
        await _show_summary(callback.message, state, session, principal)
        return
    await state.set_state(ConfirmForm.comment)
    await callback.message.answer(texts.ASK_COMMENT, reply_markup=kb.no_comment())


async def confirm_comment_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    comment = message.text.strip()
    if len(comment) > svc.MAX_COMMENT:
        await message.answer(texts.COMMENT_INVALID)
        return
    await state.update_data(comment=comment or None)
    await _show_summary(message, state, session, principal)


async def confirm_comment_invalid(message: Message) -> None:
    await message.answer(texts.COMMENT_INVALID)


async def on_no_comment(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.update_data(comment=None)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await _show_summary(callback.message, state, session, principal)


async def on_edit(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=kb.edit_steps())


async def on_back_to_summary(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=kb.summary())


async def on_goto(callback: CallbackQuery, callback_data: ConfirmCb, state: FSMContext) -> None:
    data = await state.update_data(editing=True)
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    step = ConfirmStep(callback_data.value)
    if step == ConfirmStep.RESULT:
        await state.set_state(ConfirmForm.result)
        await callback.message.answer(texts.ASK_RESULT_AGAIN, reply_markup=kb.results())
    elif step == ConfirmStep.EVIDENCE:
        await state.set_state(ConfirmForm.evidence)
        await _ask_evidence(callback.message, data)
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
            _evidence(data),
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
    await callback.message.answer(texts.ASK_NEW_DATE.format(task=_head(task)))


async def transfer_date_entered(
    message: Message, state: FSMContext, session: AsyncSession, settings: Settings
) -> None:
    data = await state.get_data()
    today = await transfers.local_today(session, data["org_id"], settings.default_timezone)
    new_due = parse_user_date(message.text, today)
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
        texts.NEW_TRANSFER.format(
            org=texts.short(view.task.org_name, 120),
            title=texts.short(view.task.title, 300),
            old=format_date(view.old_due) if view.old_due else texts.NO_DUE,
            new=format_date(view.new_due),
            reason=texts.short(view.reason, 1000),
            who=texts.short(view.requested_by, 100),
        ),
        kb.transfer_decision(view.id).model_dump(exclude_none=True),
        key=f"transfer:{view.id}:requested",
    )


async def transfer_reason_invalid(message: Message) -> None:
    await message.answer(texts.validation("reason_required"))
