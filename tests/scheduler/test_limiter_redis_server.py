"""The Redis limiter tests of test_limiter once more, on the real server (TEST_REDIS_URL)."""

from __future__ import annotations

import asyncio
import heapq
from collections.abc import Awaitable

import pytest

from tests.redis_server import REDIS_URL, redis_server
from tests.scheduler import test_limiter as fake

pytestmark = pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")

# Every Redis test of the fakeredis module, whatever it adds later.
globals().update(
    {name: test for name, test in vars(fake).items() if name.startswith("test_redis")}
)


class ServerClock(fake.VirtualClock):
    """Virtual time over a real socket: it moves on only once every task sleeps or is done,
    since a reply from the server takes longer than a few turns of the event loop.

    Tasks start one at a time, each until it first waits: the tests say which of the waiting
    senders goes first, and over several connections the server's order would be the network's.
    """

    def __init__(self) -> None:
        super().__init__()
        self._changed = asyncio.Event()

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._seq), future))
        self._changed.set()
        await future

    async def _idle(self, tasks: list[asyncio.Future[object]]) -> None:
        while len(self._sleepers) < sum(not task.done() for task in tasks):
            self._changed.clear()
            await self._changed.wait()

    async def run(self, *aws: Awaitable[object]) -> list[object]:
        tasks: list[asyncio.Future[object]] = []
        for aw in aws:
            tasks.append(asyncio.ensure_future(aw))
            tasks[-1].add_done_callback(lambda _: self._changed.set())
            await self._idle(tasks)
        while True:
            await self._idle(tasks)
            if all(task.done() for task in tasks):
                break
            deadline, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, deadline)
            future.set_result(None)
        return [task.result() for task in tasks]


@pytest.fixture
def clock() -> ServerClock:
    return ServerClock()


@pytest.fixture
async def redis():
    async with redis_server() as client:
        yield client
