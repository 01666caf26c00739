"""Reminder planner: outbox rows for changed tasks at each recipient's local morning."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.messages import Lane, Ref, RefType
from bot.domain.reminders import (
    CHECKIN,
    OPEN_STATUSES,
    OVERDUE,
    SNOOZE,
    Timing,
    dedupe_day,
    local_today,
    next_in_series,
    reminder_dates,
    reminder_row,
    series_kinds,
)
from storage.repo import outbox as outbox_repo
from storage.repo import reminders as repo
from storage.repo.addresses import private_addresses

logger = logging.getLogger(__name__)


async def plan_pending(
    session: AsyncSession, now: datetime, settings: Settings, limit: int = 1000
) -> int:
    """Replan the reminders of up to ``limit`` changed tasks; returns how many were planned.

    The caller commits. Work is proportional to the number of changed tasks.
    """
    tasks = await repo.list_unplanned(session, limit)
    if not tasks:
        return 0
    ids = [task.id for task in tasks]
    closed = [task.id for task in tasks if task.status not in OPEN_STATUSES]
    await outbox_repo.delete_pending(session, [i for i in ids if i not in set(closed)], (SNOOZE,))
    await outbox_repo.delete_pending(session, closed)
    live = [task for task in tasks if task.status in OPEN_STATUSES and task.due_date]
    org_ids = {task.org_id for task in live}
    zones = await repo.org_zones(session, org_ids, settings.default_timezone)
    people = await repo.list_recipients(session, org_ids)
    addresses = await private_addresses(
        session, {person.user_id for group in people.values() for person in group}
    )
    # The series go on from what each recipient already got, not from today: today's one may
    # be out already, and the deleted queued one must come back. Only a continuous task or
    # one past its deadline (in the zone furthest ahead) can have a series under way.
    horizon = (now + timedelta(days=1)).date()
    underway = [
        task.id
        for task in live
        if series_kinds(task)
        and (task.deadline_kind == "continuous" or (task.due_date and task.due_date < horizon))
    ]
    last_keys = await outbox_repo.last_settled_keys(session, underway, (OVERDUE, CHECKIN))
    rows = []
    for task in live:
        tz = zones[task.org_id]
        today = local_today(now, tz)
        dates = reminder_dates(task, today)
        series = series_kinds(task)
        ref = Ref(RefType.TASK, task.id)
        for person in people.get(task.org_id, ()):
            address = addresses.get(person.user_id)
            if address is None:
                continue
            timing = Timing.of(
                settings, person.reminder_hour, person.quiet_start, person.quiet_end
            )
            planned = list(dates)
            for kind in series:
                key = last_keys.get((task.id, person.user_id, kind))
                done = dedupe_day(key) if key else None
                day = next_in_series(kind, task, today, timing, done)
                if day is not None:
                    planned.append((kind, day))
            where = outbox_repo.envelope(address, Lane.REMINDER, ref)
            rows += [
                {**reminder_row(task.id, person.user_id, kind, day, tz, timing, today), **where}
                for kind, day in planned
            ]
    await outbox_repo.add_messages(session, rows)
    await repo.mark_planned(session, [(task.id, task.updated_at) for task in tasks])
    logger.debug("planned %s tasks, %s reminder rows", len(tasks), len(rows))
    return len(tasks)
