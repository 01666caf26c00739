"""Officer: pending deadline-transfer requests of the subtree and the decisions on them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.confirmations import (
    ReviewAction,
    ReviewCb,
    TransferAction,
    TransferCb,
)
from bot.channels.telegram.keyboards import confirmations as kb
from bot.channels.telegram.notifier import Notifier
from bot.domain.enums import TransferStatus
from bot.domain.errors import ValidationError
from bot.services import confirmations as svc
from bot.services import transfers
from bot.services.access import Principal
from bot.texts import confirmations as texts
from bot.texts.formatting import format_date

PAGE_SIZE = 5


def build_router() -> Router:
    router = Router(name="officer.transfers")
    router.callback_query.register(on_list, ReviewCb.filter(F.action == ReviewAction.TRANSFERS))
    router.callback_query.register(on_open, ReviewCb.filter(F.action == ReviewAction.TRANSFER))
    router.callback_query.register(on_decision, TransferCb.filter())
    return router


async def on_list(
    callback: CallbackQuery, callback_data: ReviewCb, session: AsyncSession, principal: Principal
) -> None:
    items, page, pages, total = await transfers.list_pending_transfers(
        session, principal, callback_data.page, PAGE_SIZE
    )
    await callback.answer()
    if not items:
        await callback.message.edit_text(
            texts.TRANSFERS_EMPTY, reply_markup=kb.transfer_list([], 0, 1)
        )
        return
    first = page * PAGE_SIZE + 1
    lines = [
        texts.transfer_line(n, v.task.org_name, v.task.title, v.old_due, v.new_due, v.reason)
        for n, v in enumerate(items, first)
    ]
    labels = [
        (
            v.id,
            texts.TRANSFER_ITEM_BUTTON.format(n=n, org=v.task.org_name[:25], title=v.task.title),
        )
        for n, v in enumerate(items, first)
    ]
    text = texts.TRANSFER_LIST.format(
        count=total,
        page=texts.TRANSFER_LIST_PAGE.format(page=page + 1, pages=pages) if pages > 1 else "",
        items="\n\n".join(lines),
    )
    await callback.message.edit_text(text, reply_markup=kb.transfer_list(labels, page, pages))


async def on_open(
    callback: CallbackQuery, callback_data: ReviewCb, session: AsyncSession, principal: Principal
) -> None:
    view = await transfers.get_transfer(session, principal, callback_data.item_id)
    pending = view.status == TransferStatus.PENDING
    text = texts.transfer_request(
        view.task.org_name,
        view.task.title,
        view.old_due,
        view.new_due,
        view.reason,
        view.requested_by,
    )
    await callback.answer()
    await callback.message.edit_text(
        text + ("" if pending else texts.TRANSFER_STATUS[view.status.value]),
        reply_markup=kb.transfer_decision(view.id, callback_data.page, pending),
    )


async def on_decision(
    callback: CallbackQuery,
    callback_data: TransferCb,
    notifier: Notifier,
    session: AsyncSession,
    principal: Principal,
) -> None:
    approve = callback_data.action == TransferAction.APPROVE
    try:
        view = await transfers.decide_transfer(
            session, principal, callback_data.transfer_id, approve
        )
    except ValidationError as exc:
        await callback.answer(texts.validation(exc.code, exc.details), show_alert=True)
        return
    title = texts.short(view.task.title, 300)
    if approve:
        result = texts.TRANSFER_APPROVED.format(date=format_date(view.new_due))
        told = texts.TOLD_TRANSFER_APPROVED.format(title=title, date=format_date(view.new_due))
    else:
        result = texts.TRANSFER_DECLINED
        old = format_date(view.old_due) if view.old_due else texts.NO_DUE
        told = texts.TOLD_TRANSFER_DECLINED.format(title=title, date=old)
    await callback.answer()
    await callback.message.edit_text(
        f"{callback.message.html_text}\n\n{result}", reply_markup=kb.to_transfers()
    )
    await notifier.notify(
        session,
        await svc.coordinators_of(session, view.task.org_id),
        told,
        key=f"transfer:{view.id}:{'approved' if approve else 'declined'}",
    )
