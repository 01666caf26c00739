"""Models of announcements: what was sent to whom, and the responses to it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.enums import AnnouncementStatus, ResponseKind, VolunteerDecision
from storage.base import Base, UTCDateTime, enum_column, utcnow


class Announcement(Base):
    """An announcement as the bot stores it: sent as new messages, never as copies, so it
    survives its author deleting theirs. Each recipient's delivery is their outbox row."""

    __tablename__ = "announcements"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The organisation it is sent from: the audience lies in its subtree.
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Telegram's HTML subset, escaped where the author typed it.
    text: Mapped[str] = mapped_column(Text, default="")
    # Attachment dicts of bot.domain.messages (kind, file_ref, name).
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    response: Mapped[ResponseKind] = mapped_column(
        enum_column(ResponseKind, 16), default=ResponseKind.NONE
    )
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessment_events.id", ondelete="SET NULL")
    )
    # {"kind": AudienceKind, "org_ids": [...]}
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[AnnouncementStatus] = mapped_column(
        enum_column(AnnouncementStatus, 16), default=AnnouncementStatus.DRAFT
    )
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The message in the author's chat that shows the progress, edited as it grows.
    progress_channel: Mapped[str | None] = mapped_column(String(16))
    progress_chat_id: Mapped[str | None] = mapped_column(String(64))
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_text: Mapped[str | None] = mapped_column(Text)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AnnouncementResponse(Base):
    """A recipient's «Ознакомлен» or offer to observe; one per recipient and announcement."""

    __tablename__ = "announcement_responses"
    __table_args__ = (UniqueConstraint("announcement_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[ResponseKind] = mapped_column(enum_column(ResponseKind, 16))
    # The name a volunteer gives for the school's list of observers.
    contact_name: Mapped[str | None] = mapped_column(String(200))
    decision: Mapped[VolunteerDecision | None] = mapped_column(enum_column(VolunteerDecision, 16))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
