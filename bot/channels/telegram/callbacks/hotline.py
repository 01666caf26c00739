"""Callback payloads of hotline buttons: operators' ticket actions and the person's own."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class TicketAction(StrEnum):
    OPEN = "open"
    ANSWER = "ans"
    TAKE = "take"
    HAND_OVER = "hand"  # shows the operators to hand over to
    HAND_TO = "to"  # ``arg`` is the operator's user id
    CLOSE = "close"
    REOPEN = "reopen"
    VIOLATION = "viol"
    BAN = "ban"
    UNBAN = "unban"
    LIST = "list"  # ``arg`` is the page


class TicketCb(CallbackData, prefix="tc"):
    """An operator's action on a ticket."""

    action: TicketAction
    ticket_id: int = 0
    arg: int = 0


class MyTicketAction(StrEnum):
    VIEW = "view"
    FOLLOW_UP = "more"
    SOLVED = "ok"
    LIST = "list"  # ``arg`` is the page


class MyTicketCb(CallbackData, prefix="mt"):
    """The asking person's action on their own ticket."""

    action: MyTicketAction
    ticket_id: int = 0
    arg: int = 0


class AskStep(StrEnum):
    KIND = "k"
    TOPIC = "t"
    SCHOOL = "s"  # ``value`` is the school's id, "0" for «не знаю»
    ANONYMITY = "a"  # "1" anonymous, "0" named
    DONE = "d"
    SEND = "go"
    EDIT_TEXT = "et"
    EDIT_SCHOOL = "es"
    EDIT_ANONYMITY = "ea"
    FAQ = "f"  # ``value`` is the FAQ entry's id
    BACK = "b"
    CANCEL = "x"


class AskCb(CallbackData, prefix="ask"):
    """A step of the ticket form."""

    step: AskStep
    value: str = ""


class ForumCb(CallbackData, prefix="hf"):
    """An officer's choice, in a forum chat, of the organisation whose hotline it serves."""

    org_id: int
