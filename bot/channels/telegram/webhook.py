"""Telegram's webhook as a route of the process's web application."""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

logger = logging.getLogger(__name__)


class CheckedRequestHandler(SimpleRequestHandler):
    """Answers 400 to a body that is not an update, instead of failing with 500.

    Telegram retries a webhook call that failed with 5xx, so a malformed body from anyone who
    knows the secret must be refused for good; the update is handled in the background.
    """

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get("X-Telegram-Bot-Api-Secret-Token", ""), bot):
            return web.Response(body="Unauthorized", status=401)
        try:
            data = await request.json(loads=bot.session.json_loads)
            update = Update.model_validate(data, context={"bot": bot})
        except (ValueError, TypeError) as exc:
            # Bad JSON or a pydantic ValidationError, which lists the offending values: only
            # its class is logged.
            logger.warning("webhook: refused a malformed update (%s)", type(exc).__name__)
            return web.Response(body="Bad Request", status=400)
        task = asyncio.create_task(self._feed(bot, update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({}, dumps=bot.session.json_dumps)

    async def _feed(self, bot: Bot, update: Update) -> None:
        result = await self.dispatcher.feed_update(bot, update, **self.data)
        if isinstance(result, TelegramMethod):
            await self.dispatcher.silent_call_request(bot=bot, result=result)


def mount_webhook(
    app: web.Application, dp: Dispatcher, bot: Bot, *, path: str, secret: str
) -> None:
    """Serve updates on ``path`` to calls carrying ``secret``; the app's start and stop run
    the dispatcher's startup and shutdown."""
    CheckedRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(app, path=path)
    setup_application(app, dp, bot=bot)
