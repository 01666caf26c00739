"""Rate limiters that keep every outgoing message of the bot within Telegram's flood limits.

Written here rather than on aiolimiter or limits: those give one bucket per key, while a send
must pass the bot-wide rate, its chat's interval and a group's minute window together, wait
out a 429's pause for that chat (or for everyone), and give up early when the caller cannot
wait that long.
"""

from __future__ import annotations

import asyncio
import heapq
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)

ChatId = int | str

GROUP_WINDOW = 60.0
# Telegram counts the bot's messages in a rolling second as they reach it; a message leaves
# a little after the limiter lets it go, by more or less, so a second's worth of sends is
# kept this much longer than a second apart.
WINDOW_MARGIN = 0.005


def chat_key(chat_id: ChatId) -> ChatId:
    """Normalise a chat id so that 123 and "123" share one bucket."""
    if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
        return int(chat_id)
    return chat_id


def is_group(chat_id: ChatId) -> bool:
    """Groups, supergroups and channels have negative ids; "@name" ids are public chats too."""
    key = chat_key(chat_id)
    return isinstance(key, str) or key < 0


class LimiterBusy(Exception):
    """A send would wait longer than its caller allows: `wait` seconds for this chat, or for
    every chat when `everyone` (the whole bot is paused)."""

    def __init__(self, chat_id: ChatId, wait: float, *, everyone: bool = False) -> None:
        scope = "every chat" if everyone else f"chat {chat_id}"
        super().__init__(f"{scope} is held for {wait:.0f} s")
        self.chat_id = chat_id
        self.wait = wait
        self.everyone = everyone


class Limiter(Protocol):
    """What the request middleware needs; `penalize` may be sync (in-process) or async (Redis)."""

    async def acquire(self, chat_id: ChatId, *, max_wait: float | None = None) -> None: ...

    def penalize(self, chat_id: ChatId | None, seconds: float) -> Awaitable[None] | None: ...


@dataclass
class _ChatState:
    group: bool
    next_at: float = 0.0
    paused_until: float = 0.0
    sent: deque[float] = field(default_factory=deque)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0

    def expires_at(self) -> float:
        last = self.sent[-1] + GROUP_WINDOW if self.sent else 0.0
        return max(self.next_at, self.paused_until, last)


class RateLimiter:
    """Global, per-chat and per-group limits; `acquire` waits until a send is allowed."""

    def __init__(
        self,
        global_rate: float = 30,
        per_chat_interval: float = 1.0,
        group_per_minute: int = 20,
        *,
        flood_chats: int = 3,
        flood_window: float = 1.0,
        margin: float = WINDOW_MARGIN,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._global_interval = 1.0 / global_rate
        # The global rate as Telegram measures it: `per_window` sends in any `window`.
        per_window = max(1, int(global_rate))
        self._window = per_window / global_rate + margin
        self._released: deque[float] = deque(maxlen=per_window)
        self._chat_interval = per_chat_interval
        self._group_limit = group_per_minute
        self._flood_chats = flood_chats
        self._flood_window = flood_window
        self._clock = clock
        self._sleep = sleep
        self._next_global = float("-inf")
        self._paused_until = float("-inf")
        self._chats: dict[ChatId, _ChatState] = {}
        self._expiry: list[tuple[float, int, ChatId]] = []
        self._seq = 0
        self._recent_floods: deque[tuple[float, ChatId]] = deque()

    def __len__(self) -> int:
        """Number of chats whose limits are currently tracked."""
        return len(self._chats)

    async def acquire(self, chat_id: ChatId, *, max_wait: float | None = None) -> None:
        """Wait until a message to `chat_id` may be sent under every limit and any pause.

        With `max_wait`, raise `LimiterBusy` instead of waiting longer than that for a pause
        or the chat's own limits.
        """
        key = chat_key(chat_id)
        self._evict(self._clock())
        state = self._chats.get(key)
        if state is None:
            state = self._chats[key] = _ChatState(group=is_group(key))
        state.users += 1
        try:
            if max_wait is not None:
                # Before the lock, which a send waiting out this chat's pause may hold.
                self._refuse_long_wait(key, state, self._clock(), max_wait)
            # The per-chat lock is held through the global wait so that the next message to
            # this chat measures its interval from when this one really left.
            async with state.lock:
                now = await self._wait_turn(key, state, max_wait)
                state.next_at = now + self._chat_interval
                if state.group:
                    state.sent.append(now)
                    while len(state.sent) > self._group_limit:
                        state.sent.popleft()
        finally:
            state.users -= 1
            self._schedule_expiry(key, state)

    def penalize(self, chat_id: ChatId | None, seconds: float) -> None:
        """Honour a 429: no send to that chat (or to anyone, when `chat_id` is None) for `seconds`.

        429s on several different chats within a short window mean the bot as a whole is
        flooding, so the global bucket is paused as well.
        """
        now = self._clock()
        until = now + seconds
        if chat_id is None:
            self._pause_all(until)
            return
        key = chat_key(chat_id)
        state = self._chats.get(key)
        if state is None:
            state = self._chats[key] = _ChatState(group=is_group(key))
        state.paused_until = max(state.paused_until, until)
        self._schedule_expiry(key, state)
        logger.info("Flood control on chat %s: paused for %s s", key, seconds)

        self._recent_floods.append((now, key))
        while self._recent_floods and self._recent_floods[0][0] < now - self._flood_window:
            self._recent_floods.popleft()
        if len({chat for _, chat in self._recent_floods}) >= self._flood_chats:
            self._pause_all(until)

    def pause_all(self, seconds: float) -> None:
        """Pause every send for `seconds` (a 429 that is not tied to one chat)."""
        self._pause_all(self._clock() + seconds)

    def _pause_all(self, until: float) -> None:
        if until > self._paused_until:
            self._paused_until = until
            logger.warning(
                "Flood control on the bot: all sends paused for %.1f s", until - self._clock()
            )

    def _ready_at(self, state: _ChatState) -> float:
        """When the chat's own limits and pause next allow a send."""
        ready = max(state.next_at, state.paused_until)
        if state.group and len(state.sent) >= self._group_limit:
            ready = max(ready, state.sent[-self._group_limit] + GROUP_WINDOW)
        return ready

    def _refuse_long_wait(
        self, key: ChatId, state: _ChatState, now: float, max_wait: float
    ) -> None:
        if self._paused_until - now > max_wait:
            raise LimiterBusy(key, self._paused_until - now, everyone=True)
        if self._ready_at(state) - now > max_wait:
            raise LimiterBusy(key, self._ready_at(state) - now)

    async def _wait_turn(self, key: ChatId, state: _ChatState, max_wait: float | None) -> float:
        while True:
            now = self._clock()
            if max_wait is not None:
                self._refuse_long_wait(key, state, now, max_wait)
            ready = self._ready_at(state)
            if ready > now:
                await self._sleep(ready - now)
                continue
            slot = max(now, self._next_global, self._paused_until)
            self._next_global = slot + self._global_interval
            if slot > now:
                await self._sleep(slot - now)
                now = self._clock()
            # Slots are evenly spaced, but a send woken late by a busy loop leaves closer to
            # the next one: the window is checked on the times sends really left.
            while self._window_free_at() > now:
                await self._sleep(self._window_free_at() - now)
                now = self._clock()
            # A 429 may have arrived while this send was queued for its global slot.
            if state.paused_until > now or self._paused_until > now:
                continue
            self._released.append(now)
            return now

    def _window_free_at(self) -> float:
        """When the rolling window of the global rate has room for one more send."""
        if len(self._released) < (self._released.maxlen or 0):
            return float("-inf")
        return self._released[0] + self._window

    def _schedule_expiry(self, key: ChatId, state: _ChatState) -> None:
        self._seq += 1
        heapq.heappush(self._expiry, (state.expires_at(), self._seq, key))

    def _evict(self, now: float) -> None:
        # Each acquire and penalty pushes an entry, so the heap only holds what happened within
        # the longest window (a minute for groups, or a pause) and stale entries are skipped.
        while self._expiry and self._expiry[0][0] <= now:
            _, _, key = heapq.heappop(self._expiry)
            state = self._chats.get(key)
            if state is not None and state.users == 0 and state.expires_at() <= now:
                del self._chats[key]


class RedisRateLimiter:
    """The same limits shared by several bot processes, as fixed windows counted in Redis."""

    def __init__(
        self,
        redis: Redis,
        global_rate: int = 30,
        per_chat_interval: float = 1.0,
        group_per_minute: int = 20,
        *,
        prefix: str = "ratelimit",
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
    ) -> None:
        self._redis = redis
        self._global_rate = global_rate
        self._chat_interval = per_chat_interval
        self._group_limit = group_per_minute
        self._prefix = prefix
        # Window keys are named after wall-clock time, which all processes share.
        self._clock = clock
        self._sleep = sleep

    async def acquire(self, chat_id: ChatId, *, max_wait: float | None = None) -> None:
        """Wait until a message to `chat_id` may be sent, counting sends of every process.

        With `max_wait`, raise `LimiterBusy` instead of waiting longer than that for a pause
        or the chat's own limits.
        """
        key = chat_key(chat_id)
        while True:
            everyone, chat = await self._pause_left(key)
            if max_wait is not None and everyone > max_wait:
                raise LimiterBusy(key, everyone, everyone=True)
            wait = max(everyone, chat)
            if not wait:
                wait = await self._take(f"chat:{key}", self._chat_interval, 1)
            if not wait and is_group(key):
                wait = await self._take(f"group:{key}", GROUP_WINDOW, self._group_limit)
            if max_wait is not None and wait > max_wait:
                raise LimiterBusy(key, wait)
            if wait:
                await self._sleep(wait)
                continue
            while wait := await self._take("global", 1.0, self._global_rate):
                await self._sleep(wait)
            return

    async def penalize(self, chat_id: ChatId | None, seconds: float) -> None:
        """Honour a 429 in every process: no send to that chat (or anyone, for None)."""
        name = "pause:all" if chat_id is None else f"pause:{chat_key(chat_id)}"
        until = self._clock() + seconds
        current = await self._redis.get(self._key(name))
        if current is None or float(current) < until:
            await self._redis.set(self._key(name), until, px=int(seconds * 1000) + 1000)

    async def pause_all(self, seconds: float) -> None:
        """Pause every send of every process for `seconds`."""
        await self.penalize(None, seconds)

    def _key(self, name: str) -> str:
        return f"{self._prefix}:{name}"

    async def _pause_left(self, key: ChatId) -> tuple[float, float]:
        """Seconds left of the pause of every chat, and of this chat's own."""
        values = await self._redis.mget(self._key("pause:all"), self._key(f"pause:{key}"))
        now = self._clock()
        everyone, chat = (0.0 if v is None else max(float(v) - now, 0.0) for v in values)
        return everyone, chat

    async def _take(self, name: str, window: float, limit: int) -> float:
        """Count one send in the current window; return 0 if allowed, else seconds to wait."""
        now = self._clock()
        index = int(now // window)
        key = self._key(f"{name}:{index}")
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.incr(key)
            pipe.pexpire(key, int(window * 1000) + 1000)
            count, _ = await pipe.execute()
        if count <= limit:
            return 0.0
        return (index + 1) * window - now
