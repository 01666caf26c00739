"""Keyboards of the confirmation form, the review queue, transfers and reports."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.channels.telegram.callbacks.confirmations import (
    ConfirmAction,
    ConfirmCb,
    ConfirmResultCb,
    ConfirmStep,
    ConfirmStepCb,
    ReportCb,
    ReportKind,
    ReviewAction,
    ReviewCb,
    TransferAction,
    TransferCb,
)
from bot.channels.telegram.keyboards import add_pager
from bot.domain.enums import ConfirmationResult
from bot.texts import confirmations as texts
from bot.texts import reports as report_texts


def results() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for result in ConfirmationResult:
        builder.button(
            text=texts.BTN_RESULT[result.value], callback_data=ConfirmResultCb(result=result)
        )
    builder.button(text=texts.BTN_CANCEL, callback_data=ConfirmCb(action=ConfirmAction.CANCEL))
    builder.adjust(1)
    return builder.as_markup()


def evidence(has_items: bool, editing: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.BTN_EVIDENCE_DONE if has_items else texts.BTN_NO_EVIDENCE,
        callback_data=ConfirmCb(action=ConfirmAction.EVIDENCE_DONE),
    )
    if has_items and editing:
        builder.button(
            text=texts.BTN_CLEAR_EVIDENCE, callback_data=ConfirmCb(action=ConfirmAction.CLEAR)
        )
    builder.adjust(1)
    return builder.as_markup()


def no_comment() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.BTN_NO_COMMENT, callback_data=ConfirmCb(action=ConfirmAction.NO_COMMENT)
    )
    return builder.as_markup()


def summary() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.BTN_SEND, callback_data=ConfirmCb(action=ConfirmAction.SEND))
    builder.button(text=texts.BTN_EDIT, callback_data=ConfirmCb(action=ConfirmAction.EDIT))
    builder.button(text=texts.BTN_CANCEL, callback_data=ConfirmCb(action=ConfirmAction.CANCEL))
    builder.adjust(1, 2)
    return builder.as_markup()


def edit_steps() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for step, title in (
        (ConfirmStep.RESULT, texts.BTN_EDIT_RESULT),
        (ConfirmStep.EVIDENCE, texts.BTN_EDIT_EVIDENCE),
        (ConfirmStep.COMMENT, texts.BTN_EDIT_COMMENT),
    ):
        builder.button(text=title, callback_data=ConfirmStepCb(step=step))
    builder.button(
        text=texts.BTN_BACK_TO_SUMMARY, callback_data=ConfirmCb(action=ConfirmAction.SUMMARY)
    )
    builder.adjust(3, 1)
    return builder.as_markup()


def review_list(
    items: Sequence[tuple[int, str]], page: int, pages: int, transfers: int = 0
) -> InlineKeyboardMarkup | None:
    builder = InlineKeyboardBuilder()
    for item_id, label in items:
        builder.button(
            text=label[:60],
            callback_data=ReviewCb(action=ReviewAction.OPEN, item_id=item_id, page=page),
        )
    builder.adjust(1)
    add_pager(builder, page, pages, lambda p: ReviewCb(action=ReviewAction.LIST, page=p))
    if transfers:
        builder.row(_button(texts.BTN_TRANSFERS.format(count=transfers), _transfers_page(0)))
    return builder.as_markup() if items or transfers else None


def review_card(confirmation_id: int, page: int, pending: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if pending:
        builder.button(
            text=texts.BTN_ACCEPT,
            callback_data=ReviewCb(action=ReviewAction.ACCEPT, item_id=confirmation_id, page=page),
        )
        builder.button(
            text=texts.BTN_RETURN,
            callback_data=ReviewCb(action=ReviewAction.RETURN, item_id=confirmation_id, page=page),
        )
    builder.button(
        text=texts.BTN_FILES,
        callback_data=ReviewCb(action=ReviewAction.FILES, item_id=confirmation_id, page=page),
    )
    builder.button(
        text=texts.BTN_TO_QUEUE, callback_data=ReviewCb(action=ReviewAction.LIST, page=page)
    )
    builder.adjust(1)
    return builder.as_markup()


def _button(text: str, data: ReviewCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _transfers_page(page: int) -> ReviewCb:
    return ReviewCb(action=ReviewAction.TRANSFERS, page=page)


def transfer_decision(
    transfer_id: int, page: int | None = None, pending: bool = True
) -> InlineKeyboardMarkup:
    """Approve and decline; from the transfers list (``page`` given) also the way back."""
    builder = InlineKeyboardBuilder()
    if pending:
        builder.button(
            text=texts.BTN_APPROVE,
            callback_data=TransferCb(action=TransferAction.APPROVE, transfer_id=transfer_id),
        )
        builder.button(
            text=texts.BTN_DECLINE,
            callback_data=TransferCb(action=TransferAction.DECLINE, transfer_id=transfer_id),
        )
    if page is not None:
        builder.row(_button(texts.BTN_TO_TRANSFERS, _transfers_page(page)))
    return builder.as_markup()


def transfer_list(items: Sequence[tuple[int, str]], page: int, pages: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for transfer_id, label in items:
        builder.button(
            text=label[:60],
            callback_data=ReviewCb(action=ReviewAction.TRANSFER, item_id=transfer_id, page=page),
        )
    builder.adjust(1)
    add_pager(builder, page, pages, _transfers_page)
    builder.row(_button(texts.BTN_TO_REVIEW, ReviewCb(action=ReviewAction.LIST)))
    return builder.as_markup()


def to_transfers() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(texts.BTN_TO_TRANSFERS, _transfers_page(0))]]
    )


def report_menu(org_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind, title in (
        (ReportKind.SUMMARY, report_texts.BTN_SUMMARY),
        (ReportKind.OVERDUE, report_texts.BTN_OVERDUE),
        (ReportKind.XLSX, report_texts.BTN_XLSX),
        (ReportKind.CHART, report_texts.BTN_CHART),
    ):
        builder.button(text=title, callback_data=ReportCb(kind=kind, org_id=org_id))
    builder.adjust(2)
    return builder.as_markup()


def report_scopes(items: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for org_id, name in items:
        builder.button(text=name[:60], callback_data=ReportCb(kind=ReportKind.MENU, org_id=org_id))
    builder.adjust(1)
    return builder.as_markup()
