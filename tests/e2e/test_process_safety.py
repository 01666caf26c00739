"""One bot process per SQLite file, private database files, and logs that keep secrets."""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

from bot import texts
from bot.domain.enums import RoleKind
from bot.main.app import App
from bot.services import invites, orgs
from bot.services.access import SYSTEM
from bot.services.orgs import RegistryRow
from storage.db import sqlite_path
from tests.support.e2e import running_app
from tests.support.settings import TEST_TOKEN

CHECKOUT = Path(__file__).resolve().parents[2]


def _second_process(settings, fake) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "BOT_TOKEN": TEST_TOKEN,
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": settings.database_url,
        "WEBHOOK_PORT": "0",
    }
    env.pop("ADMIN_IDS", None)
    # Run from the checkout so the child imports this code, not an installed copy.
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_a_second_process_on_the_same_sqlite_file_refuses_to_start(running):
    path = sqlite_path(running.settings.database_url)

    second = await asyncio.to_thread(_second_process, running.settings, running.fake)

    assert second.returncode == 2
    assert texts.DATABASE_IN_USE.format(path=path, pid=os.getpid()) in second.stderr
    # The running bot is untouched and still answers.
    user = running.fake.user(4242, "Вера")
    await user.send("/start")
    assert (await user.wait_message())["text"] == texts.GREETING


async def test_the_lock_goes_with_the_process_that_held_it(fake, e2e_settings):
    first = await App.create(e2e_settings)
    await first.close()
    second = await App.create(e2e_settings)
    await second.close()


async def test_the_database_and_its_folder_are_private(fake, e2e_settings, tmp_path):
    settings = e2e_settings.model_copy(
        update={"database_url": f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.sqlite3'}"}
    )
    app = await App.create(settings)
    await app.close()
    folder = tmp_path / "data"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for name in ("bot.sqlite3", "bot.sqlite3.lock"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name


async def test_a_debug_run_logs_no_token(fake, e2e_settings, caplog):
    # LOG_LEVEL=DEBUG, and SQLAlchemy's statement log (off by default) switched on as well.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    caplog.set_level(logging.DEBUG)  # last: it also sets the capturing handler's level
    async with running_app(fake, e2e_settings) as running:
        await _register_by_invite(running, caplog)


async def _register_by_invite(running, caplog) -> None:
    async with running.app.session_factory() as session:
        await orgs.import_registry(
            session,
            SYSTEM,
            [
                RegistryRow("Касимов", "Орган управления образованием", "Europe/Moscow", False),
                RegistryRow("МБОУ «СШ № 3»", "Касимов", None, False),
            ],
        )
        school = await orgs.find_org(session, "МБОУ «СШ № 3»")
        invite = await invites.create_invite(
            session, SYSTEM, school.id, RoleKind.COORDINATOR, ttl_days=7
        )

    anna = running.fake.user(555, "Анна", "Петрова")
    await anna.send(f"/start {invite.token}")
    ask = await anna.wait_message()
    await anna.press_button(ask, "Использовать «Анна Петрова»")
    await anna.wait_message(lambda m: m["text"].startswith("Готово"))

    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    assert any(r.levelno == logging.DEBUG for r in caplog.records)
    assert "INSERT INTO invites" in logged  # statements are logged, their parameters are not
    assert invite.token not in logged
    assert TEST_TOKEN not in logged
    assert TEST_TOKEN.split(":")[1] not in logged
