"""Starting while Telegram is unreachable or failing: the bot waits and retries, never dies."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket

import pytest

from bot import texts
from bot.channels.telegram.commands import BY_ROLE, DEFAULT, GROUPS
from bot.domain.enums import RoleKind
from bot.main import app as app_module
from bot.main.app import App
from bot.main.cli import main
from tests.fakeapi.errors import FailureRule
from tests.support.e2e import ADMIN_ID, running_app
from tests.support.settings import TEST_TOKEN

CHAT_NOT_FOUND = "Bad Request: chat not found"


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(app_module, "RETRY_FIRST_DELAY", 0.05)
    monkeypatch.setattr(app_module, "RETRY_LONGEST_DELAY", 0.2)


def _commands(items) -> list[str]:
    return [c["command"] if isinstance(c, dict) else c.command for c in items or []]


async def test_server_errors_at_startup_are_retried(fake, e2e_settings, caplog):
    fake.fail_next("getMe", status=502, times=2)
    fake.fail_next("setMyCommands", status=500, times=3)
    with caplog.at_level(logging.ERROR, logger="bot.main.app"):
        async with running_app(fake, e2e_settings):
            parent = fake.user(700, "Ольга")
            await parent.send("/start")
            assert (await parent.wait_message())["text"] == texts.GREETING
            await fake.wait_for(
                lambda: fake.commands(ADMIN_ID) is not None, 5, "the admin's commands"
            )
    assert _commands(fake.commands()) == _commands(DEFAULT)
    assert _commands(fake.commands(ADMIN_ID)) == _commands(BY_ROLE[RoleKind.OFFICER])
    # Group chats are offered the forum's commands only.
    assert _commands(fake.commands({"type": "all_group_chats"})) == _commands(GROUPS)
    failures = [r.getMessage() for r in caplog.records if r.name == "bot.main.app"]
    assert sum("getMe" in m for m in failures) == 2
    assert sum("setMyCommands" in m for m in failures) == 3


class ChatScopeFailure(FailureRule):
    """A failure of setMyCommands for one private chat's scope only."""

    def matches(self, method: str, params: dict) -> bool:
        scope = params.get("scope") or {}
        scope = json.loads(scope) if isinstance(scope, str) else scope
        return (
            self.times > 0
            and method.lower() == self.method.lower()
            and str(scope.get("chat_id")) == str(self.chat_id)
        )


async def test_an_admin_who_never_started_the_bot_does_not_stop_it(fake, e2e_settings):
    fake._failures.append(
        ChatScopeFailure("setMyCommands", 400, 1, chat_id=ADMIN_ID, description=CHAT_NOT_FOUND)
    )
    e2e_settings.admin_ids = [ADMIN_ID, ADMIN_ID + 1]
    async with running_app(fake, e2e_settings):
        await fake.wait_for(
            lambda: fake.commands(ADMIN_ID + 1) is not None, 5, "the second admin's commands"
        )
        parent = fake.user(700, "Ольга")
        await parent.send("/start")
        assert (await parent.wait_message())["text"] == texts.GREETING
    assert fake.commands(ADMIN_ID) is None


def _logged(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.main.app"]


async def test_unreachable_bot_api_is_logged_and_waited_for(e2e_settings, caplog):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on the port any more: every request is refused.
    settings = e2e_settings.model_copy(update={"telegram_api_url": f"http://127.0.0.1:{port}"})
    app = await App.create(settings)
    task = asyncio.create_task(app.run_polling(handle_signals=False))
    try:
        with caplog.at_level(logging.ERROR, logger="bot.main.app"):
            # Three refused attempts in a row, the pauses between them growing.
            for _ in range(500):
                if len(_logged(caplog)) >= 3 or task.done():
                    break
                await asyncio.sleep(0.02)
        assert not task.done(), task.exception()
        messages = _logged(caplog)
        assert len(messages) >= 3 and all("did not answer getMe" in m for m in messages)
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await app.close()


async def test_a_token_telegram_rejects_ends_with_code_2(fake, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BOT_TOKEN", TEST_TOKEN)
    monkeypatch.setenv("TELEGRAM_API_URL", fake.url)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}")
    monkeypatch.delenv("ADMIN_IDS", raising=False)
    fake.fail_next("getMe", status=401)

    assert await asyncio.to_thread(main, []) == 2
    assert capsys.readouterr().err.strip() == texts.TOKEN_REJECTED
