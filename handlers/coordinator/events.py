"""Coordinator: the school's assessment dates — list, add, delete, CSV upload."""

from __future__ import annotations

import io
from functools import partial

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.callbacks.plans import EventAction, EventCb
from bot.channels.telegram.keyboards import plans as kb
from bot.config import Settings
from bot.domain.enums import RoleKind
from bot.domain.errors import ValidationError
from bot.services import events
from bot.services.access import Principal
from bot.services.orgs import org_names, org_today
from bot.texts import plans as ptexts
from bot.texts.errors import error_text
from bot.texts.formatting import format_date

MAX_CSV_SIZE = 1024 * 1024


class EventForm(StatesGroup):
    kind = State()
    subject = State()
    grade = State()
    date = State()
    csv = State()


def build_router() -> Router:
    router = Router(name="coordinator.events")
    router.message.register(cmd_events, Command("events"))
    router.message.register(cmd_events, F.text == texts.BTN_EVENTS)
    router.callback_query.register(on_list, EventCb.filter(F.action == EventAction.LIST))
    router.callback_query.register(on_add, EventCb.filter(F.action == EventAction.ADD))
    router.callback_query.register(
        on_kind_chosen, EventForm.kind, EventCb.filter(F.action == EventAction.KIND)
    )
    router.message.register(event_kind_entered, EventForm.kind, F.text)
    router.message.register(event_subject_entered, EventForm.subject, F.text)
    router.message.register(event_grade_entered, EventForm.grade, F.text)
    router.message.register(event_date_entered, EventForm.date, F.text)
    for step in (EventForm.kind, EventForm.subject, EventForm.grade, EventForm.date):
        router.message.register(event_field_invalid, step)
    router.callback_query.register(on_ask_csv, EventCb.filter(F.action == EventAction.CSV))
    router.message.register(events_csv_sent, EventForm.csv, F.document)
    router.message.register(events_csv_invalid, EventForm.csv)
    router.callback_query.register(
        on_ask_delete, EventCb.filter(F.action == EventAction.ASK_DELETE)
    )
    router.callback_query.register(on_delete, EventCb.filter(F.action == EventAction.DELETE))
    return router


def _school(principal: Principal) -> int | None:
    org_ids = principal.org_ids(RoleKind.COORDINATOR)
    return org_ids[0] if org_ids else None


def event_line(event: events.EventView) -> str:
    return ptexts.EVENT_LINE.format(
        date=format_date(event.date, weekday=True),
        kind=texts.q(event.kind),
        subject=f", {texts.q(event.subject)}" if event.subject else "",
        grade=ptexts.EVENT_GRADE.format(grade=event.grade) if event.grade else "",
    )


def _label(event: events.EventView) -> str:
    parts = [
        format_date(event.date),
        event.kind,
        event.subject,
        f"{event.grade} кл." if event.grade else "",
    ]
    return " ".join(p for p in parts if p)


async def render_events(session: AsyncSession, principal: Principal):
    org_id = _school(principal)
    if org_id is None:
        return ptexts.NO_SCHOOL, None
    found = await events.list_events(session, principal, org_id)
    if not found:
        return ptexts.EVENTS_EMPTY, kb.events_menu([])
    names = await org_names(session, [org_id])
    text = ptexts.EVENTS_HEAD.format(
        org=texts.q(names[0] if names else ""), lines="\n".join(event_line(e) for e in found)
    )
    return text, kb.events_menu([(e.id, _label(e)) for e in found[:30]])


async def cmd_events(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.clear()
    text, markup = await render_events(session, principal)
    await message.answer(text, reply_markup=markup)


async def on_list(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.clear()
    text, markup = await render_events(session, principal)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


async def on_add(callback: CallbackQuery, state: FSMContext, principal: Principal) -> None:
    if _school(principal) is None:
        await callback.answer(ptexts.NO_SCHOOL, show_alert=True)
        return
    await state.set_state(EventForm.kind)
    await callback.answer()
    await callback.message.answer(ptexts.ASK_EVENT_KIND, reply_markup=kb.event_kinds())


async def _take(message: Message, parse, value: str):
    """The parsed value, or None after telling the user what is wrong."""
    try:
        return parse(value), True
    except ValidationError as exc:
        await message.answer(error_text(exc))
        return None, False


async def _kind_chosen(message: Message, state: FSMContext, value: str) -> None:
    kind, ok = await _take(message, events.clean_kind, value)
    if not ok:
        return
    await state.update_data(kind=kind)
    await state.set_state(EventForm.subject)
    await message.answer(ptexts.ASK_EVENT_SUBJECT)


async def on_kind_chosen(
    callback: CallbackQuery, callback_data: EventCb, state: FSMContext
) -> None:
    await callback.answer()
    await _kind_chosen(callback.message, state, callback_data.kind)


async def event_kind_entered(message: Message, state: FSMContext) -> None:
    await _kind_chosen(message, state, message.text)


async def event_subject_entered(message: Message, state: FSMContext) -> None:
    subject, ok = await _take(message, events.clean_subject, message.text)
    if ok:
        await state.update_data(subject=subject)
        await state.set_state(EventForm.grade)
        await message.answer(ptexts.ASK_EVENT_GRADE)


async def event_grade_entered(message: Message, state: FSMContext) -> None:
    grade, ok = await _take(message, events.parse_grade, message.text)
    if ok:
        await state.update_data(grade=grade)
        await state.set_state(EventForm.date)
        await message.answer(ptexts.ASK_EVENT_DATE)


async def event_date_entered(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    today = await org_today(session, _school(principal), settings.default_timezone)
    day, ok = await _take(message, partial(events.parse_event_date, today=today), message.text)
    if not ok:
        return
    data = await state.get_data()
    saved = await events.upsert_event(
        session, principal, _school(principal), data["kind"], data["subject"], data["grade"], day
    )
    await state.clear()
    await message.answer(ptexts.EVENT_SAVED.format(line=event_line(saved).lstrip("• ")))
    text, markup = await render_events(session, principal)
    await message.answer(text, reply_markup=markup)


async def event_field_invalid(message: Message) -> None:
    await message.answer(texts.UNEXPECTED_IN_FORM)


async def on_ask_csv(callback: CallbackQuery, state: FSMContext, principal: Principal) -> None:
    if _school(principal) is None:
        await callback.answer(ptexts.NO_SCHOOL, show_alert=True)
        return
    await state.set_state(EventForm.csv)
    await callback.answer()
    await callback.message.answer(ptexts.ASK_EVENTS_CSV)


async def events_csv_sent(
    message: Message,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    if (message.document.file_size or 0) > MAX_CSV_SIZE:
        await message.answer(ptexts.EVENTS_CSV_TOO_BIG)
        return
    buffer = await bot.download(message.document, destination=io.BytesIO())
    try:
        added, updated = await events.import_events_csv(
            session,
            principal,
            _school(principal),
            buffer.getvalue(),
            default_tz=settings.default_timezone,
        )
    except ValidationError as exc:
        await message.answer(error_text(exc))
        return
    await state.clear()
    await message.answer(ptexts.EVENTS_IMPORTED.format(added=added, updated=updated))
    text, markup = await render_events(session, principal)
    await message.answer(text, reply_markup=markup)


async def events_csv_invalid(message: Message) -> None:
    await message.answer(ptexts.ASK_EVENTS_CSV)


async def on_ask_delete(
    callback: CallbackQuery, callback_data: EventCb, session: AsyncSession, principal: Principal
) -> None:
    event = await events.get_event(session, principal, callback_data.event_id)
    await callback.answer()
    await callback.message.edit_text(
        ptexts.CONFIRM_EVENT_DELETE.format(line=event_line(event).lstrip("• ")),
        reply_markup=kb.confirm_event_delete(event.id),
    )


async def on_delete(
    callback: CallbackQuery, callback_data: EventCb, session: AsyncSession, principal: Principal
) -> None:
    await events.delete_event(session, principal, callback_data.event_id)
    await callback.answer(ptexts.EVENT_DELETED)
    text, markup = await render_events(session, principal)
    await callback.message.edit_text(f"{ptexts.EVENT_DELETED}\n\n{text}", reply_markup=markup)
