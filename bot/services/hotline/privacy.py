"""What the hotline keeps about a person, and erasing it on their request."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_APPEAL_URL
from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, NotFound
from bot.services.access import Principal
from storage.base import utcnow
from storage.models import HotlineSettings
from storage.repo import accounts, audit, erasure, orgs, users

# Staff accounts belong to their office's registry: an officer removes them, not /privacy.
STAFF_ROLES = (RoleKind.OFFICER, RoleKind.COORDINATOR, RoleKind.OPERATOR)


@dataclass(frozen=True)
class PrivacyInfo:
    appeal_url: str  # the office's official channel for formal appeals


@dataclass(frozen=True)
class Erased:
    tickets: int
    messages: int


def can_erase(principal: Principal) -> bool:
    """Whether «Удалить мои данные» is offered: to anyone but staff, whose accounts the
    office manages."""
    return not any(principal.has(role) for role in STAFF_ROLES)


async def privacy_info(
    session: AsyncSession,
    org_id: int | None,
    *,
    default_appeal: str = DEFAULT_APPEAL_URL,
) -> PrivacyInfo:
    """The appeal channel of the nearest organisation up the tree that set one, else the
    deployment's default."""
    appeal = None
    if org_id is not None:
        for org in await orgs.ancestors(session, org_id):
            row = await session.get(HotlineSettings, org.id)
            if row is not None and (row.appeal_url or "").strip():
                appeal = row.appeal_url.strip()
                break
    return PrivacyInfo(appeal_url=appeal or default_appeal.strip() or DEFAULT_APPEAL_URL)


async def erase_my_data(session: AsyncSession, user_id: int) -> Erased:
    """Forget the person: name, channel accounts, forms, the texts and files they sent to
    the hotline, queued messages to them. Their tickets stay, anonymous and closed, so the
    statistics keep counting them."""
    user = await users.get_user(session, user_id)
    if user is None:
        raise NotFound()
    roles = await users.list_roles(session, user_id)
    if any(r.role in STAFF_ROLES for r in roles):
        raise AccessDenied()
    now = utcnow()
    own = await accounts.list_accounts(session, [user_id])
    ticket_ids = await erasure.ticket_ids_of(session, user_id)
    messages = await erasure.blank_person_messages(session, ticket_ids)
    await erasure.anonymise_tickets(session, ticket_ids, now)
    await erasure.drop_outbox(session, user_id, [(a.channel, a.chat_id) for a in own], ticket_ids)
    await erasure.delete_forms(session, sorted({a.external_id for a in own}))
    await erasure.delete_accounts(session, user_id)
    await erasure.delete_roles(session, user_id, RoleKind.PARENT)
    user.full_name = ""
    user.is_active = False
    user.reminder_hour = user.quiet_start = user.quiet_end = None
    audit.add_audit(session, user_id, "privacy.erase", "user", user_id, tickets=len(ticket_ids))
    await session.commit()
    return Erased(tickets=len(ticket_ids), messages=messages)
