"""Keyboard builders; features add submodules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from aiogram.utils.keyboard import InlineKeyboardBuilder, ReplyKeyboardBuilder

from bot import texts
from bot.channels.telegram.callbacks import (
    InviteAction,
    InviteCb,
    OrgAction,
    OrgCb,
    ParentAction,
    ParentCb,
    PersonAction,
    PersonCb,
    StartCb,
    StartChoice,
)
from bot.domain.enums import OrgKind, RoleKind
from bot.texts import announce_form as announce_texts
from bot.texts import faq as faq_texts
from bot.texts import hotline as hotline_texts
from bot.texts import hotline_settings as hotline_settings_texts

T = TypeVar("T")
PAGE_SIZE = 8


def page_of(items: Sequence[T], page: int, size: int = PAGE_SIZE) -> tuple[Sequence[T], int, int]:
    """The slice for ``page`` (clamped) with the page number and the page count."""
    pages = max(1, -(-len(items) // size))
    page = min(max(page, 0), pages - 1)
    return items[page * size : (page + 1) * size], page, pages


def add_pager(
    builder: InlineKeyboardBuilder, page: int, pages: int, make: Callable[[int], CallbackData]
) -> None:
    if pages <= 1:
        return
    buttons = []
    if page > 0:
        buttons.append((texts.BTN_PREV, make(page - 1)))
    buttons.append((f"{page + 1}/{pages}", make(page)))
    if page < pages - 1:
        buttons.append((texts.BTN_NEXT, make(page + 1)))
    builder.row(*(InlineKeyboardButton(text=t, callback_data=cb.pack()) for t, cb in buttons))


def start_choice() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.BTN_I_AM_PARENT, callback_data=StartCb(choice=StartChoice.PARENT))
    builder.button(text=texts.BTN_I_HAVE_INVITE, callback_data=StartCb(choice=StartChoice.INVITE))
    builder.adjust(1)
    return builder.as_markup()


def use_tg_name(name: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.BTN_USE_TG_NAME.format(name=name[:40]),
        callback_data=StartCb(choice=StartChoice.TG_NAME),
    )
    return builder.as_markup()


MENU_BUTTONS = {
    RoleKind.OFFICER: [
        [texts.BTN_PLANS, texts.BTN_REPORTS],
        [texts.BTN_REVIEW, texts.BTN_MY_TASKS],
        [texts.BTN_ORGS, texts.BTN_INVITES],
        [hotline_texts.BTN_TICKETS, faq_texts.BTN_HOTLINE_STATS],
        [announce_texts.BTN_ANNOUNCE, announce_texts.BTN_MY_ANNOUNCEMENTS],
        [faq_texts.BTN_FAQ_MANAGE, hotline_settings_texts.BTN_HOTLINE_SETTINGS],
        [texts.BTN_SETTINGS],
    ],
    RoleKind.OPERATOR: [[hotline_texts.BTN_TICKETS], [texts.BTN_SETTINGS]],
    RoleKind.COORDINATOR: [
        [texts.BTN_MY_TASKS],
        [announce_texts.BTN_ANNOUNCE, announce_texts.BTN_MY_ANNOUNCEMENTS],
        [texts.BTN_EVENTS, announce_texts.BTN_VOLUNTEERS],
        [texts.BTN_SETTINGS],
    ],
    RoleKind.PARENT: [
        [hotline_texts.BTN_ASK, hotline_texts.BTN_MY_TICKETS],
        [faq_texts.BTN_FAQ, texts.BTN_SETTINGS],
    ],
}


def main_menu(role: RoleKind) -> ReplyKeyboardMarkup:
    builder = ReplyKeyboardBuilder()
    for row in MENU_BUTTONS[role]:
        builder.row(*(KeyboardButton(text=t) for t in row))
    return builder.as_markup(resize_keyboard=True, is_persistent=True)


def org_card(org_id: int, kind: OrgKind, has_children: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if has_children:
        builder.button(
            text=texts.BTN_CHILDREN, callback_data=OrgCb(action=OrgAction.CHILDREN, org_id=org_id)
        )
    if kind != OrgKind.SCHOOL:
        child = texts.ORG_KIND_ACCUSATIVE[
            OrgKind.MUNICIPALITY if kind == OrgKind.REGION else OrgKind.SCHOOL
        ]
        builder.button(
            text=texts.BTN_ADD_CHILD.format(kind=child),
            callback_data=OrgCb(action=OrgAction.ADD_CHILD, org_id=org_id),
        )
        builder.button(
            text=texts.BTN_INVITE_OFFICER,
            callback_data=OrgCb(action=OrgAction.INVITE_OFFICER, org_id=org_id),
        )
        builder.button(
            text=hotline_texts.BTN_INVITE_OPERATOR,
            callback_data=OrgCb(action=OrgAction.INVITE_OPERATOR, org_id=org_id),
        )
    if kind != OrgKind.REGION:
        builder.button(
            text=texts.BTN_INVITE_COORDINATOR,
            callback_data=OrgCb(action=OrgAction.INVITE_COORDINATOR, org_id=org_id),
        )
    if kind == OrgKind.MUNICIPALITY:
        builder.button(
            text=texts.BTN_EXPORT_XLSX,
            callback_data=OrgCb(action=OrgAction.EXPORT_XLSX, org_id=org_id),
        )
        builder.button(
            text=texts.BTN_EXPORT_CSV,
            callback_data=OrgCb(action=OrgAction.EXPORT_CSV, org_id=org_id),
        )
    builder.button(
        text=texts.BTN_ORG_PEOPLE, callback_data=OrgCb(action=OrgAction.PEOPLE, org_id=org_id)
    )
    builder.adjust(1)
    return builder.as_markup()


def org_list(
    items: Sequence[tuple[int, str]], page: int, pages: int, parent_id: int | None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for org_id, name in items:
        builder.button(text=name[:60], callback_data=OrgCb(action=OrgAction.OPEN, org_id=org_id))
    builder.adjust(1)
    if parent_id is not None:
        add_pager(
            builder,
            page,
            pages,
            lambda p: OrgCb(action=OrgAction.CHILDREN, org_id=parent_id, page=p),
        )
        builder.row(
            InlineKeyboardButton(
                text=texts.BTN_BACK,
                callback_data=OrgCb(action=OrgAction.OPEN, org_id=parent_id).pack(),
            )
        )
    return builder.as_markup()


def people_list(
    items: Sequence[tuple[int, str]], org_id: int, page: int = 0, pages: int = 1
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for role_id, name in items:
        builder.button(
            text=texts.BTN_REMOVE_PERSON.format(name=name[:40]),
            callback_data=PersonCb(
                action=PersonAction.ASK_REMOVE, role_id=role_id, org_id=org_id, page=page
            ),
        )
    builder.adjust(1)
    add_pager(builder, page, pages, lambda p: _people_page(org_id, p))
    builder.row(
        InlineKeyboardButton(
            text=texts.BTN_BACK,
            callback_data=OrgCb(action=OrgAction.OPEN, org_id=org_id).pack(),
        )
    )
    return builder.as_markup()


def confirm_remove(role_id: int, org_id: int, page: int = 0) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.BTN_YES_REMOVE,
        callback_data=PersonCb(
            action=PersonAction.REMOVE, role_id=role_id, org_id=org_id, page=page
        ),
    )
    builder.button(text=texts.BTN_CANCEL, callback_data=_people_page(org_id, page))
    return builder.as_markup()


def back_to_people(org_id: int, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=texts.BTN_BACK, callback_data=_people_page(org_id, page))
    return builder.as_markup()


def _people_page(org_id: int, page: int) -> OrgCb:
    return OrgCb(action=OrgAction.PEOPLE, org_id=org_id, page=page)


def invite_list(items: Sequence[tuple[int, str]], page: int, pages: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for invite_id, org in items:
        builder.button(
            text=texts.BTN_REVOKE.format(org=org[:40]),
            callback_data=InviteCb(action=InviteAction.ASK_REVOKE, invite_id=invite_id, page=page),
        )
    builder.adjust(1)
    add_pager(builder, page, pages, lambda p: InviteCb(action=InviteAction.PAGE, page=p))
    return builder.as_markup()


def confirm_revoke(invite_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=texts.BTN_YES_REVOKE,
        callback_data=InviteCb(action=InviteAction.REVOKE, invite_id=invite_id),
    )
    builder.button(text=texts.BTN_CANCEL, callback_data=InviteCb(action=InviteAction.PAGE))
    return builder.as_markup()


def school_choices(items: Sequence[tuple[int, str, str | None]]) -> InlineKeyboardMarkup:
    """The schools found for a parent's query (id, name, municipality), then «Пропустить»."""
    builder = InlineKeyboardBuilder()
    for org_id, name, place in items:
        label = texts.SCHOOL_CHOICE.format(name=name, place=place) if place else name
        builder.button(
            text=label[:64], callback_data=ParentCb(action=ParentAction.PICK, org_id=org_id)
        )
    builder.button(text=texts.BTN_SKIP, callback_data=ParentCb(action=ParentAction.SKIP))
    builder.adjust(1)
    return builder.as_markup()
