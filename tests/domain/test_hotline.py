"""Working-hours arithmetic over weekends, Russia's holidays and transferred working days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.hotline import (
    MessageLimit,
    WorkSchedule,
    is_transferred_workday,
    parse_periods,
    parse_ticket_number,
    ticket_number,
)

MSK = ZoneInfo("Europe/Moscow")
SCHEDULE = WorkSchedule(tz="Europe/Moscow")


def msk(*args: int) -> datetime:
    return datetime(*args, tzinfo=MSK)


def test_ticket_numbers():
    assert ticket_number(123) == "№ 000123"
    assert ticket_number(1234567) == "№ 1234567"
    assert parse_ticket_number("№ 000123") == 123
    assert parse_ticket_number("#45") == 45
    assert parse_ticket_number("сорок") is None


def test_hours_carry_over_a_weekend():
    # Friday 6 March 2026 17:00 + 2 h: one hour on Friday, then 8 and 9 March are off
    # (Sunday and the day off for International Women's Day), so Tuesday 10:00.
    assert SCHEDULE.add_working_hours(msk(2026, 3, 6, 17), 2) == msk(2026, 3, 10, 10)


def test_new_year_holidays_and_a_working_saturday():
    # 31 December 2025 is a day off by the transfer, 1–11 January 2026 too (9 Jan moved).
    assert SCHEDULE.next_opening(msk(2025, 12, 30, 18)) == msk(2026, 1, 12, 9)
    # Saturday 1 November 2025 is a working day; Monday 3 and Tuesday 4 November are off.
    assert is_transferred_workday(date(2025, 11, 1))
    assert SCHEDULE.is_open(msk(2025, 11, 1, 12))
    assert SCHEDULE.next_opening(msk(2025, 10, 31, 19)) == msk(2025, 11, 1, 9)
    assert SCHEDULE.next_opening(msk(2025, 11, 1, 18)) == msk(2025, 11, 5, 9)


def test_days_skip_holidays():
    # From Thursday 30 April 2026 10:00, three working days: 4, 5, 6 May (1 May is off).
    assert SCHEDULE.add_working_days(msk(2026, 4, 30, 10), 3) == msk(2026, 5, 6, 10)
    # A start at night counts from the next opening.
    assert SCHEDULE.add_working_days(msk(2026, 3, 3, 23), 1) == msk(2026, 3, 5, 9)


def test_the_zone_of_the_organisation_decides():
    irkutsk = WorkSchedule(tz="Asia/Irkutsk")
    at = datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Irkutsk, 05:00 in Moscow
    assert irkutsk.is_open(at) and not SCHEDULE.is_open(at)


def test_periods_switch_the_line_on():
    line = WorkSchedule(tz="Europe/Moscow", periods=parse_periods([["2026-04-01", "2026-05-31"]]))
    assert not line.is_open(msk(2026, 3, 3, 10))
    assert line.next_opening(msk(2026, 3, 3, 10)) == msk(2026, 4, 1, 9)
    assert line.next_opening(msk(2026, 6, 1, 10)) is None
    assert parse_periods([["bad"], ["2026-05-01", "2026-04-01"]]) == ()


def test_message_limit():
    limit = MessageLimit(per_minute=2, max_chars=10)
    now = msk(2026, 3, 3, 10)
    assert limit.check(11, [], now) == "too_long"
    assert limit.check(5, [now - timedelta(seconds=10)] * 2, now) == "too_fast"
    assert limit.check(5, [now - timedelta(minutes=2)] * 5, now) is None


def test_bad_hours_are_refused():
    with pytest.raises(ValueError):
        WorkSchedule(tz="Europe/Moscow", start_hour=18, end_hour=9)


instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 1), timezones=st.just(UTC)
)


@settings(max_examples=60, deadline=None)
@given(start=instants, hours=st.integers(min_value=0, max_value=60))
def test_added_hours_are_working_time_and_land_in_hours(start, hours):
    end = SCHEDULE.add_working_hours(start, hours)
    assert end is not None and end >= start
    assert SCHEDULE.working_time_between(start, end) == timedelta(hours=hours)
    if hours:
        # The deadline is inside working hours, or exactly at the end of a working day.
        just_before = end - timedelta(seconds=1)
        assert SCHEDULE.is_open(just_before)


@settings(max_examples=60, deadline=None)
@given(start=instants)
def test_next_opening_is_open_and_nothing_opens_before_it(start):
    opening = SCHEDULE.next_opening(start)
    assert opening is not None and opening >= start
    assert SCHEDULE.is_open(opening)
    assert SCHEDULE.working_time_between(start, opening) == timedelta(0)
