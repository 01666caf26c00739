"""Plan analysis: anchors, summary counts and the JSON shape."""

import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.plans.deadlines import DeadlineKind, PlanPeriod
from bot.domain.plans.documents import ParsedPlan, PlanFormatError, read_plan
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.export import analyse_plan, plan_anchor, to_json
from bot.texts.errors import error_text


def test_seed_000_uses_the_order_date_as_anchor(plan_000) -> None:
    analysis = analyse_plan(plan_000)
    assert analysis.anchor == date(2021, 2, 25)
    first = analysis.measures[0]
    assert first.deadline.kind is DeadlineKind.CONTINUOUS
    assert first.deadline.due == (date(2021, 2, 28), date(2021, 8, 31))
    assert first.executor is ExecutorLevel.OWNER


def test_summary_counts(plan_000, plan_003) -> None:
    summary = analyse_plan(plan_000).summary()
    assert summary.total == 15
    assert summary.by_kind[DeadlineKind.WINDOW] == 8
    assert summary.by_kind[DeadlineKind.CONTINUOUS] == 4
    assert summary.by_kind[DeadlineKind.DATES] == 1
    assert summary.by_kind[DeadlineKind.DATE] == 1
    assert summary.needs_date == summary.by_kind[DeadlineKind.UNSPECIFIED] == 1
    assert sum(summary.by_executor.values()) == 15
    summary_003 = analyse_plan(plan_003).summary()
    assert summary_003.by_kind[DeadlineKind.RECURRING] == 19
    assert summary_003.by_kind[DeadlineKind.RELATIVE] == 1
    # Three «в соответствии с планом …» and the office's «после проведения мониторингов».
    assert summary_003.needs_date == 4
    assert summary_003.needs_review == 5
    assert summary_003.by_executor[ExecutorLevel.RISK_SCHOOLS] == 1


def test_period_override_wins(plan_001) -> None:
    period = PlanPeriod(date(2023, 9, 1), date(2024, 8, 31))
    analysis = analyse_plan(plan_001, period)
    assert analysis.period == period
    constant = next(m for m in analysis.measures if m.measure.number == "31.")
    assert constant.deadline.due == (date(2024, 8, 31),)


def test_missing_period_asks_the_officer() -> None:
    plan = ParsedPlan("План", None, None, None, [])
    with pytest.raises(PlanFormatError) as caught:
        analyse_plan(plan)
    assert "период плана" in error_text(caught.value)


@pytest.mark.parametrize(
    ("approved", "anchor"),
    [
        (None, date(2023, 9, 1)),
        (date(2023, 10, 5), date(2023, 10, 5)),
        (date(2023, 8, 20), date(2023, 9, 1)),
        (date(2019, 1, 1), date(2023, 9, 1)),
        (date(2025, 1, 1), date(2023, 9, 1)),
    ],
)
def test_plan_anchor(approved, anchor) -> None:
    assert plan_anchor(approved, PlanPeriod(date(2023, 9, 1), date(2024, 8, 31))) == anchor


def test_json_shape(plan_003) -> None:
    data = to_json(analyse_plan(plan_003))
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    assert data["plan"] == {
        "title": plan_003.title,
        "approved": "2022-02-08",
        "period": {"start": "2022-01-01", "end": "2024-12-31"},
    }
    first = data["measures"][0]
    assert set(first) == {
        "number", "section", "title", "responsible", "document", "result", "executor", "deadline"}  # fmt: skip
    assert first["number"] == "1.1."
    assert first["executor"] == "owner"
    assert first["deadline"] == {
        "text": "2022-2024 до 31 ноября",
        "kind": "recurring",
        "due": ["2022-11-30", "2023-11-30", "2024-11-30"],
        "start": "2022-01-01",
        "period": "year",
        "offset_days": None,
        "needs_review": True,
    }
    relative = data["measures"][6]["deadline"]
    assert (relative["kind"], relative["due"], relative["offset_days"]) == ("relative", [], 30)


def test_json_without_approval(plan_001) -> None:
    data = to_json(analyse_plan(plan_001))
    assert data["plan"]["approved"] is None
    assert data["measures"][0]["result"].startswith("Готовность")
    assert data["measures"][0]["deadline"]["start"] == "2023-08-01"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.csv", "a.docx", "a.xlsx", "a.tsv"]))
def test_read_plan_raises_only_plan_format_error(data, name) -> None:
    try:
        read_plan(data, name)
    except PlanFormatError as error:
        assert error_text(error)
