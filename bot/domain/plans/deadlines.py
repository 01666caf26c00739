"""Russian deadline texts («март-сентябрь», «ежегодно», «постоянно») as structured rules."""

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from bot.domain.plans.calendar import (
    REPORT_DAY,
    add_years,
    half_year_reports,
    limited,
    month_length,
    monthly_days,
    monthly_reports,
    quarterly_reports,
    report_deadline,
    weekly_reports,
    yearly_ends,
)
from bot.domain.plans.tokens import LIST, RANGE, Point, Token, normalize, point_at, tokenize


class DeadlineKind(StrEnum):
    DATE = "date"
    DATES = "dates"
    WINDOW = "window"
    RECURRING = "recurring"
    RELATIVE = "relative"
    CONTINUOUS = "continuous"
    UNSPECIFIED = "unspecified"


@dataclass(frozen=True)
class PlanPeriod:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("plan period ends before it starts")


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: DeadlineKind
    due: tuple[date, ...]
    start: date | None = None
    period: str | None = None
    offset_days: int | None = None
    event: str | None = None
    needs_review: bool = False


# Texts that defer to someone else's schedule: a date found beside them is only a hint.
_EXTERNAL_RE = re.compile(
    r"по плану|согласно|соответстви|по графику|необходимост|по запросу|по решению|по согласовани"
)
_CONTINUOUS_RE = re.compile(
    r"постоянн|в течение (?:всего |учебного |календарного |отчетного )?(?:года|периода)"
    r"|весь период|по мере (?!необходим)|систематически|регулярно|ежедневно"
)
_RECURRENCES = (
    (
        re.compile(
            r"ежеполугодн|полугодов|кажд\w* полугоди|раз в полугоди|раз в полгода"
            r"|(?:2|два) раза в год|по полугодиям"
        ),
        "half",
    ),
    (re.compile(r"ежегодн|кажд\w* год|раз в год"), "year"),
    (re.compile(r"ежеквартальн|кажд\w* квартал|раз в квартал|поквартальн"), "quarter"),
    (re.compile(r"ежемесячн|кажд\w* месяц|раз в месяц|помесячн"), "month"),
    (re.compile(r"еженедельн|кажд\w* недел|раз в неделю"), "week"),
)
# Reports due after the period they cover: the one for the plan's last period falls after it.
_REPORTED_AFTER = {"month", "quarter", "half"}
_THEN_WORDS = {"далее", "затем", "потом", "дальнейшем"}
# «в начале мая» is due on the 10th, «в середине мая» on the 15th, «в конце мая» on the 31st.
_MONTH_PARTS = {
    "начало": 10, "начале": 10, "начала": 10,
    "середина": 15, "середине": 15, "середины": 15,
    "конец": None, "конце": None, "конца": None,
}  # fmt: skip
_AFTER_RE = re.compile(r"после|по итогам|по окончании|по завершении")
_UNIT_DAYS = {
    "день": 1, "дня": 1, "дней": 1, "сутки": 1, "суток": 1,
    "неделя": 7, "недели": 7, "недель": 7, "неделю": 7,
    "месяц": 30, "месяца": 30, "месяцев": 30,
}  # fmt: skip
_UNIT_ADJECTIVES = {"рабочих", "рабочий", "календарных", "календарный"}
_ONE_UNIT_BEFORE = {"за", "позднее", "через", "течение", "чем"}
_EVENTS = (
    (re.compile(r"\bвпр\b|проверочн\w* работ"), "ВПР"),
    (re.compile(r"\bнико\b"), "НИКО"),
    (re.compile(r"\bгиа\b"), "ГИА"),
    (re.compile(r"\bогэ\b"), "ОГЭ"),
    (re.compile(r"\bегэ\b"), "ЕГЭ"),
    (re.compile(r"мониторинг"), "мониторинг"),
    (re.compile(r"олимпиад"), "олимпиада"),
    (re.compile(r"итогов\w* сочинени"), "итоговое сочинение"),
    (re.compile(r"оценочн\w* процедур"), "оценочная процедура"),
)


class ImpossibleDate(Exception):
    """A typed day that its month does not have («31.02.2024»)."""

    def __init__(self, year: int, month: int) -> None:
        super().__init__(f"{month:02d}.{year} has {month_length(year, month)} days")
        self.year, self.month, self.days = year, month, month_length(year, month)


@dataclass
class _Context:
    text: str
    norm: str
    tokens: list[Token]
    items: list[Point | str]
    period: PlanPeriod
    anchor: date

    @property
    def external(self) -> bool:
        return _EXTERNAL_RE.search(self.norm) is not None

    def deadline(self, kind: DeadlineKind, due: tuple[date, ...] = (), **fields) -> Deadline:
        return Deadline(self.text, kind, due, **fields)


def parse_deadline(text: str, period: PlanPeriod, anchor: date | None = None) -> Deadline:
    """The structured rule for a deadline text; unknown texts become `unspecified`."""
    norm = normalize(text)
    tokens = tokenize(norm)
    items = _propagate_years(_scan(tokens))
    ctx = _Context(text, norm, tokens, items, period, anchor or period.start)
    for rule in (_relative, _recurring, _continuous, _calendar, _after_event):
        found = rule(ctx)
        if found is not None:
            return _checked_against(found, period)
    return ctx.deadline(DeadlineKind.UNSPECIFIED)


def _checked_against(deadline: Deadline, period: PlanPeriod) -> Deadline:
    """A date outside the plan period is kept as written but marked for an officer to check."""
    last = period.end
    if deadline.kind is DeadlineKind.RECURRING and deadline.period in _REPORTED_AFTER:
        last = report_deadline(period.end)
    outside = any(not period.start <= day <= last for day in deadline.due)
    if outside and not deadline.needs_review:
        return replace(deadline, needs_review=True)
    return deadline


def parse_user_date(text: str, today: date) -> date | None:
    """A single date typed by an officer; a date without a year is its next occurrence."""
    word = normalize(text).strip(" .!")
    if word in ("сегодня", "завтра", "послезавтра"):
        return today + timedelta(days=("сегодня", "завтра", "послезавтра").index(word))
    deadline = parse_deadline(text, PlanPeriod(today, add_years(today, 1)), anchor=today)
    if deadline.kind is DeadlineKind.DATE:
        return deadline.due[0]
    single_month = (
        deadline.kind is DeadlineKind.WINDOW
        and deadline.start is not None
        and deadline.start.day == 1
        and (deadline.start.year, deadline.start.month)
        == (deadline.due[0].year, deadline.due[0].month)
    )
    return deadline.due[0] if single_month else None


def parse_typed_date(text: str, today: date) -> date | None:
    """Like parse_user_date, but a day the month lacks raises ImpossibleDate, not clamped."""
    found = parse_user_date(text, today)
    if found is not None:
        check_typed_days(text, today)
    return found


def check_typed_days(text: str, anchor: date) -> None:
    """Raise ImpossibleDate for a typed day its month lacks; documents are clamped instead."""
    for point in _propagate_years(_scan(tokenize(normalize(text)))):
        if isinstance(point, Point) and point.day is not None and point.month is not None:
            day, _, clamped = _resolve(point, anchor)
            if clamped:
                raise ImpossibleDate(day.year, day.month)


def _month_part(point: Point, word: str) -> Point:
    """The point narrowed by «в начале», «в середине» or «в конце» written before it."""
    if word not in _MONTH_PARTS or point.day is not None:
        return point
    day = _MONTH_PARTS[word]
    if day is None:
        point.by = True
    elif point.year_only:
        return point
    elif point.month is not None:
        point.day = day
    elif day == 10:
        point.month, point.day = point.first_month, day
    return point


def _scan(tokens: list[Token]) -> list[Point | str]:
    """Calendar points with the range and list separators between them."""
    items: list[Point | str] = []
    by = False
    i = 0
    while i < len(tokens):
        point, after = point_at(tokens, i)
        if point is None:
            point, after = _day_before_range(tokens, i)
        if point is not None:
            point.by, by = by, False
            if i > 0:
                point = _month_part(point, tokens[i - 1].text)
            items.append(point)
            i = after
            continue
        text = tokens[i].text
        if text in ("-", "/") or (text == "по" and items and isinstance(items[-1], Point)):
            items.append(RANGE)
        elif text in (",", ";", "и"):
            items.append(LIST)
        elif text in ("до", "позднее", "к"):
            by = True
        i += 1
    return items


def _day_before_range(tokens: list[Token], i: int) -> tuple[Point | None, int]:
    """«15-20 марта», «с 1 по 15 июня»: the first day borrows the month of the second."""
    token = tokens[i]
    if token.kind != "num" or len(token.text) > 2 or not 1 <= int(token.text) <= 31:
        return None, i
    if i + 2 >= len(tokens) or tokens[i + 1].text not in ("-", "по"):
        return None, i
    second, _ = point_at(tokens, i + 2)
    if second is None or second.day is None:
        return None, i
    return Point(day=int(token.text), month=second.month, year=second.year), i + 1


def _dated(point: Point) -> bool:
    return not point.year_only


def _propagate_years(items: list[Point | str]) -> list[Point | str]:
    """«сентябрь, декабрь 2023», «март - май 2024»: a written year covers its neighbours."""
    points = [item for item in items if isinstance(item, Point) and _dated(item)]
    for sequence, step in ((points[::-1], -1), (points, 1)):
        carried: Point | None = None
        for point in sequence:
            if point.year is not None:
                carried = point
            elif carried is not None and carried.year is not None:
                wraps = (point.last_month - carried.last_month) * step < 0
                point.year = carried.year + (step if wraps else 0)
                carried = point
    return items


def _groups(items: list[Point | str]) -> list[list[Point]]:
    groups: list[list[Point]] = []
    joined = False
    for item in items:
        if isinstance(item, Point):
            if joined and groups:
                groups[-1].append(item)
            else:
                groups.append([item])
            joined = False
        else:
            joined = item == RANGE and bool(groups)
    return groups


def _resolve(point: Point, anchor: date) -> tuple[date, date, bool]:
    if point.year is not None:
        return point.bounds(point.year)
    start, end, clamped = point.bounds(anchor.year)
    return point.bounds(anchor.year + 1) if end < anchor else (start, end, clamped)


def _resolve_range(first: Point, last: Point, ctx: _Context) -> tuple[date, date, bool]:
    school_year = first.year_only and last.year_only and "учебн" in ctx.norm
    if school_year and first.year is not None and last.year is not None and first.year < last.year:
        return date(first.year, 9, 1), date(last.year, 8, 31), False
    _, end, clamped_end = _resolve(last, ctx.anchor)
    if first.year is None:
        wraps = (first.first_month, first.day or 0) > (last.first_month, last.day or 0)
        first.year = end.year - (1 if wraps else 0)
    start, _, clamped_start = first.bounds(first.year)
    return min(start, end), max(start, end), clamped_start or clamped_end


def _resolve_group(group: list[Point], ctx: _Context) -> tuple[date, date, bool]:
    if len(group) == 1:
        return _resolve(group[0], ctx.anchor)
    return _resolve_range(group[0], group[-1], ctx)


def _offset(tokens: list[Token]) -> tuple[int, int] | None:
    """Days in «за 2 недели», «не позднее 1 месяца», and the index of the unit word."""
    for i, token in enumerate(tokens):
        if token.text not in _UNIT_DAYS:
            continue
        before = i - 1
        if before >= 0 and tokens[before].text in _UNIT_ADJECTIVES:
            before -= 1
        if before >= 0 and tokens[before].kind == "num" and len(tokens[before].text) <= 3:
            return int(tokens[before].text) * _UNIT_DAYS[token.text], i
        if before >= 0 and tokens[before].text in _ONE_UNIT_BEFORE:
            return _UNIT_DAYS[token.text], i
    return None


def _event(norm: str) -> str | None:
    return next((name for pattern, name in _EVENTS if pattern.search(norm)), None)


def _recurrence(norm: str) -> str | None:
    return next((period for pattern, period in _RECURRENCES if pattern.search(norm)), None)


def _relative(ctx: _Context) -> Deadline | None:
    offset = _offset(ctx.tokens)
    if offset is None:
        return None
    days, unit = offset
    following = [token.text for token in ctx.tokens[unit + 1 : unit + 3]]
    if "до" in following:
        sign = -1
    elif _AFTER_RE.search(ctx.norm):
        sign = 1
    else:
        return None
    return ctx.deadline(
        DeadlineKind.RELATIVE,
        offset_days=sign * days,
        event=_event(ctx.norm),
        period=_recurrence(ctx.norm),
    )


def _year_range(items: list[Point | str]) -> tuple[int, int] | None:
    for first, sep, last in zip(items, items[1:], items[2:], strict=False):
        if (
            isinstance(first, Point)
            and isinstance(last, Point)
            and sep == RANGE
            and first.year_only
            and last.year_only
            and first.year is not None
            and last.year is not None
            and first.year <= last.year
        ):
            return first.year, last.year
    return None


def _yearly(ctx: _Context, years: tuple[int, int] | None) -> tuple[tuple[date, ...], bool]:
    period = ctx.period
    point = next((item for item in ctx.items if isinstance(item, Point) and _dated(item)), None)
    if point is None:
        if years is not None:
            return tuple(date(year, 12, 31) for year in range(years[0], years[1] + 1)), False
        return limited(yearly_ends(period.start, period.end)), False
    span = (
        range(years[0], years[1] + 1) if years else range(period.start.year, period.end.year + 1)
    )
    found = [point.bounds(year) for year in span]
    due = [end for _, end, _ in found if years or period.start <= end <= period.end]
    if not due:
        due = [
            _resolve(Point(point.day, point.month, None, point.quarter, point.half), period.start)[
                1
            ]
        ]
    return tuple(sorted(set(due))), any(clamped for _, _, clamped in found)


def _report_day(tokens: list[Token]) -> int | None:
    """The day in «до 5 числа», «до 25-го числа», or None."""
    for i, token in enumerate(tokens):
        if token.kind != "num" or len(token.text) > 2 or not 1 <= int(token.text) <= 31:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].text in ("-", "го", "ого"):
            j += 1
        if j < len(tokens) and tokens[j].text in ("числа", "число"):
            return int(token.text)
    return None


def _monthly(ctx: _Context) -> tuple[date, ...]:
    start, end = ctx.period.start, ctx.period.end
    day = _report_day(ctx.tokens)
    if day is None:
        return limited(monthly_reports(start, end))
    # «до 5 числа» is the report on the month before; «до 25 числа» is work of the month itself.
    same_month = "текущ" in ctx.norm or (day > REPORT_DAY and "следующ" not in ctx.norm)
    if same_month:
        return limited(monthly_days(start, end, day))
    return limited(monthly_reports(start, end, day))


def _lead_dates(ctx: _Context) -> tuple[tuple[date, ...], bool]:
    """«март, далее ежеквартально»: the dates written before «далее» come first."""
    then = next((i for i, token in enumerate(ctx.tokens) if token.text in _THEN_WORDS), None)
    if then is None:
        return (), False
    resolved = [
        _resolve_group(group, ctx)
        for group in _groups(_propagate_years(_scan(ctx.tokens[:then])))
        if all(_dated(point) for point in group)
    ]
    return tuple(end for _, end, _ in resolved), any(clamped for _, _, clamped in resolved)


def _recurring(ctx: _Context) -> Deadline | None:
    period = _recurrence(ctx.norm)
    years = _year_range(ctx.items) if "учебн" not in ctx.norm else None
    if period is None and (years is None or _CONTINUOUS_RE.search(ctx.norm)):
        return None
    clamped = False
    start, end = ctx.period.start, ctx.period.end
    day = _report_day(ctx.tokens) or REPORT_DAY
    if period in (None, "year"):
        due, clamped = _yearly(ctx, years)
    else:
        if period == "half":
            due = limited(half_year_reports(start, end, day))
        elif period == "quarter":
            due = limited(quarterly_reports(start, end, day))
        elif period == "month":
            due = _monthly(ctx)
        else:
            due = limited(weekly_reports(start, end))
        lead, clamped = _lead_dates(ctx)
        due = tuple(sorted({*lead, *due}))
    return ctx.deadline(
        DeadlineKind.RECURRING,
        due,
        start=start,
        period=period or "year",
        needs_review=clamped or ctx.external,
    )


def _continuous(ctx: _Context) -> Deadline | None:
    if not _CONTINUOUS_RE.search(ctx.norm):
        return None
    resolved = [_resolve_group(group, ctx) for group in _groups(ctx.items)]
    first_dates = sorted({end for _, end, _ in resolved if end < ctx.period.end})
    return ctx.deadline(
        DeadlineKind.CONTINUOUS,
        (*first_dates, ctx.period.end),
        start=min((start for start, _, _ in resolved), default=ctx.period.start),
        period="month",
        needs_review=any(clamped for _, _, clamped in resolved),
    )


def _calendar(ctx: _Context) -> Deadline | None:
    groups = _groups(ctx.items)
    if not groups:
        return None
    resolved = [_resolve_group(group, ctx) for group in groups]
    review = ctx.external or any(clamped for _, _, clamped in resolved)
    if len(groups) > 1:
        due = tuple(sorted({end for _, end, _ in resolved}))
        kind = DeadlineKind.DATES if len(due) > 1 else DeadlineKind.DATE
        return ctx.deadline(kind, due, needs_review=review)
    (start, end, _), group = resolved[0], groups[0]
    if len(group) > 1:
        return ctx.deadline(DeadlineKind.WINDOW, (end,), start=start, needs_review=review)
    point = group[0]
    if point.day is not None or point.by or (point.month is not None and point.year is None):
        return ctx.deadline(DeadlineKind.DATE, (end,), needs_review=review)
    return ctx.deadline(DeadlineKind.WINDOW, (end,), start=start, needs_review=review)


def _after_event(ctx: _Context) -> Deadline | None:
    """«после проведения ВПР» without an offset: due on the event day until an officer decides."""
    event = _event(ctx.norm)
    if event is None or not _AFTER_RE.search(ctx.norm):
        return None
    return ctx.deadline(DeadlineKind.RELATIVE, offset_days=0, event=event, needs_review=True)
