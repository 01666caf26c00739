"""Channel-neutral messages rendered into Bot API calls: keyboards, callbacks, files, threads."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiogram import methods
from aiogram.filters.callback_data import CallbackData
from aiogram.methods import TelegramMethod
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaAudio,
    InputMediaDocument,
    InputMediaPhoto,
    InputMediaVideo,
)

from bot.channels.telegram.callbacks.announcements import AnnouncementAction, AnnouncementCb
from bot.channels.telegram.callbacks.confirmations import (
    ReviewAction,
    ReviewCb,
    TransferAction,
    TransferCb,
)
from bot.channels.telegram.callbacks.hotline import (
    MyTicketAction,
    MyTicketCb,
    TicketAction,
    TicketCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.messages import (
    Action,
    ActionKind,
    Address,
    Attachment,
    AttachmentKind,
    Button,
    OutgoingMessage,
)

CALLBACKS: dict[ActionKind, Callable[[int], CallbackData]] = {
    ActionKind.CONFIRM_TASK: lambda i: TaskCb(action=TaskAction.CONFIRM, task_id=i),
    ActionKind.SNOOZE_TASK: lambda i: TaskCb(action=TaskAction.SNOOZE, task_id=i),
    ActionKind.LIST_TASKS: lambda i: TaskCb(action=TaskAction.LIST),
    ActionKind.OPEN_REVIEW: lambda i: ReviewCb(action=ReviewAction.OPEN, item_id=i),
    ActionKind.APPROVE_TRANSFER: lambda i: TransferCb(
        action=TransferAction.APPROVE, transfer_id=i
    ),
    ActionKind.DECLINE_TRANSFER: lambda i: TransferCb(
        action=TransferAction.DECLINE, transfer_id=i
    ),
    ActionKind.OPEN_TICKET: lambda i: TicketCb(action=TicketAction.OPEN, ticket_id=i),
    ActionKind.ANSWER_TICKET: lambda i: TicketCb(action=TicketAction.ANSWER, ticket_id=i),
    ActionKind.TAKE_TICKET: lambda i: TicketCb(action=TicketAction.TAKE, ticket_id=i),
    ActionKind.HAND_OVER_TICKET: lambda i: TicketCb(action=TicketAction.HAND_OVER, ticket_id=i),
    ActionKind.CLOSE_TICKET: lambda i: TicketCb(action=TicketAction.CLOSE, ticket_id=i),
    ActionKind.REOPEN_TICKET: lambda i: TicketCb(action=TicketAction.REOPEN, ticket_id=i),
    ActionKind.MARK_VIOLATION: lambda i: TicketCb(action=TicketAction.VIOLATION, ticket_id=i),
    ActionKind.BAN_AUTHOR: lambda i: TicketCb(action=TicketAction.BAN, ticket_id=i),
    ActionKind.UNBAN_AUTHOR: lambda i: TicketCb(action=TicketAction.UNBAN, ticket_id=i),
    ActionKind.VIEW_MY_TICKET: lambda i: MyTicketCb(action=MyTicketAction.VIEW, ticket_id=i),
    ActionKind.FOLLOW_UP_TICKET: lambda i: MyTicketCb(
        action=MyTicketAction.FOLLOW_UP, ticket_id=i
    ),
    ActionKind.SOLVED_TICKET: lambda i: MyTicketCb(action=MyTicketAction.SOLVED, ticket_id=i),
    ActionKind.ACK_ANNOUNCEMENT: lambda i: AnnouncementCb(
        action=AnnouncementAction.ACK, announcement_id=i
    ),
    ActionKind.VOLUNTEER_ANNOUNCEMENT: lambda i: AnnouncementCb(
        action=AnnouncementAction.VOLUNTEER, announcement_id=i
    ),
    ActionKind.CANCEL_ANNOUNCEMENT: lambda i: AnnouncementCb(
        action=AnnouncementAction.CANCEL, announcement_id=i
    ),
    ActionKind.ACKS_OF_ANNOUNCEMENT: lambda i: AnnouncementCb(
        action=AnnouncementAction.ACKS, announcement_id=i
    ),
    ActionKind.REMIND_ANNOUNCEMENT: lambda i: AnnouncementCb(
        action=AnnouncementAction.REMIND, announcement_id=i
    ),
}
# The field of each callback that carries the action's object id.
_OBJECT_FIELDS = ("task_id", "item_id", "transfer_id", "ticket_id", "announcement_id")

# Telegram's limits: a caption, and the files of one album.
CAPTION_LIMIT = 1024
ALBUM_LIMIT = 10
# Files of these kinds can share an album; a voice message is always sent on its own.
_ALBUMS: dict[str, str] = {
    AttachmentKind.PHOTO: "visual",
    AttachmentKind.VIDEO: "visual",
    AttachmentKind.DOCUMENT: "document",
    AttachmentKind.AUDIO: "audio",
}
_MEDIA = {
    AttachmentKind.PHOTO: InputMediaPhoto,
    AttachmentKind.VIDEO: InputMediaVideo,
    AttachmentKind.DOCUMENT: InputMediaDocument,
    AttachmentKind.AUDIO: InputMediaAudio,
}


def button(item: Button) -> InlineKeyboardButton:
    if item.action is None:
        return InlineKeyboardButton(text=item.label, url=item.url)
    data = CALLBACKS[item.action.kind](item.action.object_id)
    return InlineKeyboardButton(text=item.label, callback_data=data.pack())


def keyboard(message: OutgoingMessage) -> InlineKeyboardMarkup | None:
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[[button(b) for b in row] for row in message.buttons]
    )


def action_of(data: str) -> Action:
    """The action a callback string renders; ValueError if it renders none."""
    for kind, make in CALLBACKS.items():
        try:
            callback = type(make(0)).unpack(data)
        except (TypeError, ValueError):
            continue
        object_id = next(
            (getattr(callback, name) for name in _OBJECT_FIELDS if hasattr(callback, name)), 0
        )
        if make(object_id).pack() == data:
            return Action(kind, object_id)
    raise ValueError(f"no action is rendered as {data!r}")


def buttons_of(markup: Mapping[str, Any]) -> tuple[tuple[Button, ...], ...]:
    """The neutral buttons of an inline keyboard (as a dict); ValueError for one that has
    no action."""
    return tuple(
        tuple(
            Button(item["text"], url=item["url"])
            if item.get("url")
            else Button(item["text"], action_of(item["callback_data"]))
            for item in row
        )
        for row in markup.get("inline_keyboard", ())
    )


def chat_of(address: Address) -> int | str:
    """Telegram's chat id: a number, or a public channel's @username."""
    chat = address.chat_id
    return int(chat) if chat.lstrip("-").isdigit() else chat


def calls(address: Address, message: OutgoingMessage) -> list[TelegramMethod[Any]]:
    """The Bot API calls that deliver the message, in order.

    Without files, one sendMessage. One file takes the text as its caption when it fits;
    several go as albums, which carry no buttons, so then (as for a text too long for a
    caption) the text and the buttons go first in a message of their own.
    """
    where: dict[str, Any] = {"chat_id": chat_of(address)}
    if address.thread_id is not None:
        where["message_thread_id"] = address.thread_id
    markup = keyboard(message)
    if not message.attachments:
        return [methods.SendMessage(**where, text=message.text, reply_markup=markup)]
    albums = _albums(message.attachments)
    fits = bool(message.text) and _units(message.text) <= CAPTION_LIMIT
    found: list[TelegramMethod[Any]] = []
    caption: str | None = None
    if len(albums) == 1 and len(albums[0]) == 1 and (fits or not message.text):
        return [_file(where, albums[0][0], message.text or None, markup)]
    if fits and markup is None:
        caption = message.text
    elif message.text:
        found.append(methods.SendMessage(**where, text=message.text, reply_markup=markup))
    for album in albums:
        if len(album) == 1:
            found.append(_file(where, album[0], caption, None))
        else:
            media = [
                _MEDIA[_kind(item)](media=item.file_ref, caption=caption if not n else None)
                for n, item in enumerate(album)
            ]
            found.append(methods.SendMediaGroup(**where, media=media))
        caption = None
    return found


def _kind(item: Attachment) -> str:
    return item.kind if item.kind in set(AttachmentKind) else AttachmentKind.DOCUMENT


def _albums(files: Sequence[Attachment]) -> list[list[Attachment]]:
    """Files grouped into albums of the kinds Telegram lets share one, ten at most each;
    albums come in the order of their first file."""
    albums: list[list[Attachment]] = []
    open_albums: dict[str, list[Attachment]] = {}
    for item in files:
        family = _ALBUMS.get(_kind(item))
        album = open_albums.get(family) if family else None
        if album is None or len(album) >= ALBUM_LIMIT:
            album = []
            albums.append(album)
            if family:
                open_albums[family] = album
        album.append(item)
    return albums


def _file(
    where: dict[str, Any],
    item: Attachment,
    caption: str | None,
    markup: InlineKeyboardMarkup | None,
) -> TelegramMethod[Any]:
    common = {**where, "caption": caption, "reply_markup": markup}
    kind = _kind(item)
    if kind == AttachmentKind.PHOTO:
        return methods.SendPhoto(**common, photo=item.file_ref)
    if kind == AttachmentKind.VIDEO:
        return methods.SendVideo(**common, video=item.file_ref)
    if kind == AttachmentKind.AUDIO:
        return methods.SendAudio(**common, audio=item.file_ref)
    if kind == AttachmentKind.VOICE:
        return methods.SendVoice(**common, voice=item.file_ref)
    return methods.SendDocument(**common, document=item.file_ref)


def _units(text: str) -> int:
    # Telegram counts lengths in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2
