"""What an officer may type into the hotline settings: working hours, periods, deadlines, a link."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from urllib.parse import urlsplit

from bot.domain.errors import ValidationError
from bot.domain.plans.calendar import month_length

ANSWER_HOURS = (1, 240)
ESCALATE_DAYS = (1, 60)
MAX_PERIODS = 12
MAX_URL = 500
WEEK = range(7)
# Words that mean "no periods": the line works all year round.
ALWAYS = frozenset({"всегда", "круглый год", "круглогодично", "без периодов", "нет", "-"})
AROUND_THE_CLOCK = frozenset({"круглосуточно", "24/7"})
NO_URL = frozenset({"", "-", "нет", "убрать"})
_DASH = r"\s*(?:-|–|—|до|по)\s*"
_HOURS = re.compile(
    rf"^(?:с\s*)?(\d{{1,2}})(?:[:.](\d{{2}}))?{_DASH}(\d{{1,2}})(?:[:.](\d{{2}}))?$"
)
_DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
_PERIOD = re.compile(rf"^(?:с\s*)?{_DATE}{_DASH}{_DATE}$")
_COUNT = re.compile(r"^(\d{1,4})(?:\s+[а-яё. ]*)?$")


def parse_work_hours(text: str) -> tuple[int, int]:
    """«9-18», «09:00-18:00», «с 9 до 18» or «круглосуточно» as [start, end) whole hours."""
    text = " ".join((text or "").lower().split())
    if text in AROUND_THE_CLOCK:
        return 0, 24
    found = _HOURS.match(text)
    if found is None or any(minutes not in (None, "00") for minutes in found.group(2, 4)):
        raise ValidationError("hotline_bad_hours")
    return check_work_hours(int(found[1]), int(found[3]))


def check_work_hours(start: int, end: int) -> tuple[int, int]:
    if not 0 <= start < end <= 24:
        raise ValidationError("hotline_bad_hours")
    return start, end


def check_work_days(days: Iterable[int]) -> tuple[int, ...]:
    """A non-empty set of weekdays, 0 being Monday."""
    found = tuple(sorted(set(days)))
    if not found or any(day not in WEEK for day in found):
        raise ValidationError("hotline_bad_days")
    return found


def _day(day: str, month: str, year: str) -> date:
    y, m, d = int(year), int(month), int(day)
    if 1 <= m <= 12 and d > month_length(y, m):
        raise ValidationError("impossible_date", year=y, month=m, days=month_length(y, m))
    try:
        return date(y, m, d)
    except ValueError as exc:
        raise ValidationError("hotline_bad_periods") from exc


def parse_period_list(text: str) -> tuple[tuple[date, date], ...]:
    """«01.03.2026-31.05.2026, 01.09.2026-30.09.2026», or «всегда» for none (all year)."""
    if " ".join((text or "").lower().split()) in ALWAYS:
        return ()
    parts = [" ".join(p.lower().split()) for p in re.split(r"[,;\n]", text or "") if p.strip()]
    if not parts:
        raise ValidationError("hotline_bad_periods")
    if len(parts) > MAX_PERIODS:
        raise ValidationError("hotline_too_many_periods", limit=MAX_PERIODS)
    found = []
    for part in parts:
        match = _PERIOD.match(part)
        if match is None:
            raise ValidationError("hotline_bad_periods")
        start, end = _day(*match.group(1, 2, 3)), _day(*match.group(4, 5, 6))
        found.append(check_period(start, end, part))
    return tuple(sorted(found))


def check_period(start: date, end: date, shown: str = "") -> tuple[date, date]:
    if start > end:
        raise ValidationError("hotline_period_reversed", period=shown or f"{start}–{end}")
    return start, end


def check_count(value: int | str, limits: tuple[int, int], code: str) -> int:
    """A whole number within ``limits``; typed text may say «8 часов» or «3 дня»."""
    if isinstance(value, str):
        found = _COUNT.match(" ".join(value.lower().split()))
        if found is None:
            raise ValidationError(code)
        value = int(found[1])
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValidationError(code)
    if not limits[0] <= value <= limits[1]:
        raise ValidationError(code)
    return value


def check_appeal_url(value: str | None) -> str | None:
    """An http(s) address, or None for «-» or nothing (the default channel is then shown)."""
    text = (value or "").strip()
    if text.lower() in NO_URL:
        return None
    parts = urlsplit(text)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() for c in text)
        or len(text) > MAX_URL
    ):
        raise ValidationError("hotline_bad_url")
    return text
