"""The one aiohttp application of a bot process and the server that runs it."""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.web.health import SESSION_FACTORY, TICKS, TickStatus, health

logger = logging.getLogger(__name__)


def build_web_app(
    *, session_factory: async_sessionmaker[AsyncSession], ticks: TickStatus
) -> web.Application:
    """The application with ``/health``; a channel may mount its own routes before it runs."""
    app = web.Application()
    app[SESSION_FACTORY] = session_factory
    app[TICKS] = ticks
    app.router.add_get("/health", health)
    return app


async def start_web(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Listen on ``host:port`` (port 0: any free one); the caller cleans the runner up."""
    runner = web.AppRunner(app)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError:
        await runner.cleanup()
        raise
    logger.info("web app served on %s", ", ".join(f"{h}:{p}" for h, p, *_ in runner.addresses))
    return runner
