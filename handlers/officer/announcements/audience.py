"""The announcement's sender and audience: the organisation to send from, the kind of
audience, and the choice of municipalities and schools with search and pages."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram.callbacks.announce_form import ComposeCb
from bot.channels.telegram.keyboards import announcements as kb
from bot.channels.telegram.keyboards import page_of
from bot.domain.enums import AudienceKind, OrgKind
from bot.services.access import Principal
from bot.services.announcements import audience, listing
from bot.texts import announce_form as texts
from handlers.officer.announcements.form import (
    ORG_PREFIX,
    AnnounceForm,
    after_audience,
    ask_audience,
    chosen_of,
)


async def cmd_announce(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    await state.clear()
    options = await listing.sender_orgs(session, principal)
    if not options:
        await message.answer(common.NO_ACCESS)
        return
    await state.set_state(AnnounceForm.org)
    if len(options) == 1:
        await _org_chosen(message, state, session, principal, bot, options[0])
        return
    await message.answer(texts.ASK_ORG, reply_markup=kb.sender_orgs(options))


async def _org_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
    org: listing.OrgOption,
) -> None:
    await state.update_data(org_id=org.id, org_name=org.name, school=org.kind == OrgKind.SCHOOL)
    await ask_audience(message, state, session, principal, bot)


async def on_org(
    callback: CallbackQuery,
    callback_data: ComposeCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    options = {o.id: o for o in await listing.sender_orgs(session, principal)}
    if callback_data.id not in options:
        await callback.answer(common.NO_ACCESS, show_alert=True)
        return
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await _org_chosen(callback.message, state, session, principal, bot, options[callback_data.id])


async def on_kind(
    callback: CallbackQuery,
    callback_data: ComposeCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    data = await state.get_data()
    kinds = {k.value: k for k in audience.kinds_for(principal, data["org_id"])}
    kind = kinds.get(callback_data.value)
    if kind is None:
        await callback.answer(common.NO_ACCESS, show_alert=True)
        return
    await callback.answer()
    if kind != data.get("kind"):
        # Another audience starts its choice afresh.
        await state.update_data(dict.fromkeys(k for k in data if k.startswith(ORG_PREFIX)))
    await state.update_data(kind=kind.value, query="", page=0)
    if kind in audience.CHOICE_KINDS:
        await state.set_state(AnnounceForm.orgs)
        await _show_picker(callback.message, state, session, principal, edit=True)
        return
    await callback.message.edit_reply_markup(reply_markup=None)
    await after_audience(callback.message, state, session, principal, bot)


async def _show_picker(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    *,
    edit: bool,
) -> None:
    data = await state.get_data()
    query = data.get("query", "")
    options = await listing.audience_orgs(session, principal, data["org_id"], query)
    chosen = set(chosen_of(data))
    if not options and not query:
        await state.set_state(AnnounceForm.audience)
        await message.answer(
            texts.ORGS_NONE,
            reply_markup=kb.audience_kinds(audience.kinds_for(principal, data["org_id"])),
        )
        return
    items, page, pages = page_of(options, data.get("page", 0), kb.ORG_PAGE)
    text = texts.ask_orgs(AudienceKind(data["kind"]), len(chosen), query, len(options))
    markup = kb.org_picker(items, chosen, page, pages, bool(query))
    if edit:
        await message.edit_text(text, reply_markup=markup)
    else:
        await message.answer(text, reply_markup=markup)


async def on_toggle(
    callback: CallbackQuery,
    callback_data: ComposeCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    data = await state.get_data()
    allowed = {o.id for o in await listing.audience_orgs(session, principal, data["org_id"])}
    if callback_data.id not in allowed:
        await callback.answer(common.NO_ACCESS, show_alert=True)
        return
    key = f"{ORG_PREFIX}{callback_data.id}"
    await state.update_data({key: None if data.get(key) else True, "page": callback_data.page})
    await callback.answer()
    await _show_picker(callback.message, state, session, principal, edit=True)


async def on_page(
    callback: CallbackQuery,
    callback_data: ComposeCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
) -> None:
    await state.update_data(page=callback_data.page)
    await callback.answer()
    await _show_picker(callback.message, state, session, principal, edit=True)


async def on_reset(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.update_data(query="", page=0)
    await callback.answer()
    await _show_picker(callback.message, state, session, principal, edit=True)


async def orgs_query_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.update_data(query=" ".join(message.text.split())[:100], page=0)
    await _show_picker(message, state, session, principal, edit=False)


async def on_orgs_done(
    callback: CallbackQuery,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    if not chosen_of(await state.get_data()):
        await callback.answer(texts.CHOOSE_AT_LEAST_ONE, show_alert=True)
        return
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    await after_audience(callback.message, state, session, principal, bot)
