"""Where to write to people: the one place that turns user ids into chat addresses."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Address, Channel
from storage.repo.accounts import chats_of


async def private_addresses(session: AsyncSession, user_ids: Iterable[int]) -> dict[int, Address]:
    """The private chat of each person who has one; people without a chat are left out."""
    chats = await chats_of(session, set(user_ids), Channel.TELEGRAM)
    return {user_id: Address(Channel.TELEGRAM.value, chat) for user_id, chat in chats.items()}
