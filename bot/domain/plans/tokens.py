"""Tokenizer for Russian deadline texts: words, numbers, dates and calendar points."""

import re
from dataclasses import dataclass
from datetime import date

from bot.domain.plans.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    half_bounds,
    month_end,
    quarter_bounds,
    safe_day,
)

_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-", "‒": "-", "ё": "е", "\xa0": " "})
_TOKEN_RE = re.compile(
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?!\d)"
    r"|(?P<dmy>\d{1,2}\.\d{1,2}(?:\.\d{4}|\.\d{2})?"
    r"|\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-\d{4})(?!\d)"
    r"|(?P<num>\d+)"
    r"|(?P<word>[a-zа-я]+)"
    r"|(?P<punct>[-,;()/])"
)
_MONTH_STEMS = (
    ("январ", 1), ("феврал", 2), ("март", 3), ("апрел", 4), ("июн", 6), ("июл", 7),
    ("август", 8), ("сентябр", 9), ("октябр", 10), ("ноябр", 11), ("декабр", 12),
)  # fmt: skip
_MONTH_WORDS = {
    "май": 5, "мая": 5, "мае": 5, "маю": 5, "маем": 5, "янв": 1, "фев": 2, "мар": 3, "апр": 4,
    "авг": 8, "сен": 9, "сент": 9, "окт": 10, "ноя": 11, "нояб": 11, "дек": 12,
}  # fmt: skip
_ORDINALS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "перв": 1, "втор": 2, "трет": 3, "четверт": 4}
_ORDINAL_SUFFIXES = {"-", "й", "го", "ом", "м", "ый", "ого", "ой", "е", "ое", "я", "ая"}
RANGE = "-"
LIST = ","


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass
class Point:
    """A calendar point as written: a day, a month, a quarter, a half-year or a year."""

    day: int | None = None
    month: int | None = None
    year: int | None = None
    quarter: int | None = None
    half: int | None = None
    by: bool = False

    @property
    def year_only(self) -> bool:
        return self.month is None and self.quarter is None and self.half is None

    @property
    def last_month(self) -> int:
        if self.month is not None:
            return self.month
        if self.quarter is not None:
            return self.quarter * 3
        return self.half * 6 if self.half is not None else 12

    @property
    def first_month(self) -> int:
        return self.last_month - (2 if self.quarter else 5 if self.half else 0)

    def bounds(self, year: int) -> tuple[date, date, bool]:
        """First day, last day and whether an impossible day was clamped, in the given year."""
        if self.day is not None and self.month is not None:
            day, clamped = safe_day(year, self.month, self.day)
            return day, day, clamped
        if self.month is not None:
            return date(year, self.month, 1), month_end(year, self.month), False
        if self.quarter is not None:
            return (*quarter_bounds(year, self.quarter), False)
        if self.half is not None:
            return (*half_bounds(year, self.half), False)
        return date(year, 1, 1), date(year, 12, 31), False


def normalize(text: str) -> str:
    return text.lower().translate(_DASHES).replace("*", " ")


def tokenize(text: str) -> list[Token]:
    return [Token(match.lastgroup or "", match.group()) for match in _TOKEN_RE.finditer(text)]


def month_of(word: str) -> int | None:
    if word in _MONTH_WORDS:
        return _MONTH_WORDS[word]
    return next((number for stem, number in _MONTH_STEMS if word.startswith(stem)), None)


def _ordinal(token: Token) -> int | None:
    if token.kind == "num":
        return int(token.text) if len(token.text) <= 2 else None
    if token.kind == "word":
        if token.text in _ORDINALS:
            return _ORDINALS[token.text]
        return next(
            (n for stem, n in _ORDINALS.items() if len(stem) > 3 and token.text.startswith(stem)),
            None,
        )
    return None


def _year_at(tokens: list[Token], i: int) -> int | None:
    if i < len(tokens) and tokens[i].kind == "num" and len(tokens[i].text) == 4:
        year = int(tokens[i].text)
        return year if MIN_YEAR <= year <= MAX_YEAR else None
    return None


def _with_year(point: Point, tokens: list[Token], i: int) -> tuple[Point, int]:
    year = _year_at(tokens, i)
    if year is not None:
        point.year = year
        return point, i + 1
    return point, i


def _numeric_date(token: Token) -> Point | None:
    parts = [int(part) for part in re.split(r"[./-]", token.text)]
    if token.kind == "iso":
        parts = parts[::-1]
    day, month = parts[0], parts[1]
    year = parts[2] if len(parts) > 2 else None
    if year is not None and year < 100:
        year += 2000
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        return None
    return Point(day=day, month=month, year=year)


def _period_point(tokens: list[Token], i: int) -> tuple[Point | None, int]:
    """«1 квартал», «II квартале», «первом квартале», «1-е полугодие»."""
    number = _ordinal(tokens[i])
    j = i + 1
    while j < len(tokens) and tokens[j].text in _ORDINAL_SUFFIXES:
        j += 1
    if number is None or j >= len(tokens) or tokens[j].kind != "word":
        return None, i
    if tokens[j].text.startswith("квартал") and 1 <= number <= 4:
        return _with_year(Point(quarter=number), tokens, j + 1)
    if tokens[j].text.startswith("полугод") and 1 <= number <= 2:
        return _with_year(Point(half=number), tokens, j + 1)
    return None, i


def point_at(tokens: list[Token], i: int) -> tuple[Point | None, int]:
    """The calendar point starting at token i and the index after it, or (None, i)."""
    token = tokens[i]
    if token.kind in ("iso", "dmy"):
        return _numeric_date(token), i + 1
    period, after = _period_point(tokens, i)
    if period is not None:
        return period, after
    if token.kind == "word" and (month := month_of(token.text)) is not None:
        return _with_year(Point(month=month), tokens, i + 1)
    if token.kind != "num":
        return None, i
    following = month_of(tokens[i + 1].text) if i + 1 < len(tokens) else None
    if following is not None and len(token.text) <= 2 and 1 <= int(token.text) <= 31:
        return _with_year(Point(day=int(token.text), month=following), tokens, i + 2)
    year = _year_at(tokens, i)
    return (Point(year=year), i + 1) if year is not None else (None, i)
