"""Calendar arithmetic for plan deadlines: month ends, quarters, plan-period occurrences."""

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

MIN_YEAR = 2000
MAX_YEAR = 2099
# Guards against absurd periods turning a weekly rule into thousands of reminders.
MAX_OCCURRENCES = 400
REPORT_DAY = 10


def month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_end(year: int, month: int) -> date:
    return date(year, month, month_length(year, month))


def safe_day(year: int, month: int, day: int) -> tuple[date, bool]:
    """The date, clamped to the month's last day; the flag says whether clamping happened."""
    last = month_length(year, month)
    return date(year, month, min(day, last)), day > last


def add_years(day: date, years: int) -> date:
    return safe_day(day.year + years, day.month, day.day)[0]


def next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_end(year, first + 2)


def half_bounds(year: int, half: int) -> tuple[date, date]:
    return (
        (date(year, 1, 1), date(year, 6, 30))
        if half == 1
        else (date(year, 7, 1), date(year, 12, 31))
    )


def yearly_ends(start: date, end: date) -> Iterator[date]:
    """The last day of each 12-month slice from start, the final slice clipped to end."""
    slice_start = start
    while slice_start <= end:
        following = add_years(slice_start, 1)
        yield min(following - timedelta(days=1), end)
        slice_start = following


def monthly_reports(start: date, end: date, day: int = REPORT_DAY) -> Iterator[date]:
    """A report on the given day of the month after each month touching the period."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        report_year, report_month = next_month(year, month)
        yield safe_day(report_year, report_month, day)[0]
        year, month = report_year, report_month


def monthly_days(start: date, end: date, day: int) -> Iterator[date]:
    """The given day of every month, inside the period («до 25 числа каждого месяца»)."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        found = safe_day(year, month, day)[0]
        if start <= found <= end:
            yield found
        year, month = next_month(year, month)


def _period_reports(start: date, end: date, months: int, day: int) -> Iterator[date]:
    """A report after each calendar quarter or half-year touching the period."""
    year, first = start.year, (start.month - 1) // months * months + 1
    while date(year, first, 1) <= end:
        # The last report covers the plan's part of its quarter: due right after the plan ends.
        last = min(month_end(year, first + months - 1), end)
        report_year, report_month = next_month(last.year, last.month)
        yield safe_day(report_year, report_month, day)[0]
        year, first = (year + 1, 1) if first + months > 12 else (year, first + months)


def quarterly_reports(start: date, end: date, day: int = REPORT_DAY) -> Iterator[date]:
    return _period_reports(start, end, 3, day)


def half_year_reports(start: date, end: date, day: int = REPORT_DAY) -> Iterator[date]:
    return _period_reports(start, end, 6, day)


def report_deadline(end: date) -> date:
    """The latest due date of a report on the plan's last month, quarter or half-year."""
    return month_end(*next_month(end.year, end.month))


def weekly_reports(start: date, end: date) -> Iterator[date]:
    """Every Friday of the period (the last working day of the week)."""
    friday = start + timedelta(days=(4 - start.weekday()) % 7)
    yield friday
    friday += timedelta(days=7)
    while friday <= end:
        yield friday
        friday += timedelta(days=7)


def limited(dates: Iterator[date]) -> tuple[date, ...]:
    result = []
    for day in dates:
        if len(result) >= MAX_OCCURRENCES or day.year > MAX_YEAR:
            break
        result.append(day)
    return tuple(result)
