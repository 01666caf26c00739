"""Outgoing requests through the rate limiter, and how one delivery attempt is classified."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import aiohttp
from aiogram import methods
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods.base import TelegramType

from bot.domain.delivery import DeliveryResult, Outcome, backoff
from scheduler.limiter import Limiter, LimiterBusy

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

logger = logging.getLogger(__name__)

# Everything that puts or changes a message in a chat counts toward Telegram's flood limits.
# Chat actions are exempt: they are hints, cheap for Telegram, and must not delay a reply.
LIMITED_METHODS: tuple[type[TelegramMethod[Any]], ...] = (
    methods.SendMessage,
    methods.SendDocument,
    methods.SendPhoto,
    methods.SendMediaGroup,
    methods.SendVideo,
    methods.SendAudio,
    methods.SendVoice,
    methods.SendAnimation,
    methods.SendSticker,
    methods.SendLocation,
    methods.SendContact,
    methods.SendPoll,
    methods.SendDice,
    methods.CopyMessage,
    methods.CopyMessages,
    methods.ForwardMessage,
    methods.ForwardMessages,
    methods.EditMessageText,
    methods.EditMessageCaption,
    methods.EditMessageMedia,
    methods.EditMessageReplyMarkup,
)

# Bad requests about a forum topic that was deleted or closed: the chat itself is still there.
THREAD_MARKERS = ("message thread not found", "topic_deleted", "topic_closed")
# Bad requests that mean the recipient is gone for good, like a 403.
GONE_MARKERS = (
    "chat not found",
    "user is deactivated",
    "peer_id_invalid",
    "bot was kicked",
    "bot was blocked",
    "group chat was deactivated",
)

# The longest flood wait a reply to a user is held for before it is given up.
REPLY_WAIT_LIMIT = 60
# The longest an outbox message waits for its chat: the outbox sends one message after
# another, so a chat under a long flood wait would hold up everyone behind it.
OUTBOX_WAIT_LIMIT = 5.0
_in_outbox: ContextVar[bool] = ContextVar("in_outbox", default=False)


class LimiterMiddleware(BaseRequestMiddleware):
    """Make every message-sending request of the bot wait for the shared limiter."""

    def __init__(self, limiter: Limiter) -> None:
        self.limiter = limiter

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = getattr(method, "chat_id", None)
        # Inline-message edits carry no chat id and are not tied to a chat's limit.
        if not isinstance(method, LIMITED_METHODS) or chat_id is None:
            return await make_request(bot, method)
        outbox = _in_outbox.get()
        await self.limiter.acquire(chat_id, max_wait=OUTBOX_WAIT_LIMIT if outbox else None)
        try:
            return await make_request(bot, method)
        except TelegramRetryAfter as exc:
            penalty = self.limiter.penalize(chat_id, exc.retry_after)
            if inspect.isawaitable(penalty):
                await penalty
            # The outbox reschedules its own rows; a reply to someone waiting in the chat is
            # sent again once the wait is over, if that is soon enough to still matter.
            if outbox or exc.retry_after > REPLY_WAIT_LIMIT:
                raise
        await self.limiter.acquire(chat_id)
        return await make_request(bot, method)


def _message_id(result: object) -> int | None:
    if isinstance(result, list):
        result = result[0] if result else None
    message_id = getattr(result, "message_id", None)
    return message_id if isinstance(message_id, int) else None


async def deliver(
    send: Callable[[], Awaitable[Any]],
    attempt: int,
    *,
    max_attempts: int | None = 8,
) -> DeliveryResult:
    """Call `send()` once and say whether the message went, should be retried, or never will.

    `attempt` is 1-based. A 429 is RETRY after exactly `retry_after` and does not count as an
    attempt (the worker should not increase its counter); so is a send the limiter refused
    because the chat (or the bot) is held longer than `OUTBOX_WAIT_LIMIT`. Transient errors (network, timeout,
    5xx) are RETRY with `backoff(attempt)` until `attempt >= max_attempts` (never, if None),
    then FAILED with the error kept. A forum topic that is gone is THREAD_GONE. Errors that are
    not about delivery (a bad token, a bug) propagate.
    """
    token = _in_outbox.set(True)
    try:
        result = await send()
    except TelegramRetryAfter as exc:
        return DeliveryResult(
            Outcome.RETRY,
            retry_in=exc.retry_after,
            error=exc.message,
            counts_as_attempt=False,
        )
    except LimiterBusy as exc:
        # Not sent at all: the row waits out the flood wait without spending an attempt.
        return DeliveryResult(
            Outcome.RETRY,
            retry_in=exc.wait,
            error=f"flood wait: {exc}",
            counts_as_attempt=False,
            everyone=exc.everyone,
        )
    except TelegramForbiddenError as exc:
        return DeliveryResult(Outcome.BLOCKED, error=exc.message)
    except (TelegramBadRequest, TelegramNotFound) as exc:
        if any(marker in exc.message.lower() for marker in THREAD_MARKERS):
            return DeliveryResult(Outcome.THREAD_GONE, error=exc.message)
        if any(marker in exc.message.lower() for marker in GONE_MARKERS):
            return DeliveryResult(Outcome.BLOCKED, error=exc.message)
        logger.warning("Delivery failed permanently: %s", exc.message)
        return DeliveryResult(Outcome.FAILED, error=exc.message)
    except (TelegramMigrateToChat, TelegramEntityTooLarge) as exc:
        logger.warning("Delivery failed permanently: %s", exc.message)
        return DeliveryResult(Outcome.FAILED, error=exc.message)
    except (
        TelegramServerError,
        TelegramNetworkError,
        TimeoutError,
        aiohttp.ClientError,
    ) as exc:
        error = f"{type(exc).__name__}: {exc}"
        if max_attempts is not None and attempt >= max_attempts:
            logger.warning("Delivery failed after %s attempts: %s", attempt, error)
            return DeliveryResult(Outcome.FAILED, error=error)
        return DeliveryResult(Outcome.RETRY, retry_in=backoff(attempt), error=error)
    finally:
        _in_outbox.reset(token)
    return DeliveryResult(Outcome.SENT, message_id=_message_id(result))
