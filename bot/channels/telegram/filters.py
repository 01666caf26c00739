"""Role filters for routers."""

from __future__ import annotations

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
