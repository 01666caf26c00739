"""Typed callback payloads of inline buttons; features add submodules."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class StartChoice(StrEnum):
    PARENT = "parent"
    INVITE = "invite"
    TG_NAME = "tgname"


class StartCb(CallbackData, prefix="st"):
    choice: StartChoice


class OrgAction(StrEnum):
    OPEN = "open"
    CHILDREN = "kids"
    ADD_CHILD = "add"
    INVITE_COORDINATOR = "invc"
    INVITE_OFFICER = "invo"
    INVITE_OPERATOR = "invh"
    EXPORT_CSV = "csv"
    EXPORT_XLSX = "xlsx"
    PEOPLE = "ppl"


class OrgCb(CallbackData, prefix="org"):
    action: OrgAction
    org_id: int
    page: int = 0


class PersonAction(StrEnum):
    ASK_REMOVE = "ask"
    REMOVE = "rm"


class PersonCb(CallbackData, prefix="pr"):
    action: PersonAction
    role_id: int
    org_id: int
    page: int = 0


class ParentAction(StrEnum):
    PICK = "pick"
    SKIP = "skip"


class ParentCb(CallbackData, prefix="pa"):
    action: ParentAction
    org_id: int = 0


class InviteAction(StrEnum):
    ASK_REVOKE = "ask"
    REVOKE = "rv"
    PAGE = "pg"


class InviteCb(CallbackData, prefix="iv"):
    action: InviteAction
    invite_id: int = 0
    page: int = 0
