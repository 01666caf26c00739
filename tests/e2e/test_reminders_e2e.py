"""Reminders from the running app over HTTP: a 429 is waited out, a 403 deactivates the user."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain.enums import OutboxStatus, RoleKind
from bot.domain.messages import Channel
from bot.services.access import resolve_account
from storage.models import OutboxMessage, Role, User
from storage.repo import orgs as org_repo
from tests.support.factories import add_school, add_task, add_telegram_user

ANNA, BORIS = 7001, 7002


async def test_reminder_survives_429_and_403_stops_retries(running):
    fake, app = running.fake, running.app
    async with app.session_factory() as session:
        [root] = await org_repo.list_roots(session)
        school = await add_school(session, root, "МБОУ «Лицей № 7»", "Asia/Irkutsk")
        for tg_id in (ANNA, BORIS):
            # Hour 0 and no quiet hours: today's reminder is due whatever the wall clock says.
            user = await add_telegram_user(
                session, tg_id, str(tg_id), reminder_hour=0, quiet_start=0, quiet_end=0
            )
            session.add(Role(user_id=user.id, role=RoleKind.COORDINATOR, org_id=school.id))
        tomorrow = datetime.now(UTC).astimezone(ZoneInfo("Asia/Irkutsk")).date() + timedelta(1)
        task = await add_task(session, school, tomorrow, title="Приказ о проведении ВПР")
        await session.commit()
    fake.fail_next("sendMessage", status=429, retry_after=1, chat_id=ANNA)
    fake.fail_next("sendMessage", status=403, chat_id=BORIS)

    anna = fake.user(ANNA, "Анна")
    reminder = await anna.wait_message(lambda m: "Приказ о проведении ВПР" in m["text"], 10)
    assert "срок завтра" in reminder["text"]
    refused = [c for c in fake.calls_to("sendMessage") if c.params.get("chat_id") == ANNA]
    assert refused[0].status == 429 and refused[1].status == 200
    assert refused[1].at - refused[0].at >= 1.0

    await fake.wait_for(
        lambda: any(c.status == 403 for c in fake.calls_to("sendMessage")), 5, "the 403"
    )
    async with app.session_factory() as session:
        boris = await session.get(
            User, await resolve_account(session, Channel.TELEGRAM, str(BORIS))
        )
        rows = (
            await session.scalars(select(OutboxMessage).where(OutboxMessage.task_id == task.id))
        ).all()
    assert boris.is_active is False
    assert {r.status for r in rows if r.user_id == boris.id} == {OutboxStatus.FAILED}

    await anna.press_button(reminder, "⏰ Напомнить завтра")
    await fake.wait_for(
        lambda: any(c.method == "answerCallbackQuery" for c in fake.calls), 5, "the answer"
    )
    answer = [c for c in fake.calls if c.method == "answerCallbackQuery"][-1]
    assert answer.params["text"].startswith("Хорошо, напомню")
    # Nothing else went to either person: one reminder, no retries to the blocked user.
    chats = [c.params.get("chat_id") for c in fake.calls_to("sendMessage") if c.status == 200]
    assert chats.count(ANNA) == 1 and chats.count(BORIS) == 0
