"""Assessment events: per-school relative deadlines, moves, deletion, CSV."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from bot.domain.enums import TaskStatus
from bot.domain.errors import AccessDenied, ValidationError
from bot.services import events, plans
from bot.services.access import SYSTEM, load_principal
from storage.models import Measure, Task
from tests.support.seeds import VPR_PLAN


@pytest.fixture
async def measure_id(session, tree) -> int:
    result = await plans.import_plan(
        session, SYSTEM, tree.muni.id, VPR_PLAN.read_bytes(), VPR_PLAN.name
    )
    query = select(Measure.id).where(Measure.plan_id == result.plan_id, Measure.number == "1")
    return (await session.scalars(query)).one()


async def _tasks(session, measure_id: int) -> list[Task]:
    query = select(Task).where(Task.measure_id == measure_id).order_by(Task.id)
    query = query.execution_options(populate_existing=True)
    return list((await session.scalars(query)).all())


async def test_relative_deadline_per_school_and_moved_with_the_event(session, tree, measure_id):
    coordinator = await load_principal(session, tree.coordinator.id)
    assert await _tasks(session, measure_id) == []

    event = await events.upsert_event(
        session, coordinator, tree.school.id, "ВПР", "математика", 5, date(2024, 4, 16)
    )
    (task,) = await _tasks(session, measure_id)
    # «За 2 недели до проведения ВПР»: two weeks before this school's own date.
    assert (task.org_id, task.occurrence, task.due_date) == (
        tree.school.id,
        f"event:{event.id}",
        date(2024, 4, 2),
    )
    task.planned = True
    await session.commit()

    # Another school's events make its own tasks; a НИКО date does not count for ВПР.
    await events.upsert_event(
        session, SYSTEM, tree.school2.id, "ВПР", "русский язык", 4, date(2024, 4, 10)
    )
    await events.upsert_event(
        session, coordinator, tree.school.id, "НИКО", "", 6, date(2024, 3, 5)
    )
    found = await _tasks(session, measure_id)
    assert sorted((t.org_id, t.due_date) for t in found) == sorted(
        [(tree.school.id, date(2024, 4, 2)), (tree.school2.id, date(2024, 3, 27))]
    )

    # Moving the event moves the same task and sends it back to the planner.
    moved = await events.upsert_event(
        session, coordinator, tree.school.id, "ВПР", "математика", 5, date(2024, 4, 23)
    )
    assert moved.id == event.id
    same = next(t for t in await _tasks(session, measure_id) if t.org_id == tree.school.id)
    assert (same.id, same.due_date, same.planned) == (task.id, date(2024, 4, 9), False)

    # Events outside the plan period are ignored.
    await events.upsert_event(
        session, coordinator, tree.school.id, "ВПР", "история", 7, date(2025, 4, 1)
    )
    assert len(await _tasks(session, measure_id)) == 2


async def test_deleting_an_event_keeps_confirmed_history(session, tree, measure_id):
    first = await events.upsert_event(
        session, SYSTEM, tree.school.id, "ВПР", "математика", 5, date(2024, 4, 16)
    )
    second = await events.upsert_event(
        session, SYSTEM, tree.school.id, "ВПР", "биология", 5, date(2024, 4, 18)
    )
    found = await _tasks(session, measure_id)
    done = next(t for t in found if t.occurrence == f"event:{second.id}")
    done.status = TaskStatus.DONE
    await session.commit()

    await events.delete_event(session, SYSTEM, first.id)
    await events.delete_event(session, SYSTEM, second.id)
    assert [(t.id, t.status) for t in await _tasks(session, measure_id)] == [
        (done.id, TaskStatus.DONE)
    ]
    assert await events.list_events(session, SYSTEM, tree.school.id) == []


async def test_csv_import(session, tree, measure_id):
    data = (
        "kind;subject;grade;date\n"
        "ВПР;Математика;5;16.04.2024\n"
        "ВПР;Русский язык;4;2024-04-10\n"
        "НИКО;;;15 марта 2024\n"
    ).encode()
    coordinator = await load_principal(session, tree.coordinator.id)
    assert await events.import_events_csv(session, coordinator, tree.school.id, data) == (3, 0)
    listed = await events.list_events(session, coordinator, tree.school.id)
    assert [(e.kind, e.subject, e.grade, e.date) for e in listed] == [
        ("НИКО", "", None, date(2024, 3, 15)),
        ("ВПР", "Русский язык", 4, date(2024, 4, 10)),
        ("ВПР", "Математика", 5, date(2024, 4, 16)),
    ]
    assert sorted(t.due_date for t in await _tasks(session, measure_id)) == [
        date(2024, 3, 27),
        date(2024, 4, 2),
    ]
    # The same file again updates, a moved date recomputes.
    moved = data.replace(b"16.04.2024", b"17.04.2024")
    assert await events.import_events_csv(session, coordinator, tree.school.id, moved) == (0, 3)
    assert sorted(t.due_date for t in await _tasks(session, measure_id))[-1] == date(2024, 4, 3)


def test_csv_reports_every_bad_line():
    with pytest.raises(ValidationError) as caught:
        events.read_events_csv(
            "ВПР;Математика;5;16.04.2024\nВПР;;15;1.1.2024\nX;;;когда-нибудь\n".encode(),
            date(2024, 1, 10),
        )
    assert caught.value.code == "bad_events_rows"
    assert caught.value.details["lines"] == "2, 3"
    with pytest.raises(ValidationError):
        events.read_events_csv(b"\n\n", date(2024, 1, 10))


async def test_coordinators_manage_only_their_school(session, tree):
    coordinator = await load_principal(session, tree.coordinator.id)
    with pytest.raises(AccessDenied):
        await events.upsert_event(
            session, coordinator, tree.school2.id, "ВПР", "", 5, date(2024, 4, 1)
        )
    other = await events.upsert_event(
        session, SYSTEM, tree.school2.id, "ВПР", "", 5, date(2024, 4, 1)
    )
    with pytest.raises(AccessDenied):
        await events.delete_event(session, coordinator, other.id)
    with pytest.raises(AccessDenied):
        await events.list_events(session, coordinator, tree.school2.id)
    officer = await load_principal(session, tree.muni_officer.id)
    assert [e.id for e in await events.list_events(session, officer, tree.school2.id)] == [
        other.id
    ]


@pytest.mark.parametrize(
    ("text", "month", "days"), [("31.02.2024", 2, 29), ("2023-02-29", 2, 28), ("31 апреля", 4, 30)]
)
def test_typed_impossible_event_date_is_refused(text, month, days):
    with pytest.raises(ValidationError) as caught:
        events.parse_event_date(text, date(2024, 1, 10))
    assert caught.value.code == "impossible_date"
    assert (caught.value.details["month"], caught.value.details["days"]) == (month, days)


def test_csv_line_with_an_impossible_date_is_reported():
    data = "ВПР;математика;5;16.04.2024\nВПР;история;6;31.04.2024\n".encode()
    with pytest.raises(ValidationError) as caught:
        events.read_events_csv(data, date(2024, 1, 10))
    assert caught.value.details == {"lines": "2"}
