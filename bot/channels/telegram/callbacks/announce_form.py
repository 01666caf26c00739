"""Callback payloads of composing an announcement, its preview, the author's list and the
school's volunteers."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ComposeStep(StrEnum):
    ORG = "org"  # id: the organisation to send from
    KIND = "kind"  # value: the AudienceKind
    TOGGLE = "tg"  # id: a municipality or school to add or take away
    PAGE = "pg"
    RESET = "rs"  # drop the search
    ORGS_DONE = "od"
    FILES_DONE = "fd"
    NO_FILES = "nf"
    RESPONSE = "rp"  # value: the ResponseKind
    EVENT = "ev"  # id: the assessment event
    CANCEL = "no"


class ComposeCb(CallbackData, prefix="anc"):
    step: ComposeStep
    id: int = 0
    value: str = ""
    page: int = 0


class DraftAction(StrEnum):
    SEND = "send"
    SCHEDULE = "plan"
    EDIT_TEXT = "text"
    EDIT_AUDIENCE = "aud"
    DISCARD = "no"
    PREVIEW_BUTTON = "pb"  # the response button of the preview, which does nothing


class DraftCb(CallbackData, prefix="and"):
    action: DraftAction
    announcement_id: int


class MineAction(StrEnum):
    PAGE = "pg"
    OPEN = "op"


class MineCb(CallbackData, prefix="anl"):
    action: MineAction
    announcement_id: int = 0
    page: int = 0


class VolunteerAction(StrEnum):
    EVENTS = "ls"
    EVENT = "ev"
    CONFIRM = "ok"
    DECLINE = "no"


class VolunteerCb(CallbackData, prefix="anv"):
    action: VolunteerAction
    event_id: int = 0
    response_id: int = 0
