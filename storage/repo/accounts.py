"""People's accounts in channels: the channel's user id and the chat to write to."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Channel
from storage.models import ChannelAccount


async def get_account(
    session: AsyncSession, channel: Channel, external_id: str
) -> ChannelAccount | None:
    query = select(ChannelAccount).where(
        ChannelAccount.channel == channel, ChannelAccount.external_id == external_id
    )
    return (await session.scalars(query)).first()


def add_account(
    session: AsyncSession,
    user_id: int,
    channel: Channel,
    external_id: str,
    chat_id: str,
    username: str | None = None,
) -> ChannelAccount:
    account = ChannelAccount(
        user_id=user_id,
        channel=channel,
        external_id=external_id,
        chat_id=chat_id,
        username=username,
    )
    session.add(account)
    return account


async def list_accounts(
    session: AsyncSession, user_ids: Iterable[int], channel: Channel | None = None
) -> list[ChannelAccount]:
    """The accounts of these people, oldest first; of one channel when given."""
    ids = sorted(set(user_ids))
    if not ids:
        return []
    query = select(ChannelAccount).where(ChannelAccount.user_id.in_(ids))
    if channel is not None:
        query = query.where(ChannelAccount.channel == channel)
    return list((await session.scalars(query.order_by(ChannelAccount.id))).all())


async def chats_of(
    session: AsyncSession, user_ids: Iterable[int], channel: Channel
) -> dict[int, str]:
    """The chat to write to for each person who has an account in the channel.

    A person with several accounts there is written to in the newest one.
    """
    return {a.user_id: a.chat_id for a in await list_accounts(session, user_ids, channel)}
