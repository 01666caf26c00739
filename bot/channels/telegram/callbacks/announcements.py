"""Callback payloads of announcement buttons: the recipient's response and the author's."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class AnnouncementAction(StrEnum):
    ACK = "ack"
    VOLUNTEER = "vol"
    CANCEL = "stop"
    ACKS = "acks"
    ACKS_XLSX = "xlsx"
    REMIND = "remind"


class AnnouncementCb(CallbackData, prefix="an"):
    action: AnnouncementAction
    announcement_id: int
