"""Start, registration by invitation, /menu, /help, /cancel and chat-member updates."""

from __future__ import annotations

import re

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import (
    JOIN_TRANSITION,
    LEAVE_TRANSITION,
    ChatMemberUpdatedFilter,
    Command,
    CommandObject,
    CommandStart,
)
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, ReplyKeyboardRemove, User
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks import StartCb, StartChoice
from bot.channels.telegram.commands import commands_for, set_role_commands
from bot.channels.telegram.identity import identity_of
from bot.domain.errors import InviteError, ValidationError
from bot.domain.messages import Channel
from bot.services import access, invites
from bot.services.access import Principal
from bot.texts.errors import error_text
from handlers.menu import send_menu
from handlers.parent.school import ask_school

TOKEN_IN_TEXT = re.compile(r"(?:start=)?([A-Za-z0-9_-]{16,64})\s*$")


class Registration(StatesGroup):
    link = State()
    name = State()


def build_router() -> Router:
    router = Router(name="common")
    router.message.register(cmd_cancel, Command("cancel"))
    router.message.register(cmd_cancel, F.text == texts.BTN_CANCEL)
    router.message.register(cmd_start_token, CommandStart(deep_link=True))
    router.message.register(cmd_start, CommandStart())
    router.message.register(cmd_menu, Command("menu"))
    router.message.register(cmd_help, Command("help"))
    router.callback_query.register(on_parent, StartCb.filter(F.choice == StartChoice.PARENT))
    router.callback_query.register(on_have_invite, StartCb.filter(F.choice == StartChoice.INVITE))
    router.message.register(registration_link_entered, Registration.link, F.text)
    router.callback_query.register(
        on_use_tg_name, Registration.name, StartCb.filter(F.choice == StartChoice.TG_NAME)
    )
    router.message.register(registration_name_entered, Registration.name, F.text)
    router.message.register(registration_name_invalid, Registration.name)
    # In a group the update's sender is whoever added or removed the bot, not a blocked user.
    private = F.chat.type == ChatType.PRIVATE
    router.my_chat_member.register(on_blocked, private, ChatMemberUpdatedFilter(LEAVE_TRANSITION))
    router.my_chat_member.register(on_unblocked, private, ChatMemberUpdatedFilter(JOIN_TRANSITION))
    return router


async def cmd_cancel(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    had_state = await state.get_state() is not None
    await state.clear()
    await message.answer(texts.CANCELLED if had_state else texts.NOTHING_TO_CANCEL)
    if principal is not None and principal.main_role is not None:
        await send_menu(message, session, principal)


async def cmd_start(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    await state.clear()
    if principal is not None and principal.main_role is not None:
        await message.answer(texts.WELCOME_BACK.format(name=texts.q(principal.full_name)))
        await send_menu(message, session, principal)
        return
    user = message.from_user
    await access.touch_account(session, identity_of(user), user.full_name)
    await message.answer(texts.GREETING, reply_markup=keyboards.start_choice())


async def cmd_start_token(
    message: Message, command: CommandObject, state: FSMContext, session: AsyncSession
) -> None:
    await state.clear()
    await _ask_name_for(message, command.args or "", state, session)


async def _ask_name_for(
    message: Message, token: str, state: FSMContext, session: AsyncSession
) -> None:
    try:
        invite = await invites.check_invite(session, token.strip())
    except InviteError as exc:
        await message.answer(error_text(exc))
        return
    await state.set_state(Registration.name)
    await state.update_data(token=invite.token)
    await message.answer(
        texts.ASK_NAME.format(role=texts.ROLE_NAMES[invite.role], org=texts.q(invite.org_name)),
        reply_markup=keyboards.use_tg_name(message.from_user.full_name),
    )


async def cmd_menu(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    await state.clear()
    if principal is None or principal.main_role is None:
        await message.answer(texts.GREETING, reply_markup=keyboards.start_choice())
        return
    await send_menu(message, session, principal)


async def cmd_help(message: Message, principal: Principal | None) -> None:
    role = principal.main_role if principal is not None else None
    commands = [(item.command, item.description) for item in commands_for(role)]
    await message.answer(texts.help_text(commands))


async def on_parent(
    callback: CallbackQuery,
    state: FSMContext,
    bot: Bot,
    session: AsyncSession,
    principal: Principal | None,
) -> None:
    user = callback.from_user
    principal = principal or await access.touch_account(session, identity_of(user), user.full_name)
    principal = await access.become_parent(session, principal)
    await callback.answer()
    await callback.message.answer(texts.PARENT_REGISTERED)
    await set_role_commands(bot, user.id, principal.main_role)
    await ask_school(callback.message, state)


async def on_have_invite(callback: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(Registration.link)
    await callback.answer()
    await callback.message.answer(texts.ASK_INVITE, reply_markup=ReplyKeyboardRemove())


async def registration_link_entered(
    message: Message, state: FSMContext, session: AsyncSession
) -> None:
    match = TOKEN_IN_TEXT.search(message.text.strip())
    await _ask_name_for(message, match.group(1) if match else "", state, session)


async def on_use_tg_name(
    callback: CallbackQuery, state: FSMContext, bot: Bot, session: AsyncSession
) -> None:
    await callback.answer()
    await _register(
        callback.message, callback.from_user, callback.from_user.full_name, state, bot, session
    )


async def registration_name_entered(
    message: Message, state: FSMContext, bot: Bot, session: AsyncSession
) -> None:
    await _register(message, message.from_user, message.text, state, bot, session)


async def registration_name_invalid(message: Message) -> None:
    await message.answer(texts.NAME_INVALID)


async def _register(
    message: Message,
    user: User,
    full_name: str,
    state: FSMContext,
    bot: Bot,
    session: AsyncSession,
) -> None:
    token = (await state.get_data()).get("token", "")
    try:
        principal, invite = await invites.redeem_invite(
            session, token, identity_of(user), full_name
        )
    except InviteError as exc:
        await state.clear()
        await message.answer(error_text(exc))
        return
    except ValidationError:
        await message.answer(texts.NAME_INVALID)
        return
    await state.clear()
    await message.answer(
        texts.REGISTERED.format(
            name=texts.q(principal.full_name),
            role=texts.ROLE_NAMES[invite.role],
            org=texts.q(invite.org_name),
        )
    )
    await set_role_commands(bot, user.id, principal.main_role)
    await send_menu(message, session, principal)


async def on_blocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await access.set_blocked(session, Channel.TELEGRAM, str(event.from_user.id), blocked=True)


async def on_unblocked(event: ChatMemberUpdated, session: AsyncSession) -> None:
    await access.set_blocked(session, Channel.TELEGRAM, str(event.from_user.id), blocked=False)
