"""The hotline's forum chat: binding it (/hotline_here, /hotline_off) and operators answering
in a ticket's topic, which the bot passes on to the person."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatMemberStatus, ChatType
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.attachments import content_of
from bot.channels.telegram.callbacks.hotline import ForumCb
from bot.channels.telegram.filters import CONVERSATION_CONTENT
from bot.channels.telegram.forum import ForumTopics
from bot.channels.telegram.keyboards import hotline as keyboards
from bot.config import Settings
from bot.domain.errors import AccessDenied, ValidationError
from bot.domain.messages import Address, Channel
from bot.services.access import Principal
from bot.services.hotline import operators, threads
from bot.services.hotline import settings as hotline_settings
from bot.services.hotline.views import MessageSource
from bot.texts import forum as texts

GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
TOPIC_COMMANDS = ("take", "close", "reopen", "violation")


def build_router() -> Router:
    """Handles every message in groups, so nothing meant for private chats answers there."""
    router = Router(name="operator.forum")
    router.message.filter(F.chat.type.in_(GROUPS))
    router.callback_query.filter(F.message.chat.type.in_(GROUPS))
    router.message.register(cmd_hotline_here, Command("hotline_here"))
    router.message.register(cmd_hotline_off, Command("hotline_off"))
    router.callback_query.register(on_forum_org, ForumCb.filter())
    topic = (F.is_topic_message, F.message_thread_id)
    router.message.register(cmd_topic_action, *topic, Command(*TOPIC_COMMANDS))
    # Service messages (a topic made or renamed) carry no content and are not answers.
    router.message.register(
        on_topic_message, *topic, CONVERSATION_CONTENT, ~F.text.startswith("/")
    )
    router.message.register(on_group_message)
    return router


def _chat(message: Message) -> str:
    return str(message.chat.id)


async def _check_chat(message: Message, bot: Bot) -> None:
    """The chat must be a forum where the bot may make and rename topics."""
    if message.chat.type != ChatType.SUPERGROUP or not message.chat.is_forum:
        raise ValidationError("forum_not_forum")
    member = await bot.get_chat_member(message.chat.id, bot.id)
    rights = member.status == ChatMemberStatus.CREATOR or (
        member.status == ChatMemberStatus.ADMINISTRATOR
        and getattr(member, "can_manage_topics", False)
    )
    if not rights:
        raise ValidationError("forum_no_rights")


async def cmd_hotline_here(
    message: Message,
    bot: Bot,
    session: AsyncSession,
    principal: Principal | None,
    settings: Settings,
) -> None:
    if principal is None or not principal.is_officer:
        await message.answer(texts.NOT_OFFICER_HERE)
        return
    await _check_chat(message, bot)
    choices = await hotline_settings.forum_choices(session, principal)
    if len(choices) > 1:
        await message.answer(texts.CHOOSE_ORG, reply_markup=keyboards.forum_orgs(choices))
        return
    bound = await hotline_settings.bind_forum(
        session,
        principal,
        choices[0].org_id,
        Channel.TELEGRAM,
        _chat(message),
        default_tz=settings.default_timezone,
    )
    await message.answer(texts.bound(bound.org_name))


async def on_forum_org(
    callback: CallbackQuery,
    callback_data: ForumCb,
    bot: Bot,
    session: AsyncSession,
    principal: Principal | None,
    settings: Settings,
) -> None:
    if principal is None or not isinstance(callback.message, Message):
        raise AccessDenied()
    await _check_chat(callback.message, bot)
    bound = await hotline_settings.bind_forum(
        session,
        principal,
        callback_data.org_id,
        Channel.TELEGRAM,
        _chat(callback.message),
        default_tz=settings.default_timezone,
    )
    await callback.answer()
    await callback.message.edit_text(texts.bound(bound.org_name))


async def cmd_hotline_off(
    message: Message, session: AsyncSession, principal: Principal | None
) -> None:
    if principal is None or not principal.is_officer:
        await message.answer(texts.NOT_OFFICER_HERE)
        return
    unbound = await hotline_settings.unbind_forum(
        session, principal, Channel.TELEGRAM, _chat(message)
    )
    await message.answer(texts.unbound(unbound.org_name))


async def _ticket_here(message: Message, session: AsyncSession) -> int | None:
    address = Address(Channel.TELEGRAM, _chat(message), message.message_thread_id)
    return await threads.ticket_in_thread(session, address)


async def on_topic_message(
    message: Message,
    session: AsyncSession,
    principal: Principal | None,
    settings: Settings,
    forum: ForumTopics | None = None,
) -> None:
    """An operator's message in a ticket's topic is the answer the person gets."""
    ticket_id = await _ticket_here(message, session)
    if ticket_id is None:
        return
    if principal is None:
        await message.reply(texts.NOT_OPERATOR)
        return
    text, files = content_of(message)
    try:
        await operators.answer_ticket(
            session,
            principal,
            ticket_id,
            text,
            files,
            default_tz=settings.default_timezone,
            source=MessageSource(Channel.TELEGRAM, _chat(message), message.message_id),
        )
    except AccessDenied:
        await message.reply(texts.NOT_OPERATOR)
        return
    if forum is not None:
        await forum.sync(ticket_id)


async def cmd_topic_action(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    principal: Principal | None,
    settings: Settings,
    forum: ForumTopics | None = None,
) -> None:
    """/take, /close, /reopen, /violation in a ticket's topic."""
    ticket_id = await _ticket_here(message, session)
    if ticket_id is None:
        return
    if principal is None:
        await message.reply(texts.NOT_OPERATOR)
        return
    act = {
        "take": operators.take_ticket,
        "close": operators.close_ticket,
        "reopen": operators.reopen_ticket,
        "violation": operators.mark_violation,
    }[command.command]
    try:
        await act(session, principal, ticket_id, default_tz=settings.default_timezone)
    except AccessDenied:
        await message.reply(texts.NOT_OPERATOR)
        return
    if forum is not None:
        await forum.sync(ticket_id)


async def on_group_message(message: Message) -> None:
    """Anything else in a group is people talking to each other: the bot keeps quiet."""
