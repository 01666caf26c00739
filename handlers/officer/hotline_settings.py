"""Officer: the hotline settings card of their organisation — schedule, deadlines, link, opt-out."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts as common
from bot.channels.telegram import keyboards
from bot.channels.telegram.callbacks.hotline_settings import (
    FORM_ACTIONS,
    HotlineSettingsAction,
    HotlineSettingsCb,
    mask_days,
)
from bot.channels.telegram.keyboards import hotline_settings as kb
from bot.config import Settings
from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, ValidationError
from bot.services import orgs
from bot.services.access import Principal
from bot.services.hotline import operators
from bot.services.hotline import settings as hotline
from bot.services.hotline.views import HotlineSettingsView
from bot.texts import hotline_settings as texts
from bot.texts.errors import error_text

A = HotlineSettingsAction


class HotlineSettingsForm(StatesGroup):
    work_hours = State()
    periods = State()
    answer_hours = State()
    escalate_days = State()
    appeal_url = State()


FORMS = {
    A.HOURS: HotlineSettingsForm.work_hours,
    A.PERIODS: HotlineSettingsForm.periods,
    A.ANSWER: HotlineSettingsForm.answer_hours,
    A.ESCALATE: HotlineSettingsForm.escalate_days,
    A.APPEAL: HotlineSettingsForm.appeal_url,
}


def _field(state: str | None) -> str:
    """The ``update_hotline_settings`` keyword a form state asks for: its own name."""
    return (state or "").rpartition(":")[2]


def build_router() -> Router:
    router = Router(name="officer.hotline_settings")
    router.message.register(cmd_hotline_settings, Command("hotline_settings"))
    router.message.register(cmd_hotline_settings, F.text == texts.BTN_HOTLINE_SETTINGS)
    cb = HotlineSettingsCb.filter
    router.callback_query.register(on_orgs, cb(F.action == A.ORGS))
    router.callback_query.register(on_open, cb(F.action == A.OPEN))
    router.callback_query.register(on_enable, cb(F.action == A.ENABLE))
    router.callback_query.register(on_form, cb(F.action.in_(FORM_ACTIONS)))
    router.callback_query.register(on_days, cb(F.action.in_({A.DAYS, A.DAY})))
    router.callback_query.register(on_days_done, cb(F.action == A.DAYS_DONE))
    router.callback_query.register(on_opt_out, cb(F.action == A.OPT_OUT))
    router.callback_query.register(on_ask_reset, cb(F.action == A.ASK_RESET))
    router.callback_query.register(on_reset, cb(F.action == A.RESET))
    router.message.register(form_value_entered, StateFilter(HotlineSettingsForm), F.text)
    router.message.register(form_value_invalid, StateFilter(HotlineSettingsForm))
    return router


def build_cancel_router() -> Router:
    """/cancel in these forms goes back to the card, so it is seen before the common one."""
    router = Router(name="officer.hotline_settings.cancel")
    router.message.register(form_cancelled, StateFilter(HotlineSettingsForm), Command("cancel"))
    router.message.register(
        form_cancelled, StateFilter(HotlineSettingsForm), F.text == common.BTN_CANCEL
    )
    return router


def _markup(view: HotlineSettingsView, principal: Principal) -> InlineKeyboardMarkup:
    return kb.card(view, to_orgs=len(principal.org_ids(RoleKind.OFFICER)) > 1)


async def _card(
    session: AsyncSession, principal: Principal, org_id: int, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    view = await hotline.hotline_settings_view(
        session, principal, org_id, default_tz=settings.default_timezone
    )
    return texts.card(view), _markup(view, principal)


async def _show(callback: CallbackQuery, view: HotlineSettingsView, principal: Principal) -> None:
    await callback.message.edit_text(texts.card(view), reply_markup=_markup(view, principal))


async def _start(
    session: AsyncSession, principal: Principal, page: int, settings: Settings
) -> tuple[str, InlineKeyboardMarkup]:
    """The organisations to choose from, or the card of the only one."""
    roots = await orgs.officer_roots(session, principal, settings.default_timezone)
    if not roots:
        raise AccessDenied()
    if len(roots) == 1:
        return await _card(session, principal, roots[0].id, settings)
    items, page, pages = keyboards.page_of([(o.id, o.name) for o in roots], page)
    return texts.CHOOSE_ORG, kb.orgs(items, page, pages)


async def cmd_hotline_settings(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await state.clear()
    text, markup = await _start(session, principal, 0, settings)
    await message.answer(text, reply_markup=markup)


async def on_orgs(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await state.clear()
    text, markup = await _start(session, principal, callback_data.value, settings)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_open(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    await state.clear()
    text, markup = await _card(session, principal, callback_data.org_id, settings)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_enable(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    enabled = bool(callback_data.value)
    view = await hotline.update_hotline_settings(
        session,
        principal,
        callback_data.org_id,
        default_tz=settings.default_timezone,
        enabled=enabled,
    )
    await callback.answer(texts.TURNED_ON if enabled else texts.TURNED_OFF)
    await _show(callback, view, principal)


async def on_form(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    # The right to change is checked now, not after the officer typed the value.
    view = await hotline.hotline_settings_view(
        session, principal, callback_data.org_id, default_tz=settings.default_timezone
    )
    form = FORMS[callback_data.action]
    await state.set_state(form)
    await state.set_data({"org_id": view.org_id})
    await callback.answer()
    await callback.message.answer(
        texts.ask(_field(form.state), view.settings), reply_markup=kb.back_to_card(view.org_id)
    )


async def on_days(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await hotline.hotline_settings_view(
        session, principal, callback_data.org_id, default_tz=settings.default_timezone
    )
    chosen = (
        view.settings.work_days
        if callback_data.action == A.DAYS
        else mask_days(callback_data.value)
    )
    await callback.answer()
    await callback.message.edit_text(
        texts.ASK_DAYS.format(org=common.q(view.org_name)),
        reply_markup=kb.days(view.org_id, chosen),
    )


async def on_days_done(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await hotline.update_hotline_settings(
        session,
        principal,
        callback_data.org_id,
        default_tz=settings.default_timezone,
        work_days=mask_days(callback_data.value),
    )
    await callback.answer(texts.SAVED)
    await _show(callback, view, principal)


async def on_opt_out(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    opted_out = bool(callback_data.value)
    await operators.set_opt_out(session, principal, callback_data.org_id, opted_out)
    text, markup = await _card(session, principal, callback_data.org_id, settings)
    await callback.answer(texts.OPTED_OUT if opted_out else texts.OPTED_IN)
    await callback.message.edit_text(text, reply_markup=markup)


async def on_ask_reset(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await hotline.hotline_settings_view(
        session, principal, callback_data.org_id, default_tz=settings.default_timezone
    )
    await callback.answer()
    await callback.message.edit_text(
        texts.confirm_reset(view), reply_markup=kb.confirm_reset(view.org_id)
    )


async def on_reset(
    callback: CallbackQuery,
    callback_data: HotlineSettingsCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    view = await hotline.reset_hotline_settings(
        session, principal, callback_data.org_id, default_tz=settings.default_timezone
    )
    await callback.answer(texts.RESET_DONE)
    await _show(callback, view, principal)


async def form_value_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    field = _field(await state.get_state())
    data = await state.get_data()
    try:
        view = await hotline.update_hotline_settings(
            session,
            principal,
            data["org_id"],
            default_tz=settings.default_timezone,
            **{field: message.text},
        )
    except ValidationError as exc:
        await message.answer(texts.RE_ASK.format(error=error_text(exc)))
        return
    await state.clear()
    await message.answer(
        f"{texts.SAVED}\n\n{texts.card(view)}", reply_markup=_markup(view, principal)
    )


async def form_value_invalid(message: Message) -> None:
    await message.answer(texts.TEXT_EXPECTED)


async def form_cancelled(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    data = await state.get_data()
    await state.clear()
    text, markup = await _card(session, principal, data["org_id"], settings)
    await message.answer(f"{common.CANCELLED}\n\n{text}", reply_markup=markup)
