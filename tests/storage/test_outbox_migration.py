"""Migration 0003: queued and sent outbox rows get an address, a lane, a reference and a
neutral message, and go back to the previous form on downgrade."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.messages import Action, ActionKind, Button, OutgoingMessage
from storage.db import create_engine
from storage.migrate import downgrade, upgrade
from tests.support.database import empty_database

NOW = datetime(2024, 3, 11, 6, 0, tzinfo=UTC)


def _table(name: str, *columns: tuple[str, sa.types.TypeEngine]) -> sa.TableClause:
    return sa.table(name, *(sa.column(column, kind) for column, kind in columns))


ORGS = _table(
    "organizations",
    ("id", sa.Integer()),
    ("name", sa.String()),
    ("kind", sa.String()),
    ("timezone", sa.String()),
    ("at_risk", sa.Boolean()),
    ("created_at", sa.DateTime(timezone=True)),
)
USERS = _table(
    "users",
    ("id", sa.Integer()),
    ("tg_id", sa.BigInteger()),
    ("full_name", sa.String()),
    ("is_active", sa.Boolean()),
    ("created_at", sa.DateTime(timezone=True)),
)
PLANS = _table(
    "plans",
    ("id", sa.Integer()),
    ("org_id", sa.Integer()),
    ("title", sa.String()),
    ("period_start", sa.Date()),
    ("period_end", sa.Date()),
    ("created_at", sa.DateTime(timezone=True)),
    ("updated_at", sa.DateTime(timezone=True)),
)
MEASURES = _table(
    "measures",
    ("id", sa.Integer()),
    ("plan_id", sa.Integer()),
    ("position", sa.Integer()),
    ("number", sa.String()),
    ("title", sa.Text()),
    ("responsible", sa.Text()),
    ("executor_level", sa.String()),
    ("deadline_text", sa.Text()),
    ("deadline_kind", sa.String()),
    ("deadline", sa.JSON()),
    ("needs_review", sa.Boolean()),
)
TASKS = _table(
    "tasks",
    ("id", sa.Integer()),
    ("measure_id", sa.Integer()),
    ("org_id", sa.Integer()),
    ("occurrence", sa.String()),
    ("due_date", sa.Date()),
    ("status", sa.String()),
    ("planned", sa.Boolean()),
    ("updated_at", sa.DateTime(timezone=True)),
)
OUTBOX_COLUMNS = (
    ("id", sa.Integer()),
    ("dedupe_key", sa.String()),
    ("user_id", sa.Integer()),
    ("task_id", sa.Integer()),
    ("kind", sa.String()),
    ("due_at", sa.DateTime(timezone=True)),
    ("status", sa.String()),
    ("attempts", sa.Integer()),
    ("last_error", sa.Text()),
    ("payload", sa.JSON()),
)
OLD_OUTBOX = _table("outbox", *OUTBOX_COLUMNS)
NEW_OUTBOX = _table(
    "outbox",
    *OUTBOX_COLUMNS,
    ("channel", sa.String()),
    ("chat_id", sa.String()),
    ("thread_id", sa.BigInteger()),
    ("lane", sa.Integer()),
    ("ref_type", sa.String()),
    ("ref_id", sa.BigInteger()),
)

OPEN_REVIEW = {"inline_keyboard": [[{"text": "Открыть", "callback_data": "rv:op:12:0"}]]}
TRANSFER = {
    "inline_keyboard": [
        [
            {"text": "Согласовать", "callback_data": "tf:ok:3"},
            {"text": "Отклонить", "callback_data": "tf:no:3"},
        ]
    ]
}
# A list page and a link: the page has no neutral action and is dropped, the link stays.
ODD = {
    "inline_keyboard": [
        [{"text": "Список", "callback_data": "rv:ls:0:2"}],
        [{"text": "Сайт", "url": "https://example.org"}],
    ]
}
OLD_ROWS = [
    (1, "notice:confirmation:12:submitted:1", 1, None, "notice", "pending", OPEN_REVIEW),
    (2, "notice:transfer:3:requested:1", 1, None, "notice", "sent", TRANSFER),
    (3, "notice:misc:2", 2, None, "notice", "pending", ODD),
    (4, "rem:1:2:before:2024-03-14", 2, 1, "before", "pending", None),
    (5, "digest:1:2024-03-11", 1, None, "digest", "pending", None),
    (6, "weekly:1:2024-W11", 1, None, "weekly", "skipped", None),
]
PAYLOADS = {
    4: {"date": "2024-03-14", "tz": "Europe/Moscow"},
    5: {"text": "⚠️ <b>Просроченные задачи</b>", "tz": "Europe/Moscow"},
    6: {"tz": "Europe/Moscow"},
}


@pytest.fixture(params=["sqlite", "postgresql"])
async def engine(request, tmp_path):
    async with empty_database(request.param, tmp_path) as url:
        engine = create_engine(url)
        yield engine
        await engine.dispose()


def _rows(common: dict, *items: dict) -> list[dict]:
    return [{**common, **item} for item in items]


async def fill_at_0001(engine: AsyncEngine) -> None:
    """Two people, a task, and notices, a reminder and digests as the previous code queued."""
    async with engine.begin() as db:
        org = {"at_risk": False, "created_at": NOW}
        await db.execute(
            ORGS.insert(),
            _rows(
                org,
                {"id": 1, "name": "Регион", "kind": "region", "timezone": "Europe/Moscow"},
                {"id": 2, "name": "Школа", "kind": "school", "timezone": None},
            ),
        )
        person = {"is_active": True, "created_at": NOW}
        await db.execute(
            USERS.insert(),
            _rows(
                person,
                {"id": 1, "tg_id": 100, "full_name": "Ермакова"},
                {"id": 2, "tg_id": 200, "full_name": "Петрова"},
            ),
        )
        await db.execute(
            PLANS.insert(),
            [
                {
                    "id": 1,
                    "org_id": 1,
                    "title": "План",
                    "period_start": date(2023, 9, 1),
                    "period_end": date(2024, 8, 31),
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            ],
        )
        await db.execute(
            MEASURES.insert(),
            [
                {
                    "id": 1,
                    "plan_id": 1,
                    "position": 1,
                    "number": "1.",
                    "title": "Приказ",
                    "responsible": "ОУ",
                    "executor_level": "school",
                    "deadline_text": "до 15 марта 2024 года",
                    "deadline_kind": "date",
                    "deadline": {},
                    "needs_review": False,
                }
            ],
        )
        await db.execute(
            TASKS.insert(),
            [
                {
                    "id": 1,
                    "measure_id": 1,
                    "org_id": 2,
                    "occurrence": "1",
                    "due_date": date(2024, 3, 15),
                    "status": "open",
                    "planned": True,
                    "updated_at": NOW,
                }
            ],
        )
        await db.execute(
            OLD_OUTBOX.insert(),
            [
                {
                    "id": row_id,
                    "dedupe_key": key,
                    "user_id": user_id,
                    "task_id": task_id,
                    "kind": kind,
                    "due_at": NOW,
                    "status": status,
                    "attempts": 0,
                    "last_error": None,
                    "payload": PAYLOADS.get(row_id)
                    or {"text": f"Уведомление {row_id}", "reply_markup": markup},
                }
                for row_id, key, user_id, task_id, kind, status, markup in OLD_ROWS
            ],
        )


async def outbox_rows(engine: AsyncEngine, table: sa.TableClause) -> dict[int, dict]:
    async with engine.connect() as db:
        found = (await db.execute(sa.select(table).order_by(table.c.id))).mappings().all()
    return {row["id"]: dict(row) for row in found}


async def outbox_columns(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as db:
        return await db.run_sync(
            lambda sync: {c["name"] for c in sa.inspect(sync).get_columns("outbox")}
        )


async def test_existing_rows_get_their_address_lane_reference_and_a_neutral_message(engine):
    await upgrade(engine, "0001")
    await fill_at_0001(engine)

    await upgrade(engine, "0003")

    rows = await outbox_rows(engine, NEW_OUTBOX)
    assert {i: (r["channel"], r["chat_id"], r["thread_id"]) for i, r in rows.items()} == {
        1: ("telegram", "100", None),
        2: ("telegram", "100", None),
        3: ("telegram", "200", None),
        4: ("telegram", "200", None),
        5: ("telegram", "100", None),
        6: ("telegram", "100", None),
    }
    assert {i: r["lane"] for i, r in rows.items()} == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2, 6: 2}
    assert {i: (r["ref_type"], r["ref_id"]) for i, r in rows.items()} == {
        1: ("confirmation", 12),
        2: ("transfer", 3),
        3: (None, None),
        4: ("task", 1),
        5: (None, None),
        6: (None, None),
    }
    messages = {i: OutgoingMessage.from_dict(rows[i]["payload"]) for i in (1, 2, 3, 5)}
    assert messages[1] == OutgoingMessage(
        "Уведомление 1", ((Button("Открыть", Action(ActionKind.OPEN_REVIEW, 12)),),)
    )
    assert messages[2].buttons == (
        (
            Button("Согласовать", Action(ActionKind.APPROVE_TRANSFER, 3)),
            Button("Отклонить", Action(ActionKind.DECLINE_TRANSFER, 3)),
        ),
    )
    assert messages[3].buttons == ((Button("Сайт", url="https://example.org"),),)
    assert messages[5].text == PAYLOADS[5]["text"]
    assert rows[5]["payload"]["tz"] == "Europe/Moscow"
    assert rows[4]["payload"] == PAYLOADS[4]
    assert all("reply_markup" not in row["payload"] for row in rows.values())
    assert {i: r["status"] for i, r in rows.items()} == {
        row_id: status for row_id, _, _, _, _, status, _ in OLD_ROWS
    }


async def test_downgrade_gives_back_the_telegram_keyboards_and_drops_group_rows(engine):
    await upgrade(engine, "0001")
    await fill_at_0001(engine)
    await upgrade(engine, "0003")
    async with engine.begin() as db:
        await db.execute(
            NEW_OUTBOX.insert(),
            [
                {
                    "id": 7,
                    "dedupe_key": "notice:ticket:5",
                    "user_id": None,
                    "task_id": None,
                    "kind": "notice",
                    "due_at": NOW,
                    "status": "pending",
                    "attempts": 0,
                    "last_error": None,
                    "payload": {"text": "Вопрос"},
                    "channel": "telegram",
                    "chat_id": "-1001",
                    "thread_id": 42,
                    "lane": 0,
                    "ref_type": "ticket",
                    "ref_id": 5,
                }
            ],
        )

    await downgrade(engine, "0001")

    assert "lane" not in await outbox_columns(engine)
    rows = await outbox_rows(engine, OLD_OUTBOX)
    assert sorted(rows) == [1, 2, 3, 4, 5, 6]
    assert rows[1]["payload"] == {"text": "Уведомление 1", "reply_markup": OPEN_REVIEW}
    assert rows[2]["payload"] == {"text": "Уведомление 2", "reply_markup": TRANSFER}
    assert rows[3]["payload"]["reply_markup"] == {"inline_keyboard": [ODD["inline_keyboard"][1]]}
    assert {i: rows[i]["payload"] for i in (4, 5, 6)} == PAYLOADS

    await upgrade(engine)
    assert {"channel", "chat_id", "lane"} <= await outbox_columns(engine)
