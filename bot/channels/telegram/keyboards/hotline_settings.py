"""Keyboards of the officer's hotline settings: choosing the organisation, the card, days."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import texts as common
from bot.channels.telegram.callbacks.hotline_settings import (
    HotlineSettingsAction,
    HotlineSettingsCb,
    days_mask,
)
from bot.channels.telegram.keyboards import add_pager
from bot.services.hotline.views import HotlineSettingsView
from bot.texts import hotline_settings as texts
from bot.texts.formatting import WEEKDAYS

A = HotlineSettingsAction


def _button(text: str, action: HotlineSettingsAction, org_id: int, value: int = 0):
    data = HotlineSettingsCb(action=action, org_id=org_id, value=value)
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def orgs(items: Sequence[tuple[int, str]], page: int, pages: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for org_id, name in items:
        builder.row(_button(name[:60], A.OPEN, org_id))
    add_pager(builder, page, pages, lambda p: HotlineSettingsCb(action=A.ORGS, value=p))
    return builder.as_markup()


def card(view: HotlineSettingsView, *, to_orgs: bool) -> InlineKeyboardMarkup:
    org = view.org_id
    enabled = view.settings.enabled
    rows = [
        [
            _button(
                texts.BTN_TURN_OFF if enabled else texts.BTN_TURN_ON,
                A.ENABLE,
                org,
                int(not enabled),
            )
        ],
        [_button(texts.BTN_HOURS, A.HOURS, org), _button(texts.BTN_DAYS, A.DAYS, org)],
        [_button(texts.BTN_PERIODS, A.PERIODS, org), _button(texts.BTN_ANSWER, A.ANSWER, org)],
        [_button(texts.BTN_ESCALATE, A.ESCALATE, org)],
        [_button(texts.BTN_APPEAL, A.APPEAL, org)],
        [
            _button(texts.BTN_OPT_IN, A.OPT_OUT, org, 0)
            if view.opted_out
            else _button(texts.BTN_OPT_OUT, A.OPT_OUT, org, 1)
        ],
    ]
    if view.own:
        reset = texts.BTN_RESET if view.parent_name else texts.BTN_RESET_DEFAULTS
        rows.append([_button(reset, A.ASK_RESET, org)])
    if to_orgs:
        rows.append([_button(texts.BTN_TO_ORGS, A.ORGS, 0)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def days(org_id: int, chosen: Sequence[int]) -> InlineKeyboardMarkup:
    """A button per weekday that toggles it, then «Готово» with the days chosen."""
    mask = days_mask(chosen)
    toggles = [
        _button(
            texts.DAY_ON.format(day=name) if mask >> day & 1 else name,
            A.DAY,
            org_id,
            mask ^ (1 << day),
        )
        for day, name in enumerate(WEEKDAYS)
    ]
    return InlineKeyboardMarkup(
        inline_keyboard=[
            toggles[:4],
            toggles[4:],
            [_button(texts.BTN_DONE, A.DAYS_DONE, org_id, mask)],
            [_button(texts.BTN_TO_CARD, A.OPEN, org_id)],
        ]
    )


def back_to_card(org_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[_button(texts.BTN_TO_CARD, A.OPEN, org_id)]])


def confirm_reset(org_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(texts.BTN_YES_RESET, A.RESET, org_id),
                _button(common.BTN_CANCEL, A.OPEN, org_id),
            ]
        ]
    )
