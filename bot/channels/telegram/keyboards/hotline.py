"""Keyboards of the hotline: the ticket form, the person's tickets, operators' cards."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.channels.telegram.callbacks.hotline import (
    AskCb,
    AskStep,
    ForumCb,
    MyTicketAction,
    MyTicketCb,
    TicketAction,
    TicketCb,
)
from bot.domain.enums import TicketKind, TicketStatus, TicketTopic
from bot.services.hotline.views import ForumBinding, OperatorChoice, TicketPage, TicketView
from bot.texts import BTN_BACK, BTN_CANCEL, BTN_NEXT, BTN_PREV
from bot.texts import hotline as texts
from bot.texts.formatting import upper_first


def card(ticket: TicketView) -> InlineKeyboardMarkup:
    """An operator's actions on the ticket, as its state allows."""
    b = InlineKeyboardBuilder()

    def add(label: str, action: TicketAction, arg: int = 0) -> None:
        b.button(text=label, callback_data=TicketCb(action=action, ticket_id=ticket.id, arg=arg))

    if ticket.status == TicketStatus.CLOSED:
        add(texts.BTN_REOPEN, TicketAction.REOPEN)
    else:
        add(texts.BTN_ANSWER, TicketAction.ANSWER)
        if not ticket.is_mine:
            add(texts.BTN_TAKE, TicketAction.TAKE)
        add(texts.BTN_HAND_OVER, TicketAction.HAND_OVER)
        add(texts.BTN_CLOSE, TicketAction.CLOSE)
        if ticket.kind != TicketKind.VIOLATION:
            add(texts.BTN_VIOLATION, TicketAction.VIOLATION)
    if not ticket.author_erased:
        if ticket.author_banned:
            add(texts.BTN_UNBAN, TicketAction.UNBAN)
        else:
            add(texts.BTN_BAN, TicketAction.BAN)
    b.adjust(2)
    return b.as_markup()


def queue(page: TicketPage) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for t in page.items:
        b.button(
            text=texts.BTN_OPEN.format(number=t.number),
            callback_data=TicketCb(action=TicketAction.OPEN, ticket_id=t.id),
        )
    b.adjust(1)
    nav = []
    if page.page > 0:
        nav.append((BTN_PREV, page.page - 1))
    if page.page + 1 < page.pages:
        nav.append((BTN_NEXT, page.page + 1))
    for label, target in nav:
        b.button(text=label, callback_data=TicketCb(action=TicketAction.LIST, arg=target))
    if nav:
        b.adjust(*([1] * len(page.items)), len(nav))
    return b.as_markup()


def handover(ticket_id: int, choices: list[OperatorChoice]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for choice in choices:
        b.button(
            text=choice.full_name[:60],
            callback_data=TicketCb(
                action=TicketAction.HAND_TO, ticket_id=ticket_id, arg=choice.user_id
            ),
        )
    b.adjust(1)
    return b.as_markup()


def confirm_ban(ticket_id: int) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(
        text=texts.BTN_YES_BAN,
        callback_data=TicketCb(action=TicketAction.BAN, ticket_id=ticket_id, arg=1),
    )
    b.button(text=BTN_BACK, callback_data=TicketCb(action=TicketAction.OPEN, ticket_id=ticket_id))
    return b.as_markup()


def my_list(page: TicketPage) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for t in page.items:
        b.button(
            text=texts.BTN_OPEN.format(number=t.number),
            callback_data=MyTicketCb(action=MyTicketAction.VIEW, ticket_id=t.id),
        )
    if page.page > 0:
        b.button(
            text=BTN_PREV, callback_data=MyTicketCb(action=MyTicketAction.LIST, arg=page.page - 1)
        )
    if page.page + 1 < page.pages:
        b.button(
            text=BTN_NEXT, callback_data=MyTicketCb(action=MyTicketAction.LIST, arg=page.page + 1)
        )
    b.adjust(1)
    return b.as_markup()


def my_ticket(ticket: TicketView) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    b.button(
        text=texts.BTN_FOLLOW_UP,
        callback_data=MyTicketCb(action=MyTicketAction.FOLLOW_UP, ticket_id=ticket.id),
    )
    if ticket.status != TicketStatus.CLOSED:
        b.button(
            text=texts.BTN_SOLVED,
            callback_data=MyTicketCb(action=MyTicketAction.SOLVED, ticket_id=ticket.id),
        )
    b.button(text=BTN_BACK, callback_data=MyTicketCb(action=MyTicketAction.LIST))
    b.adjust(1)
    return b.as_markup()


def _step(b: InlineKeyboardBuilder, label: str, step: AskStep, value: str = "") -> None:
    b.button(text=label, callback_data=AskCb(step=step, value=value))


def _footer(b: InlineKeyboardBuilder, back: bool = True) -> None:
    if back:
        _step(b, BTN_BACK, AskStep.BACK)
    _step(b, BTN_CANCEL, AskStep.CANCEL)


def ask_kind() -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for kind in TicketKind:
        _step(b, texts.KIND_NAMES[kind].capitalize(), AskStep.KIND, kind.value)
    _footer(b, back=False)
    b.adjust(1)
    return b.as_markup()


def ask_topic() -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for topic in TicketTopic:
        _step(b, upper_first(texts.TOPIC_NAMES[topic]), AskStep.TOPIC, topic.value)
    _footer(b)
    b.adjust(2)
    return b.as_markup()


def ask_school(choices: list[tuple[int, str, str | None]]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for org_id, name, place in choices:
        label = f"{name} — {place}" if place else name
        _step(b, label[:60], AskStep.SCHOOL, str(org_id))
    _step(b, texts.BTN_DONT_KNOW, AskStep.SCHOOL, "0")
    _footer(b)
    b.adjust(1)
    return b.as_markup()


def ask_anonymity(violation: bool) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    options = [("1", texts.BTN_ANONYMOUS), ("0", texts.BTN_NAMED)]
    if not violation:
        options.reverse()
    for value, label in options:
        _step(b, label, AskStep.ANONYMITY, value)
    _footer(b)
    b.adjust(1)
    return b.as_markup()


def ask_text(has_content: bool) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    if has_content:
        _step(b, texts.BTN_DONE_FILES, AskStep.DONE)
    _footer(b)
    b.adjust(1)
    return b.as_markup()


def ask_summary(faq_ids: list[int]) -> InlineKeyboardMarkup:
    b = InlineKeyboardBuilder()
    for n, faq_id in enumerate(faq_ids, 1):
        _step(b, f"{texts.BTN_FAQ_HELPED} ({n})", AskStep.FAQ, str(faq_id))
    _step(b, texts.BTN_SEND, AskStep.SEND)
    _step(b, texts.BTN_EDIT_TEXT, AskStep.EDIT_TEXT)
    _step(b, texts.BTN_EDIT_SCHOOL, AskStep.EDIT_SCHOOL)
    _step(b, texts.BTN_EDIT_ANONYMITY, AskStep.EDIT_ANONYMITY)
    _step(b, BTN_CANCEL, AskStep.CANCEL)
    b.adjust(1)
    return b.as_markup()


def forum_orgs(choices: list[ForumBinding]) -> InlineKeyboardMarkup:
    """The officer's organisations to take the hotline of, in a forum chat."""
    b = InlineKeyboardBuilder()
    for choice in choices:
        b.button(text=choice.org_name[:60], callback_data=ForumCb(org_id=choice.org_id))
    b.adjust(1)
    return b.as_markup()
