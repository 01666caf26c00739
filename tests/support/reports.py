"""Report model values for the report builders' and the chart's tests."""

from __future__ import annotations

from datetime import timedelta, timezone

from bot.domain.reports import OrgProgress

MSK = timezone(timedelta(hours=3))


def progress(org_id: int, name: str, muni: int | None = None, **counts: int) -> OrgProgress:
    """An organisation's progress: every count zero unless given; ``muni`` is Касимов's id."""
    values = {
        "total": 0,
        "done": 0,
        "on_review": 0,
        "open": 0,
        "overdue": 0,
        "due": 0,
        "done_on_time": 0,
        "open_overdue": 0,
    } | counts
    return OrgProgress(org_id, name, "Касимов" if muni else None, municipality_id=muni, **values)


# A school with every kind of task: 10 = 3 done + 1 partial + 1 not done + 2 on review + 3 open;
# one task on review and two open ones are past their date.
MIXED = progress(
    1,
    "МБОУ «СШ № 1»",
    10,
    total=10,
    done=3,
    closed_partial=1,
    closed_not_done=1,
    on_review=2,
    open=3,
    overdue=3,
    open_overdue=2,
    due=7,
    done_on_time=2,
)
