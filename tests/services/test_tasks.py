"""Task generation rules, deadline changes, officer dates, lists and progress."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.domain.enums import TaskStatus
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.services import plans, tasks
from bot.services.access import SYSTEM, load_principal
from storage.models import Measure, Task
from tests.support.seeds import SEED_001, VPR_PLAN


async def _measure(session, plan_id: int, number: str) -> Measure:
    query = select(Measure).where(Measure.plan_id == plan_id, Measure.number == number)
    query = query.execution_options(populate_existing=True)
    return (await session.scalars(query)).one()


async def _tasks(session, measure_id: int) -> list[Task]:
    query = select(Task).where(Task.measure_id == measure_id).order_by(Task.org_id, Task.due_date)
    query = query.execution_options(populate_existing=True)
    return list((await session.scalars(query)).all())


@pytest.fixture
async def plan_id(session, tree) -> int:
    result = await plans.import_plan(
        session, SYSTEM, tree.muni.id, SEED_001.read_bytes(), SEED_001.name
    )
    return result.plan_id


async def test_changing_a_deadline_recomputes_tasks(session, tree, plan_id):
    measure = await _measure(session, plan_id, "1.5.")  # «март 2024», the office's own
    before = await _tasks(session, measure.id)
    assert [(t.org_id, t.due_date) for t in before] == [(tree.muni.id, date(2024, 3, 31))]
    for task in before:
        task.planned = True
    await session.commit()

    officer = await load_principal(session, tree.muni_officer.id)
    await tasks.change_measure_deadline(session, officer, measure.id, "до 15 апреля 2024 года")
    after = await _tasks(session, measure.id)
    assert [(t.org_id, t.due_date, t.planned) for t in after] == [
        (tree.muni.id, date(2024, 4, 15), False)
    ]
    changed = await session.get(Measure, measure.id, populate_existing=True)
    assert changed.deadline_text == "до 15 апреля 2024 года"
    assert (changed.deadline_kind, changed.deadline["due"]) == ("date", ["2024-04-15"])

    # A window keeps the same due date (April's end) but gains a start; that is a change too.
    await tasks.change_measure_deadline(session, SYSTEM, measure.id, "март-апрель 2024")
    (window,) = await _tasks(session, measure.id)
    assert (window.start_date, window.due_date) == (date(2024, 3, 1), date(2024, 4, 30))


async def test_done_tasks_survive_a_deadline_change(session, tree, plan_id):
    measure = await _measure(session, plan_id, "2.3.")
    first = (await _tasks(session, measure.id))[0]
    first.status = TaskStatus.DONE
    reviewed = (await _tasks(session, measure.id))[1]
    reviewed.status = TaskStatus.ON_REVIEW
    await session.commit()
    stats = await tasks.change_measure_deadline(session, SYSTEM, measure.id, "ноябрь 2023")
    found = await _tasks(session, measure.id)
    assert {first.id, reviewed.id} <= {t.id for t in found}
    open_ = [t for t in found if t.status == TaskStatus.OPEN]
    assert {t.due_date for t in open_} == {date(2023, 11, 30)}
    assert len(open_) == 3
    # School 1 keeps its closed history and gets a new task; the other schools' open tasks
    # move to November, and their second occurrence goes.
    assert (stats.created, stats.changed, stats.deleted) == (1, 2, 2)


async def test_unspecified_waits_for_an_officer_date(session, tree, plan_id):
    measure = await _measure(session, plan_id, "2.10.")  # «согласно плану СОИРО»
    assert measure.deadline_kind == "unspecified"
    assert await _tasks(session, measure.id) == []
    undated = await plans.list_undated_measures(session, SYSTEM, plan_id)
    assert [m.number for m in undated] == ["1.3.", "2.10."]

    officer = await load_principal(session, tree.muni_officer.id)
    await tasks.set_measure_due(session, officer, measure.id, date(2024, 5, 20))
    found = await _tasks(session, measure.id)
    assert {(t.org_id, t.due_date, t.planned) for t in found} == {
        (org, date(2024, 5, 20), False) for org in (tree.school.id, tree.school2.id, tree.risky.id)
    }
    stored = await session.get(Measure, measure.id, populate_existing=True)
    assert stored.deadline_text == "согласно плану СОИРО"
    assert stored.deadline["text"] == "согласно плану СОИРО"
    assert stored.deadline_kind == "date"
    assert [m.number for m in await plans.list_undated_measures(session, SYSTEM, plan_id)] == [
        "1.3."
    ]

    # Re-importing the unchanged document keeps the officer's date.
    again = await plans.import_plan(
        session, SYSTEM, tree.muni.id, SEED_001.read_bytes(), SEED_001.name
    )
    assert again.updated == 0 and measure.id not in again.needs_date
    assert len(await _tasks(session, measure.id)) == 3


async def test_a_typed_deadline_with_a_day_the_month_lacks_is_refused(session, tree, plan_id):
    measure = await _measure(session, plan_id, "2.10.")
    before = (measure.deadline_text, [t.due_date for t in await _tasks(session, measure.id)])
    with pytest.raises(ValidationError) as refused:
        await tasks.change_measure_deadline(session, SYSTEM, measure.id, "до 31 ноября 2024 года")
    assert (refused.value.code, refused.value.details) == (
        "impossible_date",
        {"year": 2024, "month": 11, "days": 30},
    )
    await session.rollback()
    measure = await _measure(session, plan_id, "2.10.")
    assert before == (
        measure.deadline_text,
        [t.due_date for t in await _tasks(session, measure.id)],
    )


async def test_other_officers_cannot_touch_measures(session, tree, plan_id):
    measure = await _measure(session, plan_id, "2.10.")
    stranger = await load_principal(session, tree.coordinator.id)
    with pytest.raises(AccessDenied):
        await tasks.set_measure_due(session, stranger, measure.id, date(2024, 5, 20))
    with pytest.raises(AccessDenied):
        await tasks.change_measure_deadline(session, stranger, measure.id, "май 2024")
    with pytest.raises(NotFound):
        await tasks.set_measure_due(session, SYSTEM, 999_999, date(2024, 5, 20))


async def test_open_tasks_nearest_first_and_paginated(session, tree, plan_id):
    page, total = await tasks.list_open_tasks(session, [tree.school.id], 0, 5)
    assert total == 17
    assert len(page) == 5
    dues = [t.due for t in page]
    assert dues == sorted(dues)
    assert page[0].due == date(2023, 8, 31) and page[0].deadline_text == "август 2023"
    rest = []
    for n in range(1, 4):
        chunk, _ = await tasks.list_open_tasks(session, [tree.school.id], n, 5)
        rest.extend(chunk)
    assert len(rest) == 12 and [t.due for t in rest] == sorted(t.due for t in rest)
    assert rest[0].due >= dues[-1]

    task = await session.get(Task, page[0].id)
    task.status = TaskStatus.DONE
    await session.commit()
    assert (await tasks.list_open_tasks(session, [tree.school.id], 0, 5))[1] == 16


async def test_task_card_access(session, tree, plan_id):
    own, _ = await tasks.list_open_tasks(session, [tree.school.id], 0, 1)
    other, _ = await tasks.list_open_tasks(session, [tree.school2.id], 0, 1)
    coordinator = await load_principal(session, tree.coordinator.id)
    card = await tasks.get_task(session, coordinator, own[0].id)
    assert card.org_id == tree.school.id and card.title == own[0].title
    with pytest.raises(AccessDenied):
        await tasks.get_task(session, coordinator, other[0].id)
    officer = await load_principal(session, tree.muni_officer.id)
    assert (await tasks.get_task(session, officer, other[0].id)).id == other[0].id
    with pytest.raises(NotFound):
        await tasks.get_task(session, coordinator, 999_999)


async def test_plan_progress(session, tree):
    result = await plans.import_plan(
        session, SYSTEM, tree.muni.id, VPR_PLAN.read_bytes(), VPR_PLAN.name
    )
    five = await _measure(session, result.plan_id, "5")  # «март, май», 3 schools
    found = await _tasks(session, five.id)
    found[0].status = TaskStatus.DONE
    found[1].status = TaskStatus.ON_REVIEW
    await session.commit()
    progress = await tasks.plan_progress(session, SYSTEM, result.plan_id, today=date(2024, 4, 15))
    by_number = {p.number: p for p in progress}
    assert list(by_number) == ["1", "2", "3", "4", "5"]
    five_progress = by_number["5"]
    assert (five_progress.total, five_progress.done, five_progress.on_review) == (6, 1, 1)
    # The March tasks are past due unless done; the done one is first by org and date.
    march_open = sum(
        1 for t in found if t.due_date == date(2024, 3, 31) and t.status != TaskStatus.DONE
    )
    assert five_progress.overdue == march_open
    assert (by_number["4"].total, by_number["4"].deadline_kind) == (0, "unspecified")
    muni_officer = await load_principal(session, tree.muni_officer.id)
    assert len(await tasks.plan_progress(session, muni_officer, result.plan_id)) == 5
    coordinator = await load_principal(session, tree.coordinator.id)
    with pytest.raises(AccessDenied):
        await tasks.plan_progress(session, coordinator, result.plan_id)
