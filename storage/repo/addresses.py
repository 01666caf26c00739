"""Where to write to people: the one place that turns user ids into chat addresses."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Address, Channel
from storage.models import User

_CHUNK = 500


async def private_addresses(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, Address]:
    """The private chat of each person who has one; people without a chat are left out."""
    ids = sorted(set(user_ids))
    found: dict[int, Address] = {}
    for start in range(0, len(ids), _CHUNK):
        query = select(User.id, User.tg_id).where(User.id.in_(ids[start : start + _CHUNK]))
        for user_id, tg_id in (await session.execute(query)).all():
            if tg_id is not None:
                found[user_id] = Address(Channel.TELEGRAM.value, str(tg_id))
    return found
