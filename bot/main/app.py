"""Assembly of the bot, the dispatcher and the long-polling run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.fsm.storage.base import BaseStorage
from aiohttp import web
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.channels.telegram.commands import publish_role_commands, set_default_commands
from bot.channels.telegram.forum import ForumTopics
from bot.channels.telegram.fsm import build_fsm_storage
from bot.channels.telegram.identity import admin_identities
from bot.channels.telegram.middlewares import (
    DbSessionMiddleware,
    PrincipalMiddleware,
    ThrottlingMiddleware,
)
from bot.channels.telegram.sender import TelegramSender
from bot.channels.telegram.sending import LimiterMiddleware
from bot.channels.telegram.session import BotApiSession
from bot.channels.telegram.webhook import mount_webhook
from bot.config import Settings
from bot.domain.delivery import Sender
from bot.domain.enums import RoleKind
from bot.domain.messages import Channel
from bot.services.access import bootstrap_admins
from bot.web.app import build_web_app, start_web
from handlers import build_routers
from scheduler.jobs import Scheduler, build_scheduler
from scheduler.limiter import Limiter, RateLimiter, RedisRateLimiter
from scheduler.outbox import release_orphans
from storage.db import ProcessLock, create_engine, create_session_factory, lock_single_process
from storage.migrate import upgrade

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Pauses between attempts to reach the Bot API, doubling from the first to the longest.
RETRY_FIRST_DELAY = 1.0
RETRY_LONGEST_DELAY = 60.0


async def until_answered(what: str, call: Callable[[], Awaitable[T]]) -> T:
    """Repeat a Bot API call until Telegram answers: an outage must not stop the bot."""
    delay = RETRY_FIRST_DELAY
    while True:
        try:
            return await call()
        except TelegramRetryAfter as exc:
            wait, reason = float(exc.retry_after), exc.message
        except (TelegramNetworkError, TelegramServerError) as exc:
            wait, reason = delay, exc.message
            delay = min(delay * 2, RETRY_LONGEST_DELAY)
        logger.error(
            "Telegram Bot API did not answer %s: %s; next attempt in %.1f s", what, reason, wait
        )
        await asyncio.sleep(wait)


def build_bot(settings: Settings) -> Bot:
    session = BotApiSession()
    if settings.telegram_api_url:
        session = BotApiSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    return Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )


def build_limiter(settings: Settings) -> tuple[Limiter, Redis | None]:
    """One limiter for every outgoing message; shared through Redis across processes."""
    limits = {
        "global_rate": settings.rate_global,
        "per_chat_interval": settings.rate_chat_interval,
        "group_per_minute": settings.rate_group_per_minute,
    }
    if settings.redis_url:
        redis = Redis.from_url(settings.redis_url)
        return RedisRateLimiter(redis, **limits), redis
    return RateLimiter(**limits), None


def build_dispatcher(
    settings: Settings,
    session_factory: async_sessionmaker[AsyncSession],
    storage: BaseStorage,
) -> Dispatcher:
    dp = Dispatcher(storage=storage, settings=settings, session_factory=session_factory)
    dp.update.outer_middleware(ThrottlingMiddleware(settings.flood_limit, settings.flood_window))
    dp.update.outer_middleware(DbSessionMiddleware(session_factory))
    dp.update.outer_middleware(PrincipalMiddleware())
    dp.include_routers(*build_routers())
    return dp


@dataclass
class App:
    """Everything one bot process holds; built once by ``create`` and closed by ``close``."""

    settings: Settings
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    storage: BaseStorage
    bot: Bot
    dp: Dispatcher
    # The outbox's sender of each channel, by channel name.
    senders: Mapping[str, Sender] = field(default_factory=dict)
    scheduler: Scheduler | None = None
    web_app: web.Application | None = None
    web_runner: web.AppRunner | None = None
    limiter_redis: Redis | None = None
    commands_task: asyncio.Task[None] | None = None
    # Held on a SQLite database: a second bot process on the same file refuses to start.
    process_lock: ProcessLock | None = None

    @classmethod
    async def create(cls, settings: Settings, process_lock: ProcessLock | None = None) -> App:
        """Build every shared object once; raises DatabaseInUse when another process holds
        the SQLite database. A ``process_lock`` the caller took already is kept and released
        by ``close``."""
        if process_lock is None:
            process_lock = lock_single_process(settings.database_url)
        try:
            return await cls._create(settings, process_lock)
        except BaseException:
            if process_lock is not None:
                process_lock.release()
            raise

    @classmethod
    async def _create(cls, settings: Settings, process_lock: ProcessLock | None) -> App:
        engine = create_engine(settings.database_url)
        await upgrade(engine)
        session_factory = create_session_factory(engine)
        if process_lock is not None:
            # No other process can be sending: what a killed one had claimed goes out now,
            # not after its lease.
            await release_orphans(session_factory)
        async with session_factory() as session:
            await bootstrap_admins(
                session, admin_identities(settings.admin_ids), settings.root_org_name
            )
        storage = build_fsm_storage(settings.redis_url, session_factory)
        bot = build_bot(settings)
        dp = build_dispatcher(settings, session_factory, storage)
        limiter, limiter_redis = build_limiter(settings)
        bot.session.middleware(LimiterMiddleware(limiter))
        forum = ForumTopics(bot, session_factory, default_tz=settings.default_timezone)
        dp["forum"] = forum
        senders = {Channel.TELEGRAM.value: TelegramSender(bot, forum=forum)}
        app = cls(
            settings,
            engine,
            session_factory,
            storage,
            bot,
            dp,
            senders=senders,
            limiter_redis=limiter_redis,
            process_lock=process_lock,
        )
        dp.startup.register(app._start_publishing_commands)
        dp.shutdown.register(app._stop_publishing_commands)
        app.scheduler = build_scheduler(app)
        dp["wake_outbox"] = app.scheduler.wake
        dp.startup.register(app._start_scheduler)
        dp.shutdown.register(app._stop_scheduler)
        app.web_app = build_web_app(session_factory=session_factory, ticks=app.scheduler)
        return app

    async def _start_publishing_commands(self) -> None:
        # In the background: updates are taken while Telegram refuses the command lists.
        if self.commands_task is None or self.commands_task.done():
            self.commands_task = asyncio.create_task(self._publish_commands())

    async def _stop_publishing_commands(self) -> None:
        if self.commands_task is not None:
            self.commands_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.commands_task

    async def _publish_commands(self) -> None:
        await until_answered("setMyCommands", partial(set_default_commands, self.bot))
        for tg_id in self.settings.admin_ids:
            await until_answered(
                "setMyCommands",
                partial(publish_role_commands, self.bot, tg_id, RoleKind.OFFICER),
            )

    async def _start_scheduler(self) -> None:
        if self.scheduler is not None and not self.scheduler.running:
            self.scheduler.start()

    async def _stop_scheduler(self) -> None:
        if self.scheduler is not None:
            await self.scheduler.stop()

    async def _serve_web(self) -> None:
        self.web_runner = await start_web(
            self.web_app, self.settings.webhook_host, self.settings.webhook_port
        )

    async def _stop_web(self) -> None:
        if self.web_runner is not None:
            await self.web_runner.cleanup()
            self.web_runner = None

    async def run_polling(self, *, handle_signals: bool = True) -> None:
        """Long-poll until SIGINT/SIGTERM (or ``dp.stop_polling()``), serving the web app."""
        try:
            await self._serve_web()
        except OSError as exc:
            # Polling does not need the port; the bot works on without its health check.
            logger.error("web app (/health) not served: %s", exc)
        try:
            # Polling asks getMe once before its own retrying loop, and would die on an outage.
            await until_answered("getMe", self.bot.me)
            await self.dp.start_polling(
                self.bot,
                polling_timeout=self.settings.polling_timeout,
                allowed_updates=self.dp.resolve_used_update_types(),
                handle_signals=handle_signals,
            )
        finally:
            await self._stop_web()

    async def run_webhook(self, stop: asyncio.Event | None = None) -> None:
        """Serve Telegram's webhook calls behind a reverse proxy until SIGINT/SIGTERM."""
        settings = self.settings
        mount_webhook(
            self.web_app,
            self.dp,
            self.bot,
            path=settings.webhook_path,
            secret=settings.webhook_secret_value,
        )
        await self._serve_web()
        await until_answered(
            "setWebhook",
            partial(
                self.bot.set_webhook,
                settings.webhook_url.rstrip("/") + settings.webhook_path,
                secret_token=settings.webhook_secret_value,
                allowed_updates=self.dp.resolve_used_update_types(),
            ),
        )
        logger.info("webhook served on %s:%s", settings.webhook_host, settings.webhook_port)
        if stop is None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await self._stop_web()

    async def close(self) -> None:
        await self._stop_web()
        await self._stop_publishing_commands()
        await self._stop_scheduler()
        await self.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()
        if self.limiter_redis is not None:
            await self.limiter_redis.aclose()
        if self.process_lock is not None:
            self.process_lock.release()


async def run(settings: Settings, process_lock: ProcessLock | None = None) -> None:
    """Migrate, then take updates (webhook or long polling) until SIGINT/SIGTERM; a
    ``process_lock`` taken already goes to the app."""
    app = await App.create(settings, process_lock)
    try:
        if settings.webhook_url:
            await app.run_webhook()
        else:
            await app.run_polling()
    finally:
        await app.close()
        logger.info("stopped")
