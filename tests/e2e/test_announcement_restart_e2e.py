"""An announcement survives `kill -9` in the middle of its delivery: the restarted bot sends
the rest at once, nobody is skipped, and nobody gets it twice beyond those in flight."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter

from sqlalchemy import select

from bot.domain.enums import AudienceKind, OutboxStatus, RoleKind
from bot.domain.messages import Channel
from bot.main.app import App
from bot.services.access import load_principal, resolve_account
from bot.services.announcements import sending
from bot.services.announcements.views import Audience, Draft
from scheduler.outbox import IN_FLIGHT
from storage.models import Organization, OutboxMessage
from tests.support.e2e import ADMIN_ID
from tests.support.factories import add_person, add_school

RECIPIENTS = 40


def _env(settings, fake) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": settings.bot_token.get_secret_value(),
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": settings.database_url,
        "ADMIN_IDS": str(ADMIN_ID),
        "POLLING_TIMEOUT": "1",
        "TICK_SECONDS": "0.2",
        # No quiet hours: the test may run at any time of day.
        "QUIET_START": "0",
        "QUIET_END": "0",
    }


async def _queue_announcement(settings) -> tuple[int, list[int]]:
    """The admin's announcement to the coordinators of a new school, queued, not sent."""
    app = await App.create(settings)
    try:
        async with app.session_factory() as session:
            root = (await session.scalars(select(Organization))).first()
            school = await add_school(session, root, "МБОУ «СШ № 9»")
            people = [
                await add_person(session, school, RoleKind.COORDINATOR, name=f"Координатор {n}")
                for n in range(RECIPIENTS)
            ]
            await session.commit()
            admin_id = await resolve_account(session, Channel.TELEGRAM, str(ADMIN_ID))
            admin = await load_principal(session, admin_id)
            assert admin is not None and admin.is_officer
            preview = await sending.create_draft(
                session,
                admin,
                Draft(root.id, "Совещание в пятницу", Audience(AudienceKind.COORDINATORS)),
            )
            await sending.send(
                session, admin, preview.announcement_id, default_tz=settings.default_timezone
            )
        async with app.session_factory() as session:
            rows = (await session.scalars(select(OutboxMessage))).all()
            chats = [int(row.chat_id) for row in rows]
        assert len(chats) == len(people) == RECIPIENTS
        return preview.announcement_id, chats
    finally:
        await app.close()


async def _start(settings, fake, cwd):
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=_env(settings, fake),
        cwd=cwd,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )


def _received(fake, chats: list[int]) -> Counter[int]:
    wanted = set(chats)
    return Counter(
        call.params["chat_id"]
        for call in fake.calls_to("sendMessage")
        if call.result is not None and int(call.params["chat_id"]) in wanted
    )


async def test_a_killed_bot_delivers_the_rest_of_an_announcement_once(
    fake, e2e_settings, tmp_path
):
    announcement_id, chats = await _queue_announcement(e2e_settings)
    for chat in chats:
        fake.user(chat, "Координатор")
    fake.latency = 0.1  # slow enough to kill the bot in the middle
    first = await _start(e2e_settings, fake, tmp_path)
    await fake.wait_for(lambda: sum(_received(fake, chats).values()) >= 10, 60, "ten sent")
    first.kill()
    await first.wait()
    before = sum(_received(fake, chats).values())
    assert before < RECIPIENTS

    fake.latency = 0.0
    second = await _start(e2e_settings, fake, tmp_path)
    try:
        await fake.wait_for(
            lambda: set(_received(fake, chats)) == set(chats), 60, "everyone to get it"
        )
    finally:
        second.terminate()
        await second.wait()
    received = _received(fake, chats)
    assert set(received) == set(chats)
    # Only the messages in flight at the kill (one per chat being sent to) may arrive twice.
    assert sum(n - 1 for n in received.values()) <= IN_FLIGHT
    app = await App.create(e2e_settings)
    try:
        async with app.session_factory() as session:
            rows = (await session.scalars(select(OutboxMessage).where(
                OutboxMessage.ref_id == announcement_id
            ))).all()  # fmt: skip
        assert {row.status for row in rows} == {OutboxStatus.SENT}
    finally:
        await app.close()
