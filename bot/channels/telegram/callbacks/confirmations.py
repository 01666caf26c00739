"""Callback payloads of the confirmation form, the review queue, transfers and reports."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.domain.enums import ConfirmationResult


class ConfirmAction(StrEnum):
    EVIDENCE_DONE = "next"
    CLEAR = "clr"
    NO_COMMENT = "nc"
    SEND = "send"
    EDIT = "edit"
    SUMMARY = "sum"
    CANCEL = "x"


class ConfirmStep(StrEnum):
    RESULT = "r"
    EVIDENCE = "e"
    COMMENT = "c"


class ConfirmCb(CallbackData, prefix="cf"):
    action: ConfirmAction


# The choices carry enums, so a forged value fails to unpack and the button counts as stale.
class ConfirmResultCb(CallbackData, prefix="cfr"):
    result: ConfirmationResult


class ConfirmStepCb(CallbackData, prefix="cfs"):
    step: ConfirmStep


class ReviewAction(StrEnum):
    LIST = "ls"
    OPEN = "op"
    ACCEPT = "ok"
    RETURN = "ret"
    FILES = "fl"
    TRANSFERS = "tls"
    TRANSFER = "tcd"


class ReviewCb(CallbackData, prefix="rv"):
    action: ReviewAction
    item_id: int = 0
    page: int = 0


class TransferAction(StrEnum):
    APPROVE = "ok"
    DECLINE = "no"


class TransferCb(CallbackData, prefix="tf"):
    action: TransferAction
    transfer_id: int


class ReportKind(StrEnum):
    MENU = "menu"
    SUMMARY = "sum"
    OVERDUE = "late"
    XLSX = "xlsx"
    CHART = "png"


class ReportCb(CallbackData, prefix="rp"):
    kind: ReportKind
    org_id: int
