"""A person's due reminders composed into one message, and the series rows that follow it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from bot.config import Settings
from bot.domain import reminders as rules
from bot.domain.messages import (
    Action,
    ActionKind,
    Address,
    Button,
    Lane,
    OutgoingMessage,
    Ref,
    RefType,
)
from bot.domain.reminders import Timing, local_today
from bot.texts import reminders as texts
from storage.models import OutboxMessage, User
from storage.repo import reminders as reminders_repo
from storage.repo.outbox import envelope

# Beyond this many tasks per-task buttons stop being readable; the list button remains.
BUTTON_ROWS = 5

# Of two reminders of one task due together, the one that says more is sent.
_WEIGHT = {rules.SNOOZE: 0, rules.BEFORE: 1, rules.CHECKIN: 2, rules.DUE: 3}


@dataclass
class Composed:
    """The rows one message stands for (the others are superseded), and what it says."""

    rows: list[OutboxMessage]
    message: OutgoingMessage
    follow_ups: list[dict[str, Any]] = field(default_factory=list)


def buttons(task_ids: Sequence[int]) -> tuple[tuple[Button, ...], ...]:
    """Confirm and snooze for each task (numbered when several), then the task list."""
    rows: list[tuple[Button, ...]] = []
    if len(task_ids) == 1:
        rows.append((Button(texts.BTN_CONFIRM, Action(ActionKind.CONFIRM_TASK, task_ids[0])),))
        rows.append((Button(texts.BTN_SNOOZE, Action(ActionKind.SNOOZE_TASK, task_ids[0])),))
    elif len(task_ids) <= BUTTON_ROWS:
        for number, task_id in enumerate(task_ids, 1):
            rows.append(
                (
                    Button(
                        texts.BTN_CONFIRM_N.format(n=number),
                        Action(ActionKind.CONFIRM_TASK, task_id),
                    ),
                    Button(
                        texts.BTN_SNOOZE_N.format(n=number),
                        Action(ActionKind.SNOOZE_TASK, task_id),
                    ),
                )
            )
    rows.append((Button(texts.BTN_ALL_TASKS, Action(ActionKind.LIST_TASKS)),))
    return tuple(rows)


def compose(
    user: User,
    address: Address,
    rows: list[OutboxMessage],
    tasks: dict[int, reminders_repo.TaskInfo],
    zones: dict[int, str],
    now: datetime,
    settings: Settings,
) -> Composed:
    """One message for the person's due reminders; follow-ups go to the same ``address``."""
    timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
    follow_ups: list[dict[str, Any]] = []
    for row in _chains(rows):
        task = tasks[row.task_id]
        tz = zones.get(task.org_id, settings.default_timezone)
        today = local_today(now, tz)
        sent_day = date.fromisoformat(row.payload.get("date", today.isoformat()))
        follow = rules.follow_up(row.kind, task, user.id, sent_day, today, tz, timing)
        if follow is not None:
            ref = Ref(RefType.TASK, task.id)
            follow_ups.append({**follow, **envelope(address, Lane.REMINDER, ref)})
    rows = _collapse(rows)
    items: list[texts.ReminderItem] = []
    for row in rows:
        task = tasks[row.task_id]
        today = local_today(now, zones.get(task.org_id, settings.default_timezone))
        items.append(
            texts.ReminderItem(
                task_id=task.id,
                kind=row.kind,
                title=task.title,
                plan=task.plan_title,
                number=task.number,
                deadline_text=task.deadline_text,
                due=task.due_date,
                days_left=(task.due_date - today).days,
            )
        )
    order = sorted(range(len(items)), key=lambda i: (items[i].due, items[i].task_id))
    items = [items[i] for i in order]
    rows = [rows[i] for i in order]
    message = OutgoingMessage(texts.reminder(items), buttons([item.task_id for item in items]))
    return Composed(rows, message, follow_ups)


def _collapse(items: list[OutboxMessage]) -> list[OutboxMessage]:
    """Only the latest reminder of each task survives a backlog (e.g. after downtime)."""
    latest: dict[int, OutboxMessage] = {}
    for row in sorted(items, key=lambda r: (r.due_at, _WEIGHT.get(r.kind, 4), r.id)):
        latest[row.task_id] = row
    return list(latest.values())


def _chains(items: list[OutboxMessage]) -> list[OutboxMessage]:
    """The newest overdue and check-in row of each task: each continues its own series,
    even when a snooze or a later reminder was sent in its place."""
    newest: dict[tuple[int, str], OutboxMessage] = {}
    for row in sorted(items, key=lambda r: (r.due_at, r.id)):
        if row.kind in (rules.OVERDUE, rules.CHECKIN):
            newest[row.task_id, row.kind] = row
    return list(newest.values())
