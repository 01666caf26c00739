"""aiogram FSM storage for forms: the database table by default, Redis when configured."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from aiogram.fsm.storage.redis import RedisStorage
from redis.exceptions import WatchError
from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repo import fsm as repo


class SqlStorage(BaseStorage):
    """FSM state and data in ``fsm_states``, one row per key; absent row = no state, no data.

    Data is stored as JSON, so it must hold only JSON-serialisable values (str, int, float,
    bool, None, lists and dicts with string keys); tuples come back as lists.
    """

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        if value is None:
            await self._clear(key, state=None)
        else:
            await self._upsert(key, state=value)

    async def get_state(self, key: StorageKey) -> str | None:
        row = await self._read(key)
        return row.state if row else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if data:
            await self._upsert(key, data=dict(data))
        else:
            await self._clear(key, data={})

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        row = await self._read(key)
        return dict(row.data or {}) if row else {}

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        """Merge ``data`` into the stored data in one transaction and return the result."""
        async with self.session_factory.begin() as session:
            merged = await repo.merge_data(session, self.key_builder.build(key), dict(data))
        return dict(merged)

    async def close(self) -> None:
        # The engine belongs to the application, which disposes of it on shutdown.
        return None

    async def _read(self, key: StorageKey) -> Row[Any] | None:
        async with self.session_factory() as session:
            return await repo.get_record(session, self.key_builder.build(key))

    async def _upsert(self, key: StorageKey, **values: Any) -> None:
        async with self.session_factory.begin() as session:
            await repo.upsert_record(session, self.key_builder.build(key), **values)

    async def _clear(self, key: StorageKey, **values: Any) -> None:
        async with self.session_factory.begin() as session:
            await repo.clear_field(session, self.key_builder.build(key), **values)


class MergingRedisStorage(RedisStorage):
    """aiogram's Redis storage with an atomic ``update_data``.

    The stock one reads, merges and writes back, so two updates of one user handled at once
    (the parts of an album) overwrite each other; here the merge is retried under WATCH.
    """

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        redis_key = self.key_builder.build(key, "data")
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(redis_key)
                    raw = await pipe.get(redis_key)
                    if isinstance(raw, bytes):
                        raw = raw.decode("utf-8")
                    merged = {**(self.json_loads(raw) if raw else {}), **data}
                    pipe.multi()
                    if merged:
                        pipe.set(redis_key, self.json_dumps(merged), ex=self.data_ttl)
                    else:
                        pipe.delete(redis_key)
                    await pipe.execute()
                    return merged
                except WatchError:
                    continue


def build_fsm_storage(
    settings_redis_url: str | None,
    session_factory: async_sessionmaker[AsyncSession],
) -> BaseStorage:
    """Redis storage when a Redis URL is configured, else the database table."""
    key_builder = DefaultKeyBuilder(with_destiny=True)
    if settings_redis_url:
        return MergingRedisStorage.from_url(settings_redis_url, key_builder=key_builder)
    return SqlStorage(session_factory, key_builder=key_builder)
