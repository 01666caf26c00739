"""The bot's Bot API session closes its connections, without the TLS pause on plain HTTP."""

from __future__ import annotations

import time

from aiogram.client.telegram import TelegramAPIServer

from bot.channels.telegram.session import BotApiSession


async def test_a_plain_http_session_closes_its_connections_at_once():
    session = BotApiSession(api=TelegramAPIServer.from_base("http://127.0.0.1:8081"))
    client = await session.create_session()
    started = time.monotonic()
    await session.close()
    assert client.closed
    assert time.monotonic() - started < 0.2


async def test_a_tls_session_still_waits_for_its_connections_to_shut_down():
    session = BotApiSession()
    client = await session.create_session()
    started = time.monotonic()
    await session.close()
    assert client.closed
    assert time.monotonic() - started >= 0.25
