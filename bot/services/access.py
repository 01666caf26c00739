"""Who the user is, which roles they hold, and what they may touch."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, RoleKind
from bot.domain.errors import AccessDenied, NotFound
from bot.services import reminders
from storage.base import utcnow
from storage.repo import audit, orgs, users


@dataclass(frozen=True)
class Grant:
    role: RoleKind
    org_id: int | None


@dataclass(frozen=True)
class Principal:
    user_id: int
    tg_id: int
    full_name: str
    is_active: bool
    grants: tuple[Grant, ...]
    # The console and scheduled jobs: no grants, let through every access check.
    is_system: bool = False

    def __bool__(self) -> bool:
        # Code still written `principal.user_id if principal else None` (bot/services/plans.py)
        # records the system as no actor; drop this once it uses ``actor_id``.
        return not self.is_system

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
        for role in (RoleKind.OFFICER, RoleKind.COORDINATOR, RoleKind.PARENT):
            if self.has(role):
                return role
        return None


SYSTEM = Principal(user_id=0, tg_id=0, full_name="", is_active=True, grants=(), is_system=True)


async def load_principal(session: AsyncSession, tg_id: int) -> Principal | None:
    """The registered user behind a Telegram id, or None for a stranger."""
    user = await users.get_user_by_tg(session, tg_id)
    if user is None:
        return None
    roles = await users.list_roles(session, user.id)
    return Principal(
        user_id=user.id,
        tg_id=user.tg_id,
        full_name=user.full_name,
        is_active=user.is_active,
        grants=tuple(Grant(r.role, r.org_id) for r in roles),
    )


async def touch_user(
    session: AsyncSession, tg_id: int, full_name: str, username: str | None
) -> Principal:
    """Create the user on first contact; a returning user is reactivated."""
    user = await users.get_user_by_tg(session, tg_id)
    if user is None:
        user = users.add_user(session, tg_id, full_name, username)
        await session.flush()
    elif not user.is_active:
        user.is_active = True
        user.blocked_at = None
        await reminders.welcome_back(session, user.id, utcnow())
    await session.commit()
    principal = await load_principal(session, tg_id)
    assert principal is not None
    return principal


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
    session: AsyncSession, admin_ids: Iterable[int], root_name: str
) -> list[int]:
    """Bind the configured admins as officers of every top organisation; returns their ids.

    An empty registry gets one top organisation named ``root_name``. A region imported later
    as another top organisation is bound too, so the admins see everything.
    """
    admin_ids = list(admin_ids)
    if not admin_ids:
        return []
    roots = await orgs.list_roots(session)
    if not roots:
        roots = [orgs.add_org(session, name=root_name, kind=OrgKind.REGION)]
    await session.flush()
    for tg_id in admin_ids:
        user = await users.get_user_by_tg(session, tg_id)
        if user is None:
            user = users.add_user(session, tg_id, "", None)
            await session.flush()
        for root in roots:
            if await users.get_role(session, user.id, RoleKind.OFFICER, root.id) is None:
                users.add_role(session, user.id, RoleKind.OFFICER, root.id)
                await reminders.executors_changed(session, root.id)
    await session.commit()
    return [root.id for root in roots]


async def set_blocked(session: AsyncSession, tg_id: int, blocked: bool) -> bool:
    """Record that the user blocked (or unblocked) the bot."""
    user = await users.get_user_by_tg(session, tg_id)
    returning = user is not None and not blocked and not user.is_active
    changed = await users.mark_active(session, tg_id, not blocked, utcnow())
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
    refreshed = await load_principal(session, principal.tg_id)
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
