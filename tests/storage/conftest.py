"""Storage fixtures: a Redis client, from fakeredis and, when it is up, the real server."""

from __future__ import annotations

import pytest

from tests.support.redis import BACKENDS, redis_client


@pytest.fixture(params=BACKENDS)
async def redis(request):
    async with redis_client(request.param) as client:
        yield client
