"""Concurrent form updates of one user (album parts) lose nothing, on SQL and on Redis."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey

from bot.channels.telegram.fsm import MergingRedisStorage, SqlStorage, build_fsm_storage
from tests.support.redis import BACKENDS, redis_client

KEY = StorageKey(bot_id=42, chat_id=7, user_id=7, destiny="default")


def _part(n: int) -> dict:
    return {f"ev.u{n}": {"kind": "photo", "file_id": f"F{n}", "n": n, "g": "album"}}


@pytest.fixture(params=["sql", *BACKENDS])
async def storage(request, session_factory):
    if request.param == "sql":
        yield SqlStorage(session_factory)
        return
    async with redis_client(request.param, slow=True) as redis:
        storage = MergingRedisStorage(
            redis=redis, key_builder=DefaultKeyBuilder(with_destiny=True)
        )
        yield storage
        await storage.close()


async def test_album_parts_stored_at_once_are_all_kept(storage):
    await storage.set_data(KEY, {"task_id": 5, "result": "done"})
    merged = await asyncio.gather(*(storage.update_data(KEY, _part(n)) for n in range(10)))

    data = await storage.get_data(KEY)
    assert data == {"task_id": 5, "result": "done"} | {
        k: v for n in range(10) for k, v in _part(n).items()
    }
    # Each caller saw its own part merged into everything stored before it.
    assert all(f"ev.u{n}" in result for n, result in enumerate(merged))
    assert sorted(len(result) for result in merged) == list(range(3, 13))


async def test_updates_of_other_fields_do_not_undo_each_other(storage):
    await asyncio.gather(
        storage.update_data(KEY, {"comment": "Приказ подписан"}),
        *(storage.update_data(KEY, _part(n)) for n in range(3)),
        storage.update_data(KEY, {"editing": True}),
    )
    data = await storage.get_data(KEY)
    assert data["comment"] == "Приказ подписан" and data["editing"] is True
    assert {k for k in data if k.startswith("ev.")} == {"ev.u0", "ev.u1", "ev.u2"}


async def test_redis_merge_keeps_the_ttl_and_drops_an_empty_record(redis):
    storage = MergingRedisStorage(redis=redis, data_ttl=600)
    await storage.update_data(KEY, {"a": 1})
    assert await storage.get_data(KEY) == {"a": 1}
    assert 0 < await redis.ttl("fsm:7:7:data") <= 600
    assert await storage.update_data(StorageKey(bot_id=42, chat_id=8, user_id=8), {}) == {}
    assert await redis.exists("fsm:8:8:data") == 0
    await storage.close()


def test_redis_url_gives_the_merging_storage(session_factory):
    built = build_fsm_storage("redis://localhost:6379/0", session_factory)
    assert isinstance(built, MergingRedisStorage)
