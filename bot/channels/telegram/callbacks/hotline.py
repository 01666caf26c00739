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
