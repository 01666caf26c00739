"""FSM storage: the SQL table and the Redis path (fakeredis, and the real server when up)."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Bot, Dispatcher
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import DefaultKeyBuilder, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from sqlalchemy import delete, func, select

from bot.channels.telegram.fsm import SqlStorage, build_fsm_storage
from storage.db import create_engine, create_session_factory, sqlite_path
from storage.migrate import upgrade
from storage.models import FsmRecord
from tests.support.database import empty_database, sqlite_copy


class Form(StatesGroup):
    name = State()
    school = State()


def make_key(user_id: int = 7, destiny: str = "default") -> StorageKey:
    return StorageKey(bot_id=42, chat_id=user_id, user_id=user_id, destiny=destiny)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request, tmp_path, sqlite_schema):
    async with empty_database(request.param, tmp_path) as url:
        if request.param == "sqlite":
            # Migrated already, as a copy of the session's template.
            url = sqlite_copy(sqlite_schema, sqlite_path(url))
        engine = create_engine(url)
        await upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(delete(FsmRecord))
        yield engine
        await engine.dispose()


@pytest.fixture
def session_factory(engine):
    return create_session_factory(engine)


@pytest.fixture
def storage(session_factory):
    return SqlStorage(session_factory)


async def count_rows(session_factory) -> int:
    async with session_factory() as session:
        return await session.scalar(select(func.count()).select_from(FsmRecord))


async def test_state_and_data_round_trip(storage):
    key = make_key()
    assert await storage.get_state(key) is None
    assert await storage.get_data(key) == {}

    await storage.set_state(key, Form.name)
    await storage.set_data(key, {"name": "Иванова", "schools": [1, 2], "nested": {"a": None}})

    assert await storage.get_state(key) == "Form:name"
    assert await storage.get_data(key) == {
        "name": "Иванова",
        "schools": [1, 2],
        "nested": {"a": None},
    }
    assert await storage.get_value(key, "name") == "Иванова"


async def test_state_object_and_string_are_both_accepted(storage):
    await storage.set_state(make_key(1), Form.school)
    await storage.set_state(make_key(2), "Form:school")

    assert await storage.get_state(make_key(1)) == "Form:school"
    assert await storage.get_state(make_key(2)) == "Form:school"


async def test_update_data_merges(storage):
    key = make_key()
    await storage.set_data(key, {"a": 1, "b": 2})

    merged = await storage.update_data(key, {"b": 3, "c": 4})

    assert merged == {"a": 1, "b": 3, "c": 4}
    assert await storage.get_data(key) == merged


async def test_update_data_creates_the_row(storage, session_factory):
    key = make_key()
    assert await storage.update_data(key, {"a": 1}) == {"a": 1}
    assert await storage.get_data(key) == {"a": 1}
    assert await storage.update_data(make_key(8), {}) == {}
    assert await count_rows(session_factory) == 1


async def test_clearing_removes_the_row(storage, session_factory):
    key = make_key()
    await storage.set_state(key, Form.name)
    await storage.set_data(key, {"a": 1})
    assert await count_rows(session_factory) == 1

    await storage.set_state(key, None)
    assert await count_rows(session_factory) == 1, "data alone keeps the row"
    await storage.set_data(key, {})

    assert await count_rows(session_factory) == 0
    assert await storage.get_state(key) is None
    assert await storage.get_data(key) == {}


async def test_clearing_data_keeps_the_state(storage, session_factory):
    key = make_key()
    await storage.set_state(key, Form.name)
    await storage.set_data(key, {"a": 1})

    await storage.set_data(key, {})

    assert await storage.get_state(key) == "Form:name"
    assert await storage.get_data(key) == {}
    await storage.set_state(key, None)
    assert await count_rows(session_factory) == 0


async def test_clearing_a_missing_key_does_nothing(storage, session_factory):
    await storage.set_state(make_key(), None)
    await storage.set_data(make_key(), {})
    assert await count_rows(session_factory) == 0


async def test_destinies_are_separate(storage):
    await storage.set_state(make_key(destiny="default"), Form.name)
    await storage.set_state(make_key(destiny="other"), Form.school)

    assert await storage.get_state(make_key(destiny="default")) == "Form:name"
    assert await storage.get_state(make_key(destiny="other")) == "Form:school"


async def test_state_survives_a_restart(engine):
    key = make_key()
    await SqlStorage(create_session_factory(engine)).set_state(key, Form.school)
    await SqlStorage(create_session_factory(engine)).update_data(key, {"step": 2})
    await engine.dispose()

    restarted = create_engine(engine.url.render_as_string(hide_password=False))
    try:
        storage = SqlStorage(create_session_factory(restarted))
        assert await storage.get_state(key) == "Form:school"
        assert await storage.get_data(key) == {"step": 2}
    finally:
        await restarted.dispose()


async def test_concurrent_writes_do_not_race(storage):
    keys = [make_key(user_id) for user_id in range(50)]
    await asyncio.gather(
        *(storage.update_data(key, {"n": n}) for n, key in enumerate(keys)),
    )
    for n, key in enumerate(keys):
        assert await storage.get_data(key) == {"n": n}

    same = make_key(1000)
    await asyncio.gather(*(storage.set_data(same, {"n": n}) for n in range(50)))
    assert (await storage.get_data(same))["n"] in range(50)


async def test_concurrent_update_data_on_one_key_loses_nothing(storage):
    key = make_key()
    await asyncio.gather(*(storage.update_data(key, {f"k{n}": n}) for n in range(20)))
    assert await storage.get_data(key) == {f"k{n}": n for n in range(20)}


async def test_dispatcher_fsm_context(storage):
    dp = Dispatcher(storage=storage)
    bot = Bot("42:TEST")
    try:
        state = dp.fsm.get_context(bot, chat_id=100, user_id=200)
        await state.set_state(Form.name)
        await state.update_data(name="Петров")

        again = dp.fsm.get_context(bot, chat_id=100, user_id=200)
        assert await again.get_state() == Form.name.state
        assert await again.get_data() == {"name": "Петров"}

        await again.clear()
        assert await state.get_state() is None
        assert await state.get_data() == {}
    finally:
        await bot.session.close()
        await dp.storage.close()


async def test_redis_storage_with_our_key_builder(redis):
    storage = RedisStorage(redis=redis, key_builder=DefaultKeyBuilder(with_destiny=True))
    key = make_key()
    try:
        await storage.set_state(key, Form.name)
        await storage.update_data(key, {"a": 1})

        assert await storage.get_state(key) == "Form:name"
        assert await storage.get_data(key) == {"a": 1}
        assert await redis.exists("fsm:7:7:default:state")
    finally:
        await storage.close()


def test_build_fsm_storage_picks_the_backend(session_factory):
    assert isinstance(build_fsm_storage(None, session_factory), SqlStorage)
    assert isinstance(build_fsm_storage("", session_factory), SqlStorage)
    assert isinstance(build_fsm_storage("redis://localhost:6379/0", session_factory), RedisStorage)
