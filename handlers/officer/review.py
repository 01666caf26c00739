"""Officer: the review queue of confirmations and their evidence files."""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common_texts
from bot.channels.telegram.callbacks.confirmations import ReviewAction, ReviewCb
from bot.channels.telegram.keyboards import confirmations as kb
from bot.channels.telegram.notifier import Notifier
from bot.config import Settings
from bot.domain.enums import ReviewStatus
from bot.domain.errors import ValidationError
from bot.services import confirmations as svc
from bot.services import transfers
from bot.services.access import Principal
from bot.services.confirmations import ConfirmationView, EvidenceItem
from bot.texts import confirmations as texts
from handlers.officer import transfers as transfer_handlers

logger = logging.getLogger(__name__)
PAGE_SIZE = 8


class ReturnForm(StatesGroup):
    comment = State()


def build_router() -> Router:
    router = Router(name="officer.review")
    router.message.register(cmd_review, Command("review"))
    router.message.register(cmd_review, F.text == common_texts.BTN_REVIEW)
    router.callback_query.register(on_list, ReviewCb.filter(F.action == ReviewAction.LIST))
    router.callback_query.register(on_open, ReviewCb.filter(F.action == ReviewAction.OPEN))
    router.callback_query.register(on_accept, ReviewCb.filter(F.action == ReviewAction.ACCEPT))
    router.callback_query.register(on_return, ReviewCb.filter(F.action == ReviewAction.RETURN))
    router.callback_query.register(on_files, ReviewCb.filter(F.action == ReviewAction.FILES))
    router.message.register(return_comment_entered, ReturnForm.comment, F.text)
    router.message.register(return_comment_invalid, ReturnForm.comment)
    router.include_router(transfer_handlers.build_router())
    return router


async def _queue(session: AsyncSession, principal: Principal, page: int):
    items, page, pages = await svc.list_review_queue(session, principal, page, PAGE_SIZE)
    waiting = await transfers.count_pending_transfers(session, principal)
    labels = [
        (v.id, texts.REVIEW_ITEM_BUTTON.format(org=v.task.org_name[:25], title=v.task.title))
        for v in items
    ]
    count = str(len(items)) if pages == 1 else common_texts.PAGE.format(page=page + 1, pages=pages)
    text = texts.REVIEW_LIST.format(count=count) if items else texts.REVIEW_EMPTY
    if waiting:
        text += texts.REVIEW_TRANSFERS_WAITING.format(count=waiting)
    return text, kb.review_list(labels, page, pages, waiting)


def _card(view: ConfirmationView, tz: str) -> str:
    task = view.task
    lines = [texts.evidence_line(e.kind, e.name, e.url, e.size) for e in view.evidence]
    text = texts.REVIEW_CARD.format(
        task=texts.task_head(task.title, task.org_name, task.plan, task.number, task.due),
        result=texts.RESULT_TITLES[view.result.value],
        reason=texts.SUMMARY_REASON.format(reason=texts.short(view.reason, 1000))
        if view.reason
        else "",
        comment=texts.short(view.comment, 2000) or texts.NOTHING,
        who=texts.short(view.submitted_by, 100) or "—",
        when=texts.when(view.submitted_at, tz),
        count=len(lines),
        evidence="\n".join(lines) or texts.NOTHING,
    )
    if view.review_status != ReviewStatus.PENDING:
        comment = "\n" + texts.short(view.review_comment, 2000) if view.review_comment else ""
        text += texts.REVIEW_DECIDED.format(
            decision=texts.DECISION[view.review_status.value], comment=comment
        )
    return text


async def cmd_review(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.clear()
    text, markup = await _queue(session, principal, 0)
    await message.answer(text, reply_markup=markup)


async def on_list(
    callback: CallbackQuery, callback_data: ReviewCb, session: AsyncSession, principal: Principal
) -> None:
    text, markup = await _queue(session, principal, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_open(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await svc.get_review_item(session, principal, callback_data.item_id)
    await callback.answer()
    await callback.message.edit_text(
        _card(view, settings.default_timezone),
        reply_markup=kb.review_card(
            view.id, callback_data.page, view.review_status == ReviewStatus.PENDING
        ),
    )


async def on_accept(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    notifier: Notifier,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    try:
        view = await svc.accept_confirmation(session, principal, callback_data.item_id)
    except ValidationError as exc:
        await callback.answer(texts.validation(exc.code, exc.details), show_alert=True)
        return
    await callback.answer(texts.ACCEPTED)
    await callback.message.edit_text(
        _card(view, settings.default_timezone),
        reply_markup=kb.review_card(view.id, callback_data.page, pending=False),
    )
    await notifier.notify(
        session,
        await svc.coordinators_of(session, view.task.org_id),
        texts.TOLD_ACCEPTED.format(title=texts.short(view.task.title, 300)),
        key=f"confirmation:{view.id}:accepted",
    )


async def on_return(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    view = await svc.get_review_item(session, principal, callback_data.item_id)
    if view.review_status != ReviewStatus.PENDING:
        await callback.answer(texts.validation("already_reviewed"), show_alert=True)
        return
    await state.set_state(ReturnForm.comment)
    await state.set_data({"confirmation_id": view.id})
    await callback.answer()
    await callback.message.answer(texts.ASK_RETURN_COMMENT)


async def return_comment_entered(
    message: Message,
    state: FSMContext,
    notifier: Notifier,
    session: AsyncSession,
    principal: Principal,
) -> None:
    confirmation_id = (await state.get_data())["confirmation_id"]
    try:
        view = await svc.return_confirmation(session, principal, confirmation_id, message.text)
    except ValidationError as exc:
        await message.answer(texts.validation(exc.code, exc.details))
        if exc.code in ("already_reviewed", "confirmation_outdated"):
            await state.clear()
        return
    await state.clear()
    await message.answer(texts.RETURNED)
    await notifier.notify(
        session,
        await svc.coordinators_of(session, view.task.org_id),
        texts.TOLD_RETURNED.format(
            title=texts.short(view.task.title, 300),
            comment=texts.short(view.review_comment, 2000),
        ),
        kb.confirm_again(view.task.id).model_dump(exclude_none=True),
        key=f"confirmation:{view.id}:returned",
    )


async def return_comment_invalid(message: Message) -> None:
    await message.answer(texts.RETURN_COMMENT_INVALID)


async def on_files(
    callback: CallbackQuery,
    callback_data: ReviewCb,
    bot: Bot,
    session: AsyncSession,
    principal: Principal,
) -> None:
    view = await svc.get_review_item(session, principal, callback_data.item_id)
    await callback.answer()
    chat_id = callback.message.chat.id
    caption = texts.FILE_CAPTION.format(
        org=texts.short(view.task.org_name, 100), title=texts.short(view.task.title, 300)
    )
    links, failed = [], []
    for item in view.evidence:
        if item.url:
            links.append(texts.evidence_line(item.kind, None, item.url, None))
        elif not await _resend(bot, chat_id, item, caption):
            failed.append(texts.evidence_line(item.kind, item.name, None, item.size))
    if links:
        await bot.send_message(chat_id, "\n".join(links), disable_web_page_preview=True)
    if failed:
        await bot.send_message(
            chat_id,
            texts.FILES_NOT_SENT.format(
                files=texts.files_count(len(failed)), items="\n".join(failed)
            ),
        )
    if not view.evidence:
        await bot.send_message(chat_id, texts.NO_FILES)


async def _resend(bot: Bot, chat_id: int, item: EvidenceItem, caption: str) -> bool:
    """Send a stored file again by its id; False when Telegram no longer accepts the id."""
    try:
        # Telegram file ids are permanent, so the files are re-sent without downloading.
        if item.kind == "photo":
            await bot.send_photo(chat_id, item.file_id, caption=caption)
        else:
            await bot.send_document(chat_id, item.file_id, caption=caption)
    except TelegramBadRequest as exc:
        logger.warning("evidence file %s was not re-sent: %s", item.file_id, exc.message)
        return False
    return True
