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
from storage.models import AssessmentEvent

# 23:30 UTC on the 10th is 11:30 on the 11th on Kamchatka.
LATE_EVENING_UTC = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)


@pytest.fixture
async def kamchatka(session, tree):
    tree.school.timezone = "Asia/Kamchatka"
    await session.commit()
    return tree


async def test_a_kamchatka_coordinator_types_today(chat, kamchatka, session):
    user = kamchatka.tg.coordinator
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        await chat.press(user, EventCb(action=EventAction.ADD))
        await chat.press(user, EventCb(action=EventAction.KIND, kind="ВПР"))
        await chat.say(user, "математика")
        await chat.say(user, "5")
        recording = await chat.say(user, "сегодня")
    assert recording.sent_texts()[-2].startswith("Сохранено: 11.03.2024 (пн) — ВПР")
    saved = (await session.scalars(select(AssessmentEvent.event_date))).all()
    assert saved == [date(2024, 3, 11)]


async def test_an_invitation_for_a_kamchatka_school_expires_on_its_date(chat, kamchatka, settings):
    officer = kamchatka.tg.muni_officer
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        press = OrgCb(action=OrgAction.INVITE_COORDINATOR, org_id=kamchatka.school.id)
        recording = await chat.press(officer, press)
        created = recording.last(SendMessage).text
        listing = (await chat.say(officer, texts.BTN_INVITES)).last(SendMessage).text
    local_expiry = date(2024, 3, 11) + timedelta(days=settings.invite_ttl_days)
    expires = f"до {local_expiry:%d.%m.%Y}"
    assert f"Действует {expires}" in created
    assert expires in listing
