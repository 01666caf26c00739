"""Telegram's flood control for the fake server: too many messages in a rolling second get 429."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

from tests.fakeapi.errors import ApiError

# Requests that put or change a message in a chat; Telegram counts them toward its limits.
MESSAGE_METHODS = frozenset(
    name.lower()
    for name in (
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendVideo",
        "sendAudio",
        "sendVoice",
        "sendAnimation",
        "sendVideoNote",
        "sendSticker",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendMediaGroup",
        "copyMessage",
        "copyMessages",
        "forwardMessage",
        "forwardMessages",
        "editMessageText",
        "editMessageCaption",
        "editMessageMedia",
        "editMessageReplyMarkup",
    )
)


class FloodControl:
    """At most ``global_per_second`` messages in any rolling ``window`` overall and
    ``per_chat_per_second`` to one chat; a message over either limit is refused with
    ``retry after N``, N the whole seconds until the window has room (at least 1).

    A refused request does not count toward the window; any other does, whatever it is
    answered (a 403 from a user who blocked the bot included). An album is one request.
    """

    def __init__(
        self,
        global_per_second: int = 30,
        per_chat_per_second: int = 1,
        *,
        window: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.global_limit = global_per_second
        self.chat_limit = per_chat_per_second
        self.window = window
        self.clock = clock
        self.hits = 0
        self._sent: deque[float] = deque()
        self._by_chat: dict[str, deque[float]] = {}

    def refusal(self, method: str, params: dict) -> ApiError | None:
        """Count one request arriving now, or return the 429 Telegram answers it with."""
        if method.lower() not in MESSAGE_METHODS:
            return None
        now = self.clock()
        chat_id = params.get("chat_id")
        chat = None if chat_id is None else self._by_chat.setdefault(str(chat_id), deque())
        free_at = self._free_at(self._sent, self.global_limit, now)
        if chat is not None:
            free_at = max(free_at, self._free_at(chat, self.chat_limit, now))
        if free_at > now:
            self.hits += 1
            retry_after = max(1, math.ceil(free_at - now))
            return ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        self._sent.append(now)
        if chat is not None:
            chat.append(now)
        return None

    def _free_at(self, sent: deque[float], limit: int, now: float) -> float:
        """When a window holding ``sent`` has room for one more message."""
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if len(sent) < limit:
            return now
        return sent[-limit] + self.window
