"""Outer middlewares: a database session per update, the current user, flood protection."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject, Update, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import texts
from bot.domain.messages import Channel
from bot.services.access import load_principal, resolve_account

logger = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """A database session per update; wakes the outbox when the update queued messages."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession]) -> None:
        self.session_factory = session_factory

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.session_factory() as session:
            data["session"] = session
            try:
                return await handler(event, data)
            finally:
                wake = data.get("wake_outbox")
                if session.info.pop("outbox_queued", False) and wake is not None:
                    wake()


class PrincipalMiddleware(BaseMiddleware):
    """Puts ``principal`` (the person behind the Telegram account, or None) into handler data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        session: AsyncSession = data["session"]
        user_id = await resolve_account(session, Channel.TELEGRAM, str(user.id)) if user else None
        data["principal"] = await load_principal(session, user_id) if user_id is not None else None
        return await handler(event, data)


class ThrottlingMiddleware(BaseMiddleware):
    """Drops a user's updates beyond ``limit`` per ``window`` seconds, warning once.

    It sits first on the update, so a flood costs no database work.
    """

    def __init__(self, limit: int = 8, window: float = 2.0, max_users: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_users = max_users
        self._hits: OrderedDict[int, deque[float]] = OrderedDict()
        self._warned: set[int] = set()
        self._albums: OrderedDict[str, int] = OrderedDict()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        action = event.message or event.callback_query if isinstance(event, Update) else event
        if user is None or not isinstance(action, Message | CallbackQuery):
            return await handler(event, data)
        if self._allowed(user.id, action):
            self._warned.discard(user.id)
            return await handler(event, data)
        logger.info("throttled user %s", user.id)
        if user.id not in self._warned:
            self._warned.add(user.id)
            await action.answer(texts.TOO_FAST)
        return None

    def _allowed(self, user_id: int, action: Message | CallbackQuery) -> bool:
        # An album arrives as up to ten messages at once; it is one action of the user.
        group = action.media_group_id if isinstance(action, Message) else None
        if group and self._albums.get(group) == user_id:
            return True
        if group:
            self._albums[group] = user_id
            if len(self._albums) > self.max_users:
                self._albums.popitem(last=False)
        now = time.monotonic()
        hits = self._hits.pop(user_id, None) or deque()
        while hits and now - hits[0] > self.window:
            hits.popleft()
        hits.append(now)
        self._hits[user_id] = hits
        if len(self._hits) > self.max_users:
            self._hits.popitem(last=False)
        return len(hits) <= self.limit
