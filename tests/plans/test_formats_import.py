"""DOCX and XLSX plans imported through the service give the same measures and tasks as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bot.services import plans
from bot.services.access import SYSTEM
from storage.models import Measure, Task
from tests.support.documents import (
    docx_with_merged_responsible,
    seed_docx,
    seed_xlsx,
    xlsx_with_merged_responsible,
)
from tests.support.seeds import SEED_000, SEED_001, SEED_003

MEASURE_FIELDS = (
    "position", "number", "section", "title", "responsible", "document", "result",
    "executor_level", "deadline_text", "deadline_kind", "deadline", "needs_review",
)  # fmt: skip


def _read(path: Path) -> bytes:
    return path.read_bytes()


async def _snapshot(session, plan_id: int) -> tuple[list[tuple], set[tuple]]:
    query = select(Measure).where(Measure.plan_id == plan_id).order_by(Measure.position)
    measures = (await session.scalars(query.execution_options(populate_existing=True))).all()
    rows = [tuple(getattr(m, name) for name in MEASURE_FIELDS) for m in measures]
    numbers = {m.id: m.number for m in measures}
    found = (await session.scalars(select(Task).where(Task.measure_id.in_(numbers)))).all()
    tasks = {
        (numbers[t.measure_id], t.org_id, t.occurrence, t.start_date, t.due_date, t.status)
        for t in found
    }
    return rows, tasks


@pytest.mark.parametrize("build", [seed_docx, seed_xlsx], ids=["docx", "xlsx"])
@pytest.mark.parametrize(
    ("seed", "measures"),
    [(SEED_000, 15), (SEED_001, 24), (SEED_003, 26)],
    ids=["000", "001", "003"],
)
async def test_office_file_imports_like_the_text(session, tree, build, seed: Path, measures):
    suffix = ".docx" if build is seed_docx else ".xlsx"
    office = await plans.import_plan(session, SYSTEM, tree.muni.id, build(seed), f"plan{suffix}")
    assert office.measures == measures and office.tasks > 0
    from_office = await _snapshot(session, office.plan_id)

    text = await plans.import_plan(session, SYSTEM, tree.muni.id, _read(seed), seed.name)
    assert (text.plan_id, text.plan_created) == (office.plan_id, False)
    assert (text.created, text.updated, text.removed) == (0, 0, 0)
    assert (text.tasks, text.needs_date) == (office.tasks, office.needs_date)
    assert await _snapshot(session, text.plan_id) == from_office


@pytest.mark.parametrize(
    ("data", "name"),
    [(xlsx_with_merged_responsible(), "plan.xlsx"), (docx_with_merged_responsible(), "plan.docx")],
    ids=["xlsx", "docx"],
)
async def test_merged_responsible_sends_both_measures_to_the_schools(session, tree, data, name):
    result = await plans.import_plan(session, SYSTEM, tree.muni.id, data, name)
    _, tasks = await _snapshot(session, result.plan_id)
    schools = {tree.school.id, tree.school2.id, tree.risky.id}
    assert {org for number, org, *_ in tasks if number == "2"} == schools
    assert {org for number, org, *_ in tasks if number == "3"} == {tree.muni.id}
