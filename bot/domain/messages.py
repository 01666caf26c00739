"""The channel-neutral outgoing message: text, buttons as typed actions, files, an address."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any


class Channel(StrEnum):
    TELEGRAM = "telegram"


class Lane(IntEnum):
    """Delivery priority: a lower lane is claimed first."""

    INTERACTIVE = 0  # notices someone waits for, hotline relays
    REMINDER = 1
    DIGEST = 2
    BULK = 3  # announcements to many


class ActionKind(StrEnum):
    """What a button asks the bot to do; each channel renders it into its own callback."""

    CONFIRM_TASK = "task.confirm"
    SNOOZE_TASK = "task.snooze"
    LIST_TASKS = "task.list"
    OPEN_REVIEW = "review.open"
    APPROVE_TRANSFER = "transfer.approve"
    DECLINE_TRANSFER = "transfer.decline"
    # the hotline, for operators: a ticket's card and what can be done with it
    OPEN_TICKET = "ticket.open"
    ANSWER_TICKET = "ticket.answer"
    TAKE_TICKET = "ticket.take"
    HAND_OVER_TICKET = "ticket.handover"
    CLOSE_TICKET = "ticket.close"
    REOPEN_TICKET = "ticket.reopen"
    MARK_VIOLATION = "ticket.violation"
    BAN_AUTHOR = "ticket.ban"
    UNBAN_AUTHOR = "ticket.unban"
    # the hotline, for the person who asked: their ticket, a follow-up, «Вопрос решён»
    VIEW_MY_TICKET = "ticket.mine"
    FOLLOW_UP_TICKET = "ticket.followup"
    SOLVED_TICKET = "ticket.solved"
    # announcements: the recipient's response
    ACK_ANNOUNCEMENT = "announcement.ack"
    VOLUNTEER_ANNOUNCEMENT = "announcement.volunteer"
    # announcements: the author's
    CANCEL_ANNOUNCEMENT = "announcement.cancel"
    ACKS_OF_ANNOUNCEMENT = "announcement.acks"
    REMIND_ANNOUNCEMENT = "announcement.remind"


@dataclass(frozen=True)
class Action:
    kind: ActionKind
    object_id: int = 0


@dataclass(frozen=True)
class Button:
    """A button: it either triggers an ``action`` in the bot or opens a ``url``."""

    label: str
    action: Action | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.action is None) == (self.url is None):
            raise ValueError("a button has exactly one of action and url")


class AttachmentKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"
    VIDEO = "video"
    AUDIO = "audio"
    VOICE = "voice"


@dataclass(frozen=True)
class Attachment:
    """A file the channel already holds (Telegram's permanent ``file_id``)."""

    kind: str  # an AttachmentKind; a channel sends a kind it does not know as a document
    file_ref: str
    name: str | None = None


@dataclass(frozen=True)
class Address:
    """Where a message goes: a chat of a channel, optionally a forum thread in it."""

    channel: str
    chat_id: str
    thread_id: int | None = None


class RefType(StrEnum):
    """What an outbox row is about."""

    TASK = "task"
    CONFIRMATION = "confirmation"
    TRANSFER = "transfer"
    ANNOUNCEMENT = "announcement"
    TICKET = "ticket"


@dataclass(frozen=True)
class Ref:
    """A reference to the object a message is about, e.g. ``Ref(RefType.TASK, 12)``."""

    type: str
    id: int


@dataclass(frozen=True)
class OutgoingMessage:
    """Text in Telegram's HTML subset, rows of buttons and attached files; ``thread`` is the
    conversation it belongs to, which a channel with threads (a forum topic per ticket) files
    it under when the address names no thread."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachments: tuple[Attachment, ...] = field(default=())
    thread: Ref | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text}
        if self.buttons:
            data["buttons"] = [[_button_dict(b) for b in row] for row in self.buttons]
        if self.attachments:
            data["attachments"] = [
                {"kind": a.kind, "file_ref": a.file_ref, "name": a.name} for a in self.attachments
            ]
        if self.thread is not None:
            data["thread"] = {"type": self.thread.type, "id": self.thread.id}
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutgoingMessage:
        return cls(
            text=data.get("text", ""),
            buttons=tuple(
                tuple(_button_from(b) for b in row) for row in data.get("buttons") or ()
            ),
            attachments=tuple(Attachment(**a) for a in data.get("attachments") or ()),
            thread=Ref(thread["type"], int(thread["id"]))
            if (thread := data.get("thread"))
            else None,
        )


def single(label: str, kind: ActionKind, object_id: int = 0) -> tuple[tuple[Button, ...], ...]:
    """Buttons of one row with one action button."""
    return ((Button(label, Action(kind, object_id)),),)


def _button_dict(button: Button) -> dict[str, Any]:
    if button.action is not None:
        return {
            "label": button.label,
            "action": button.action.kind.value,
            "id": button.action.object_id,
        }
    return {"label": button.label, "url": button.url}


def _button_from(data: dict[str, Any]) -> Button:
    if "action" in data:
        return Button(data["label"], Action(ActionKind(data["action"]), int(data.get("id", 0))))
    return Button(data["label"], url=data["url"])
