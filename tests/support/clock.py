"""Time for tests: UTC instants from text, and virtual clocks for the rate limiters."""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import Awaitable
from datetime import UTC, datetime


def at(text: str) -> datetime:
    """An aware UTC instant from ISO text, such as ``at("2024-03-11 06:00")``."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


class VirtualClock:
    """Virtual time: sleepers wake in order of their deadlines once everything else is idle."""

    def __init__(self) -> None:
        self.now = 0.0
        self._sleepers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        future = asyncio.get_running_loop().create_future()
        heapq.heappush(self._sleepers, (self.now + max(seconds, 0.0), next(self._seq), future))
        await future

    async def _settle(self) -> None:
        for _ in range(50):
            await asyncio.sleep(0)

    async def run(self, *aws: Awaitable[object]) -> list[object]:
        tasks = [asyncio.ensure_future(aw) for aw in aws]
        while not all(task.done() for task in tasks):
            await self._settle()
            if not self._sleepers:
                continue
            deadline, _, future = heapq.heappop(self._sleepers)
            self.now = max(self.now, deadline)
            future.set_result(None)
        return [task.result() for task in tasks]


class ServerClock(VirtualClock):
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
