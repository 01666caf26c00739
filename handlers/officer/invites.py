"""Officer: the list of live invitations and revoking one."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks import InviteAction, InviteCb
from bot.config import Settings
from bot.services import invites
from bot.services.access import Principal
from bot.texts.formatting import format_date


def build_router() -> Router:
    router = Router(name="officer.invites")
    router.message.register(cmd_invites, Command("invites"))
    router.message.register(cmd_invites, F.text == texts.BTN_INVITES)
    router.callback_query.register(on_page, InviteCb.filter(F.action == InviteAction.PAGE))
    router.callback_query.register(
        on_ask_revoke, InviteCb.filter(F.action == InviteAction.ASK_REVOKE)
    )
    router.callback_query.register(on_revoke, InviteCb.filter(F.action == InviteAction.REVOKE))
    return router


async def _render(session: AsyncSession, principal: Principal, page: int, default_tz: str):
    live = await invites.list_invites(session, principal, live_only=True)
    if not live:
        return texts.INVITE_LIST_EMPTY, None
    items, page, pages = keyboards.page_of(live, page)
    lines = [
        texts.INVITE_LINE.format(
            org=texts.q(i.org_name),
            role=texts.ROLE_NAMES[i.role],
            expires=format_date(i.expires_on(default_tz)),
            used=i.uses,
            max=i.max_uses,
        )
        for i in items
    ]
    lines.append(texts.PAGE.format(page=page + 1, pages=pages))
    return "\n".join(lines), keyboards.invite_list(
        [(i.id, i.org_name) for i in items], page, pages
    )


async def cmd_invites(
    message: Message, session: AsyncSession, principal: Principal, settings: Settings
) -> None:
    text, markup = await _render(session, principal, 0, settings.default_timezone)
    await message.answer(text, reply_markup=markup)


async def on_page(
    callback: CallbackQuery,
    callback_data: InviteCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    text, markup = await _render(session, principal, callback_data.page, settings.default_timezone)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_ask_revoke(
    callback: CallbackQuery, callback_data: InviteCb, session: AsyncSession, principal: Principal
) -> None:
    found = [
        i
        for i in await invites.list_invites(session, principal)
        if i.id == callback_data.invite_id
    ]
    if not found:
        await callback.answer(texts.NOT_FOUND, show_alert=True)
        return
    await callback.answer()
    await callback.message.edit_text(
        texts.CONFIRM_REVOKE.format(org=texts.q(found[0].org_name)),
        reply_markup=keyboards.confirm_revoke(found[0].id),
    )


async def on_revoke(
    callback: CallbackQuery,
    callback_data: InviteCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await invites.revoke_invite(session, principal, callback_data.invite_id)
    await callback.answer(texts.INVITE_REVOKED)
    text, markup = await _render(session, principal, 0, settings.default_timezone)
    await callback.message.edit_text(f"{texts.INVITE_REVOKED}\n\n{text}", reply_markup=markup)
