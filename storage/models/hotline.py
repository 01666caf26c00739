"""Models of the hotline: settings per organisation, tickets, their messages and topics, FAQ."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.enums import TicketKind, TicketSide, TicketStatus, TicketTopic
from storage.base import Base, UTCDateTime, enum_column, utcnow


class HotlineSettings(Base):
    """How an organisation runs its hotline; an organisation without a row uses the defaults."""

    __tablename__ = "hotline_settings"
    __table_args__ = (UniqueConstraint("forum_channel", "forum_chat_id"),)

    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Periods the line is open, as [["2026-03-01", "2026-05-31"], …]; empty means always.
    periods: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    # Working hours in the organisation's zone: weekdays (0 = Monday) and [start, end) hours.
    work_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4])
    work_start: Mapped[int] = mapped_column(Integer, default=9)
    work_end: Mapped[int] = mapped_column(Integer, default=18)
    # A question unanswered this many working hours reminds the operators…
    answer_hours: Mapped[int] = mapped_column(Integer, default=8)
    # …and this many working days escalates it to the officers above.
    escalate_days: Mapped[int] = mapped_column(Integer, default=3)
    # The office's official channel for formal appeals (59-ФЗ), shown by /privacy.
    appeal_url: Mapped[str | None] = mapped_column(Text)
    # The forum supergroup where each ticket is a topic; none means private chats.
    forum_channel: Mapped[str | None] = mapped_column(String(16))
    forum_chat_id: Mapped[str | None] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class HotlineOptOut(Base):
    """An officer who does not answer the hotline of their organisation."""

    __tablename__ = "hotline_optouts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), primary_key=True
    )


class Ticket(Base):
    """A question or a violation report; its number is its id."""

    __tablename__ = "tickets"
    __table_args__ = (Index("ix_tickets_org_status", "org_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[TicketKind] = mapped_column(enum_column(TicketKind))
    topic: Mapped[TicketTopic] = mapped_column(enum_column(TicketTopic))
    status: Mapped[TicketStatus] = mapped_column(
        enum_column(TicketStatus), default=TicketStatus.NEW
    )
    # The organisation whose operators answer: the school's municipality, or the top office.
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    # The person who asked; none once they had their data erased.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the oldest message still waiting for an answer came; none when nothing waits.
    waiting_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The officers above were told (a violation report at once, a question past its deadline).
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TicketMessage(Base):
    """One message of a ticket's conversation, as the bot stored it (text and file refs)."""

    __tablename__ = "ticket_messages"
    __table_args__ = (UniqueConstraint("source_channel", "source_chat_id", "source_message_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), index=True
    )
    side: Mapped[TicketSide] = mapped_column(enum_column(TicketSide, 16))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Telegram's HTML subset; empty once the person had their data erased.
    text: Mapped[str] = mapped_column(Text, default="")
    # Attachment dicts of bot.domain.messages (kind, file_ref, name).
    attachments: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    # The message in the writer's chat, so an edit there can be found and passed on.
    source_channel: Mapped[str | None] = mapped_column(String(16))
    source_chat_id: Mapped[str | None] = mapped_column(String(64))
    source_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TicketThread(Base):
    """A ticket's forum topic; the primary key keeps it to one topic per ticket."""

    __tablename__ = "ticket_topics"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "thread_id"),)

    ticket_id: Mapped[int] = mapped_column(
        ForeignKey("tickets.id", ondelete="CASCADE"), primary_key=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    # None while the topic is being created (or after it was found deleted).
    thread_id: Mapped[int | None] = mapped_column(BigInteger)
    # The status the title and icon show, so they are changed only when it changes.
    shown_status: Mapped[str | None] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FaqEntry(Base):
    __tablename__ = "faq_entries"
    __table_args__ = (Index("ix_faq_entries_org_position", "org_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id", ondelete="CASCADE"))
    topic: Mapped[TicketTopic] = mapped_column(enum_column(TicketTopic))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    keywords: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class FaqDeflection(Base):
    """A person found the answer in the FAQ and sent no ticket."""

    __tablename__ = "faq_deflections"

    id: Mapped[int] = mapped_column(primary_key=True)
    faq_id: Mapped[int | None] = mapped_column(ForeignKey("faq_entries.id", ondelete="SET NULL"))
    org_id: Mapped[int] = mapped_column(
        ForeignKey("organizations.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HotlineBan(Base):
    """A person who may not use the hotline; ``notified_at`` says they were told once."""

    __tablename__ = "hotline_bans"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    banned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
