"""Storage fixtures: a Redis client, from fakeredis and, when it is up, the real server."""

from __future__ import annotations

import pytest
from fakeredis.aioredis import FakeRedis

from tests.redis_server import BACKENDS, redis_server


@pytest.fixture(params=BACKENDS)
async def redis(request):
    if request.param == "fakeredis":
        yield FakeRedis()
        return
    async with redis_server() as client:
        yield client
