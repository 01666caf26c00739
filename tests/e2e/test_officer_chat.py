"""Officer screens over HTTP: adding a school, mass invitations, removing a coordinator."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import sys

from openpyxl import load_workbook

from bot import texts
from bot.channels.telegram.identity import telegram_identity
from bot.domain.enums import RoleKind
from bot.services import invites, orgs
from bot.services.access import SYSTEM
from bot.services.orgs import RegistryRow
from bot.texts.errors import error_text
from storage.repo import orgs as org_repo
from tests.support.e2e import ADMIN_ID, running_app
from tests.support.factories import telegram_principal

ROOT = "Орган управления образованием"


async def _setup(app) -> int:
    async with app.session_factory() as session:
        await orgs.import_registry(
            session,
            SYSTEM,
            [
                RegistryRow("Касимов", ROOT, None, False),
                RegistryRow("СШ № 1", "Касимов", None, False),
                RegistryRow("СШ № 2", "Касимов", None, True),
            ],
        )
        return (await org_repo.get_org_by_name(session, "Касимов", any_parent=True)).id


async def _open_municipality(officer, muni_id: int) -> dict:
    await officer.send("/orgs")
    card = await officer.wait_message()
    await officer.press(card, f"org:open:{muni_id}:0")
    return await officer.wait_edit(lambda m: "Касимов" in m["text"])


async def test_officer_adds_school_and_exports_links_for_all_schools(running):
    muni_id = await _setup(running.app)
    officer = running.fake.user(ADMIN_ID, "Татьяна")
    card = await _open_municipality(officer, muni_id)
    await officer.press_button(card, "➕ Добавить школу")
    ask = await officer.wait_message()
    assert "Касимов" in ask["text"]
    await officer.send("x")
    assert (await officer.wait_message())["text"] == error_text("bad_org_name")
    await officer.send("Лицей № 7")
    assert "Лицей № 7" in (await officer.wait_message())["text"]
    new_card = await officer.wait_message()
    assert "Школа" in new_card["text"]

    await officer.press_button(card, texts.BTN_EXPORT_XLSX)
    document = await officer.wait_message(lambda m: "document" in m)
    assert "3 школ" in document["caption"]
    name, content = running.fake.sent_documents(ADMIN_ID)[-1]
    assert name == "invites.xlsx"
    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == ["Лицей № 7", "СШ № 1", "СШ № 2"]
    assert all(r[1].startswith("https://t.me/roadmap_test_bot?start=") for r in rows[1:])


async def test_officer_removes_coordinator_after_confirmation(running):
    muni_id = await _setup(running.app)
    async with running.app.session_factory() as session:
        school = await org_repo.get_org_by_name(session, "СШ № 1", any_parent=True)
        invite = await invites.create_invite(
            session, SYSTEM, school.id, RoleKind.COORDINATOR, ttl_days=3
        )
        await invites.redeem_invite(
            session, invite.token, telegram_identity(4242), "Смирнова Е.А."
        )

    officer = running.fake.user(ADMIN_ID, "Татьяна")
    card = await _open_municipality(officer, muni_id)
    await officer.press_button(card, texts.BTN_ORG_PEOPLE)
    people = await officer.wait_edit(lambda m: "Смирнова" in m["text"])
    assert "школьный координатор, СШ № 1" in people["text"]
    await officer.press_button(people, "Удалить: Смирнова Е.А.")
    confirm = await officer.wait_edit(lambda m: m["text"].startswith("Удалить координатора"))
    async with running.app.session_factory() as session:
        assert (await telegram_principal(session, 4242)).is_coordinator  # nothing happened yet
    await officer.press_button(confirm, texts.BTN_YES_REMOVE)
    await officer.wait_edit(lambda m: "удалён" in m["text"])
    async with running.app.session_factory() as session:
        assert not (await telegram_principal(session, 4242)).is_coordinator


async def test_blocking_the_bot_marks_the_user_inactive(running):
    user = running.fake.user(3100, "Пётр")
    await user.send("/start")
    await user.wait_message()
    await user.block_bot()
    await running.fake.wait_delivered()

    async def active() -> bool:
        async with running.app.session_factory() as session:
            return (await telegram_principal(session, 3100)).is_active

    for _ in range(50):
        if not await active():
            break
        await asyncio.sleep(0.05)
    assert not await active()
    await user.unblock_bot()
    await running.fake.wait_delivered()
    for _ in range(50):
        if await active():
            break
        await asyncio.sleep(0.05)
    assert await active()


async def test_half_filled_form_survives_a_restart(fake, e2e_settings):
    async with running_app(fake, e2e_settings) as run:
        muni_id = await _setup(run.app)
        officer = fake.user(ADMIN_ID, "Татьяна")
        card = await _open_municipality(officer, muni_id)
        await officer.press_button(card, "➕ Добавить школу")
        await officer.wait_message()
    async with running_app(fake, e2e_settings):
        await officer.send("Гимназия № 2")
        assert "Гимназия № 2" in (await officer.wait_message())["text"]
        await officer.wait_message()
        await officer.send("/cancel")
        assert (await officer.wait_message())["text"] == texts.NOTHING_TO_CANCEL


async def test_cancel_and_menu_work_inside_a_form(running):
    muni_id = await _setup(running.app)
    officer = running.fake.user(ADMIN_ID, "Татьяна")
    card = await _open_municipality(officer, muni_id)
    await officer.press_button(card, "➕ Добавить школу")
    await officer.wait_message()
    await officer.send("/menu")
    assert (await officer.wait_message())["text"].startswith("Главное меню")
    await officer.send("Школа, которой не будет")
    assert (await officer.wait_message())["text"] == texts.UNKNOWN_COMMAND
    async with running.app.session_factory() as session:
        assert (
            await org_repo.get_org_by_name(session, "Школа, которой не будет", any_parent=True)
            is None
        )


async def test_flood_is_throttled_with_one_warning(fake, e2e_settings):
    # A wide window, so a slow machine cannot spread the burst over two windows.
    settings = e2e_settings.model_copy(update={"flood_limit": 5, "flood_window": 60.0})
    async with running_app(fake, settings):
        user = fake.user(3200, "Флудер")
        for _ in range(20):
            await user.send("привет")
        await fake.wait_delivered()
        for _ in range(6):
            await user.wait_message()
        await asyncio.sleep(0.5)
    replies = [m["text"] for m in user.messages]
    assert replies.count(texts.TOO_FAST) == 1
    assert len(replies) == 6  # five answers and one warning


async def test_sigterm_stops_the_bot_process_cleanly(fake, e2e_settings, tmp_path):
    env = {
        **os.environ,
        "BOT_TOKEN": e2e_settings.bot_token.get_secret_value(),
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": e2e_settings.database_url,
        "POLLING_TIMEOUT": "1",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    await fake.wait_for(lambda: bool(fake.calls_to("getUpdates")), 30, "the bot to poll")
    assert fake.commands() is not None  # default commands were published on start
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()
    assert b"Traceback" not in stderr
