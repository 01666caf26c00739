"""Operators in private chat: the queue, a ticket's card, answer, take, hand over, close."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.attachments import content_of
from bot.channels.telegram.callbacks.hotline import TicketAction, TicketCb
from bot.channels.telegram.filters import CONVERSATION_CONTENT
from bot.channels.telegram.keyboards import hotline as keyboards
from bot.config import Settings
from bot.services.access import Principal
from bot.services.hotline import operators
from bot.services.hotline.views import MessageSource
from bot.texts import hotline as texts


class OperatorAnswer(StatesGroup):
    text = State()


def build_router() -> Router:
    router = Router(name="operator.tickets")
    router.message.register(cmd_hotline, Command("hotline"))
    router.message.register(cmd_hotline, F.text == texts.BTN_TICKETS)
    router.message.register(answer_text_entered, OperatorAnswer.text, CONVERSATION_CONTENT)
    router.message.register(answer_text_invalid, OperatorAnswer.text)
    actions = {
        TicketAction.LIST: on_list,
        TicketAction.OPEN: on_open,
        TicketAction.ANSWER: on_answer,
        TicketAction.TAKE: on_take,
        TicketAction.HAND_OVER: on_hand_over,
        TicketAction.HAND_TO: on_hand_to,
        TicketAction.CLOSE: on_close,
        TicketAction.REOPEN: on_reopen,
        TicketAction.VIOLATION: on_violation,
        TicketAction.BAN: on_ban,
        TicketAction.UNBAN: on_unban,
    }
    for action, handler in actions.items():
        router.callback_query.register(handler, TicketCb.filter(F.action == action))
    return router


async def _send_list(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings, page: int
) -> None:
    found = await operators.list_open_tickets(
        session, principal, default_tz=settings.default_timezone, page=page
    )
    if not found.total:
        await message.answer(texts.QUEUE_EMPTY)
        return
    await message.answer(texts.queue_text(found), reply_markup=keyboards.queue(found))


async def cmd_hotline(
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
    callback_data: TicketCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await callback.answer()
    await _send_list(callback.message, session, principal, settings, callback_data.arg)


async def _show(callback: CallbackQuery, view, note: str | None = None) -> None:
    await callback.answer(note)
    await callback.message.answer(texts.card_text(view), reply_markup=keyboards.card(view))


async def on_open(
    callback: CallbackQuery,
    callback_data: TicketCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await operators.operator_ticket(
        session, principal, callback_data.ticket_id, default_tz=settings.default_timezone
    )
    await _show(callback, view)


async def on_answer(
    callback: CallbackQuery,
    callback_data: TicketCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    # The card is loaded first, so a forged or foreign ticket is refused before the form.
    view = await operators.operator_ticket(
        session, principal, callback_data.ticket_id, default_tz=settings.default_timezone
    )
    await state.set_state(OperatorAnswer.text)
    await state.update_data(ticket_id=view.id)
    await callback.answer()
    await callback.message.answer(texts.ASK_ANSWER.format(number=view.number))


async def answer_text_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    ticket_id = (await state.get_data()).get("ticket_id")
    source = MessageSource("telegram", str(message.chat.id), message.message_id)
    text, files = content_of(message)
    await operators.answer_ticket(
        session,
        principal,
        int(ticket_id or 0),
        text,
        files,
        default_tz=settings.default_timezone,
        source=source,
    )
    await state.clear()
    await message.answer(texts.ANSWER_SENT)


async def answer_text_invalid(message: Message) -> None:
    await message.answer(texts.ANSWER_INVALID)


async def _act(callback: CallbackQuery, callback_data: TicketCb, call, note: str, **kwargs):
    view = await call(**kwargs)
    await callback.answer(note)
    await callback.message.answer(texts.card_text(view), reply_markup=keyboards.card(view))


def _common(callback_data: TicketCb, session, principal, settings) -> dict:
    return {
        "session": session,
        "principal": principal,
        "ticket_id": callback_data.ticket_id,
        "default_tz": settings.default_timezone,
    }


async def on_take(callback, callback_data: TicketCb, session, principal, settings) -> None:
    kwargs = _common(callback_data, session, principal, settings)
    await _act(callback, callback_data, operators.take_ticket, texts.TAKEN, **kwargs)


async def on_hand_over(
    callback: CallbackQuery, callback_data: TicketCb, session: AsyncSession, principal: Principal
) -> None:
    choices = await operators.handover_choices(session, principal, callback_data.ticket_id)
    if not choices:
        await callback.answer(texts.NO_HANDOVER, show_alert=True)
        return
    await callback.answer()
    await callback.message.answer(
        texts.CHOOSE_HANDOVER, reply_markup=keyboards.handover(callback_data.ticket_id, choices)
    )


async def on_hand_to(callback, callback_data: TicketCb, session, principal, settings) -> None:
    kwargs = _common(callback_data, session, principal, settings)
    await _act(
        callback,
        callback_data,
        operators.hand_over,
        texts.HANDED,
        to_user_id=callback_data.arg,
        **kwargs,
    )


async def on_close(callback, callback_data: TicketCb, session, principal, settings) -> None:
    kwargs = _common(callback_data, session, principal, settings)
    await _act(callback, callback_data, operators.close_ticket, texts.CLOSED, **kwargs)


async def on_reopen(callback, callback_data: TicketCb, session, principal, settings) -> None:
    kwargs = _common(callback_data, session, principal, settings)
    await _act(callback, callback_data, operators.reopen_ticket, texts.REOPENED, **kwargs)


async def on_violation(callback, callback_data: TicketCb, session, principal, settings) -> None:
    kwargs = _common(callback_data, session, principal, settings)
    await _act(callback, callback_data, operators.mark_violation, texts.MARKED, **kwargs)


async def on_ban(callback, callback_data: TicketCb, session, principal, settings) -> None:
    if not callback_data.arg:
        # A ban is asked to be confirmed; the card is loaded to check access first.
        view = await operators.operator_ticket(
            session, principal, callback_data.ticket_id, default_tz=settings.default_timezone
        )
        await callback.answer()
        await callback.message.answer(
            texts.CONFIRM_BAN.format(number=view.number),
            reply_markup=keyboards.confirm_ban(view.id),
        )
        return
    kwargs = _common(callback_data, session, principal, settings)
    await _act(callback, callback_data, operators.ban_author, texts.BANNED_DONE, **kwargs)


async def on_unban(callback, callback_data: TicketCb, session, principal, settings) -> None:
    kwargs = _common(callback_data, session, principal, settings)
    await _act(callback, callback_data, operators.unban_author, texts.UNBANNED_DONE, **kwargs)
