"""The real Redis that .ci/run starts (TEST_REDIS_URL), for tests that also run on fakeredis."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

REDIS_URL = os.environ.get("TEST_REDIS_URL")
# Parameters of a fixture that yields fakeredis or, when it is up, the real server.
BACKENDS = ["fakeredis", "redis-server"]


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
