"""Plain data the announcement use cases take and return; nothing here names a messenger."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from bot.domain.enums import AnnouncementStatus, AudienceKind, ResponseKind, VolunteerDecision
from bot.domain.messages import Attachment


@dataclass(frozen=True)
class Audience:
    """Who it goes to; ``org_ids`` are the chosen municipalities or schools, when the kind
    takes a choice."""

    kind: AudienceKind
    org_ids: tuple[int, ...] = ()

    def to_dict(self) -> dict:
        return {"kind": self.kind.value, "org_ids": list(self.org_ids)}

    @classmethod
    def from_dict(cls, data: dict) -> Audience:
        return cls(AudienceKind(data["kind"]), tuple(int(i) for i in data.get("org_ids") or ()))


@dataclass(frozen=True)
class Draft:
    """What the author composed; ``text`` is Telegram's HTML, escaped where they typed."""

    org_id: int
    text: str
    audience: Audience
    attachments: tuple[Attachment, ...] = ()
    response: ResponseKind = ResponseKind.NONE
    event_id: int | None = None


@dataclass(frozen=True)
class Preview:
    """The announcement before it is sent: how many it reaches, how many of them blocked the
    bot (they are counted, not written to), and the message itself."""

    announcement_id: int
    recipients: int
    blocked: int
    unreachable: int  # people without a chat the bot can write to
    text: str
    attachments: tuple[Attachment, ...]
    response: ResponseKind
    event_label: str | None


@dataclass(frozen=True)
class Progress:
    """Where the delivery stands: every recipient is in exactly one of the counts."""

    announcement_id: int
    status: AnnouncementStatus
    recipients: int
    delivered: int
    blocked: int
    failed: int
    pending: int
    not_sent: int  # dropped when the announcement was cancelled
    failures: tuple[tuple[str, int], ...] = field(default=())  # reason, how many
    responses: int = 0
    scheduled_at: datetime | None = None
    timezone: str = "Europe/Moscow"

    @property
    def finished(self) -> bool:
        return self.pending == 0 and self.status != AnnouncementStatus.SCHEDULED


@dataclass(frozen=True)
class SchoolAcks:
    """One school's (or office's) recipients: who acknowledged and who did not."""

    org_id: int
    org_name: str
    parent_name: str | None
    acknowledged: tuple[str, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True)
class AckReport:
    announcement_id: int
    acknowledged: int
    missing: int
    by_org: tuple[SchoolAcks, ...]


@dataclass(frozen=True)
class Volunteer:
    response_id: int
    announcement_id: int
    name: str
    decision: VolunteerDecision | None
    offered_at: datetime


@dataclass(frozen=True)
class EventVolunteers:
    event_id: int
    event_label: str
    event_date: date
    volunteers: tuple[Volunteer, ...]


@dataclass(frozen=True)
class AnnouncementItem:
    """One line of the author's list of announcements."""

    id: int
    status: AnnouncementStatus
    created_at: datetime
    excerpt: str
    recipients: int


@dataclass(frozen=True)
class AnnouncementPage:
    items: tuple[AnnouncementItem, ...]
    page: int
    pages: int
    total: int
