"""A person's account in a channel, as the channel adapter hands it to the services."""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.messages import Channel


@dataclass(frozen=True)
class ChannelIdentity:
    """Who someone is in a channel: the channel's user id, the chat to write to, a handle."""

    channel: Channel
    external_id: str
    chat_id: str
    username: str | None = None
