"""The bot's HTTP session with the Bot API."""

from __future__ import annotations

from aiogram.client.session.aiohttp import AiohttpSession


class BotApiSession(AiohttpSession):
    """aiogram's aiohttp session. On close aiogram waits a quarter of a second for TLS
    connections to shut down; a Bot API server on plain HTTP (a local telegram-bot-api on
    the same host) leaves none to wait for, so the bot stops without that pause."""

    async def close(self) -> None:
        if not self.api.base.startswith("http://"):
            await super().close()
            return
        if self._session is not None and not self._session.closed:
            await self._session.close()
