"""What the console prints: the bot's HTML texts as plain text."""

from __future__ import annotations

import html
import re

from bot.domain.errors import DomainError
from bot.texts.errors import error_text

_TAG = re.compile(r"<[^>]+>")


def plain(html_text: str) -> str:
    return html.unescape(_TAG.sub("", html_text))


def error_message(exc: DomainError) -> str:
    """The same text a user of the bot is given for this error, without markup."""
    return plain(error_text(exc))
