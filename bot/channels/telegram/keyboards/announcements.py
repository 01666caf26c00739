"""Keyboards of composing an announcement, its preview, the author's list and the school's
volunteers."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.channels.telegram.callbacks.announce_form import (
    ComposeCb,
    ComposeStep,
    DraftAction,
    DraftCb,
    MineAction,
    MineCb,
    VolunteerAction,
    VolunteerCb,
)
from bot.channels.telegram.callbacks.announcements import AnnouncementAction, AnnouncementCb
from bot.channels.telegram.keyboards import add_pager
from bot.domain.enums import AudienceKind, ResponseKind
from bot.services.announcements.listing import AnnouncementCard, EventChoice, OrgOption
from bot.services.announcements.views import AnnouncementPage, EventVolunteers, Preview
from bot.texts import announce_form as texts
from bot.texts import announcements as atexts
from bot.texts.formatting import format_date

ORG_PAGE = 8


def _cancel_row(builder: InlineKeyboardBuilder) -> None:
    builder.row(
        InlineKeyboardButton(
            text=texts.BTN_DISCARD, callback_data=ComposeCb(step=ComposeStep.CANCEL).pack()
        )
    )


def sender_orgs(items: Sequence[OrgOption]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for org in items:
        builder.button(
            text=texts.short(org.name, 60),
            callback_data=ComposeCb(step=ComposeStep.ORG, id=org.id),
        )
    builder.adjust(1)
    _cancel_row(builder)
    return builder.as_markup()


def audience_kinds(kinds: Sequence[AudienceKind]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in kinds:
        builder.button(
            text=texts.AUDIENCE_BUTTONS[kind],
            callback_data=ComposeCb(step=ComposeStep.KIND, value=kind.value),
        )
    builder.adjust(1)
    _cancel_row(builder)
    return builder.as_markup()


def org_picker(
    items: Sequence[OrgOption], chosen: set[int], page: int, pages: int, searching: bool
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for org in items:
        name = (
            texts.ORG_WITH_PLACE.format(name=org.name, place=org.place) if org.place else org.name
        )
        label = texts.ORG_CHOSEN.format(name=name) if org.id in chosen else name
        builder.button(
            text=texts.short(label, 60),
            callback_data=ComposeCb(step=ComposeStep.TOGGLE, id=org.id, page=page),
        )
    builder.adjust(1)
    add_pager(builder, page, pages, lambda p: ComposeCb(step=ComposeStep.PAGE, page=p))
    if searching:
        builder.row(
            InlineKeyboardButton(
                text=texts.BTN_RESET_SEARCH,
                callback_data=ComposeCb(step=ComposeStep.RESET).pack(),
            )
        )
    builder.row(
        InlineKeyboardButton(
            text=texts.BTN_DONE, callback_data=ComposeCb(step=ComposeStep.ORGS_DONE).pack()
        ),
        InlineKeyboardButton(
            text=texts.BTN_DISCARD, callback_data=ComposeCb(step=ComposeStep.CANCEL).pack()
        ),
    )
    return builder.as_markup()


def files(has_files: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if has_files:
        builder.button(text=texts.BTN_DONE, callback_data=ComposeCb(step=ComposeStep.FILES_DONE))
    else:
        builder.button(text=texts.BTN_NO_FILES, callback_data=ComposeCb(step=ComposeStep.NO_FILES))
    builder.button(text=texts.BTN_DISCARD, callback_data=ComposeCb(step=ComposeStep.CANCEL))
    builder.adjust(2)
    return builder.as_markup()


def responses(volunteers: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    options = [
        (texts.BTN_RESPONSE_NONE, ResponseKind.NONE),
        (texts.BTN_RESPONSE_ACK, ResponseKind.ACK),
    ]
    if volunteers:
        options.append((texts.BTN_RESPONSE_VOLUNTEER, ResponseKind.VOLUNTEER))
    for label, kind in options:
        builder.button(text=label, callback_data=ComposeCb(step=ComposeStep.RESPONSE, value=kind))
    builder.adjust(1)
    _cancel_row(builder)
    return builder.as_markup()


def events(items: Sequence[EventChoice]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for event in items[:30]:
        builder.button(
            text=texts.short(f"{format_date(event.date)} · {event.label}", 60),
            callback_data=ComposeCb(step=ComposeStep.EVENT, id=event.id),
        )
    builder.adjust(1)
    _cancel_row(builder)
    return builder.as_markup()


def preview_button(preview: Preview) -> InlineKeyboardMarkup | None:
    """The recipients' response button, pressing which in the preview does nothing."""
    label = {ResponseKind.ACK: atexts.BTN_ACK, ResponseKind.VOLUNTEER: atexts.BTN_VOLUNTEER}
    if preview.response not in label:
        return None
    data = DraftCb(action=DraftAction.PREVIEW_BUTTON, announcement_id=preview.announcement_id)
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=label[preview.response], callback_data=data.pack())]
        ]
    )


def preview_card(announcement_id: int, audience: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    actions = [
        (texts.BTN_SEND_NOW, DraftAction.SEND),
        (texts.BTN_SCHEDULE, DraftAction.SCHEDULE),
        (texts.BTN_EDIT_TEXT, DraftAction.EDIT_TEXT),
    ]
    if audience:
        actions.append((texts.BTN_EDIT_AUDIENCE, DraftAction.EDIT_AUDIENCE))
    actions.append((texts.BTN_DISCARD, DraftAction.DISCARD))
    for label, action in actions:
        builder.button(
            text=label, callback_data=DraftCb(action=action, announcement_id=announcement_id)
        )
    builder.adjust(2)
    return builder.as_markup()


def my_list(page: AnnouncementPage) -> InlineKeyboardMarkup | None:
    if not page.items:
        return None
    builder = InlineKeyboardBuilder()
    for item in page.items:
        builder.button(
            text=texts.short(texts.MY_BUTTON.format(id=item.id, excerpt=item.excerpt), 60),
            callback_data=MineCb(action=MineAction.OPEN, announcement_id=item.id, page=page.page),
        )
    builder.adjust(1)
    add_pager(builder, page.page, page.pages, lambda p: MineCb(action=MineAction.PAGE, page=p))
    return builder.as_markup()


def my_card(card: AnnouncementCard, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    announcement_id = card.item.id

    def follow_up(label: str, action: AnnouncementAction) -> None:
        builder.button(
            text=label,
            callback_data=AnnouncementCb(action=action, announcement_id=announcement_id),
        )

    if texts.running(card.progress.status):
        follow_up(atexts.BTN_CANCEL_SENDING, AnnouncementAction.CANCEL)
    if card.response == ResponseKind.ACK:
        follow_up(atexts.BTN_WHO_ACKED, AnnouncementAction.ACKS)
        follow_up(atexts.BTN_REMIND, AnnouncementAction.REMIND)
        follow_up(atexts.BTN_ACKS_XLSX, AnnouncementAction.ACKS_XLSX)
    builder.button(
        text=texts.BTN_REFRESH,
        callback_data=MineCb(action=MineAction.OPEN, announcement_id=announcement_id, page=page),
    )
    builder.button(text=texts.BTN_TO_LIST, callback_data=MineCb(action=MineAction.PAGE, page=page))
    builder.adjust(1)
    return builder.as_markup()


def volunteer_events(items) -> InlineKeyboardMarkup | None:
    if not items:
        return None
    builder = InlineKeyboardBuilder()
    for item in items[:30]:
        builder.button(
            text=texts.short(
                texts.BTN_VOLUNTEER_EVENT.format(date=format_date(item.date), event=item.label), 60
            ),
            callback_data=VolunteerCb(action=VolunteerAction.EVENT, event_id=item.event_id),
        )
    builder.adjust(1)
    return builder.as_markup()


def volunteers(found: EventVolunteers) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for item in found.volunteers[:40]:
        name = texts.short(item.name, 28)
        builder.row(
            InlineKeyboardButton(
                text=texts.BTN_CONFIRM_VOLUNTEER.format(name=name),
                callback_data=VolunteerCb(
                    action=VolunteerAction.CONFIRM,
                    event_id=found.event_id,
                    response_id=item.response_id,
                ).pack(),
            ),
            InlineKeyboardButton(
                text=texts.BTN_DECLINE_VOLUNTEER.format(name=name),
                callback_data=VolunteerCb(
                    action=VolunteerAction.DECLINE,
                    event_id=found.event_id,
                    response_id=item.response_id,
                ).pack(),
            ),
        )
    builder.row(
        InlineKeyboardButton(
            text=texts.BTN_TO_EVENTS,
            callback_data=VolunteerCb(action=VolunteerAction.EVENTS).pack(),
        )
    )
    return builder.as_markup()
