"""Telegram's webhook as a route of the process's web application."""

from __future__ import annotations

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web


def mount_webhook(
    app: web.Application, dp: Dispatcher, bot: Bot, *, path: str, secret: str
) -> None:
    """Serve updates on ``path`` to calls carrying ``secret``; the app's start and stop run
    the dispatcher's startup and shutdown."""
    SimpleRequestHandler(dispatcher=dp, bot=bot, secret_token=secret).register(app, path=path)
    setup_application(app, dp, bot=bot)
