"""Who the user is, which roles they hold, and what they may touch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, RoleKind
from bot.domain.errors import AccessDenied, NotFound
from bot.domain.messages import Channel
from bot.domain.people import ChannelIdentity
from bot.services import reminders
from storage.base import utcnow
from storage.models import User
from storage.repo import accounts, audit, orgs, users


@dataclass(frozen=True)
class Grant:
    role: RoleKind
    org_id: int | None


@dataclass(frozen=True)
class Principal:
    user_id: int
    full_name: str
    is_active: bool
    grants: tuple[Grant, ...]
    # The console and scheduled jobs: no grants, let through every access check.
    is_system: bool = False

    @property
    def actor_id(self) -> int | None:
        """The user to record in the audit trail; none for the system."""
        return None if self.is_system else self.user_id

    def org_ids(self, role: RoleKind) -> list[int]:
        return [g.org_id for g in self.grants if g.role == role and g.org_id is not None]

    @property
    def executor_org_ids(self) -> list[int]:
        """Organisations whose tasks the user carries out: a coordinator's school, an officer's
        own office (not the subtree below it)."""
        return self.org_ids(RoleKind.COORDINATOR) + self.org_ids(RoleKind.OFFICER)

    def has(self, role: RoleKind) -> bool:
        return any(g.role == role for g in self.grants)

    @property
    def is_officer(self) -> bool:
        return self.has(RoleKind.OFFICER)

    @property
    def is_coordinator(self) -> bool:
        return self.has(RoleKind.COORDINATOR)

    @property
    def is_parent(self) -> bool:
        return self.has(RoleKind.PARENT)

    @property
    def main_role(self) -> RoleKind | None:
        for role in (RoleKind.OFFICER, RoleKind.COORDINATOR, RoleKind.OPERATOR, RoleKind.PARENT):
            if self.has(role):
                return role
        return None


SYSTEM = Principal(user_id=0, full_name="", is_active=True, grants=(), is_system=True)


async def load_principal(session: AsyncSession, user_id: int) -> Principal | None:
    """The registered person with their roles, or None when there is no such person."""
    user = await users.get_user(session, user_id)
    if user is None:
        return None
    roles = await users.list_roles(session, user.id)
    return Principal(
        user_id=user.id,
        full_name=user.full_name,
        is_active=user.is_active,
        grants=tuple(Grant(r.role, r.org_id) for r in roles),
    )


async def resolve_account(session: AsyncSession, channel: Channel, external_id: str) -> int | None:
    """The person behind a channel's user id, or None for a stranger."""
    account = await accounts.get_account(session, channel, external_id)
    return account.user_id if account is not None else None


async def find_or_add_person(
    session: AsyncSession, identity: ChannelIdentity, full_name: str
) -> User:
    """The person behind the account, created with the account on first contact; the account
    keeps the channel's latest chat and username. Does not commit."""
    account = await accounts.get_account(session, identity.channel, identity.external_id)
    if account is None:
        return await _add_person(session, identity, full_name)
    account.chat_id = identity.chat_id
    account.username = identity.username
    user = await users.get_user(session, account.user_id)
    assert user is not None  # the account's foreign key cascades
    return user


async def _add_person(session: AsyncSession, identity: ChannelIdentity, full_name: str) -> User:
    user = users.add_user(session, full_name)
    await session.flush()
    accounts.add_account(
        session,
        user.id,
        identity.channel,
        identity.external_id,
        identity.chat_id,
        identity.username,
    )
    await session.flush()
    return user


async def touch_account(
    session: AsyncSession, identity: ChannelIdentity, full_name: str
) -> Principal:
    """Create the person and their account on first contact; a returning one is reactivated."""
    user = await find_or_add_person(session, identity, full_name)
    if not user.is_active:
        user.is_active = True
        user.blocked_at = None
        await reminders.welcome_back(session, user.id, utcnow())
    await session.commit()
    principal = await load_principal(session, user.id)
    assert principal is not None
    return principal


async def chats_of(session: AsyncSession, user_id: int, channel: Channel) -> list[str]:
    """The chats of the person's accounts in the channel, oldest account first."""
    return [a.chat_id for a in await accounts.list_accounts(session, [user_id], channel)]


async def managed_org_ids(session: AsyncSession, principal: Principal) -> set[int]:
    """Every organisation in the subtrees of the officer's organisations; all for the system."""
    if principal.is_system:
        return {org.id for org in await orgs.list_orgs(session)}
    return await orgs.subtree_ids(session, principal.org_ids(RoleKind.OFFICER))


async def ensure_manages(session: AsyncSession, principal: Principal, org_id: int) -> None:
    """Raise unless the officer's subtree holds ``org_id``; the system manages everything."""
    if principal.is_system:
        return
    if org_id not in await managed_org_ids(session, principal):
        raise AccessDenied()


def ensure_executes(principal: Principal, org_id: int) -> None:
    """Raise unless the user carries out the tasks of ``org_id``."""
    if org_id not in principal.executor_org_ids:
        raise AccessDenied()


async def bootstrap_admins(
    session: AsyncSession, admins: Iterable[ChannelIdentity], root_name: str
) -> list[int]:
    """Bind the configured admins as officers of every top organisation; returns their ids.

    An empty registry gets one top organisation named ``root_name``. A region imported later
    as another top organisation is bound too, so the admins see everything.
    """
    admins = list(admins)
    if not admins:
        return []
    roots = await orgs.list_roots(session)
    if not roots:
        roots = [orgs.add_org(session, name=root_name, kind=OrgKind.REGION)]
    await session.flush()
    for identity in admins:
        account = await accounts.get_account(session, identity.channel, identity.external_id)
        if account is not None:
            user_id = account.user_id
        else:
            user_id = (await _add_person(session, identity, "")).id
        for root in roots:
            if await users.get_role(session, user_id, RoleKind.OFFICER, root.id) is None:
                users.add_role(session, user_id, RoleKind.OFFICER, root.id)
                await reminders.executors_changed(session, root.id)
    await session.commit()
    return [root.id for root in roots]


async def set_blocked(
    session: AsyncSession, channel: Channel, external_id: str, blocked: bool
) -> bool:
    """Record that the person blocked (or unblocked) the bot in the channel."""
    user_id = await resolve_account(session, channel, external_id)
    user = await users.get_user(session, user_id) if user_id is not None else None
    if user is None:
        return False
    returning = not blocked and not user.is_active
    changed = await users.mark_active(session, user.id, not blocked, utcnow())
    if returning:
        await reminders.welcome_back(session, user.id, utcnow())
    await session.commit()
    return changed


async def set_name(session: AsyncSession, user_id: int, full_name: str) -> None:
    user = await users.get_user(session, user_id)
    if user is not None:
        user.full_name = full_name
        await session.commit()


async def become_parent(session: AsyncSession, principal: Principal) -> Principal:
    if not principal.is_parent:
        users.add_role(session, principal.user_id, RoleKind.PARENT, None)
        audit.add_audit(session, principal.user_id, "role.parent", "user", principal.user_id)
        await session.commit()
    refreshed = await load_principal(session, principal.user_id)
    assert refreshed is not None
    return refreshed


async def set_parent_school(session: AsyncSession, principal: Principal, org_id: int) -> str:
    """Remember which school the parent's questions are about; returns its name."""
    school = await orgs.get_org(session, org_id)
    if school is None or school.kind != OrgKind.SCHOOL:
        raise NotFound()
    role = next(
        (
            r
            for r in await users.list_roles(session, principal.user_id)
            if r.role == RoleKind.PARENT
        ),
        None,
    )
    if role is None:
        raise AccessDenied()
    role.org_id = school.id
    audit.add_audit(session, principal.user_id, "parent.school", "org", school.id)
    await session.commit()
    return school.name
