"""A parsed plan with structured deadlines and executors, and its JSON form."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.domain.errors import ErrorCode
from bot.domain.plans.deadlines import Deadline, DeadlineKind, PlanPeriod, parse_deadline
from bot.domain.plans.executors import ExecutorLevel, classify_executor
from bot.domain.plans.models import ParsedMeasure, ParsedPlan, PlanFormatError

# The code services raise when neither the document nor the officer gives a period.
PERIOD_REQUIRED = ErrorCode.PLAN_PERIOD_REQUIRED
# An order may be signed a few months before the plan period it approves.
_APPROVAL_LEAD = timedelta(days=183)
# Only schools enter assessment events, so a rule counted from one never dates these executors.
_WITHOUT_EVENTS = {ExecutorLevel.OWNER, ExecutorLevel.MUNICIPALITIES}


def needs_officer_date(kind: str, executor: str, owner_is_school: bool = False) -> bool:
    """No date the bot can compute: unspecified, or counted from events its executors lack."""
    if kind == DeadlineKind.UNSPECIFIED:
        return True
    # A school's own plan is executed by the school, whatever the responsible text says.
    return kind == DeadlineKind.RELATIVE and not owner_is_school and executor in _WITHOUT_EVENTS


@dataclass(frozen=True)
class AnalysedMeasure:
    measure: ParsedMeasure
    deadline: Deadline
    executor: ExecutorLevel


@dataclass(frozen=True)
class PlanSummary:
    total: int
    by_kind: dict[DeadlineKind, int]
    by_executor: dict[ExecutorLevel, int]
    needs_date: int
    needs_review: int


@dataclass
class PlanAnalysis:
    plan: ParsedPlan
    period: PlanPeriod
    anchor: date
    measures: list[AnalysedMeasure] = field(default_factory=list)

    def summary(self) -> PlanSummary:
        kinds = Counter(item.deadline.kind for item in self.measures)
        executors = Counter(item.executor for item in self.measures)
        return PlanSummary(
            total=len(self.measures),
            by_kind={kind: kinds[kind] for kind in DeadlineKind},
            by_executor={level: executors[level] for level in ExecutorLevel},
            needs_date=sum(
                needs_officer_date(item.deadline.kind, item.executor) for item in self.measures
            ),
            needs_review=sum(item.deadline.needs_review for item in self.measures),
        )


def plan_anchor(approved: date | None, period: PlanPeriod) -> date:
    """Where a month without a year starts counting: the approval date if it fits the period."""
    if approved is not None and period.start - _APPROVAL_LEAD <= approved <= period.end:
        return max(approved, period.start)
    return period.start


def analyse_plan(parsed: ParsedPlan, period: PlanPeriod | None = None) -> PlanAnalysis:
    """Deadline rules and executors for every measure; the given period overrides the document."""
    chosen = period or parsed.period
    if chosen is None:
        raise PlanFormatError(PERIOD_REQUIRED)
    anchor = plan_anchor(parsed.approved, chosen)
    measures = [
        AnalysedMeasure(
            measure,
            parse_deadline(measure.deadline_text, chosen, anchor),
            classify_executor(measure.responsible),
        )
        for measure in parsed.measures
    ]
    return PlanAnalysis(parsed, chosen, anchor, measures)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _deadline_json(deadline: Deadline) -> dict:
    return {
        "text": deadline.text,
        "kind": deadline.kind.value,
        "due": [day.isoformat() for day in deadline.due],
        "start": _iso(deadline.start),
        "period": deadline.period,
        "offset_days": deadline.offset_days,
        "needs_review": deadline.needs_review,
    }


def to_json(analysis: PlanAnalysis) -> dict:
    """The analysis as JSON-ready data; dates are ISO strings or None."""
    return {
        "plan": {
            "title": analysis.plan.title,
            "approved": _iso(analysis.plan.approved),
            "period": {"start": _iso(analysis.period.start), "end": _iso(analysis.period.end)},
        },
        "measures": [
            {
                "number": item.measure.number,
                "section": item.measure.section,
                "title": item.measure.title,
                "responsible": item.measure.responsible,
                "document": item.measure.document,
                "result": item.measure.result,
                "executor": item.executor.value,
                "deadline": _deadline_json(item.deadline),
            }
            for item in analysis.measures
        ],
    }
