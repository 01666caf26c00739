"""Rate limiter tests on a virtual clock: limits, pauses, eviction, and the Redis variant
(on fakeredis, and on the real server of TEST_REDIS_URL when it is up)."""

import asyncio

import fakeredis
import pytest

from scheduler.limiter import (
    WINDOW_MARGIN,
    LimiterBusy,
    RateLimiter,
    RedisRateLimiter,
    chat_key,
    is_group,
)
from tests.support.clock import ServerClock, VirtualClock
from tests.support.redis import BACKENDS, redis_client


@pytest.fixture(params=BACKENDS)
def redis_backend(request) -> str:
    return request.param


@pytest.fixture
def clock(request) -> VirtualClock:
    # Over a real socket virtual time may move on only once every task waits.
    if "redis" in request.fixturenames and (
        request.getfixturevalue("redis_backend") == "redis-server"
    ):
        return ServerClock()
    return VirtualClock()


@pytest.fixture
def limiter(clock: VirtualClock) -> RateLimiter:
    return RateLimiter(clock=clock, sleep=clock.sleep)


async def send_times(
    clock: VirtualClock, limiter: RateLimiter, chats: list[int | str]
) -> list[float]:
    async def one(chat: int | str) -> float:
        await limiter.acquire(chat)
        return clock.now

    return await clock.run(*(one(chat) for chat in chats))


async def test_global_rate_is_thirty_per_second(clock: VirtualClock, limiter: RateLimiter) -> None:
    times = sorted(await send_times(clock, limiter, list(range(1, 101))))

    assert times[0] == 0.0
    assert times[-1] >= 3.0
    assert all(
        later - earlier >= 1.0 - 1e-9 for earlier, later in zip(times, times[30:], strict=False)
    )


class BusyLoopClock(VirtualClock):
    """Virtual time in which the first sleep ending after ``after`` wakes ``by`` seconds late,
    as on an event loop busy with something else."""

    def __init__(self, after: float, by: float) -> None:
        super().__init__()
        self.after, self.by = after, by

    async def sleep(self, seconds: float) -> None:
        if self.by and self.now + seconds > self.after:
            seconds, self.by = seconds + self.by, 0.0
        await super().sleep(seconds)


async def test_a_send_woken_late_does_not_crowd_the_next_second() -> None:
    clock = BusyLoopClock(after=0.1, by=0.02)
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)

    times = sorted(await send_times(clock, limiter, list(range(1, 101))))

    # Telegram counts any rolling second: 31 sends within one would meet a 429.
    spans = [later - earlier for earlier, later in zip(times, times[30:], strict=False)]
    assert min(spans) >= 1.0 + WINDOW_MARGIN - 1e-9
    # and the pace still keeps up: a hundred sends take their 3.3 s and a few milliseconds.
    assert times[-1] < 99 / 30 + 0.05


async def test_one_message_per_second_per_chat(clock: VirtualClock, limiter: RateLimiter) -> None:
    times = await send_times(clock, limiter, [42] * 5)

    assert times == pytest.approx([0.0, 1.0, 2.0, 3.0, 4.0])


async def test_other_chats_are_not_held_up_by_a_busy_chat(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    times = await send_times(clock, limiter, [42, 42, 42, 7])

    assert max(times[:3]) == pytest.approx(2.0)
    assert times[3] < 0.2


async def test_group_gets_twenty_messages_per_minute(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    times = await send_times(clock, limiter, [-100123] * 25)

    assert times[:20] == pytest.approx([float(i) for i in range(20)])
    assert times[20] == pytest.approx(60.0)
    assert all(later - earlier >= 60.0 for earlier, later in zip(times, times[20:], strict=False))


async def test_private_chat_is_not_limited_per_minute(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    times = await send_times(clock, limiter, [5] * 25)

    assert times[-1] == pytest.approx(24.0)


async def test_penalty_is_honoured_exactly(clock: VirtualClock, limiter: RateLimiter) -> None:
    await send_times(clock, limiter, [1])
    limiter.penalize(1, 7.5)

    assert await send_times(clock, limiter, [1]) == [7.5]


async def test_penalty_leaves_other_chats_alone(clock: VirtualClock, limiter: RateLimiter) -> None:
    limiter.penalize(1, 30)

    assert await send_times(clock, limiter, [2]) == [0.0]


async def test_penalty_reaches_a_send_already_waiting(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    async def penalize_soon() -> None:
        await clock.sleep(0.5)
        limiter.penalize(9, 10)

    async def send_twice() -> float:
        await limiter.acquire(9)
        await limiter.acquire(9)
        return clock.now

    _, sent_at = await clock.run(penalize_soon(), send_twice())

    assert sent_at == 10.5


async def test_penalty_never_shortens_a_longer_pause(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    limiter.penalize(3, 20)
    limiter.penalize(3, 5)

    assert await send_times(clock, limiter, [3]) == [20.0]


async def test_flood_on_several_chats_pauses_everything(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    for chat in (1, 2, 3):
        limiter.penalize(chat, 12)

    assert await send_times(clock, limiter, [4]) == [12.0]


async def test_pause_all_and_penalize_without_chat(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    limiter.pause_all(4)
    limiter.penalize(None, 6)

    assert await send_times(clock, limiter, [8]) == [6.0]


async def test_idle_chats_are_evicted(clock: VirtualClock, limiter: RateLimiter) -> None:
    await send_times(clock, limiter, [*range(1, 301), -500])
    assert len(limiter) == 301

    clock.now += 2
    await send_times(clock, limiter, [1000])
    assert len(limiter) == 2

    clock.now += 60
    await send_times(clock, limiter, [1001])
    assert len(limiter) == 1


async def test_pending_penalty_is_not_evicted(clock: VirtualClock, limiter: RateLimiter) -> None:
    limiter.penalize(1, 100)
    clock.now += 50
    await send_times(clock, limiter, [2])

    assert await send_times(clock, limiter, [1]) == [100.0]


async def test_string_and_int_ids_share_a_bucket(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    times = await send_times(clock, limiter, [77, "77"])

    assert times == pytest.approx([0.0, 1.0])


async def test_a_long_wait_is_refused_to_a_caller_with_a_limit(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    limiter.penalize(1, 600)
    with pytest.raises(LimiterBusy) as refused:
        await limiter.acquire(1, max_wait=5)
    assert (refused.value.wait, refused.value.everyone) == (600, False)
    limiter.penalize(2, 3)

    async def short_wait() -> float:
        await limiter.acquire(2, max_wait=5)
        return clock.now

    assert await clock.run(short_wait()) == [3.0]
    limiter.pause_all(60)
    with pytest.raises(LimiterBusy) as paused:
        await limiter.acquire(3, max_wait=5)
    assert paused.value.everyone


async def test_a_send_queued_behind_a_long_wait_is_refused_at_once(
    clock: VirtualClock, limiter: RateLimiter
) -> None:
    limiter.penalize(1, 600)
    waiting = asyncio.ensure_future(limiter.acquire(1))  # holds the chat's turn for 600 s
    await asyncio.sleep(0)
    with pytest.raises(LimiterBusy):
        await asyncio.wait_for(limiter.acquire(1, max_wait=5), 1)
    waiting.cancel()


def test_chat_kinds() -> None:
    assert chat_key("-100") == -100
    assert chat_key("@channel") == "@channel"
    assert is_group(-1001) and is_group("@channel")
    assert not is_group(12345) and not is_group("12345")


async def test_real_clock_smoke() -> None:
    limiter = RateLimiter(global_rate=1000, per_chat_interval=0.02)
    loop = asyncio.get_running_loop()
    start = loop.time()

    await asyncio.gather(*(limiter.acquire(1) for _ in range(3)))

    assert loop.time() - start >= 0.035


@pytest.fixture
async def redis(redis_backend: str):
    async with redis_client(redis_backend) as client:
        yield client


def redis_limiter(clock: VirtualClock, redis: fakeredis.FakeAsyncRedis) -> RedisRateLimiter:
    return RedisRateLimiter(redis, clock=clock, sleep=clock.sleep)


async def test_redis_global_rate(clock: VirtualClock, redis: fakeredis.FakeAsyncRedis) -> None:
    times = sorted(await send_times(clock, redis_limiter(clock, redis), list(range(1, 101))))

    assert times[0] == 0.0
    assert times[-1] >= 3.0
    assert all(times.count(float(second)) <= 30 for second in range(4))


async def test_redis_per_chat_and_group(
    clock: VirtualClock, redis: fakeredis.FakeAsyncRedis
) -> None:
    limiter = redis_limiter(clock, redis)

    private = await send_times(clock, limiter, [1] * 3)
    group = await send_times(clock, limiter, [-100] * 21)

    assert private == pytest.approx([0.0, 1.0, 2.0])
    assert group[:20] == pytest.approx([float(second) for second in range(2, 22)])
    assert group[20] == pytest.approx(60.0)


async def test_redis_limits_are_shared_between_processes(
    clock: VirtualClock, redis: fakeredis.FakeAsyncRedis
) -> None:
    first, second = redis_limiter(clock, redis), redis_limiter(clock, redis)

    async def one(limiter: RedisRateLimiter) -> float:
        await limiter.acquire(7)
        return clock.now

    assert await clock.run(one(first), one(second)) == pytest.approx([0.0, 1.0])


async def test_redis_penalty_is_honoured_exactly(
    clock: VirtualClock, redis: fakeredis.FakeAsyncRedis
) -> None:
    first, second = redis_limiter(clock, redis), redis_limiter(clock, redis)
    await first.penalize(5, 7.5)
    await first.penalize(5, 2)
    await second.pause_all(3)

    assert await send_times(clock, second, [5]) == [7.5]
    assert await send_times(clock, second, [6]) == [7.5]


async def test_redis_long_waits_are_refused_to_a_caller_with_a_limit(
    clock: VirtualClock, redis: fakeredis.FakeAsyncRedis
) -> None:
    limiter = redis_limiter(clock, redis)
    await limiter.penalize(5, 600)
    with pytest.raises(LimiterBusy) as refused:
        await limiter.acquire(5, max_wait=5)
    assert not refused.value.everyone
    await limiter.pause_all(60)
    with pytest.raises(LimiterBusy) as paused:
        await limiter.acquire(6, max_wait=5)
    assert paused.value.everyone
