"""Bot command lists per role, published with setMyCommands."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
)

from bot.domain.enums import RoleKind

logger = logging.getLogger(__name__)

DEFAULT = [
    BotCommand(command="start", description="Начать"),
    BotCommand(command="menu", description="Главное меню"),
    BotCommand(command="help", description="Справка"),
    BotCommand(command="faq", description="Частые вопросы"),
    BotCommand(command="privacy", description="Ваши данные"),
    BotCommand(command="cancel", description="Отменить действие"),
]
# In group chats the bot serves only the hotline's forum.
GROUPS = [
    BotCommand(command="hotline_here", description="Принимать здесь обращения горячей линии"),
    BotCommand(command="take", description="Взять обращение этой темы"),
    BotCommand(command="close", description="Закрыть обращение этой темы"),
    BotCommand(command="reopen", description="Открыть обращение снова"),
    BotCommand(command="violation", description="Отметить как нарушение"),
    BotCommand(command="hotline_off", description="Отключить группу от горячей линии"),
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
        BotCommand(command="hotline", description="Обращения горячей линии"),
        BotCommand(command="faq_edit", description="Частые вопросы горячей линии"),
        BotCommand(command="hotline_stats", description="Статистика горячей линии"),
        BotCommand(command="announce", description="Новое объявление"),
        BotCommand(command="announcements", description="Мои объявления"),
        BotCommand(command="hotline_settings", description="Настройки горячей линии"),
        BotCommand(command="cancel", description="Отменить действие"),
        BotCommand(command="help", description="Справка"),
    ],
    RoleKind.COORDINATOR: [
        BotCommand(command="menu", description="Главное меню"),
        BotCommand(command="tasks", description="Мои задачи"),
        BotCommand(command="events", description="Даты оценочных процедур"),
        BotCommand(command="announce", description="Объявление родителям школы"),
        BotCommand(command="announcements", description="Мои объявления"),
        BotCommand(command="volunteers", description="Общественные наблюдатели"),
        BotCommand(command="settings", description="Настройки напоминаний"),
        BotCommand(command="privacy", description="Ваши данные"),
        BotCommand(command="cancel", description="Отменить действие"),
        BotCommand(command="help", description="Справка"),
    ],
    RoleKind.OPERATOR: [
        BotCommand(command="menu", description="Главное меню"),
        BotCommand(command="hotline", description="Обращения горячей линии"),
        BotCommand(command="cancel", description="Отменить действие"),
        BotCommand(command="help", description="Справка"),
    ],
    RoleKind.PARENT: [
        BotCommand(command="start", description="Начать"),
        BotCommand(command="menu", description="Главное меню"),
        BotCommand(command="ask", description="Задать вопрос"),
        BotCommand(command="mytickets", description="Мои обращения"),
        BotCommand(command="school", description="Школа ребёнка"),
        BotCommand(command="faq", description="Частые вопросы"),
        BotCommand(command="privacy", description="Ваши данные"),
        BotCommand(command="help", description="Справка"),
        BotCommand(command="cancel", description="Отменить действие"),
    ],
}


def commands_for(role: RoleKind | None) -> list[BotCommand]:
    """The command list of a role; strangers get the guest's."""
    return BY_ROLE.get(role, DEFAULT)


async def set_default_commands(bot: Bot) -> None:
    await bot.set_my_commands(DEFAULT, scope=BotCommandScopeDefault())
    await bot.set_my_commands(GROUPS, scope=BotCommandScopeAllGroupChats())


async def set_role_commands(bot: Bot, chat_id: int, role: RoleKind | None) -> None:
    await bot.set_my_commands(commands_for(role), scope=BotCommandScopeChat(chat_id=chat_id))


async def publish_role_commands(bot: Bot, chat_id: int, role: RoleKind | None) -> bool:
    """Set the chat's commands for the role (the guest's for None); False if Telegram refused.

    A chat the bot was never started in, or one that blocked it, cannot get commands; that
    must not undo what the caller has already done.
    """
    try:
        await set_role_commands(bot, chat_id, role)
    except (TelegramBadRequest, TelegramForbiddenError) as exc:
        logger.warning("commands of chat %s not set: %s", chat_id, exc.message)
        return False
    return True
