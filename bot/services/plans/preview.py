"""What importing a plan document would create, before anything is saved."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from bot.domain.errors import ValidationError
from bot.domain.plans.deadlines import DeadlineKind, ImpossibleDate, PlanPeriod, parse_typed_date
from bot.domain.plans.documents import read_plan
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.export import (
    PERIOD_REQUIRED,
    AnalysedMeasure,
    PlanAnalysis,
    analyse_plan,
    needs_officer_date,
)
from bot.domain.plans.models import ParsedPlan, PlanFormatError

_DATE = r"\d{1,2}(?:\.\d{1,2}\.\d{2,4}|/\d{1,2}/\d{2,4}|-\d{1,2}-\d{4})"
_PERIOD_RU = re.compile(rf"^\s*(?:с\s+)?({_DATE})\s*(?:-|–|—|по)\s*({_DATE})\s*$")
_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")


class PeriodRequired(PlanFormatError):
    """The document names no period and the officer has not given one yet."""


@dataclass(frozen=True)
class MeasurePreview:
    position: int
    number: str
    section: str | None
    title: str
    responsible: str
    deadline_text: str
    kind: DeadlineKind
    due: tuple[date, ...]
    start: date | None
    executor: ExecutorLevel
    needs_review: bool


@dataclass(frozen=True)
class PlanPreview:
    title: str
    approved: date | None
    approved_by: str | None
    period: PlanPeriod
    period_from_document: bool
    measures: list[MeasurePreview]
    analysis: PlanAnalysis
    owner_is_school: bool = False

    @property
    def by_kind(self) -> dict[DeadlineKind, int]:
        found = Counter(m.kind for m in self.measures)
        return {kind: found[kind] for kind in DeadlineKind if found[kind]}

    @property
    def by_executor(self) -> dict[ExecutorLevel, int]:
        found = Counter(m.executor for m in self.measures)
        return {level: found[level] for level in ExecutorLevel if found[level]}

    @property
    def needs_date(self) -> list[MeasurePreview]:
        return [
            m
            for m in self.measures
            if needs_officer_date(m.kind, m.executor, self.owner_is_school)
        ]

    @property
    def needs_review(self) -> int:
        return sum(m.needs_review for m in self.measures)

    def with_executors(self, overrides: dict[int, ExecutorLevel]) -> PlanPreview:
        changed = [
            replace(m, executor=overrides.get(m.position, m.executor)) for m in self.measures
        ]
        return replace(self, measures=changed)


def _measure_preview(item: AnalysedMeasure) -> MeasurePreview:
    m, d = item.measure, item.deadline
    return MeasurePreview(
        m.position,
        m.number,
        m.section,
        m.title,
        m.responsible,
        m.deadline_text,
        d.kind,
        d.due,
        d.start,
        item.executor,
        d.needs_review,
    )


def preview_parsed(
    parsed: ParsedPlan, period: PlanPeriod | None = None, owner_is_school: bool = False
) -> PlanPreview:
    """What importing the read plan would create; PeriodRequired when no period is known."""
    if period is None and parsed.period is None:
        raise PeriodRequired(PERIOD_REQUIRED)
    analysis = analyse_plan(parsed, period)
    return PlanPreview(
        title=parsed.title,
        approved=parsed.approved,
        approved_by=parsed.approved_by,
        period=analysis.period,
        period_from_document=period is None,
        measures=[_measure_preview(item) for item in analysis.measures],
        analysis=analysis,
        owner_is_school=owner_is_school,
    )


def preview_plan(
    data: bytes, filename: str, period: PlanPeriod | None = None, owner_is_school: bool = False
) -> PlanPreview:
    """What importing the document would create; PlanFormatError tells why it cannot."""
    return preview_parsed(read_plan(data, filename), period, owner_is_school)


def parse_period(text: str, today: date) -> PlanPeriod:
    """«01.09.2023-31.08.2024», «2023-2024» (a school year) or ISO «2023-09-01:2024-08-31»."""
    text = text.strip()
    try:
        if ":" in text:
            start, end = (date.fromisoformat(part.strip()) for part in text.split(":", 1))
            return PlanPeriod(start, end)
        if years := _SCHOOL_YEAR.match(text):
            first, last = int(years[1]), int(years[2])
            if last == first + 1:
                return PlanPeriod(date(first, 9, 1), date(last, 8, 31))
            return PlanPeriod(date(first, 1, 1), date(last, 12, 31))
        if found := _PERIOD_RU.match(text):
            start, end = (parse_typed_date(found[i], today) for i in (1, 2))
            if start is not None and end is not None:
                return PlanPeriod(start, end)
    except ImpossibleDate as exc:
        raise ValidationError(
            "impossible_date", year=exc.year, month=exc.month, days=exc.days
        ) from exc
    except ValueError as exc:
        raise ValidationError("bad_period") from exc
    raise ValidationError("bad_period")
