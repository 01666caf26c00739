"""Hotline forum topics in Telegram: one per ticket, made on its first message, made again
with the history when deleted by hand, titled and iconed by the ticket's state."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from aiogram import Bot, methods
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram import render
from bot.channels.telegram.sending import deliver
from bot.domain.delivery import DeliveryResult, Outcome, backoff
from bot.domain.messages import Address, OutgoingMessage
from bot.services.hotline import threads
from bot.texts import forum as texts

logger = logging.getLogger(__name__)

Send = Callable[[Address, OutgoingMessage, int], Awaitable[DeliveryResult]]
# How soon a message waits again while another writer is making its ticket's topic.
CLAIM_WAIT = 2.0
_VARIATION = "\ufe0f"


class ForumTopics:
    """Files a ticket's messages under its topic in the organisation's forum chat."""

    def __init__(
        self, bot: Bot, session_factory: async_sessionmaker[AsyncSession], *, default_tz: str
    ) -> None:
        self.bot = bot
        self.session_factory = session_factory
        self.default_tz = default_tz
        self._icons: dict[str, str] | None = None

    async def deliver(
        self, address: Address, message: OutgoingMessage, attempt: int, send: Send
    ) -> DeliveryResult:
        """Send ``message`` into the topic of its ticket, making the topic when it has none
        and once more when it turns out deleted; "thread not found" never leaves here."""
        assert message.thread is not None
        ticket_id = message.thread.id
        for _ in range(2):
            found = await self._thread(address, ticket_id, attempt, send)
            if isinstance(found, DeliveryResult):
                return found
            result = await send(replace(address, thread_id=found), message, attempt)
            if result.outcome is Outcome.SENT:
                await self.sync(ticket_id)
            if result.outcome is not Outcome.THREAD_GONE:
                return result
            logger.info("topic %s of ticket %s is gone; making it again", found, ticket_id)
            async with self.session_factory() as session:
                await threads.thread_lost(session, ticket_id, found)
        # A topic deleted again as soon as it was made: the message waits, it is not lost.
        return DeliveryResult(Outcome.RETRY, retry_in=backoff(attempt), error=result.error)

    async def _thread(
        self, address: Address, ticket_id: int, attempt: int, send: Send
    ) -> int | DeliveryResult:
        async with self.session_factory() as session:
            claim = await threads.claim_thread(session, ticket_id, address)
            if claim.thread_id is not None:
                return claim.thread_id
            if not claim.create:
                return DeliveryResult(
                    Outcome.RETRY,
                    retry_in=CLAIM_WAIT,
                    error="the topic is being made",
                    counts_as_attempt=False,
                )
            card = await threads.topic_card(session, ticket_id, default_tz=self.default_tz)
            if card is None:
                await threads.claim_failed(session, ticket_id)
                return DeliveryResult(Outcome.FAILED, error="the ticket is gone")
            made: list[Any] = []

            async def create() -> Any:
                icon = await self._icon(card.status)
                topic = await self.bot(
                    methods.CreateForumTopic(
                        chat_id=render.chat_of(address),
                        name=card.title,
                        icon_custom_emoji_id=icon,
                    )
                )
                made.append(topic)
                return topic

            result = await deliver(create, attempt, max_attempts=None)
            if result.outcome is not Outcome.SENT or not made:
                await threads.claim_failed(session, ticket_id)
                return result
            thread_id = made[0].message_thread_id
            await threads.thread_made(session, ticket_id, thread_id, card.status)
        topic = replace(address, thread_id=thread_id)
        # The cards are part of the topic, not of the message: one that fails is logged and
        # the message still goes.
        for text in (card.header, card.history):
            if text:
                outcome = await send(topic, OutgoingMessage(text=text), attempt)
                if outcome.outcome is not Outcome.SENT:
                    logger.warning("card of ticket %s not posted: %s", ticket_id, outcome.error)
        return thread_id

    async def sync(self, ticket_id: int) -> None:
        """Give the ticket's topic the title and icon of its state, if they changed."""
        async with self.session_factory() as session:
            card = await threads.topic_card(
                session, ticket_id, default_tz=self.default_tz, with_history=False
            )
            if card is None or card.address is None or card.status == card.shown_status:
                return
            edit = methods.EditForumTopic(
                chat_id=render.chat_of(card.address),
                message_thread_id=card.address.thread_id,
                name=card.title,
                icon_custom_emoji_id=await self._icon(card.status),
            )
            try:
                await self.bot(edit)
            except TelegramBadRequest as exc:
                if "TOPIC_NOT_MODIFIED" not in exc.message:
                    logger.info("topic of ticket %s not renamed: %s", ticket_id, exc.message)
                    return
            except TelegramAPIError as exc:
                logger.info("topic of ticket %s not renamed: %s", ticket_id, exc.message)
                return
            await threads.status_shown(session, ticket_id, card.status)

    async def _icon(self, status: str) -> str | None:
        """The custom emoji id of the state's icon among those Telegram lets topics have."""
        if self._icons is None:
            try:
                stickers = await self.bot(methods.GetForumTopicIconStickers())
            except TelegramAPIError as exc:
                logger.info("topic icons unavailable: %s", exc.message)
                return None
            self._icons = {
                (s.emoji or "").replace(_VARIATION, ""): s.custom_emoji_id
                for s in stickers
                if s.custom_emoji_id
            }
        return self._icons.get(texts.ICONS.get(status, "").replace(_VARIATION, ""))
