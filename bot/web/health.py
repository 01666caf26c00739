"""``GET /health``: the outbox depth and whether the scheduler ticks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.services.health import outbox_depth


class TickStatus(Protocol):
    """What the health check reads from the scheduler."""

    @property
    def running(self) -> bool: ...

    @property
    def last_tick_at(self) -> datetime | None: ...


SESSION_FACTORY = web.AppKey("session_factory", async_sessionmaker[AsyncSession])
TICKS = web.AppKey("ticks", TickStatus)


async def health(request: web.Request) -> web.Response:
    """200 with the outbox depth (waiting, due, in flight), the last tick (UTC, ISO 8601) and the scheduler's state."""
    ticks = request.app[TICKS]
    async with request.app[SESSION_FACTORY]() as session:
        depth = await outbox_depth(session, datetime.now(UTC))
    last = ticks.last_tick_at
    return web.json_response(
        {
            "status": "ok",
            "outbox": {"pending": depth.pending, "due": depth.due, "sending": depth.sending},
            "scheduler": {
                "running": ticks.running,
                "last_tick_at": last.isoformat() if last else None,
            },
        }
    )
