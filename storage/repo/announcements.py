"""Announcement queries: audiences by role and organisation, delivery counted from the
outbox rows, responses."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AnnouncementStatus, OutboxStatus, RoleKind
from bot.domain.messages import RefType
from storage.models import (
    Announcement,
    AnnouncementResponse,
    Organization,
    OutboxMessage,
    Role,
    Ticket,
    User,
)


def add_announcement(session: AsyncSession, **fields) -> Announcement:
    row = Announcement(**fields)
    session.add(row)
    return row


async def get_announcement(
    session: AsyncSession, announcement_id: int, *, lock: bool = False
) -> Announcement | None:
    query = select(Announcement).where(Announcement.id == announcement_id)
    if lock:
        query = query.with_for_update()
    return (await session.scalars(query)).first()


async def list_announcements(
    session: AsyncSession, org_ids: Sequence[int], offset: int, limit: int
) -> tuple[list[Announcement], int]:
    where = (
        Announcement.org_id.in_(org_ids),
        Announcement.status != AnnouncementStatus.DRAFT,
    )
    total = await session.scalar(select(func.count()).select_from(Announcement).where(*where))
    query = (
        select(Announcement)
        .where(*where)
        .order_by(Announcement.created_at.desc(), Announcement.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list((await session.scalars(query)).all()), total or 0


async def in_progress(session: AsyncSession) -> list[Announcement]:
    """Announcements queued or being sent, whose progress and end are watched."""
    query = select(Announcement).where(
        Announcement.status.in_((AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING))
    )
    return list((await session.scalars(query)).all())


async def holders(
    session: AsyncSession, role: RoleKind, org_ids: Sequence[int] | None
) -> list[int]:
    """People holding the role in any of the organisations (in any, for None)."""
    query = select(Role.user_id).where(Role.role == role)
    if org_ids is not None:
        query = query.where(Role.org_id.in_(org_ids))
    return list(dict.fromkeys((await session.scalars(query.order_by(Role.user_id))).all()))


async def parents_of(session: AsyncSession, school_ids: Sequence[int]) -> list[int]:
    """Parents who chose one of the schools, and people who asked the hotline about one."""
    chose = select(Role.user_id).where(Role.role == RoleKind.PARENT, Role.org_id.in_(school_ids))
    asked = select(Ticket.user_id).where(
        Ticket.school_id.in_(school_ids), Ticket.user_id.is_not(None)
    )
    found = (await session.scalars(chose.union(asked))).all()
    return sorted(set(found))


async def risk_schools(session: AsyncSession, org_ids: Sequence[int]) -> list[int]:
    query = select(Organization.id).where(
        Organization.id.in_(org_ids), Organization.at_risk.is_(True)
    )
    return list((await session.scalars(query)).all())


async def inactive(session: AsyncSession, user_ids: Sequence[int]) -> set[int]:
    """Those of the people who blocked the bot (or were deactivated)."""
    found: set[int] = set()
    for start in range(0, len(user_ids), 900):
        chunk = user_ids[start : start + 900]
        query = select(User.id).where(User.id.in_(chunk), User.is_active.is_(False))
        found.update((await session.scalars(query)).all())
    return found


# The outbox kind of an announcement's own rows (reminders to it are notices).
ANNOUNCEMENT_KIND = "announcement"


def _rows_of(announcement_id: int):
    return (
        OutboxMessage.ref_type == RefType.ANNOUNCEMENT.value,
        OutboxMessage.ref_id == announcement_id,
        OutboxMessage.kind == ANNOUNCEMENT_KIND,
    )


async def delivery(
    session: AsyncSession, announcement_id: int
) -> list[tuple[OutboxStatus, str | None, bool, int]]:
    """How the announcement's rows stand: (status, last error, whether the recipient is
    still active, how many). A recipient who blocked the bot is marked inactive."""
    query = (
        select(OutboxMessage.status, OutboxMessage.last_error, User.is_active, func.count())
        .join(User, User.id == OutboxMessage.user_id)
        .where(*_rows_of(announcement_id))
        .group_by(OutboxMessage.status, OutboxMessage.last_error, User.is_active)
    )
    return [tuple(row) for row in await session.execute(query)]  # type: ignore[misc]


async def delivered_to(session: AsyncSession, announcement_id: int) -> list[int]:
    """The people the announcement reached."""
    query = select(OutboxMessage.user_id).where(
        *_rows_of(announcement_id),
        OutboxMessage.status == OutboxStatus.SENT,
        OutboxMessage.user_id.is_not(None),
    )
    return list((await session.scalars(query)).all())


async def was_sent_to(session: AsyncSession, announcement_id: int, user_id: int) -> bool:
    query = select(OutboxMessage.id).where(
        *_rows_of(announcement_id),
        OutboxMessage.user_id == user_id,
        OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.SENDING)),
    )
    return (await session.scalars(query.limit(1))).first() is not None


async def drop_pending(session: AsyncSession, announcement_id: int, reason: str) -> int:
    """Rows not yet sent are not sent, those a delivery batch has claimed too (it looks
    again before each message); a message already in flight still goes."""
    result = await session.execute(
        update(OutboxMessage)
        .where(
            *_rows_of(announcement_id),
            OutboxMessage.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        )
        .values(status=OutboxStatus.SKIPPED, last_error=reason)
    )
    return result.rowcount or 0


async def names_of(session: AsyncSession, user_ids: Sequence[int]) -> dict[int, str]:
    found: dict[int, str] = {}
    for start in range(0, len(user_ids), 900):
        query = select(User.id, User.full_name).where(User.id.in_(user_ids[start : start + 900]))
        found.update({user_id: name for user_id, name in await session.execute(query)})
    return found


async def listed_under(
    session: AsyncSession, user_ids: Sequence[int], org_ids: Sequence[int]
) -> dict[int, int]:
    """The organisation each person is listed under: their earliest role among ``org_ids``."""
    found: dict[int, int] = {}
    for start in range(0, len(user_ids), 900):
        query = (
            select(Role.user_id, Role.org_id)
            .where(Role.user_id.in_(user_ids[start : start + 900]), Role.org_id.in_(org_ids))
            .order_by(Role.id)
        )
        for user_id, org_id in await session.execute(query):
            found.setdefault(user_id, org_id)
    return found


def add_response(session: AsyncSession, **fields) -> AnnouncementResponse:
    row = AnnouncementResponse(**fields)
    session.add(row)
    return row


async def get_response(
    session: AsyncSession, announcement_id: int, user_id: int
) -> AnnouncementResponse | None:
    query = select(AnnouncementResponse).where(
        AnnouncementResponse.announcement_id == announcement_id,
        AnnouncementResponse.user_id == user_id,
    )
    return (await session.scalars(query)).first()


async def get_response_by_id(
    session: AsyncSession, response_id: int
) -> AnnouncementResponse | None:
    return await session.get(AnnouncementResponse, response_id)


async def list_responses(
    session: AsyncSession, announcement_ids: Sequence[int]
) -> list[AnnouncementResponse]:
    query = (
        select(AnnouncementResponse)
        .where(AnnouncementResponse.announcement_id.in_(announcement_ids))
        .order_by(AnnouncementResponse.created_at, AnnouncementResponse.id)
    )
    return list((await session.scalars(query)).all())


async def volunteer_calls(session: AsyncSession, event_id: int) -> list[int]:
    query = select(Announcement.id).where(Announcement.event_id == event_id)
    return list((await session.scalars(query)).all())
