"""Bot command lists per role, published with setMyCommands."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from storage.models import RoleKind

DEFAULT = [
    BotCommand(command="start", description="Начать"),
    BotCommand(command="menu", description="Главное меню"),
    BotCommand(command="help", description="Справка"),
    BotCommand(command="cancel", description="Отменить действие"),
]
BY_ROLE = {
    RoleKind.OFFICER: [
        BotCommand(command="menu", description="Главное меню"),
        BotCommand(command="plans", description="Планы мероприятий"),
        BotCommand(command="review", description="Подтверждения на проверке"),
        BotCommand(command="tasks", description="Задачи моего органа"),
        BotCommand(command="report", description="Отчёты"),
        BotCommand(command="orgs", description="Организации"),
        BotCommand(command="invites", description="Приглашения"),
        BotCommand(command="cancel", description="Отменить действие"),
        BotCommand(command="help", description="Справка"),
    ],
    RoleKind.COORDINATOR: [
        BotCommand(command="menu", description="Главное меню"),
        BotCommand(command="tasks", description="Мои задачи"),
        BotCommand(command="events", description="Даты оценочных процедур"),
        BotCommand(command="settings", description="Настройки напоминаний"),
        BotCommand(command="cancel", description="Отменить действие"),
        BotCommand(command="help", description="Справка"),
    ],
    RoleKind.PARENT: DEFAULT,
}


async def set_default_commands(bot: Bot) -> None:
    await bot.set_my_commands(DEFAULT, scope=BotCommandScopeDefault())


async def set_role_commands(bot: Bot, chat_id: int, role: RoleKind | None) -> None:
    await bot.set_my_commands(
        BY_ROLE.get(role, DEFAULT), scope=BotCommandScopeChat(chat_id=chat_id)
    )
