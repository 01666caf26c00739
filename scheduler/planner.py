"""Reminder planner: outbox rows for changed tasks at each recipient's local morning."""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from storage.models import TaskStatus
from storage.repo import outbox as outbox_repo
from storage.repo import reminders as repo

logger = logging.getLogger(__name__)

# Days before the due date; 0 is the due day, a negative number the first overdue day.
DEFAULT_OFFSETS = (7, 1, 0, -1)
OVERDUE_EVERY = timedelta(days=7)
OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.RETURNED)

BEFORE, DUE, OVERDUE, CHECKIN, SNOOZE = "before", "due", "overdue", "checkin", "snooze"
REMINDER_KINDS = (BEFORE, DUE, OVERDUE, CHECKIN, SNOOZE)


@dataclass(frozen=True)
class Timing:
    """When one recipient may be written to: a morning hour outside quiet hours."""

    hour: int
    quiet_start: int
    quiet_end: int
    skip_weekends: bool = False

    @classmethod
    def of(
        cls,
        settings: Settings,
        hour: int | None = None,
        quiet_start: int | None = None,
        quiet_end: int | None = None,
    ) -> Timing:
        return cls(
            settings.reminder_hour if hour is None else hour,
            settings.quiet_start if quiet_start is None else quiet_start,
            settings.quiet_end if quiet_end is None else quiet_end,
            settings.skip_weekends,
        )

    def is_quiet(self, hour: int) -> bool:
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        return start <= hour < end if start < end else hour >= start or hour < end

    @property
    def send_hour(self) -> int:
        return self.quiet_end if self.is_quiet(self.hour) else self.hour

    def moment(self, local_date: date, tz: str) -> datetime:
        """The UTC instant of the recipient's morning on ``local_date``."""
        local = datetime.combine(local_date, time(self.send_hour), tzinfo=ZoneInfo(tz))
        return local.astimezone(UTC)

    def quiet_until(self, now: datetime, tz: str) -> datetime | None:
        """The end of the quiet hours ``now`` falls in (UTC), or None outside them."""
        local = now.astimezone(ZoneInfo(tz))
        if not self.is_quiet(local.hour):
            return None
        day = local.date() if local.hour < self.quiet_end else local.date() + timedelta(days=1)
        end = datetime.combine(day, time(self.quiet_end), tzinfo=ZoneInfo(tz))
        return end.astimezone(UTC)

    def working_day(self, day: date, *, earlier: bool) -> date:
        """Move a weekend day to Friday (reminders ahead of a deadline) or to Monday."""
        if not self.skip_weekends or day.weekday() < 5:
            return day
        if earlier:
            return day - timedelta(days=day.weekday() - 4)
        return day + timedelta(days=7 - day.weekday())


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(ZoneInfo(tz)).date()


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_overdue(due: date, first_offset: int, today: date) -> date:
    """The first overdue reminder on or after ``today``: the first late day, then weekly."""
    first = due + timedelta(days=max(-first_offset, 1))
    if first >= today:
        return first
    weeks = -(-(today - first).days // OVERDUE_EVERY.days)
    return first + OVERDUE_EVERY * weeks


def next_checkin(start: date, due: date, today: date, last_before: int) -> date | None:
    """The next monthly check-in of a continuous task, before its final-report reminders."""
    stop = due - timedelta(days=max(last_before, 0))
    months = 1
    while (day := add_months(start, months)) < today:
        months += 1
    return day if day < stop else None


def reminder_dates(task: repo.TaskRow, today: date) -> list[tuple[str, date]]:
    """(kind, local date) of every reminder of an open task from ``today`` on."""
    if task.due_date is None or task.status not in OPEN_STATUSES:
        return []
    if task.deadline_kind == "unspecified":
        return []
    offsets = sorted(set(task.offsets or DEFAULT_OFFSETS), reverse=True)
    due = task.due_date
    found: list[tuple[str, date]] = []
    for offset in offsets:
        if offset >= 0:
            day = due - timedelta(days=offset)
            if day >= today:
                found.append((BEFORE if offset else DUE, day))
    late = [offset for offset in offsets if offset < 0]
    if late:
        found.append((OVERDUE, next_overdue(due, max(late), today)))
    if task.deadline_kind == "continuous":
        start = task.start_date or due
        checkin = next_checkin(start, due, today, max(offsets, default=0))
        if checkin is not None:
            found.append((CHECKIN, checkin))
    return found


def dedupe_key(task_id: int, user_id: int, kind: str, day: date) -> str:
    return f"rem:{task_id}:{user_id}:{kind}:{day.isoformat()}"


def reminder_row(
    task_id: int,
    user_id: int,
    kind: str,
    day: date,
    tz: str,
    timing: Timing,
    today: date | None = None,
) -> dict:
    # Weekend reminders about a coming deadline move to Friday; once Friday is past, the
    # Monday one takes over (the outbox sends the latest of a morning, or drops a stale one).
    moved = timing.working_day(day, earlier=kind in (BEFORE, DUE, CHECKIN))
    if today is not None and moved < today:
        moved = timing.working_day(day, earlier=False)
    day = moved
    return {
        "dedupe_key": dedupe_key(task_id, user_id, kind, day),
        "user_id": user_id,
        "task_id": task_id,
        "kind": kind,
        "due_at": timing.moment(day, tz),
        "payload": {"date": day.isoformat(), "tz": tz},
    }


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
    rows = []
    for task in live:
        tz = zones[task.org_id]
        today = local_today(now, tz)
        dates = reminder_dates(task, today)
        for person in people.get(task.org_id, ()):
            timing = Timing.of(
                settings, person.reminder_hour, person.quiet_start, person.quiet_end
            )
            rows += [
                reminder_row(task.id, person.user_id, kind, day, tz, timing, today)
                for kind, day in dates
            ]
    await outbox_repo.add_messages(session, rows)
    await repo.mark_planned(session, [(task.id, task.updated_at) for task in tasks])
    logger.debug("planned %s tasks, %s reminder rows", len(tasks), len(rows))
    return len(tasks)


def follow_up(
    kind: str,
    task: repo.TaskInfo,
    user_id: int,
    sent_day: date,
    today: date,
    tz: str,
    timing: Timing,
) -> dict | None:
    """The next lazily created reminder after an overdue or check-in one was sent."""
    if task.due_date is None or task.status not in OPEN_STATUSES:
        return None
    if kind == OVERDUE:
        day = sent_day + OVERDUE_EVERY
        while day <= today:
            day += OVERDUE_EVERY
        return reminder_row(task.id, user_id, OVERDUE, day, tz, timing, today)
    if kind == CHECKIN and task.start_date is not None:
        last_before = max(task.offsets or DEFAULT_OFFSETS)
        day = next_checkin(task.start_date, task.due_date, today + timedelta(days=1), last_before)
        return reminder_row(task.id, user_id, CHECKIN, day, tz, timing, today) if day else None
    return None


def snooze_row(task_id: int, user_id: int, now: datetime, tz: str, timing: Timing) -> dict:
    """A one-off reminder tomorrow morning, recipient-local."""
    tomorrow = local_today(now, tz) + timedelta(days=1)
    return reminder_row(task_id, user_id, SNOOZE, tomorrow, tz, timing)
