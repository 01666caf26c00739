"""Plain data the hotline use cases take and return; nothing here names a messenger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.enums import TicketKind, TicketSide, TicketStatus, TicketTopic
from bot.domain.messages import Attachment


@dataclass(frozen=True)
class MessageSource:
    """Where a stored message came from in its writer's chat, so an edit can find it."""

    channel: str
    chat_id: str
    message_id: int


@dataclass(frozen=True)
class TicketDraft:
    """What the ticket form collected; ``text`` is in Telegram's HTML subset, escaped."""

    kind: TicketKind
    topic: TicketTopic
    school_id: int | None
    anonymous: bool
    text: str
    attachments: tuple[Attachment, ...] = ()
    media_group_id: str | None = None
    source: MessageSource | None = None


@dataclass(frozen=True)
class TicketMessageView:
    id: int
    ticket_id: int
    side: TicketSide
    # Who wrote it as the viewer may see it: «Аноним» for an anonymous person to operators,
    # «Специалист» for an operator to the person.
    author_label: str
    text: str
    attachments: tuple[Attachment, ...]
    created_at: datetime
    edited_at: datetime | None = None
    media_group_id: str | None = None


@dataclass(frozen=True)
class TicketView:
    """A ticket as one viewer may see it. Operator views of an anonymous ticket carry no
    name, username or id of the person: ``author_label`` is «Аноним», ``author_contact``
    is None."""

    id: int
    number: str  # «№ 000123»
    kind: TicketKind
    topic: TicketTopic
    status: TicketStatus
    org_id: int
    org_name: str
    school_id: int | None
    school_name: str | None
    anonymous: bool
    author_label: str
    author_contact: str | None  # «@username» of a named person, for operators
    author_blocked: bool  # the person blocked the bot: answers will not reach them
    author_banned: bool
    author_erased: bool  # the person had their data erased
    assignee_id: int | None
    assignee_name: str | None
    created_at: datetime
    waiting_since: datetime | None
    first_answer_at: datetime | None
    closed_at: datetime | None
    escalated_at: datetime | None
    # When the operators should answer (working hours from ``waiting_since``), and when it
    # goes to the officers above; None when nothing waits.
    answer_due: datetime | None
    escalate_due: datetime | None
    timezone: str  # the organisation's zone, for rendering the times
    messages: tuple[TicketMessageView, ...] = field(default=())
    # For operators: whether the viewer is the assignee.
    is_mine: bool = False


@dataclass(frozen=True)
class TicketPage:
    items: tuple[TicketView, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class TicketReceipt:
    """What the person is told when the ticket is sent."""

    ticket: TicketView
    answer_due: datetime | None  # when an answer can be expected
    open_now: bool  # operators are at work now
    opens_at: datetime | None  # when operators start, if they are not at work now
    timezone: str


@dataclass(frozen=True)
class OperatorChoice:
    """An operator a ticket can be handed over to."""

    user_id: int
    full_name: str


@dataclass(frozen=True)
class HotlineSchedule:
    """An organisation's effective hotline settings (its row or the defaults)."""

    org_id: int
    timezone: str
    enabled: bool
    periods: tuple[tuple[str, str], ...]
    work_days: tuple[int, ...]
    work_start: int
    work_end: int
    answer_hours: int
    escalate_days: int
    appeal_url: str | None
    forum_channel: str | None
    forum_chat_id: str | None


@dataclass(frozen=True)
class ForumBinding:
    """An organisation whose hotline a forum chat serves."""

    org_id: int
    org_name: str


@dataclass(frozen=True)
class HotlineSettingsView:
    """An organisation's hotline settings as its officer sees them on the settings card."""

    org_id: int
    org_name: str
    settings: HotlineSchedule
    # The organisation has a row of its own; else ``source_org_*`` name the ancestor whose
    # row is in force, or are None when the defaults are.
    own: bool
    source_org_id: int | None
    source_org_name: str | None
    # The organisation above, whose settings «Вернуть» brings back; None at the top.
    parent_name: str | None
    forum_bound: bool
    # This officer does not answer the organisation's hotline.
    opted_out: bool
