"""Role filters for routers."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import TelegramObject

from bot.services.access import Principal
from storage.models import RoleKind


class HasRole(Filter):
    def __init__(self, role: RoleKind) -> None:
        self.role = role

    async def __call__(self, event: TelegramObject, principal: Principal | None = None) -> bool:
        return principal is not None and principal.has(self.role)
