"""Rendering of the role's main menu, shared by the routers."""

from __future__ import annotations

from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.domain.enums import RoleKind
from bot.services.access import Principal
from bot.services.orgs import org_names


async def send_menu(message: Message, session: AsyncSession, principal: Principal) -> None:
    role = principal.main_role
    if role is None:
        await message.answer(texts.GREETING, reply_markup=keyboards.start_choice())
        return
    names = await org_names(session, principal.org_ids(role))
    org = texts.q(", ".join(names)) if names else ""
    template = {
        RoleKind.OFFICER: texts.MENU_OFFICER,
        RoleKind.COORDINATOR: texts.MENU_COORDINATOR,
        RoleKind.OPERATOR: texts.MENU_OPERATOR,
        RoleKind.PARENT: texts.MENU_PARENT,
    }[role]
    await message.answer(template.format(org=org), reply_markup=keyboards.main_menu(role))
