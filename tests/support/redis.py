"""Redis for tests: fakeredis, and the real server that .ci/run starts (TEST_REDIS_URL)."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator

import pytest
from fakeredis.aioredis import FakeAsyncRedisConnection, FakeRedis
from redis.asyncio import Redis

REDIS_URL = os.environ.get("TEST_REDIS_URL")
# Parameters of a fixture that yields fakeredis or, when it is up, the real server.
BACKENDS = ["fakeredis", "redis-server"]


class SlowConnection(FakeAsyncRedisConnection):
    """Network latency: without it fakeredis answers before another command can interleave."""

    async def read_response(self, **kwargs):
        await asyncio.sleep(0.002)
        return await super().read_response(**kwargs)


@contextlib.asynccontextmanager
async def redis_server() -> AsyncIterator[Redis]:
    """A client of the server's database, empty before and after; the test skips without it."""
    if not REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    # A separate client cleans up: the tested code may close the one it was given.
    admin = Redis.from_url(REDIS_URL)
    await admin.flushdb()
    client = Redis.from_url(REDIS_URL)
    try:
        yield client
    finally:
        await client.aclose()
        await admin.flushdb()
        await admin.aclose()


@contextlib.asynccontextmanager
async def redis_client(backend: str, *, slow: bool = False) -> AsyncIterator[Redis]:
    """A client of one of BACKENDS; ``slow`` gives fakeredis a network's latency."""
    if backend == "fakeredis":
        yield FakeRedis(connection_class=SlowConnection) if slow else FakeRedis()
        return
    async with redis_server() as client:
        yield client
