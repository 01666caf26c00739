"""The Telegram sender of the outbox: renders a neutral message and maps the API's errors."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, methods
from aiogram.exceptions import TelegramAPIError, TelegramUnauthorizedError

from bot.channels.telegram import render
from bot.channels.telegram.forum import ForumTopics
from bot.channels.telegram.sending import deliver
from bot.domain.delivery import ChannelRevoked, DeliveryResult
from bot.domain.messages import Address, OutgoingMessage

logger = logging.getLogger(__name__)

# The request timeout of one Bot API call, in seconds.
SEND_TIMEOUT = 60


class TelegramSender:
    """Sends through ``bot``, whose session carries the shared rate limiter; a ticket's
    message to a forum chat goes to the ticket's topic through ``forum``."""

    def __init__(
        self, bot: Bot, *, timeout: int = SEND_TIMEOUT, forum: ForumTopics | None = None
    ) -> None:
        self.bot = bot
        self.timeout = timeout
        self.forum = forum

    async def send(
        self, address: Address, message: OutgoingMessage, attempt: int
    ) -> DeliveryResult:
        """One attempt; the outbox decides when retries end, so ``deliver`` never gives up."""
        try:
            if self.forum is not None and address.thread_id is None and message.thread:
                return await self.forum.deliver(address, message, attempt, self._attempt)
            return await self._attempt(address, message, attempt)
        except TelegramUnauthorizedError as exc:
            raise ChannelRevoked(exc.message) from exc

    async def edit(self, address: Address, message_id: int, message: OutgoingMessage) -> bool:
        """Edit a text message of the bot; one that is unchanged or gone is not an error."""
        try:
            await self.bot(
                methods.EditMessageText(
                    chat_id=render.chat_of(address),
                    message_id=message_id,
                    text=message.text,
                    reply_markup=render.keyboard(message),
                ),
                request_timeout=self.timeout,
            )
        except TelegramUnauthorizedError as exc:
            raise ChannelRevoked(exc.message) from exc
        except TelegramAPIError as exc:
            if "message is not modified" not in exc.message:
                logger.info("message %s in %s not edited: %s", message_id, address, exc.message)
                return False
        return True

    async def _attempt(
        self, address: Address, message: OutgoingMessage, attempt: int
    ) -> DeliveryResult:
        return await deliver(lambda: self._call(address, message), attempt, max_attempts=None)

    async def _call(self, address: Address, message: OutgoingMessage) -> Any:
        # A message of several calls (files after the text) is known by its first one. A retry
        # after a later call failed sends the earlier ones again: duplicates, not losses.
        first = None
        for method in render.calls(address, message):
            result = await self.bot(method, request_timeout=self.timeout)
            if first is None:
                first = result
        return first
