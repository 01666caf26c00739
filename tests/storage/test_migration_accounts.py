"""Migration 0002: every person's Telegram id becomes an account, and nothing else changes."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Date, DateTime, bindparam, inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.enums import RoleKind
from storage.db import create_engine, create_session_factory
from storage.migrate import downgrade, upgrade
from tests.support.database import empty_database
from tests.support.factories import telegram_principal

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)
# Every table of revision 0001 that refers to a person, and the rest of the data around them.
TABLES = (
    "organizations",
    "roles",
    "invites",
    "plans",
    "measures",
    "tasks",
    "assessment_events",
    "confirmations",
    "evidence",
    "transfer_requests",
    "outbox",
    "audit_log",
)
# (id, tg_id, full_name, username, is_active, blocked_at)
PEOPLE = (
    (1, 100, "Ермакова Т.В.", "ermakova", True, None),
    (2, 200, "Петрова Анна", None, True, None),
    (3, 7_000_000_001, "Родитель", "parent", False, AT),
)


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request, tmp_path) -> AsyncEngine:
    async with empty_database(request.param, tmp_path) as url:
        engine = create_engine(url)
        yield engine
        await engine.dispose()


async def _sql(connection: AsyncConnection, statement: str, **params: Any) -> None:
    typed = [
        bindparam(name, type_=DateTime(timezone=True) if isinstance(value, datetime) else Date())
        for name, value in params.items()
        if isinstance(value, date)
    ]
    await connection.execute(text(statement).bindparams(*typed), params)


async def _fill_revision_0001(connection: AsyncConnection) -> None:
    await _sql(
        connection,
        "INSERT INTO organizations (id, name, kind, parent_id, timezone, at_risk, created_at) "
        "VALUES (1, 'Министерство', 'region', NULL, 'Europe/Moscow', false, :at), "
        "(2, 'МБОУ «СШ № 1»', 'school', 1, NULL, true, :at)",
        at=AT,
    )
    for user_id, tg_id, name, username, active, blocked_at in PEOPLE:
        await _sql(
            connection,
            "INSERT INTO users (id, tg_id, full_name, username, is_active, blocked_at, "
            "reminder_hour, created_at) VALUES (:id, :tg, :name, :username, :active, :blocked, "
            "9, :at)",
            id=user_id,
            tg=tg_id,
            name=name,
            username=username,
            active=active,
            blocked=blocked_at,
            at=AT,
        )
    await _sql(
        connection,
        "INSERT INTO roles (id, user_id, role, org_id, created_at) VALUES "
        "(1, 1, 'officer', 1, :at), (2, 2, 'coordinator', 2, :at), (3, 3, 'parent', 2, :at)",
        at=AT,
    )
    await _sql(
        connection,
        "INSERT INTO invites (id, token, role, org_id, created_by_id, created_at, expires_at, "
        "max_uses, uses) VALUES (1, 'token-token-token-1', 'coordinator', 2, 1, :at, :at, 1, 1)",
        at=AT,
    )
    await _sql(
        connection,
        "INSERT INTO plans (id, org_id, title, period_start, period_end, reminder_offsets, "
        "created_by_id, created_at, updated_at) "
        "VALUES (1, 1, 'Дорожная карта', :start, :end, :offsets, 1, :at, :at)",
        start=date(2023, 9, 1),
        end=date(2024, 8, 31),
        offsets=json.dumps([7, 1]),
        at=AT,
    )
    await _sql(
        connection,
        "INSERT INTO measures (id, plan_id, position, number, title, responsible, "
        "executor_level, deadline_text, deadline_kind, deadline, needs_review) VALUES "
        "(1, 1, 1, '1.3.', 'Приказ о проведении ВПР', 'Руководители ОУ', 'school', "
        "'до 15 марта 2024 года', 'date', :deadline, false)",
        deadline=json.dumps({"kind": "date", "due": "2024-03-15"}),
    )
    await _sql(
        connection,
        "INSERT INTO tasks (id, measure_id, org_id, occurrence, due_date, status, planned, "
        "updated_at) VALUES (1, 1, 2, '1', :due, 'on_review', true, :at)",
        due=date(2024, 3, 15),
        at=AT,
    )
    await _sql(
        connection,
        "INSERT INTO assessment_events (id, org_id, kind, subject, grade, event_date) "
        "VALUES (1, 2, 'ВПР', 'Математика', 5, :day)",
        day=date(2024, 4, 10),
    )
    await _sql(
        connection,
        "INSERT INTO confirmations (id, task_id, user_id, result, comment, submitted_at, "
        "review_status, reviewer_id, reviewed_at, review_comment) VALUES "
        "(1, 1, 2, 'done', 'Приказ подписан', :at, 'returned', 1, :at, 'Нет подписи')",
        at=AT,
    )
    await _sql(
        connection,
        "INSERT INTO evidence (id, confirmation_id, kind, file_id, name, size) "
        "VALUES (1, 1, 'document', 'BQACAgIAAx', 'приказ.pdf', 12000)",
    )
    await _sql(
        connection,
        "INSERT INTO transfer_requests (id, task_id, user_id, old_due, new_due, reason, status, "
        "decided_by_id, decided_at, created_at) "
        "VALUES (1, 1, 2, :old, :new, 'Директор в отпуске', 'approved', 1, :at, :at)",
        old=date(2024, 3, 15),
        new=date(2024, 3, 29),
        at=AT,
    )
    await _sql(
        connection,
        "INSERT INTO outbox (id, dedupe_key, user_id, task_id, kind, due_at, status, attempts, "
        "sent_at, message_id, payload) VALUES "
        "(1, 'before:1:2:2024-03-08', 2, 1, 'before', :at, 'sent', 1, :at, 55, :reminder), "
        "(2, 'notice:returned:1:2', 2, NULL, 'notice', :at, 'pending', 0, NULL, NULL, :notice), "
        "(3, 'digest:1:2024-03-04', 1, NULL, 'digest', :at, 'failed', 3, NULL, NULL, '{}')",
        at=AT,
        reminder=json.dumps({"date": "2024-03-08"}),
        notice=json.dumps({"text": "Задача возвращена"}),
    )
    await _sql(
        connection,
        "INSERT INTO audit_log (id, at, actor_id, action, object_type, object_id, details) "
        "VALUES (1, :at, 1, 'confirmation.return', 'confirmation', 1, :details)",
        at=AT,
        details=json.dumps({"comment": "Нет подписи"}),
    )


async def _rows(connection: AsyncConnection, table: str) -> list[dict[str, Any]]:
    result = await connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))
    return [dict(row) for row in result.mappings().all()]


async def _snapshot(engine: AsyncEngine) -> dict[str, list[dict[str, Any]]]:
    async with engine.connect() as connection:
        return {table: await _rows(connection, table) for table in (*TABLES, "users")}


async def _columns(engine: AsyncEngine, table: str) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(
            lambda sync: {c["name"] for c in inspect(sync).get_columns(table)}
        )


async def test_every_row_survives_and_each_person_gets_a_telegram_account(engine):
    await upgrade(engine, "0001")
    async with engine.begin() as connection:
        await _fill_revision_0001(connection)
    before = await _snapshot(engine)

    await upgrade(engine, "0002")

    after = await _snapshot(engine)
    for table in TABLES:
        assert after[table] == before[table], table
    moved = {"tg_id", "username"}
    assert after["users"] == [
        {k: v for k, v in row.items() if k not in moved} for row in before["users"]
    ]
    async with engine.connect() as connection:
        accounts = await _rows(connection, "channel_accounts")
    assert [
        (a["user_id"], a["channel"], a["external_id"], a["chat_id"], a["username"])
        for a in accounts
    ] == [
        (user_id, "telegram", str(tg_id), str(tg_id), username)
        for user_id, tg_id, _, username, _, _ in PEOPLE
    ]
    assert {a["created_at"] for a in accounts} == {before["users"][0]["created_at"]}
    # The bot finds the people behind their Telegram ids, roles and all.
    async with create_session_factory(engine)() as session:
        officer = await telegram_principal(session, 100)
        parent = await telegram_principal(session, 7_000_000_001)
    assert (officer.user_id, officer.org_ids(RoleKind.OFFICER)) == (1, [1])
    assert (parent.user_id, parent.is_active) == (3, False)


async def test_downgrade_gives_the_telegram_ids_back(engine):
    await upgrade(engine, "0001")
    async with engine.begin() as connection:
        await _fill_revision_0001(connection)
    before = await _snapshot(engine)
    await upgrade(engine, "0002")
    async with engine.begin() as connection:
        # A person who has only come through another channel since the upgrade.
        await _sql(
            connection,
            "INSERT INTO users (id, full_name, is_active, created_at) "
            "VALUES (4, 'Без Телеграма', true, :at)",
            at=AT,
        )

    await downgrade(engine, "0001")

    assert "channel_accounts" not in await _table_names(engine)
    assert {"tg_id", "username"} <= await _columns(engine, "users")
    after = await _snapshot(engine)
    for table in TABLES:
        assert after[table] == before[table], table
    assert after["users"][:3] == before["users"]
    assert (after["users"][3]["tg_id"], after["users"][3]["username"]) == (-4, None)
    await upgrade(engine, "0002")  # and up again
    async with create_session_factory(engine)() as session:
        assert (await telegram_principal(session, 200)).user_id == 2


async def _table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        return await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
