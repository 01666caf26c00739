"""In chat, a school's «сегодня» and an invitation's expiry are the school's local dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot import texts
from bot.channels.telegram.callbacks import OrgAction, OrgCb
from bot.channels.telegram.callbacks.plans import EventAction, EventCb
from bot.channels.telegram.fsm import SqlStorage
from bot.main.app import build_dispatcher
from storage.models import AssessmentEvent
from tests.recording import RecordingSession, callback_update, make_bot, message_update

# 23:30 UTC on the 10th is 11:30 on the 11th on Kamchatka.
LATE_EVENING_UTC = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)


@pytest.fixture
def feed(settings, session_factory):
    recording = RecordingSession()
    bot = make_bot(recording)
    dp = build_dispatcher(settings, session_factory, SqlStorage(session_factory))

    async def send(update) -> RecordingSession:
        await dp.feed_update(bot, update)
        return recording

    return send


@pytest.fixture
async def kamchatka(session, tree):
    tree.school.timezone = "Asia/Kamchatka"
    await session.commit()
    return tree


async def test_a_kamchatka_coordinator_types_today(feed, kamchatka, session):
    user = kamchatka.tg.coordinator
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        await feed(callback_update(user, EventCb(action=EventAction.ADD).pack()))
        await feed(callback_update(user, EventCb(action=EventAction.KIND, kind="ВПР").pack()))
        await feed(message_update(user, "математика"))
        await feed(message_update(user, "5"))
        recording = await feed(message_update(user, "сегодня"))
    assert recording.sent_texts()[-2].startswith("Сохранено: 11.03.2024 (пн) — ВПР")
    saved = (await session.scalars(select(AssessmentEvent.event_date))).all()
    assert saved == [date(2024, 3, 11)]


async def test_an_invitation_for_a_kamchatka_school_expires_on_its_date(feed, kamchatka, settings):
    officer = kamchatka.tg.muni_officer
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        press = OrgCb(action=OrgAction.INVITE_COORDINATOR, org_id=kamchatka.school.id)
        recording = await feed(callback_update(officer, press.pack()))
        created = recording.last(SendMessage).text
        listing = (await feed(message_update(officer, texts.BTN_INVITES))).last(SendMessage).text
    local_expiry = date(2024, 3, 11) + timedelta(days=settings.invite_ttl_days)
    expires = f"до {local_expiry:%d.%m.%Y}"
    assert f"Действует {expires}" in created
    assert expires in listing
