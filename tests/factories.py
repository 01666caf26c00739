"""Test data: people with a Telegram account, as the bot registers them, and who they are."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Channel
from bot.services.access import Principal, load_principal, resolve_account
from storage.models import ChannelAccount, User


async def add_telegram_user(
    session: AsyncSession, tg_id: int, full_name: str = "", **fields: Any
) -> User:
    """A person with a Telegram account whose private chat is ``tg_id``; flushed, not committed."""
    user = User(full_name=full_name, **fields)
    session.add(user)
    await session.flush()
    session.add(
        ChannelAccount(
            user_id=user.id,
            channel=Channel.TELEGRAM,
            external_id=str(tg_id),
            chat_id=str(tg_id),
        )
    )
    await session.flush()
    return user


async def telegram_principal(session: AsyncSession, tg_id: int) -> Principal | None:
    """The person behind a Telegram account, as the bot sees them on an update."""
    user_id = await resolve_account(session, Channel.TELEGRAM, str(tg_id))
    return await load_principal(session, user_id) if user_id is not None else None


async def tg_id_of(session: AsyncSession, user: User) -> int:
    """The Telegram id of a person made by ``add_telegram_user``."""
    query = select(ChannelAccount.external_id).where(
        ChannelAccount.user_id == user.id, ChannelAccount.channel == Channel.TELEGRAM
    )
    return int(await session.scalar(query))
