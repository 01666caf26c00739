"""«Мои обращения»: the person's tickets, a conversation, a follow-up, «Вопрос решён»."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.attachments import content_of
from bot.channels.telegram.callbacks.hotline import MyTicketAction, MyTicketCb
from bot.channels.telegram.filters import CONVERSATION_CONTENT
from bot.channels.telegram.keyboards import hotline as keyboards
from bot.config import Settings
from bot.domain.errors import HotlineBanned
from bot.services.access import Principal
from bot.services.hotline import tickets
from bot.services.hotline.views import MessageSource
from bot.texts import hotline as texts
from bot.texts.errors import error_text


class FollowUp(StatesGroup):
    text = State()


def build_router() -> Router:
    router = Router(name="parent.tickets")
    router.message.register(cmd_my_tickets, Command("mytickets"))
    router.message.register(cmd_my_tickets, F.text == texts.BTN_MY_TICKETS)
    router.message.register(follow_up_entered, FollowUp.text, CONVERSATION_CONTENT)
    router.message.register(follow_up_invalid, FollowUp.text)
    # An edit of a message stored in a ticket (by its author or an operator) is passed on.
    router.edited_message.register(on_edited, F.text | F.caption)
    router.callback_query.register(on_list, MyTicketCb.filter(F.action == MyTicketAction.LIST))
    router.callback_query.register(on_view, MyTicketCb.filter(F.action == MyTicketAction.VIEW))
    router.callback_query.register(
        on_follow_up, MyTicketCb.filter(F.action == MyTicketAction.FOLLOW_UP)
    )
    router.callback_query.register(on_solved, MyTicketCb.filter(F.action == MyTicketAction.SOLVED))
    return router


async def _send_list(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings, page: int
) -> None:
    found = await tickets.list_my_tickets(
        session, principal, page=page, default_tz=settings.default_timezone
    )
    if not found.total:
        await message.answer(texts.MY_EMPTY)
        return
    await message.answer(texts.my_list_text(found), reply_markup=keyboards.my_list(found))


async def cmd_my_tickets(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await state.clear()
    await _send_list(message, session, principal, settings, 0)


async def on_list(
    callback: CallbackQuery,
    callback_data: MyTicketCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await callback.answer()
    await _send_list(callback.message, session, principal, settings, callback_data.arg)


async def on_view(
    callback: CallbackQuery,
    callback_data: MyTicketCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await tickets.my_ticket(
        session, principal, callback_data.ticket_id, default_tz=settings.default_timezone
    )
    await callback.answer()
    await callback.message.answer(
        texts.my_ticket_text(view), reply_markup=keyboards.my_ticket(view)
    )


async def on_follow_up(
    callback: CallbackQuery,
    callback_data: MyTicketCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await tickets.my_ticket(
        session, principal, callback_data.ticket_id, default_tz=settings.default_timezone
    )
    await state.set_state(FollowUp.text)
    await state.update_data(ticket_id=view.id, number=view.number)
    await callback.answer()
    await callback.message.answer(texts.FOLLOW_UP_ASK.format(number=view.number))


async def follow_up_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    data = await state.get_data()
    group = message.media_group_id
    text, files = content_of(message)
    try:
        if group and data.get("group") == group:
            # The rest of an album joins the message its first file made.
            await tickets.add_album_items(session, principal, data["ticket_id"], group, files)
            return
        await tickets.add_follow_up(
            session,
            principal,
            int(data["ticket_id"]),
            text,
            files,
            default_tz=settings.default_timezone,
            source=MessageSource("telegram", str(message.chat.id), message.message_id),
            media_group_id=group,
        )
    except HotlineBanned as exc:
        await state.clear()
        if not exc.details.get("told"):
            await message.answer(error_text(exc))
        return
    await state.update_data(group=group)
    await message.answer(texts.FOLLOW_UP_SENT.format(number=data.get("number", "")))


async def follow_up_invalid(message: Message) -> None:
    await message.answer(texts.TEXT_INVALID)


async def on_solved(
    callback: CallbackQuery,
    callback_data: MyTicketCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await tickets.mark_solved(
        session, principal, callback_data.ticket_id, default_tz=settings.default_timezone
    )
    await callback.answer()
    await callback.message.answer(texts.SOLVED_DONE.format(number=view.number))


async def on_edited(message: Message, session: AsyncSession, settings: Settings) -> None:
    await tickets.record_edit(
        session,
        "telegram",
        str(message.chat.id),
        message.message_id,
        message.html_text,
        default_tz=settings.default_timezone,
    )
