"""Keyboards of the FAQ, /privacy and the hotline statistics."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import texts as common
from bot.channels.telegram.callbacks.faq import (
    FaqAdminAction,
    FaqAdminCb,
    FaqEditCb,
    FaqFormAction,
    FaqFormCb,
    FaqReadAction,
    FaqReadCb,
    FaqTopicCb,
    HotlineStatsCb,
    PrivacyAction,
    PrivacyCb,
)
from bot.channels.telegram.keyboards import add_pager
from bot.domain.enums import TicketTopic
from bot.services.hotline.faq import FaqField
from bot.texts import faq as texts

STATS_PERIODS = (7, 30, 90, 365)


def _button(text: str, data) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def orgs(items: Sequence[tuple[int, str]], stats: bool = False) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for org_id, name in items:
        data = (
            HotlineStatsCb(org_id=org_id)
            if stats
            else FaqAdminCb(action=FaqAdminAction.LIST, org_id=org_id)
        )
        builder.button(text=name[:60], callback_data=data)
    builder.adjust(1)
    return builder.as_markup()


def admin_list(
    org_id: int, items: Sequence[tuple[int, str]], page: int, pages: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for entry_id, question in items:
        builder.button(
            text=question[:60],
            callback_data=FaqAdminCb(
                action=FaqAdminAction.OPEN, org_id=org_id, entry_id=entry_id, page=page
            ),
        )
    builder.adjust(1)
    add_pager(
        builder,
        page,
        pages,
        lambda p: FaqAdminCb(action=FaqAdminAction.LIST, org_id=org_id, page=p),
    )
    builder.row(_button(texts.BTN_FAQ_ADD, FaqAdminCb(action=FaqAdminAction.ADD, org_id=org_id)))
    return builder.as_markup()


def admin_card(entry_id: int, org_id: int, page: int) -> InlineKeyboardMarkup:
    def admin(action: FaqAdminAction) -> FaqAdminCb:
        return FaqAdminCb(action=action, org_id=org_id, entry_id=entry_id, page=page)

    def edit(field: FaqField) -> FaqEditCb:
        return FaqEditCb(entry_id=entry_id, field=field)

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(texts.BTN_EDIT_QUESTION, edit(FaqField.QUESTION)),
                _button(texts.BTN_EDIT_ANSWER, edit(FaqField.ANSWER)),
            ],
            [
                _button(texts.BTN_EDIT_TOPIC, edit(FaqField.TOPIC)),
                _button(texts.BTN_EDIT_KEYWORDS, edit(FaqField.KEYWORDS)),
            ],
            [
                _button(texts.BTN_UP, admin(FaqAdminAction.UP)),
                _button(texts.BTN_DOWN, admin(FaqAdminAction.DOWN)),
            ],
            [_button(texts.BTN_DELETE, admin(FaqAdminAction.ASK_DELETE))],
            [_button(texts.BTN_TO_LIST, admin(FaqAdminAction.LIST))],
        ]
    )


def confirm_delete(entry_id: int, org_id: int, page: int) -> InlineKeyboardMarkup:
    def admin(action: FaqAdminAction) -> FaqAdminCb:
        return FaqAdminCb(action=action, org_id=org_id, entry_id=entry_id, page=page)

    builder = InlineKeyboardBuilder()
    builder.button(text=common.BTN_YES_REMOVE, callback_data=admin(FaqAdminAction.DELETE))
    builder.button(text=common.BTN_CANCEL, callback_data=admin(FaqAdminAction.OPEN))
    return builder.as_markup()


def topics(entry_id: int = 0) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic in TicketTopic:
        builder.button(
            text=texts.TOPIC_NAMES[topic], callback_data=FaqTopicCb(topic=topic, entry_id=entry_id)
        )
    builder.adjust(3, 2)
    return builder.as_markup()


def skip_keywords() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=common.BTN_SKIP, callback_data=FaqFormCb(action=FaqFormAction.SKIP))
    return builder.as_markup()


def preview() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.BTN_SAVE, callback_data=FaqFormCb(action=FaqFormAction.SAVE))
    return builder.as_markup()


def read_topics(items: Sequence[tuple[TicketTopic, int]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for topic, count in items:
        builder.button(
            text=texts.TOPIC_BUTTON.format(topic=texts.TOPIC_NAMES[topic], count=count),
            callback_data=FaqReadCb(action=FaqReadAction.TOPIC, topic=topic),
        )
    builder.adjust(1)
    return builder.as_markup()


def read_topic(
    topic: TicketTopic, items: Sequence[tuple[int, str]], page: int, pages: int
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for entry_id, question in items:
        builder.button(
            text=question[:60],
            callback_data=FaqReadCb(
                action=FaqReadAction.ENTRY, topic=topic, entry_id=entry_id, page=page
            ),
        )
    builder.adjust(1)
    add_pager(
        builder,
        page,
        pages,
        lambda p: FaqReadCb(action=FaqReadAction.TOPIC, topic=topic, page=p),
    )
    builder.row(_button(texts.BTN_TOPICS, FaqReadCb(action=FaqReadAction.TOPICS)))
    return builder.as_markup()


def read_entry(topic: TicketTopic, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=common.BTN_BACK,
        callback_data=FaqReadCb(action=FaqReadAction.TOPIC, topic=topic, page=page),
    )
    builder.button(text=texts.BTN_TOPICS, callback_data=FaqReadCb(action=FaqReadAction.TOPICS))
    return builder.as_markup()


def privacy(can_erase: bool) -> InlineKeyboardMarkup | None:
    if not can_erase:
        return None
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.BTN_ERASE, callback_data=PrivacyCb(action=PrivacyAction.ASK_ERASE))
    return builder.as_markup()


def confirm_erase() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.BTN_YES_ERASE, callback_data=PrivacyCb(action=PrivacyAction.ERASE))
    builder.button(text=texts.BTN_KEEP, callback_data=PrivacyCb(action=PrivacyAction.KEEP))
    return builder.as_markup()


def stats_periods(org_id: int, days: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for period in STATS_PERIODS:
        label = texts.STATS_PERIOD_BUTTON.format(days=period)
        builder.button(
            text=f"• {label}" if period == days else label,
            callback_data=HotlineStatsCb(org_id=org_id, days=period),
        )
    builder.adjust(len(STATS_PERIODS))
    return builder.as_markup()
