"""outbox rows carry an address, a lane, a reference and a channel-neutral message

Revision ID: 0003
Revises: 0001
Create Date: 2026-12-02 09:00:00
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

logger = logging.getLogger(f"alembic.{__name__}")

# Frozen copies of what the code knew at this revision: migrations import no application code.
REMINDER_KINDS = ("before", "due", "overdue", "checkin", "snooze")
DIGEST_KINDS = ("digest", "weekly")
INTERACTIVE, REMINDER, DIGEST = 0, 1, 2
REF_TYPES = ("task", "confirmation", "transfer", "announcement", "ticket")
# Telegram callback data of the buttons notices carried, as "prefix:action" -> neutral action.
ACTIONS = {
    "tk:done": "task.confirm",
    "tk:snooze": "task.snooze",
    "tk:list": "task.list",
    "rv:op": "review.open",
    "tf:ok": "transfer.approve",
    "tf:no": "transfer.decline",
}
CALLBACKS = {action: callback for callback, action in ACTIONS.items()}

outbox = sa.table(
    "outbox",
    sa.column("id", sa.Integer),
    sa.column("dedupe_key", sa.String),
    sa.column("kind", sa.String),
    sa.column("user_id", sa.Integer),
    sa.column("channel", sa.String),
    sa.column("ref_type", sa.String),
    sa.column("ref_id", sa.BigInteger),
    sa.column("payload", sa.JSON),
)


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("chat_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("thread_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("lane", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ref_type", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("ref_id", sa.BigInteger(), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)

    _copy_private_chats()
    # A row whose person has no chat could never be sent; it is kept, closed, with the reason.
    op.execute(
        "UPDATE outbox SET channel = 'telegram', chat_id = '', status = 'failed', "
        "last_error = 'no chat to write to' WHERE chat_id IS NULL"
    )
    op.execute(
        sa.text(
            "UPDATE outbox SET lane = CASE "
            "WHEN kind IN :reminders THEN :reminder "
            "WHEN kind IN :digests THEN :digest "
            "ELSE :interactive END"
        ).bindparams(
            sa.bindparam("reminders", REMINDER_KINDS, expanding=True),
            sa.bindparam("digests", DIGEST_KINDS, expanding=True),
            reminder=REMINDER,
            digest=DIGEST,
            interactive=INTERACTIVE,
        )
    )
    op.execute(
        sa.text(
            "UPDATE outbox SET ref_type = 'task', ref_id = task_id "
            "WHERE task_id IS NOT NULL AND kind IN :reminders"
        ).bindparams(sa.bindparam("reminders", REMINDER_KINDS, expanding=True))
    )
    _rewrite_payloads(_neutral)

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("channel", existing_type=sa.String(length=16), nullable=False)
        batch_op.alter_column("chat_id", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("lane", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index("ix_outbox_status_due")
        batch_op.create_index(
            "ix_outbox_status_lane_due", ["status", "lane", "due_at"], unique=False
        )


def _copy_private_chats() -> None:
    """Every row so far went to its person's private Telegram chat (their newest account)."""
    op.execute(
        "UPDATE outbox SET channel = 'telegram', chat_id = ("
        "SELECT a.chat_id FROM channel_accounts a "
        "WHERE a.user_id = outbox.user_id AND a.channel = 'telegram' "
        "ORDER BY a.id DESC LIMIT 1)"
    )


def downgrade() -> None:
    # Before this revision a row could only go to a person's private Telegram chat.
    op.execute("DELETE FROM outbox WHERE user_id IS NULL OR channel <> 'telegram'")
    _rewrite_payloads(_telegram)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_status_lane_due")
        batch_op.create_index("ix_outbox_status_due", ["status", "due_at"], unique=False)
        batch_op.drop_column("ref_id")
        batch_op.drop_column("ref_type")
        batch_op.drop_column("lane")
        batch_op.drop_column("thread_id")
        batch_op.drop_column("chat_id")
        batch_op.drop_column("channel")
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)


Rewrite = Callable[[str, str, dict[str, Any]], dict[str, Any] | None]


def _rewrite_payloads(rewrite: Rewrite) -> None:
    """Rewrite the payloads (and references) of the rows that are not reminders."""
    bind = op.get_bind()
    query = sa.select(outbox.c.id, outbox.c.dedupe_key, outbox.c.kind, outbox.c.payload).where(
        outbox.c.kind.not_in(REMINDER_KINDS)
    )
    changes = []
    for row_id, key, kind, payload in bind.execute(query).all():
        change = rewrite(key, kind, payload or {})
        if change is not None:
            changes.append({"row_id": row_id, **change})
    if not changes:
        return
    columns = sorted(set(changes[0]) - {"row_id"})
    statement = (
        outbox.update()
        .where(outbox.c.id == sa.bindparam("row_id"))
        .values({name: sa.bindparam(name, type_=outbox.c[name].type) for name in columns})
    )
    bind.execute(statement, changes)


def _neutral(key: str, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """A notice's text and Telegram keyboard as a neutral message, and what it is about."""
    if isinstance(payload.get("message"), dict):
        message = dict(payload["message"])
    else:
        message = {name: value for name, value in payload.items() if name != "reply_markup"}
        buttons = _buttons(payload.get("reply_markup") or {}, key)
        if buttons:
            message["buttons"] = buttons
    ref_type, ref_id = _ref(key) if kind == "notice" else (None, None)
    return {"payload": message, "ref_type": ref_type, "ref_id": ref_id}


def _buttons(markup: dict[str, Any], key: str) -> list[list[dict[str, Any]]]:
    rows = []
    for row in markup.get("inline_keyboard") or ():
        found = []
        for button in row:
            if button.get("url"):
                found.append({"label": button["text"], "url": button["url"]})
                continue
            action = _action(button.get("callback_data") or "")
            if action is None:
                logger.warning("outbox %s: button %r has no action; dropped", key, button)
            else:
                found.append({"label": button["text"], "action": action[0], "id": action[1]})
        if found:
            rows.append(found)
    return rows


def _action(data: str) -> tuple[str, int] | None:
    prefix, _, rest = data.partition(":")
    name, _, tail = rest.partition(":")
    action = ACTIONS.get(f"{prefix}:{name}")
    object_id = tail.partition(":")[0]
    if action is None or not object_id.isdigit():
        return None
    # Only a button the neutral action renders back exactly (no list page, say) is kept.
    return (action, int(object_id)) if _callback(action, int(object_id)) == data else None


def _callback(action: str, object_id: int) -> str:
    head = CALLBACKS[action]
    if head.startswith("tf:"):
        return f"{head}:{object_id}"
    return f"{head}:{0 if action == 'task.list' else object_id}:0"


def _ref(key: str) -> tuple[str | None, int | None]:
    """A notice's key, ``notice:<event>:<id>:<what>:<user id>``, names what it is about."""
    parts = key.split(":")
    if len(parts) > 2 and parts[1] in REF_TYPES and parts[2].isdigit():
        return parts[1], int(parts[2])
    return None, None


def _telegram(key: str, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
    """A neutral message as the text and the Telegram keyboard the previous code sent."""
    if "buttons" not in payload and "attachments" not in payload:
        return None
    keyboard = [
        [
            {"text": b["label"], "url": b["url"]}
            if "url" in b
            else {"text": b["label"], "callback_data": _callback(b["action"], int(b["id"]))}
            for b in row
            if "url" in b or b.get("action") in CALLBACKS
        ]
        for row in payload.get("buttons") or ()
    ]
    keyboard = [row for row in keyboard if row]
    old = {n: v for n, v in payload.items() if n not in ("buttons", "attachments")}
    old["reply_markup"] = {"inline_keyboard": keyboard} if keyboard else None
    return {"payload": old}
