"""Callback payloads of the FAQ (officer's and reader's), /privacy and hotline statistics."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

from bot.domain.enums import TicketTopic
from bot.services.hotline.faq import FaqField


class FaqAdminAction(StrEnum):
    LIST = "ls"
    OPEN = "op"
    ADD = "add"
    ASK_DELETE = "ask"
    DELETE = "rm"
    UP = "up"
    DOWN = "dn"


class FaqAdminCb(CallbackData, prefix="fqa"):
    action: FaqAdminAction
    org_id: int = 0
    entry_id: int = 0
    page: int = 0


class FaqEditCb(CallbackData, prefix="fqe"):
    entry_id: int
    field: FaqField


# entry_id 0 is the add form's topic step; otherwise the entry whose topic changes.
class FaqTopicCb(CallbackData, prefix="fqt"):
    topic: TicketTopic
    entry_id: int = 0


class FaqFormAction(StrEnum):
    SKIP = "skip"
    SAVE = "save"


class FaqFormCb(CallbackData, prefix="fqf"):
    action: FaqFormAction


class FaqReadAction(StrEnum):
    TOPICS = "tp"
    TOPIC = "t"
    ENTRY = "e"


class FaqReadCb(CallbackData, prefix="fqr"):
    action: FaqReadAction
    topic: TicketTopic = TicketTopic.OTHER
    entry_id: int = 0
    page: int = 0


class PrivacyAction(StrEnum):
    ASK_ERASE = "ask"
    ERASE = "erase"
    KEEP = "keep"


class PrivacyCb(CallbackData, prefix="pv"):
    action: PrivacyAction


class HotlineStatsCb(CallbackData, prefix="hs"):
    org_id: int
    days: int = 30
