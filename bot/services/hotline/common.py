"""What the hotline use cases share: access to a ticket, its deadlines and its views."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind, TicketKind, TicketSide, TicketStatus
from bot.domain.errors import AccessDenied, HotlineBanned, NotFound
from bot.domain.hotline import ticket_number
from bot.domain.messages import Attachment
from bot.services.access import Principal
from bot.services.hotline.settings import effective_settings, work_schedule
from bot.services.hotline.views import TicketMessageView, TicketView
from bot.texts import hotline as texts
from storage.base import utcnow
from storage.models import Ticket, TicketMessage
from storage.repo import hotline as repo
from storage.repo import orgs, users


async def operator_org_ids(session: AsyncSession, principal: Principal) -> set[int]:
    """Organisations whose tickets the person may see and answer: the subtrees of their
    operator and officer roles; every organisation for the system."""
    if principal.is_system:
        return {org.id for org in await orgs.list_orgs(session)}
    roots = principal.org_ids(RoleKind.OPERATOR) + principal.org_ids(RoleKind.OFFICER)
    return await orgs.subtree_ids(session, roots)


async def operated_ticket(
    session: AsyncSession, principal: Principal, ticket_id: int, *, lock: bool = False
) -> Ticket:
    """The ticket if the operator may act on it; a forged id learns nothing (NotFound)."""
    ticket = await repo.get_ticket(session, ticket_id, lock=lock)
    if ticket is None:
        raise NotFound()
    if ticket.org_id not in await operator_org_ids(session, principal):
        raise AccessDenied()
    return ticket


async def ensure_not_banned(
    session: AsyncSession, principal: Principal, now: datetime | None = None
) -> None:
    """Refuse a banned person; the first refusal records that they were told, and commits."""
    if principal.is_system:
        return
    ban = await repo.get_ban(session, principal.user_id)
    if ban is None:
        return
    told = ban.notified_at is not None
    if not told:
        ban.notified_at = now or utcnow()
        await session.commit()
    raise HotlineBanned(told=told)


async def own_ticket(
    session: AsyncSession, principal: Principal, ticket_id: int, *, lock: bool = False
) -> Ticket:
    """The person's own ticket; anyone else's is NotFound, as if it did not exist."""
    ticket = await repo.get_ticket(session, ticket_id, lock=lock)
    if ticket is None or principal.is_system or ticket.user_id != principal.user_id:
        raise NotFound()
    return ticket


async def deadlines(
    session: AsyncSession, ticket: Ticket, *, default_tz: str
) -> tuple[datetime | None, datetime | None, str]:
    """When the waiting message should be answered and when it escalates, and the zone."""
    settings = await effective_settings(session, ticket.org_id, default_tz=default_tz)
    if ticket.waiting_since is None or ticket.status == TicketStatus.CLOSED:
        return None, None, settings.timezone
    schedule = work_schedule(settings)
    answer = schedule.add_working_hours(ticket.waiting_since, settings.answer_hours)
    if ticket.kind == TicketKind.VIOLATION:
        escalate = ticket.created_at
    else:
        escalate = schedule.add_working_days(ticket.waiting_since, settings.escalate_days)
    return answer, escalate, settings.timezone


def _attachments(message: TicketMessage) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(kind=a.get("kind", "document"), file_ref=a["file_ref"], name=a.get("name"))
        for a in message.attachments or ()
        if a.get("file_ref")
    )


async def message_view(
    session: AsyncSession, ticket: Ticket, message: TicketMessage, *, for_operator: bool
) -> TicketMessageView:
    if message.side == TicketSide.PERSON:
        if for_operator:
            label = await person_label(session, ticket)
        else:
            label = texts.YOU_LABEL
    elif for_operator and message.author_id is not None:
        author = await users.get_user(session, message.author_id)
        label = author.full_name if author and author.full_name else texts.OPERATOR_LABEL
    else:
        label = texts.OPERATOR_LABEL
    return TicketMessageView(
        id=message.id,
        ticket_id=ticket.id,
        side=message.side,
        author_label=label,
        text=message.text,
        attachments=_attachments(message),
        created_at=message.created_at,
        edited_at=message.edited_at,
        media_group_id=message.media_group_id,
    )


async def person_label(session: AsyncSession, ticket: Ticket) -> str:
    """How operators see the author: never a name for an anonymous ticket."""
    if ticket.anonymous:
        return texts.ANONYMOUS
    if ticket.user_id is None:
        return texts.ERASED_LABEL
    user = await users.get_user(session, ticket.user_id)
    return user.full_name if user and user.full_name else texts.NAMELESS


async def ticket_view(
    session: AsyncSession,
    ticket: Ticket,
    *,
    for_operator: bool,
    default_tz: str,
    viewer_id: int | None = None,
    with_messages: bool = False,
) -> TicketView:
    """The ticket as an operator (anonymity kept) or its author sees it."""
    org = await orgs.get_org(session, ticket.org_id)
    school = await orgs.get_org(session, ticket.school_id) if ticket.school_id else None
    user = await users.get_user(session, ticket.user_id) if ticket.user_id else None
    ban = await repo.get_ban(session, ticket.user_id) if ticket.user_id else None
    assignee = await users.get_user(session, ticket.assignee_id) if ticket.assignee_id else None
    answer_due, escalate_due, tz = await deadlines(session, ticket, default_tz=default_tz)
    if for_operator:
        label = await person_label(session, ticket)
        contact = None
        if not ticket.anonymous and user is not None:
            username = await repo.username_of(session, user.id)
            contact = f"@{username}" if username else None
    else:
        label = user.full_name if user else texts.ERASED_LABEL
        contact = None
    messages: tuple[TicketMessageView, ...] = ()
    if with_messages:
        messages = tuple(
            [
                await message_view(session, ticket, item, for_operator=for_operator)
                for item in await repo.list_messages(session, ticket.id)
            ]
        )
    return TicketView(
        id=ticket.id,
        number=ticket_number(ticket.id),
        kind=ticket.kind,
        topic=ticket.topic,
        status=ticket.status,
        org_id=ticket.org_id,
        org_name=org.name if org else "",
        school_id=ticket.school_id,
        school_name=school.name if school else None,
        anonymous=ticket.anonymous,
        author_label=label,
        author_contact=contact,
        author_blocked=user is not None and not user.is_active,
        author_banned=ban is not None,
        author_erased=ticket.user_id is None,
        assignee_id=ticket.assignee_id if for_operator else None,
        assignee_name=(assignee.full_name if assignee else None) if for_operator else None,
        created_at=ticket.created_at,
        waiting_since=ticket.waiting_since,
        first_answer_at=ticket.first_answer_at,
        closed_at=ticket.closed_at,
        escalated_at=ticket.escalated_at,
        answer_due=answer_due,
        escalate_due=escalate_due,
        timezone=tz,
        messages=messages,
        is_mine=for_operator and viewer_id is not None and ticket.assignee_id == viewer_id,
    )
