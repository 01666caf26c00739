"""Reminder timing and series: when each reminder of a task is due for one recipient."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.domain.enums import TaskStatus

# Days before the due date; 0 is the due day, a negative number the first overdue day.
DEFAULT_OFFSETS = (7, 1, 0, -1)
OVERDUE_EVERY = timedelta(days=7)
# How far a weekend day moves to reach a working day (Sunday to Friday, Saturday to Monday).
WEEKEND_REACH = timedelta(days=2)
OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.RETURNED)

BEFORE, DUE, OVERDUE, CHECKIN, SNOOZE = "before", "due", "overdue", "checkin", "snooze"
REMINDER_KINDS = (BEFORE, DUE, OVERDUE, CHECKIN, SNOOZE)


class TimingDefaults(Protocol):
    """The bot-wide reminder hour and quiet hours (the settings)."""

    reminder_hour: int
    quiet_start: int
    quiet_end: int
    skip_weekends: bool


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
        settings: TimingDefaults,
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


class Dated(Protocol):
    """What the series rules read of a task (a planner ``TaskRow`` or an outbox ``TaskInfo``)."""

    due_date: date | None
    start_date: date | None
    offsets: list[int] | None


class Remindable(Dated, Protocol):
    """A task as the reminder rules see it."""

    id: int
    status: TaskStatus
    deadline_kind: str


def _offsets(task: Dated) -> list[int]:
    return sorted(set(task.offsets or DEFAULT_OFFSETS), reverse=True)


def _series_day(kind: str, task: Dated, since: date) -> date | None:
    """The first day of the task's overdue or check-in series on or after ``since``."""
    due = task.due_date
    if due is None:
        return None
    offsets = _offsets(task)
    if kind == OVERDUE:
        late = [offset for offset in offsets if offset < 0]
        return next_overdue(due, max(late), since) if late else None
    if kind == CHECKIN:
        return next_checkin(task.start_date or due, due, since, max(offsets, default=0))
    return None


def next_in_series(
    kind: str, task: Dated, today: date, timing: Timing, done: date | None = None
) -> date | None:
    """The next overdue or check-in day still owed to the recipient, from ``today`` on.

    ``done`` is the latest local day a reminder of this series already went out (or was
    settled). A weekend move shifts a reminder by at most two days, never onto another
    occurrence (they are a week or more apart): a weekend occurrence is still to come while
    its Monday is, and one sent on ``done`` stands for every occurrence whose earliest
    possible day is not after it.
    """
    day = _series_day(kind, task, today - WEEKEND_REACH)
    while day is not None and (
        timing.working_day(day, earlier=False) < today
        or (done is not None and timing.working_day(day, earlier=True) <= done)
    ):
        day = _series_day(kind, task, day + timedelta(days=1))
    return day


def _remindable(task: Remindable) -> bool:
    return (
        task.due_date is not None
        and task.status in OPEN_STATUSES
        and task.deadline_kind != "unspecified"
    )


def series_kinds(task: Remindable) -> list[str]:
    """The open-ended series of an open task: weekly overdue reminders, monthly check-ins."""
    if not _remindable(task):
        return []
    kinds = [OVERDUE] if any(offset < 0 for offset in _offsets(task)) else []
    if task.deadline_kind == "continuous":
        kinds.append(CHECKIN)
    return kinds


def reminder_dates(task: Remindable, today: date) -> list[tuple[str, date]]:
    """(kind, local date) of the reminders ahead of an open task's deadline from ``today`` on."""
    if not _remindable(task) or task.due_date is None:
        return []
    due = task.due_date
    found: list[tuple[str, date]] = []
    for offset in _offsets(task):
        if offset >= 0:
            day = due - timedelta(days=offset)
            if day >= today:
                found.append((BEFORE if offset else DUE, day))
    return found


def dedupe_key(task_id: int, user_id: int, kind: str, day: date) -> str:
    return f"rem:{task_id}:{user_id}:{kind}:{day.isoformat()}"


def dedupe_day(key: str) -> date:
    """The local day a reminder was planned for, from its ``dedupe_key``."""
    return date.fromisoformat(key.rsplit(":", 1)[1])


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


def follow_up(
    kind: str,
    task: Remindable,
    user_id: int,
    sent_day: date,
    today: date,
    tz: str,
    timing: Timing,
) -> dict | None:
    """The next reminder of an overdue or check-in series, queued when one is sent."""
    if task.due_date is None or task.status not in OPEN_STATUSES:
        return None
    day = next_in_series(kind, task, today, timing, max(sent_day, today))
    return reminder_row(task.id, user_id, kind, day, tz, timing, today) if day else None


def snooze_row(task_id: int, user_id: int, now: datetime, tz: str, timing: Timing) -> dict:
    """A one-off reminder tomorrow morning, recipient-local."""
    tomorrow = local_today(now, tz) + timedelta(days=1)
    return reminder_row(task_id, user_id, SNOOZE, tomorrow, tz, timing)
