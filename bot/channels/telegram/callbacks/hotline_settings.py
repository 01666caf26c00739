"""Callback payloads of the officer's hotline settings card."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class HotlineSettingsAction(StrEnum):
    ORGS = "orgs"  # the organisations to choose from; ``value`` is the page
    OPEN = "op"
    ENABLE = "on"  # ``value`` is the state asked for: 1 on, 0 off
    HOURS = "hr"
    DAYS = "dy"
    DAY = "d"  # ``value`` is the chosen weekdays as a bit mask, Monday the lowest bit
    DAYS_DONE = "dd"  # ``value`` as for DAY
    PERIODS = "pe"
    ANSWER = "an"
    ESCALATE = "es"
    APPEAL = "ap"
    OPT_OUT = "oo"  # ``value`` is the state asked for: 1 not answering, 0 answering
    ASK_RESET = "ar"
    RESET = "rs"


# The buttons that open a one-field form.
FORM_ACTIONS = frozenset(
    {
        HotlineSettingsAction.HOURS,
        HotlineSettingsAction.PERIODS,
        HotlineSettingsAction.ANSWER,
        HotlineSettingsAction.ESCALATE,
        HotlineSettingsAction.APPEAL,
    }
)


class HotlineSettingsCb(CallbackData, prefix="hst"):
    action: HotlineSettingsAction
    org_id: int = 0
    value: int = 0


def days_mask(days: Iterable[int]) -> int:
    return sum(1 << day for day in set(days) if 0 <= day < 7)


def mask_days(mask: int) -> list[int]:
    return [day for day in range(7) if mask >> day & 1]
