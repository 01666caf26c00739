"""Telegram's invitation links: a deep link that starts the bot with the token."""

from __future__ import annotations


def invite_link(bot_username: str, token: str) -> str:
    return f"https://t.me/{bot_username}?start={token}"
