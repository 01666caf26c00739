"""The school's volunteers: its assessments that had a call, and for each the people who
offered to observe, confirmed or declined with one press."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.announce_form import VolunteerAction, VolunteerCb
from bot.channels.telegram.keyboards import announcements as kb
from bot.config import Settings
from bot.services.access import Principal
from bot.services.announcements import listing, responses
from bot.services.announcements.views import EventVolunteers
from bot.texts import announce_form as texts
from bot.texts import announcements as atexts


def _screen(found: EventVolunteers) -> str:
    text = atexts.volunteers(found.event_label, found.event_date, found.volunteers)
    return text + texts.VOLUNTEER_HINT if found.volunteers else text


async def cmd_volunteers(message: Message, session: AsyncSession, principal: Principal) -> None:
    items = await listing.volunteer_events(session, principal)
    await message.answer(texts.volunteer_events(items), reply_markup=kb.volunteer_events(items))


async def on_events(callback: CallbackQuery, session: AsyncSession, principal: Principal) -> None:
    items = await listing.volunteer_events(session, principal)
    await callback.answer()
    await callback.message.edit_text(
        texts.volunteer_events(items), reply_markup=kb.volunteer_events(items)
    )


async def on_event(
    callback: CallbackQuery,
    callback_data: VolunteerCb,
    session: AsyncSession,
    principal: Principal,
) -> None:
    found = await responses.event_volunteers(session, principal, callback_data.event_id)
    await callback.answer()
    await callback.message.edit_text(_screen(found), reply_markup=kb.volunteers(found))


async def on_decide(
    callback: CallbackQuery,
    callback_data: VolunteerCb,
    session: AsyncSession,
    principal: Principal,
    settings: Settings,
) -> None:
    found = await responses.decide_volunteer(
        session,
        principal,
        callback_data.response_id,
        callback_data.action == VolunteerAction.CONFIRM,
        default_tz=settings.default_timezone,
    )
    await callback.answer()
    await callback.message.edit_text(_screen(found), reply_markup=kb.volunteers(found))
