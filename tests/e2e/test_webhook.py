"""Webhook mode: Telegram's calls with the shared secret reach the dispatcher, others do not."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time

import aiohttp

from bot import texts
from bot.main.app import App


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_webhook_serves_updates_with_the_secret_only(fake, e2e_settings):
    port = _free_port()
    settings = e2e_settings.model_copy(
        update={"webhook_url": "https://bot.example.test", "webhook_port": port}
    )
    app = await App.create(settings)
    stop = asyncio.Event()
    serving = asyncio.create_task(app.run_webhook(stop))
    try:
        await fake.wait_for(lambda: bool(fake.calls_to("setWebhook")), 10, "setWebhook")
        registered = fake.calls_to("setWebhook")[0].params
        assert registered["url"] == "https://bot.example.test/telegram/webhook"
        assert registered["secret_token"] == settings.webhook_secret_value
        assert not fake.calls_to("getUpdates")  # no polling in webhook mode

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
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        async with aiohttp.ClientSession() as http:
            forged = await http.post(
                url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"}
            )
            assert forged.status == 401
            good = await http.post(
                url,
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": settings.webhook_secret_value},
            )
            assert good.status == 200
        greeting = await user.wait_message()
        assert greeting["text"] == texts.GREETING

        # Bodies that are no update are refused for good (Telegram would retry a 5xx).
        secret = {"X-Telegram-Bot-Api-Secret-Token": settings.webhook_secret_value}
        malformed = [
            b"{not json",
            b"[1, 2, 3]",
            b'"text"',
            b'{"update_id": "one"}',
            b'{"update_id": 2, "message": {"message_id": 5, "text": "no chat"}}',
        ]
        async with aiohttp.ClientSession() as http:
            for body in malformed:
                answer = await http.post(url, data=body, headers=secret)
                assert answer.status == 400, body
            again = await http.post(url, json={**update, "update_id": 3}, headers=secret)
            assert again.status == 200
        assert (await user.wait_message())["text"] == texts.GREETING
    finally:
        stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(serving, 10)
        await app.close()
