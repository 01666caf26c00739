"""Callback payloads of plan import, plan cards, measure dates and assessment events."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ImportAction(StrEnum):
    CONFIRM = "ok"
    PERIOD = "per"
    EXECUTORS = "ex"
    CYCLE = "cyc"
    ALL = "all"
    PREVIEW = "pv"
    CANCEL = "no"


class ImportCb(CallbackData, prefix="pi"):
    action: ImportAction
    position: int = 0
    page: int = 0
    level: str = ""


class PlanAction(StrEnum):
    LIST = "ls"
    OPEN = "op"
    DATES = "dt"
    OFFSETS = "of"
    SET_OFFSETS = "so"


class PlanCb(CallbackData, prefix="pl"):
    action: PlanAction
    plan_id: int = 0
    page: int = 0
    preset: int = 0


class MeasureAction(StrEnum):
    OPEN = "op"
    EDIT = "ed"


class MeasureCb(CallbackData, prefix="ms"):
    action: MeasureAction
    measure_id: int
    page: int = 0


class DueAction(StrEnum):
    SKIP = "skip"


class DueCb(CallbackData, prefix="pd"):
    action: DueAction
    measure_id: int


class EventAction(StrEnum):
    LIST = "ls"
    ADD = "add"
    KIND = "kind"
    CSV = "csv"
    ASK_DELETE = "ask"
    DELETE = "del"


class EventCb(CallbackData, prefix="ev"):
    action: EventAction
    event_id: int = 0
    kind: str = ""
