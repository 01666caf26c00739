"""Invitation tokens."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Invite, Organization


async def get_invite(session: AsyncSession, token: str) -> Invite | None:
    return (await session.scalars(select(Invite).where(Invite.token == token))).first()


def add_invite(session: AsyncSession, **fields) -> Invite:
    invite = Invite(**fields)
    session.add(invite)
    return invite


async def take_invite_use(session: AsyncSession, token: str, now: datetime) -> bool:
    """Atomically count one use of a live invitation; False when it is no longer usable."""
    result = await session.execute(
        update(Invite)
        .where(
            Invite.token == token,
            Invite.revoked_at.is_(None),
            Invite.expires_at > now,
            Invite.uses < Invite.max_uses,
        )
        .values(uses=Invite.uses + 1)
    )
    return result.rowcount == 1


async def list_invites(
    session: AsyncSession, org_ids: Sequence[int] | None = None, *, live_at: datetime | None = None
) -> list[tuple[Invite, Organization]]:
    query = select(Invite, Organization).join(Organization, Organization.id == Invite.org_id)
    if org_ids is not None:
        query = query.where(Invite.org_id.in_(org_ids))
    if live_at is not None:
        query = query.where(
            Invite.revoked_at.is_(None), Invite.expires_at > live_at, Invite.uses < Invite.max_uses
        )
    query = query.order_by(Invite.created_at.desc(), Invite.id.desc())
    return [tuple(row) for row in (await session.execute(query)).all()]


async def revoke_invite(session: AsyncSession, invite_id: int, at: datetime) -> bool:
    result = await session.execute(
        update(Invite)
        .where(Invite.id == invite_id, Invite.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return result.rowcount == 1
