"""Users and their roles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind
from storage.models import Organization, Role, User


async def get_user_by_tg(session: AsyncSession, tg_id: int) -> User | None:
    return (await session.scalars(select(User).where(User.tg_id == tg_id))).first()


async def get_user(session: AsyncSession, user_id: int) -> User | None:
    return await session.get(User, user_id)


def add_user(session: AsyncSession, tg_id: int, full_name: str, username: str | None) -> User:
    user = User(tg_id=tg_id, full_name=full_name, username=username)
    session.add(user)
    return user


async def list_roles(session: AsyncSession, user_id: int) -> list[Role]:
    query = select(Role).where(Role.user_id == user_id).order_by(Role.id)
    return list((await session.scalars(query)).all())


async def get_role(
    session: AsyncSession, user_id: int, role: RoleKind, org_id: int | None
) -> Role | None:
    org_match = Role.org_id.is_(None) if org_id is None else Role.org_id == org_id
    query = select(Role).where(Role.user_id == user_id, Role.role == role, org_match)
    return (await session.scalars(query)).first()


async def get_role_by_id(session: AsyncSession, role_id: int) -> Role | None:
    return await session.get(Role, role_id)


def add_role(session: AsyncSession, user_id: int, role: RoleKind, org_id: int | None) -> Role:
    item = Role(user_id=user_id, role=role, org_id=org_id)
    session.add(item)
    return item


async def delete_role(session: AsyncSession, role_id: int) -> None:
    await session.execute(delete(Role).where(Role.id == role_id))


async def list_people(
    session: AsyncSession, org_ids: Sequence[int], role: RoleKind | None = None
) -> list[tuple[Role, User, Organization]]:
    query = (
        select(Role, User, Organization)
        .join(User, User.id == Role.user_id)
        .join(Organization, Organization.id == Role.org_id)
        .where(Role.org_id.in_(org_ids))
        .order_by(Organization.name, User.full_name)
    )
    if role is not None:
        query = query.where(Role.role == role)
    return [tuple(row) for row in (await session.execute(query)).all()]


async def active_users_with_role(
    session: AsyncSession, role: RoleKind, org_ids: Sequence[int]
) -> list[tuple[User, int]]:
    """Active users holding ``role`` in any of ``org_ids``, with that org id."""
    query = (
        select(User, Role.org_id)
        .join(Role, Role.user_id == User.id)
        .where(Role.role == role, Role.org_id.in_(org_ids), User.is_active.is_(True))
    )
    return [(user, org_id) for user, org_id in (await session.execute(query)).all()]


async def mark_active(session: AsyncSession, tg_id: int, active: bool, at: datetime) -> bool:
    result = await session.execute(
        update(User)
        .where(User.tg_id == tg_id)
        .values(is_active=active, blocked_at=None if active else at)
    )
    return bool(result.rowcount)


async def mark_user_active(
    session: AsyncSession, user_id: int, active: bool, at: datetime
) -> bool:
    """Mark the person as reachable again, or gone (blocked the bot) since ``at``."""
    result = await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(is_active=active, blocked_at=None if active else at)
    )
    return bool(result.rowcount)


async def list_users_by_tg(session: AsyncSession, tg_ids: Sequence[int]) -> list[User]:
    if not tg_ids:
        return []
    return list((await session.scalars(select(User).where(User.tg_id.in_(tg_ids)))).all())
