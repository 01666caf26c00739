"""Role and content filters for routers."""

from __future__ import annotations

from aiogram import F
from aiogram.filters import Filter
from aiogram.types import TelegramObject

from bot.domain.enums import RoleKind
from bot.services.access import Principal


class HasRole(Filter):
    """Passes users holding any of the roles."""

    def __init__(self, *roles: RoleKind) -> None:
        self.roles = roles

    async def __call__(self, event: TelegramObject, principal: Principal | None = None) -> bool:
        return principal is not None and any(principal.has(role) for role in self.roles)


# A message a ticket's conversation takes: text or files, or what is passed on in words.
CONVERSATION_CONTENT = (
    F.text
    | F.caption
    | F.photo
    | F.document
    | F.video
    | F.audio
    | F.voice
    | F.sticker
    | F.animation
    | F.video_note
    | F.location
    | F.contact
    | F.poll
    | F.dice
)
