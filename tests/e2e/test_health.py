"""The web app: /health over HTTP in polling mode, and beside the webhook on one port."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import time
from datetime import UTC, datetime

import aiohttp
from sqlalchemy import select

from bot import texts
from bot.domain.messages import OutgoingMessage
from bot.main import app as app_module
from bot.main.app import App
from bot.services.notify import queue_notice
from bot.web.health import SESSION_FACTORY, TICKS
from storage.models import User
from tests.support.e2e import running_app


def _url(app: App, path: str) -> str:
    host, port, *_ = app.web_runner.addresses[0]
    return f"http://{host}:{port}{path}"


async def _health_until(app: App, check, within: float = 5.0) -> dict:
    """GET /health until its answer satisfies ``check``; returns that answer."""
    async with aiohttp.ClientSession() as http, asyncio.timeout(within):
        while True:
            response = await http.get(_url(app, "/health"))
            assert response.status == 200
            body = await response.json()
            if check(body):
                return body
            await asyncio.sleep(0.05)


async def test_health_in_polling_mode_tells_the_outbox_depth_and_the_last_tick(running):
    app, fake = running.app, running.fake
    # Telegram refuses the notice, so it waits in the outbox for its retry.
    fake.fail_next("sendMessage", status=500, times=5)
    async with app.session_factory() as session:
        admin = (await session.scalars(select(User))).one()
        await queue_notice(session, [admin.id], OutgoingMessage("Проверка"), key="health")
        await session.commit()
    app.scheduler.wake()
    await fake.wait_for(lambda: bool(fake.calls_to("sendMessage")), 5, "the notice to be tried")
    refused_at = datetime.now(UTC)

    body = await _health_until(
        app,
        # The tick that tried the notice may still hold it while /health is first asked.
        lambda body: (
            body["scheduler"]["last_tick_at"] is not None
            and datetime.fromisoformat(body["scheduler"]["last_tick_at"]) > refused_at
            and body["outbox"]["pending"] == 1
        ),
    )
    assert body["status"] == "ok"
    assert body["outbox"] == {"pending": 1, "due": 0, "sending": 0}
    assert body["scheduler"]["running"] is True
    last_tick = datetime.fromisoformat(body["scheduler"]["last_tick_at"])
    assert last_tick.utcoffset().total_seconds() == 0
    assert last_tick <= datetime.now(UTC)


async def test_health_counts_a_message_in_flight_apart_from_the_waiting_ones(running):
    app, fake = running.app, running.fake
    # Telegram takes its time to accept the notice, so a sender holds the row meanwhile.
    fake.set_latency("sendMessage", 3.0)
    async with app.session_factory() as session:
        admin = (await session.scalars(select(User))).one()
        await queue_notice(session, [admin.id], OutgoingMessage("В пути"), key="in-flight")
        await session.commit()
    app.scheduler.wake()

    body = await _health_until(app, lambda body: body["outbox"]["sending"] == 1)
    assert body["outbox"] == {"pending": 0, "due": 0, "sending": 1}
    fake.set_latency("sendMessage", 0.0)
    body = await _health_until(app, lambda body: body["outbox"]["sending"] == 0)
    assert body["outbox"] == {"pending": 0, "due": 0, "sending": 0}


async def test_polling_goes_on_when_the_web_port_is_taken(fake, e2e_settings, caplog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = e2e_settings.model_copy(update={"webhook_port": port})
        with caplog.at_level(logging.ERROR, logger="bot.main.app"):
            async with running_app(fake, settings) as run:
                assert run.app.web_runner is None
                parent = fake.user(700, "Ольга")
                await parent.send("/start")
                assert (await parent.wait_message())["text"] == texts.GREETING
    assert any("not served" in r.getMessage() for r in caplog.records)


async def test_webhook_and_health_share_one_port(fake, e2e_settings):
    settings = e2e_settings.model_copy(update={"webhook_url": "https://bot.example.test"})
    app = await App.create(settings)
    stop = asyncio.Event()
    serving = asyncio.create_task(app.run_webhook(stop))
    try:
        await fake.wait_for(lambda: bool(fake.calls_to("setWebhook")), 10, "setWebhook")
        body = await _health_until(app, lambda body: body["scheduler"]["running"])
        assert body["outbox"] == {"pending": 0, "due": 0, "sending": 0}

        user = fake.user(7777, "Вера")
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": user.chat,
                "from": user.as_user,
                "text": "/start",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with aiohttp.ClientSession() as http:
            answer = await http.post(
                _url(app, "/telegram/webhook"),
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": settings.webhook_secret_value},
            )
            assert answer.status == 200
        assert (await user.wait_message())["text"] == texts.GREETING
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(serving, 10)
        await app.close()


async def test_each_shared_object_is_built_once(e2e_settings, monkeypatch):
    built: dict[str, int] = {}

    def counted(name: str):
        original = getattr(app_module, name)

        def build(*args, **kwargs):
            built[name] = built.get(name, 0) + 1
            return original(*args, **kwargs)

        monkeypatch.setattr(app_module, name, build)

    names = (
        "create_engine",
        "create_session_factory",
        "build_fsm_storage",
        "build_bot",
        "build_dispatcher",
        "build_limiter",
        "build_scheduler",
        "build_web_app",
    )
    for name in names:
        counted(name)
    app = await App.create(e2e_settings)
    try:
        assert built == dict.fromkeys(names, 1)
        assert app.dp["wake_outbox"] == app.scheduler.wake
        assert app.dp["session_factory"] is app.session_factory
        assert app.web_app[SESSION_FACTORY] is app.session_factory
        assert app.web_app[TICKS] is app.scheduler
    finally:
        await app.close()
