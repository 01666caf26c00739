"""Invitations: create, check, redeem, revoke; each channel turns a token into its own link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, RoleKind
from bot.domain.errors import InviteError, NotFound, ValidationError
from bot.domain.people import ChannelIdentity
from bot.services import reminders
from bot.services.access import Principal, ensure_manages, find_or_add_person, load_principal
from bot.services.orgs import inherited_timezone
from storage.base import utcnow
from storage.models import Invite, Organization
from storage.repo import audit, invites, orgs, users

# 24 random bytes = 192 bits; urlsafe base64 keeps it inside Telegram's 64-char deep-link alphabet.
TOKEN_BYTES = 24
ROLE_ORG_KINDS = {
    RoleKind.OFFICER: {OrgKind.REGION, OrgKind.MUNICIPALITY},
    RoleKind.COORDINATOR: {OrgKind.SCHOOL, OrgKind.MUNICIPALITY},
    RoleKind.OPERATOR: {OrgKind.REGION, OrgKind.MUNICIPALITY},
}


@dataclass(frozen=True)
class InviteView:
    id: int
    token: str
    role: RoleKind
    org_id: int
    org_name: str
    expires_at: datetime
    max_uses: int
    uses: int
    revoked: bool
    # The organisation's own or inherited zone; None leaves it to the deployment's default.
    timezone: str | None

    def expires_on(self, default_tz: str) -> date:
        """The last day the invitation works, in the organisation's local time."""
        return self.expires_at.astimezone(ZoneInfo(self.timezone or default_tz)).date()

    def state(self, now: datetime) -> str:
        if self.revoked:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        if self.uses >= self.max_uses:
            return "used_up"
        return "active"


async def _view(session: AsyncSession, invite: Invite, org: Organization) -> InviteView:
    return InviteView(
        id=invite.id,
        token=invite.token,
        role=invite.role,
        org_id=org.id,
        org_name=org.name,
        expires_at=invite.expires_at,
        max_uses=invite.max_uses,
        uses=invite.uses,
        revoked=invite.revoked_at is not None,
        timezone=await inherited_timezone(session, org.id),
    )


async def create_invite(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    role: RoleKind,
    *,
    ttl_days: int,
    max_uses: int = 1,
    commit: bool = True,
) -> InviteView:
    """A fresh single-purpose invitation to ``role`` in ``org_id``."""
    org = await orgs.get_org(session, org_id)
    if org is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    if org.kind not in ROLE_ORG_KINDS.get(role, set()):
        raise ValidationError("role_org_mismatch", role=role.value, kind=org.kind.value)
    if not 1 <= max_uses <= 500 or not 1 <= ttl_days <= 365:
        raise ValidationError("bad_invite_limits")
    invite = invites.add_invite(
        session,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        role=role,
        org_id=org_id,
        created_by_id=principal.actor_id,
        expires_at=utcnow() + timedelta(days=ttl_days),
        max_uses=max_uses,
        uses=0,
    )
    await session.flush()
    audit.add_audit(
        session,
        principal.actor_id,
        "invite.create",
        "invite",
        invite.id,
        org_id=org_id,
        role=role.value,
    )
    if commit:
        await session.commit()
    return await _view(session, invite, org)


async def check_invite(session: AsyncSession, token: str) -> InviteView:
    """The invitation behind a token, or ``InviteError`` saying why it cannot be used."""
    invite = await invites.get_invite(session, token) if 16 <= len(token) <= 64 else None
    if invite is None:
        raise InviteError("unknown")
    org = await orgs.get_org(session, invite.org_id)
    if org is None:
        raise InviteError("unknown")
    view = await _view(session, invite, org)
    state = view.state(utcnow())
    if state != "active":
        raise InviteError(state)
    return view


async def redeem_invite(
    session: AsyncSession, token: str, identity: ChannelIdentity, full_name: str
) -> tuple[Principal, InviteView]:
    """Register the person behind the account under the invitation's role; all or nothing."""
    view = await check_invite(session, token)
    full_name = " ".join(full_name.split())
    if not 2 <= len(full_name) <= 200:
        raise ValidationError("bad_name")
    if not await invites.take_invite_use(session, token, utcnow()):
        await session.rollback()
        raise InviteError("used_up")
    user = await find_or_add_person(session, identity, full_name)
    user.full_name = full_name
    if not user.is_active:
        user.is_active = True
        await reminders.welcome_back(session, user.id, utcnow())
    if await users.get_role(session, user.id, view.role, view.org_id) is None:
        users.add_role(session, user.id, view.role, view.org_id)
        await reminders.executors_changed(session, view.org_id)
    audit.add_audit(
        session,
        user.id,
        "invite.redeem",
        "invite",
        view.id,
        org_id=view.org_id,
        role=view.role.value,
    )
    await session.commit()
    principal = await load_principal(session, user.id)
    assert principal is not None
    return principal, view


async def list_invites(
    session: AsyncSession, principal: Principal, *, live_only: bool = False
) -> list[InviteView]:
    ids = None
    if not principal.is_system:
        ids = sorted(await orgs.subtree_ids(session, principal.org_ids(RoleKind.OFFICER)))
    rows = await invites.list_invites(session, ids, live_at=utcnow() if live_only else None)
    return [await _view(session, invite, org) for invite, org in rows]


async def revoke_invite(session: AsyncSession, principal: Principal, invite_id: int) -> None:
    found = [v for v in await list_invites(session, principal) if v.id == invite_id]
    if not found:
        raise NotFound()
    if not await invites.revoke_invite(session, invite_id, utcnow()):
        raise ValidationError("already_revoked")
    audit.add_audit(session, principal.actor_id, "invite.revoke", "invite", invite_id)
    await session.commit()


async def invites_for_schools(
    session: AsyncSession, principal: Principal, municipality_id: int, *, ttl_days: int
) -> list[InviteView]:
    """One fresh coordinator invitation for every school of a municipality."""
    await ensure_manages(session, principal, municipality_id)
    schools = await orgs.list_schools(session, [municipality_id])
    if not schools:
        raise ValidationError("no_schools")
    created = [
        await create_invite(
            session, principal, school.id, RoleKind.COORDINATOR, ttl_days=ttl_days, commit=False
        )
        for school in schools
    ]
    await session.commit()
    return created
