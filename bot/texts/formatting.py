"""Russian rendering of numbers and dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.plural import PluralRule

_RU_PLURAL = PluralRule(
    {
        "one": "v = 0 and i % 10 = 1 and i % 100 != 11",
        "few": "v = 0 and i % 10 = 2..4 and i % 100 != 12..14",
    }
)
WEEKDAYS = ("пн", "вт", "ср", "чт", "пт", "сб", "вс")


def plural(n: int, one: str, few: str, many: str) -> str:
    """Return «5 задач» with the Russian plural form for ``n``."""
    form = _RU_PLURAL(abs(n))
    word = one if form == "one" else few if form == "few" else many
    return f"{n} {word}"


def format_date(value: date, weekday: bool = False) -> str:
    """Return ``15.03.2024``, or ``15.03.2024 (пт)`` with the weekday."""
    text = value.strftime("%d.%m.%Y")
    return f"{text} ({WEEKDAYS[value.weekday()]})" if weekday else text


def format_datetime(value: datetime, tz: str) -> str:
    """Return a UTC moment as local ``15.03.2024 09:00``."""
    return value.astimezone(ZoneInfo(tz)).strftime("%d.%m.%Y %H:%M")


def days_left_text(days: int) -> str:
    """Return «осталось 3 дня», «сегодня» or «просрочено на 2 дня»."""
    if days == 0:
        return "срок сегодня"
    if days == 1:
        return "срок завтра"
    if days > 0:
        return "осталось " + plural(days, "день", "дня", "дней")
    return "просрочено на " + plural(-days, "день", "дня", "дней")


def upper_first(text: str) -> str:
    """The first letter capitalised and the rest kept, so «ВПР» stays «ВПР» (not «Впр»)."""
    return text[:1].upper() + text[1:]
