"""Telegram users as channel identities: the services know people by user id only."""

from __future__ import annotations

from collections.abc import Iterable

from aiogram.types import User

from bot.domain.messages import Channel
from bot.domain.people import ChannelIdentity


def telegram_identity(tg_id: int, username: str | None = None) -> ChannelIdentity:
    # The bot writes to people in their private chat, whose id is the user's own.
    return ChannelIdentity(Channel.TELEGRAM, str(tg_id), str(tg_id), username)


def identity_of(user: User) -> ChannelIdentity:
    return telegram_identity(user.id, user.username)


def admin_identities(admin_ids: Iterable[int]) -> list[ChannelIdentity]:
    """The configured ADMIN_IDS, which are Telegram user ids."""
    return [telegram_identity(tg_id) for tg_id in admin_ids]
