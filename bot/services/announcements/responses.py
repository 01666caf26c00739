"""Responses to announcements: «Ознакомлен», offers to observe an assessment, who has not
acknowledged, the reminder to them, and the school's decisions on its volunteers."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AnnouncementStatus, ResponseKind, RoleKind, VolunteerDecision
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.messages import OutgoingMessage
from bot.services import notify
from bot.services.access import Principal
from bot.services.announcements import sending
from bot.services.announcements.views import (
    AckReport,
    EventVolunteers,
    SchoolAcks,
    Volunteer,
)
from bot.services.orgs import effective_timezone
from bot.texts import announcements as texts
from storage.base import utcnow
from storage.models import Announcement
from storage.repo import announcements as repo
from storage.repo import audit, events, orgs, outbox

# Confirmed observers hear about their assessment the day before, at this local hour.
REMINDER_HOUR = 10


async def _received(
    session: AsyncSession, principal: Principal, announcement_id: int, kind: ResponseKind
) -> Announcement:
    row = await repo.get_announcement(session, announcement_id)
    if row is None or principal.is_system:
        raise NotFound()
    if not await repo.was_sent_to(session, row.id, principal.user_id):
        raise ValidationError("announcement_not_yours")
    if row.status == AnnouncementStatus.CANCELLED:
        raise ValidationError("announcement_cancelled")
    if row.response != kind:
        raise ValidationError("announcement_no_response")
    if await repo.get_response(session, row.id, principal.user_id) is not None:
        raise ValidationError(
            "announcement_already_acked" if kind == ResponseKind.ACK else "already_volunteered"
        )
    return row


async def acknowledge(
    session: AsyncSession,
    principal: Principal,
    announcement_id: int,
    *,
    now: datetime | None = None,
) -> None:
    """«Ознакомлен»: who and when, once."""
    row = await _received(session, principal, announcement_id, ResponseKind.ACK)
    repo.add_response(
        session,
        announcement_id=row.id,
        user_id=principal.user_id,
        kind=ResponseKind.ACK,
        created_at=now or utcnow(),
    )
    await session.commit()


async def volunteer(
    session: AsyncSession,
    principal: Principal,
    announcement_id: int,
    *,
    now: datetime | None = None,
) -> None:
    """An offer to observe the announcement's assessment; the school's coordinator decides."""
    row = await _received(session, principal, announcement_id, ResponseKind.VOLUNTEER)
    repo.add_response(
        session,
        announcement_id=row.id,
        user_id=principal.user_id,
        kind=ResponseKind.VOLUNTEER,
        contact_name=(principal.full_name or "")[:200],
        created_at=now or utcnow(),
    )
    await session.commit()


async def ack_report(
    session: AsyncSession, principal: Principal, announcement_id: int
) -> AckReport:
    """Who acknowledged and who did not, by the organisation each recipient belongs to."""
    row = await sending.own_announcement(session, principal, announcement_id)
    delivered = await repo.delivered_to(session, row.id)
    acked = {r.user_id for r in await repo.list_responses(session, [row.id])}
    subtree = await orgs.subtree_ids(session, [row.org_id])
    where = await repo.listed_under(session, delivered, sorted(subtree))
    names = await repo.names_of(session, delivered)
    groups: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for user_id in delivered:
        name = names.get(user_id) or "—"
        groups[where.get(user_id, row.org_id)][0 if user_id in acked else 1].append(name)
    found = {org.id: org for org in await orgs.list_orgs(session, list(groups))}
    parents = {
        org.id: org
        for org in await orgs.list_orgs(
            session, sorted({o.parent_id for o in found.values() if o.parent_id})
        )
    }
    by_org = []
    for org_id, (yes, no) in groups.items():
        org = found.get(org_id)
        parent = parents.get(org.parent_id) if org and org.parent_id else None
        by_org.append(
            SchoolAcks(
                org_id,
                org.name if org else "—",
                parent.name if parent else None,
                tuple(sorted(yes)),
                tuple(sorted(no)),
            )
        )
    by_org.sort(key=lambda o: (o.parent_name or "", o.org_name))
    return AckReport(
        announcement_id=row.id,
        acknowledged=sum(len(o.acknowledged) for o in by_org),
        missing=sum(len(o.missing) for o in by_org),
        by_org=tuple(by_org),
    )


async def remind_unacknowledged(
    session: AsyncSession,
    principal: Principal,
    announcement_id: int,
    *,
    now: datetime | None = None,
) -> int:
    """«Напомнить неознакомленным»: one reminder to each who has not acknowledged, per press."""
    now = now or utcnow()
    row = await sending.own_announcement(session, principal, announcement_id)
    if row.response != ResponseKind.ACK:
        raise ValidationError("announcement_no_response")
    if row.status == AnnouncementStatus.CANCELLED:
        raise ValidationError("announcement_cancelled")
    acked = {r.user_id for r in await repo.list_responses(session, [row.id])}
    missing = [u for u in await repo.delivered_to(session, row.id) if u not in acked]
    if not missing:
        return 0
    message = await sending.recipient_message(session, row)
    queued = await notify.queue_notice(
        session,
        missing,
        OutgoingMessage(
            text=f"{texts.REMIND}\n\n{message.text}",
            buttons=message.buttons,
            attachments=message.attachments,
        ),
        key=f"announcement.{row.id}.remind.{int(now.timestamp() * 1000)}",
        ref=sending.ref(row.id),
    )
    audit.add_audit(
        session, principal.actor_id, "announcement.remind", "announcement", row.id, to=queued
    )
    await session.commit()
    return queued


async def _event_for_coordinator(session: AsyncSession, principal: Principal, event_id: int):
    event = await events.get_event(session, event_id)
    if event is None:
        raise NotFound()
    allowed = principal.org_ids(RoleKind.COORDINATOR) + principal.org_ids(RoleKind.OFFICER)
    if not principal.is_system and event.org_id not in allowed:
        raise AccessDenied()
    return event


async def event_volunteers(
    session: AsyncSession, principal: Principal, event_id: int
) -> EventVolunteers:
    """The school's list of offered observers for one of its assessments."""
    event = await _event_for_coordinator(session, principal, event_id)
    calls = await repo.volunteer_calls(session, event.id)
    items = []
    for response in await repo.list_responses(session, calls):
        if response.kind != ResponseKind.VOLUNTEER:
            continue
        items.append(
            Volunteer(
                response.id,
                response.announcement_id,
                response.contact_name or "—",
                response.decision,
                response.created_at,
            )
        )
    return EventVolunteers(
        event.id,
        texts.event_label(event.kind, event.subject, event.grade),
        event.event_date,
        tuple(items),
    )


async def decide_volunteer(
    session: AsyncSession,
    principal: Principal,
    response_id: int,
    confirmed: bool,
    *,
    default_tz: str,
    now: datetime | None = None,
) -> EventVolunteers:
    """The school confirms or declines an observer, who is told; a confirmed one is
    reminded the day before the assessment."""
    now = now or utcnow()
    response = await repo.get_response_by_id(session, response_id)
    if response is None or response.kind != ResponseKind.VOLUNTEER:
        raise NotFound()
    row = await repo.get_announcement(session, response.announcement_id)
    if row is None or row.event_id is None:
        raise NotFound()
    event = await _event_for_coordinator(session, principal, row.event_id)
    decision = VolunteerDecision.CONFIRMED if confirmed else VolunteerDecision.DECLINED
    if response.decision == decision:
        raise ValidationError("volunteer_already_decided")
    response.decision, response.decided_by_id, response.decided_at = (
        decision,
        principal.actor_id,
        now,
    )
    label = texts.event_label(event.kind, event.subject, event.grade)
    key = f"announcement.{row.id}.volunteer.{response.id}"
    text = (
        texts.volunteer_confirmed(label, event.event_date)
        if confirmed
        else texts.volunteer_declined(label, event.event_date)
    )
    await notify.queue_notice(
        session,
        [response.user_id],
        OutgoingMessage(text=text),
        key=f"{key}.{decision.value}.{int(now.timestamp())}",
        ref=sending.ref(row.id),
    )
    eve_key = f"{key}.eve.{event.event_date.isoformat()}"
    if not confirmed:
        # An observer no longer confirmed is not reminded.
        await outbox.skip_pending_key(
            session, f"{notify.NOTICE}:{eve_key}:{response.user_id}", "declined"
        )
    else:
        tz = ZoneInfo(await effective_timezone(session, event.org_id, default_tz))
        eve = datetime.combine(event.event_date - timedelta(days=1), time(REMINDER_HOUR), tz)
        await notify.queue_notice(
            session,
            [response.user_id],
            OutgoingMessage(text=texts.volunteer_reminder(label)),
            key=eve_key,
            ref=sending.ref(row.id),
            due_at=max(eve, now),
        )
    await session.commit()
    return await event_volunteers(session, principal, event.id)
