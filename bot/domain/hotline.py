"""Pure hotline rules: ticket numbers, working-hours arithmetic, open periods, message limits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

NUMBER_WIDTH = 6
_NUMBER = re.compile(r"^\s*(?:№|n|#)?\s*0*(\d{1,12})\s*$", re.IGNORECASE)
# How far ahead an opening is looked for; a line closed for longer than this never opens.
HORIZON_DAYS = 800
DEFAULT_WORK_DAYS = (0, 1, 2, 3, 4)


def ticket_number(ticket_id: int) -> str:
    """«№ 000123»: the number a person and an operator quote."""
    return f"№ {ticket_id:0{NUMBER_WIDTH}d}"


def parse_ticket_number(text: str) -> int | None:
    """The id in «№ 000123», «#123» or «123»; None for anything else."""
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None


@lru_cache(maxsize=32)
def _russia(year: int) -> holidays.HolidayBase:
    # Russia's public holidays with the government's transfers: the days off moved onto
    # weekdays are holidays, and the Saturdays made working are its ``weekend_workdays``.
    return holidays.country_holidays("RU", years=year)


def is_public_holiday(day: date) -> bool:
    return day in _russia(day.year)


def is_transferred_workday(day: date) -> bool:
    """A weekend day the government made a working day (e.g. Saturday 1 November 2025)."""
    return day in _russia(day.year).weekend_workdays


def parse_periods(raw: Sequence[Sequence[str]] | None) -> tuple[tuple[date, date], ...]:
    """Periods stored as [["2026-03-01", "2026-05-31"], …]; broken rows are skipped."""
    found: list[tuple[date, date]] = []
    for row in raw or ():
        try:
            start, end = date.fromisoformat(row[0]), date.fromisoformat(row[1])
        except (TypeError, ValueError, IndexError):
            continue
        if start <= end:
            found.append((start, end))
    return tuple(sorted(found))


@dataclass(frozen=True)
class WorkSchedule:
    """When operators work: days of the week, [start, end) hours in ``tz``, Russia's
    holidays and transfers, and the periods the line is on (none means always)."""

    tz: str
    work_days: frozenset[int] = frozenset(DEFAULT_WORK_DAYS)
    start_hour: int = 9
    end_hour: int = 18
    periods: tuple[tuple[date, date], ...] = field(default=())

    def __post_init__(self) -> None:
        if not 0 <= self.start_hour < self.end_hour <= 24:
            raise ValueError("working hours must be 0 <= start < end <= 24")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def in_period(self, day: date) -> bool:
        return not self.periods or any(start <= day <= end for start, end in self.periods)

    def is_working_day(self, day: date) -> bool:
        if not self.work_days or not self.in_period(day):
            return False
        if is_public_holiday(day):
            return False
        if is_transferred_workday(day):
            return True
        return day.weekday() in self.work_days

    def _hours(self, day: date) -> tuple[datetime, datetime]:
        """The day's working interval as aware UTC instants (DST-safe through the zone)."""
        zone = self.zone
        start = datetime.combine(day, time(self.start_hour), zone)
        end = (
            datetime.combine(day + timedelta(days=1), time(0), zone)
            if self.end_hour == 24
            else datetime.combine(day, time(self.end_hour), zone)
        )
        return start.astimezone(ZoneInfo("UTC")), end.astimezone(ZoneInfo("UTC"))

    def _intervals(self, at: datetime):
        """Working intervals that end after ``at``, in order, clipped to start at ``at``."""
        day = at.astimezone(self.zone).date()
        for offset in range(HORIZON_DAYS):
            current = day + timedelta(days=offset)
            if not self.is_working_day(current):
                continue
            start, end = self._hours(current)
            if end <= at:
                continue
            yield max(start, at), end

    def is_open(self, at: datetime) -> bool:
        """Whether operators are at work at the instant."""
        day = at.astimezone(self.zone).date()
        if not self.is_working_day(day):
            return False
        start, end = self._hours(day)
        return start <= at < end

    def next_opening(self, at: datetime) -> datetime | None:
        """``at`` itself when open, else when operators next start; None if never (horizon)."""
        return next((start for start, _ in self._intervals(_aware(at))), None)

    def add_working_hours(self, start: datetime, hours: float) -> datetime | None:
        """The instant ``hours`` working hours after ``start``; None beyond the horizon."""
        left = timedelta(hours=hours)
        if left <= timedelta(0):
            return self.next_opening(start)
        for begin, end in self._intervals(_aware(start)):
            if end - begin >= left:
                return begin + left
            left -= end - begin
        return None

    def add_working_days(self, start: datetime, days: int) -> datetime | None:
        """The same local working time ``days`` working days later (a start outside hours
        counts from the next opening); None beyond the horizon."""
        at = self.next_opening(start)
        if at is None:
            return None
        if days <= 0:
            return at
        local = at.astimezone(self.zone)
        day = local.date()
        counted = 0
        for _ in range(HORIZON_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    moment = datetime.combine(day, local.timetz().replace(tzinfo=None), self.zone)
                    return moment.astimezone(ZoneInfo("UTC"))
        return None

    def working_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Working time inside [start, end)."""
        total = timedelta(0)
        end = _aware(end)
        for begin, finish in self._intervals(_aware(start)):
            if begin >= end:
                break
            total += min(finish, end) - begin
        return total


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime")
    return at


@dataclass(frozen=True)
class MessageLimit:
    """Per-person limits on hotline messages: how many per minute and how long each."""

    per_minute: int = 6
    max_chars: int = 4000

    def check(self, text_length: int, recent: Sequence[datetime], now: datetime) -> str | None:
        """None when the message may go; else "too_long" or "too_fast"."""
        if text_length > self.max_chars:
            return "too_long"
        window = now - timedelta(minutes=1)
        if sum(1 for at in recent if at > window) >= self.per_minute:
            return "too_fast"
        return None
