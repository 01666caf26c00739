"""Plan metadata from the text above the table: title, approval date, approving body, period."""

import re
from datetime import date

from bot.domain.plans.calendar import MAX_YEAR, MIN_YEAR
from bot.domain.plans.deadlines import PlanPeriod
from bot.domain.plans.table import clean
from bot.domain.plans.tokens import month_of

_DATE_RE = re.compile(
    r"(?P<d1>\d{1,2})(?P<sep>[./])(?P<m1>\d{1,2})(?P=sep)(?P<y1>\d{4})"
    r"|«?\s*(?P<d2>\d{1,2})\s*»?\s+(?P<m2>\d{1,2}|[а-яё]+)\s+(?P<y2>\d{4})"
)
_ORDER_RE = re.compile(r"(?:^|\s)приказ(?:\s|$)", re.IGNORECASE)
_APPROVED_RE = re.compile(r"утвержд\w*[^.]{0,150}?\bот\s", re.IGNORECASE)
_OWNER_RE = re.compile(
    r"^(?:управление|департамент|министерство|комитет|отдел|мбоу|маоу|мкоу|моу|гбоу)\b",
    re.IGNORECASE,
)
_TITLE_RE = re.compile(r"^(?:план|дорожная карта)\b", re.IGNORECASE)
_ORDER_TITLE_RE = re.compile(r"^об утверждении плана\s+(?P<rest>.+)$", re.IGNORECASE)
_PERIOD_PATTERNS = (
    (re.compile(r"(\d{4})\s*[-–—/]\s*(\d{4})\s*(?:уч\.|учебн)", re.IGNORECASE), "school"),
    (re.compile(r"(\d{4})\s*[-–—]\s*(\d{4})\s*(?:гг|год)", re.IGNORECASE), "years"),
    (re.compile(r"(?:в|на)\s+(\d{4})\s*(?:г\.|год)", re.IGNORECASE), "year"),
)


def paragraphs(rows: list[list[str]]) -> list[str]:
    """Rows above the table as paragraphs of clean text."""
    return [text for row in rows if (text := clean(" ".join(row)))]


def _date_from(match: re.Match[str]) -> date | None:
    day, month, year = match.group("d1", "m1", "y1")
    if day is None:
        day, month, year = match.group("d2", "m2", "y2")
    number = int(month) if month.isdigit() else month_of(month.lower())
    if number is None or not 1 <= number <= 12 or not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    try:
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _first_date(text: str) -> date | None:
    return next((found for m in _DATE_RE.finditer(text) if (found := _date_from(m))), None)


def find_approved(parts: list[str]) -> date | None:
    """The order's date: right after the «ПРИКАЗ» heading, else «утверждён … от <дата>»."""
    for index, part in enumerate(parts):
        if part.strip(" .:").lower() == "приказ":
            found = _first_date(" ".join(parts[index + 1 : index + 3])[:80])
            if found:
                return found
    text = " ".join(parts)
    for pattern in (_ORDER_RE, _APPROVED_RE):
        match = pattern.search(text)
        if match and (found := _first_date(text[match.end() : match.end() + 80])):
            return found
    return None


def find_owner(parts: list[str]) -> str | None:
    owner = next((part for part in parts[:15] if _OWNER_RE.match(part)), None)
    if owner is None:
        return None
    return owner[0] + owner[1:].lower() if owner.isupper() else owner


def _heading_tail(parts: list[str]) -> list[str]:
    """Lines continuing a heading: everything up to the table, or lines starting in lowercase."""
    if len(parts) <= 4 and len(" ".join(parts)) <= 400:
        return parts
    tail = []
    for part in parts:
        letters = [char for char in part if char.isalpha()]
        if not letters or not letters[0].islower():
            break
        tail.append(part)
    return tail


def find_title(parts: list[str]) -> str | None:
    """The plan heading nearest to the table, else the subject of the approving order."""
    for index in range(len(parts) - 1, -1, -1):
        if _TITLE_RE.match(parts[index]) and len(parts[index]) < 500:
            return " ".join([parts[index], *_heading_tail(parts[index + 1 :])])
    for part in parts:
        if match := _ORDER_TITLE_RE.match(part):
            rest = match.group("rest").replace("(«дорожной карты»)", "(«дорожная карта»)")
            return f"План {rest}"
    return None


def _period(match: re.Match[str], kind: str) -> PlanPeriod | None:
    first = int(match.group(1))
    last = int(match.group(match.lastindex or 1))
    if not MIN_YEAR <= first <= last <= MAX_YEAR:
        return None
    if kind == "school":
        return PlanPeriod(date(first, 9, 1), date(last, 8, 31)) if last > first else None
    return PlanPeriod(date(first, 1, 1), date(last, 12, 31))


def find_period(title: str | None, parts: list[str]) -> PlanPeriod | None:
    """«на 2023-2024 учебный год», «на 2022-2024 годы», «в 2024 году»: the title wins."""
    for text in (title or "", " ".join(parts)):
        for pattern, kind in _PERIOD_PATTERNS:
            for match in pattern.finditer(text):
                if period := _period(match, kind):
                    return period
    return None
