"""Plan import: the seeds to measures and tasks, re-import, overrides, access."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.enums import TaskStatus
from bot.domain.errors import AccessDenied, ValidationError
from bot.domain.plans.deadlines import PlanPeriod
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.models import PlanFormatError
from bot.services import plans
from bot.services.access import SYSTEM, load_principal
from bot.texts.errors import error_text
from storage.models import Measure, Plan, Task
from tests.support.seeds import SEED_000, SEED_001, SEED_003, VPR_PLAN

TODAY = date(2024, 3, 11)


async def _tasks(session, measure_id: int | None = None) -> list[Task]:
    query = select(Task).order_by(Task.id).execution_options(populate_existing=True)
    if measure_id is not None:
        query = query.where(Task.measure_id == measure_id)
    return list((await session.scalars(query)).all())


async def _measure(session, plan_id: int, number: str) -> Measure:
    query = select(Measure).where(Measure.plan_id == plan_id, Measure.number == number)
    query = query.execution_options(populate_existing=True)
    return (await session.scalars(query)).one()


def _read(path: Path) -> bytes:
    return path.read_bytes()


async def _import(session, org, path: Path, **kwargs):
    return await plans.import_plan(session, SYSTEM, org.id, _read(path), path.name, **kwargs)


@pytest.mark.parametrize(
    ("seed", "measures", "tasks", "needs_date"),
    [
        # 000: 7 school measures -> 3 schools; 8 owner measures; «По необходимости» has none.
        # Per school: 3,4,6,7,9 (window), 11,14 (final report) = 7; owner: 2+2+1+1+1+1+1 = 9.
        (SEED_000, 15, 7 * 3 + 9, 1),
        # 001: per school 15 single dates + «сентябрь, декабрь 2023» twice = 17; owner 7.
        (SEED_001, 24, 17 * 3 + 7, 2),
        # 003: per school 13 yearly x3 + 2 = 41; risk list 3 (one risky school); owner 16;
        # «после проведения мониторингов» is the office's, which has no events: an officer dates it.
        (SEED_003, 26, 41 * 3 + 3 + 16, 4),
    ],
)
async def test_seed_imports_to_expected_counts(session, tree, seed, measures, tasks, needs_date):
    result = await _import(session, tree.muni, seed)
    assert result.plan_created
    assert (result.measures, result.created, result.updated, result.removed) == (
        measures,
        measures,
        0,
        0,
    )
    assert result.tasks == tasks == len(await _tasks(session))
    assert len(result.needs_date) == needs_date
    assert all(not task.planned for task in await _tasks(session))


async def test_dates_measure_gives_two_tasks_per_school(session, tree):
    result = await _import(session, tree.muni, SEED_001)
    measure = await _measure(session, result.plan_id, "2.3.")
    assert measure.deadline_text == "сентябрь, декабрь 2023"
    assert measure.deadline["kind"] == "dates"
    assert measure.deadline["due"] == ["2023-09-30", "2023-12-31"]
    assert measure.executor_level == "schools"
    found = {(t.org_id, t.occurrence, t.due_date) for t in await _tasks(session, measure.id)}
    schools = {tree.school.id, tree.school2.id, tree.risky.id}
    assert found == {
        (org, day.isoformat(), day)
        for org in schools
        for day in (date(2023, 9, 30), date(2023, 12, 31))
    }


async def test_window_tasks_keep_start_and_owner_tasks_go_to_the_office(session, tree):
    result = await _import(session, tree.muni, SEED_001)
    window = await _tasks(session, (await _measure(session, result.plan_id, "3.4.")).id)
    assert {(t.start_date, t.due_date) for t in window} == {(date(2023, 10, 1), date(2024, 4, 30))}
    owner = await _tasks(session, (await _measure(session, result.plan_id, "3.2.")).id)
    assert [(t.org_id, t.due_date) for t in owner] == [
        (tree.muni.id, date(2023, 9, 30)),
        (tree.muni.id, date(2024, 3, 31)),
    ]


async def test_risk_list_measure_goes_only_to_risky_schools(session, tree):
    result = await _import(session, tree.muni, SEED_003)
    measure = await _measure(session, result.plan_id, "1.4.")
    assert measure.executor_level == "risk_schools"
    found = await _tasks(session, measure.id)
    assert {t.org_id for t in found} == {tree.risky.id}
    assert [t.due_date.year for t in found] == [2022, 2023, 2024]


async def test_levels_for_a_region_plan(session, tree):
    result = await _import(session, tree.region, VPR_PLAN)
    by_number = {
        n: await _tasks(session, (await _measure(session, result.plan_id, n)).id) for n in "12345"
    }
    assert by_number["1"] == []  # relative: no events yet
    assert {t.org_id for t in by_number["2"]} == {tree.muni.id, tree.muni2.id}
    assert {t.org_id for t in by_number["3"]} == {tree.risky.id}
    assert by_number["4"] == []  # unspecified
    assert len(by_number["5"]) == 4 * 2
    assert result.tasks == 2 + 1 + 8


async def test_a_school_plan_is_executed_by_the_school(session, tree):
    result = await _import(session, tree.school, SEED_001)
    found = await _tasks(session)
    assert {t.org_id for t in found} == {tree.school.id}
    assert result.tasks == len(found) == 17 + 7


async def test_reimport_updates_instead_of_duplicating(session, tree):
    first = await _import(session, tree.muni, SEED_001)
    measure_ids = [m.id for m in (await session.scalars(select(Measure).order_by(Measure.id)))]
    task_ids = [t.id for t in await _tasks(session)]
    for task in await _tasks(session):
        task.planned = True
    await session.commit()

    again = await _import(session, tree.muni, SEED_001)
    assert again.plan_id == first.plan_id and not again.plan_created
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert (await session.scalars(select(Plan.id))).all() == [first.plan_id]
    assert [m.id for m in (await session.scalars(select(Measure).order_by(Measure.id)))] == (
        measure_ids
    )
    assert [t.id for t in await _tasks(session)] == task_ids
    assert all(t.planned for t in await _tasks(session))  # nothing changed, nothing to replan


async def test_reimport_of_an_edited_document(session, tree, tmp_path):
    first = await _import(session, tree.muni, SEED_001)
    measure = await _measure(session, first.plan_id, "2.3.")
    old_tasks = await _tasks(session, measure.id)
    done = old_tasks[0]
    done.status = TaskStatus.DONE
    vanished = await _measure(session, first.plan_id, "3.6.")
    vanished_id = vanished.id
    await session.commit()

    lines = SEED_001.read_text(encoding="utf-8").split("\n")
    lines = [line.replace("сентябрь, декабрь 2023", "октябрь 2023") for line in lines]
    lines = [line for line in lines if not line.startswith("3.6.")]
    edited = tmp_path / SEED_001.name
    edited.write_text("\n".join(lines), encoding="utf-8")

    schools = (tree.school.id, tree.school2.id, tree.risky.id)
    again = await _import(session, tree.muni, edited)
    assert again.plan_id == first.plan_id
    assert (again.created, again.updated, again.removed, again.measures) == (0, 1, 1, 23)
    changed = await _measure(session, first.plan_id, "2.3.")
    assert changed.id == measure.id and changed.deadline_text == "октябрь 2023"
    now = await _tasks(session, measure.id)
    # The done task stays as history; the open ones move to the new date.
    assert done.id in {t.id for t in now}
    assert {(t.org_id, t.due_date) for t in now if t.status == TaskStatus.OPEN} == {
        (org, date(2023, 10, 31)) for org in schools
    }
    assert await session.get(Measure, vanished_id) is None
    assert await _tasks(session, vanished_id) == []


async def test_executor_overrides_and_progress(session, tree):
    calls: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        calls.append((done, total))

    result = await _import(
        session,
        tree.muni,
        VPR_PLAN,
        executor_overrides={5: ExecutorLevel.RISK_SCHOOLS, 2: ExecutorLevel.OWNER},
        progress=progress,
    )
    assert calls[-1] == (5, 5) and len(calls) == 5
    five = await _tasks(session, (await _measure(session, result.plan_id, "5")).id)
    assert {t.org_id for t in five} == {tree.risky.id}
    two = await _measure(session, result.plan_id, "2")
    assert two.executor_level == "owner"
    assert {t.org_id for t in await _tasks(session, two.id)} == {tree.muni.id}


async def test_period_given_by_the_officer(session, tree):
    period = PlanPeriod(date(2024, 9, 1), date(2025, 8, 31))
    result = await _import(session, tree.muni, VPR_PLAN, period=period)
    plan = await session.get(Plan, result.plan_id)
    assert (plan.period_start, plan.period_end) == (period.start, period.end)
    five = await _measure(session, result.plan_id, "5")
    assert five.deadline["due"] == ["2025-03-31", "2025-05-31"]


def test_preview_counts_and_refusals():
    preview = plans.preview_plan(SEED_000.read_bytes(), SEED_000.name)
    assert len(preview.measures) == 15
    assert preview.by_kind == {
        "date": 1,
        "dates": 1,
        "window": 8,
        "continuous": 4,
        "unspecified": 1,
    }
    assert preview.by_executor == {"schools": 7, "owner": 8}
    assert [m.deadline_text for m in preview.needs_date] == ["По необходимости"]
    with pytest.raises(PlanFormatError) as caught:
        plans.preview_plan(b"", "plan.docx")
    assert "пустой" in error_text(caught.value)
    no_period = "№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\tмарт\tОО\n".encode()
    with pytest.raises(plans.PeriodRequired):
        plans.preview_plan(no_period, "plan.txt")
    assert plans.preview_plan(
        no_period, "plan.txt", PlanPeriod(date(2024, 1, 1), date(2024, 12, 31))
    ).measures[0].due == (date(2024, 3, 31),)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("01.09.2023-31.08.2024", date(2023, 9, 1), date(2024, 8, 31)),
        ("01.09.2023 – 31.08.2024", date(2023, 9, 1), date(2024, 8, 31)),
        ("2023-09-01:2024-08-31", date(2023, 9, 1), date(2024, 8, 31)),
        ("2023-2024", date(2023, 9, 1), date(2024, 8, 31)),
        ("2022-2024", date(2022, 1, 1), date(2024, 12, 31)),
        ("01/09/2023-31/08/2024", date(2023, 9, 1), date(2024, 8, 31)),
        ("01-09-2023-31-08-2024", date(2023, 9, 1), date(2024, 8, 31)),
        ("01/09/23 - 31/08/24", date(2023, 9, 1), date(2024, 8, 31)),
        ("с 01.09.2023 по 31/08/2024", date(2023, 9, 1), date(2024, 8, 31)),
    ],
)
def test_parse_period(text, start, end):
    assert plans.parse_period(text, TODAY) == PlanPeriod(start, end)


@pytest.mark.parametrize("text", ["", "вчера", "31.08.2024-01.09.2023", "2024-13-01:2025-01-01"])
def test_parse_period_refuses(text):
    with pytest.raises(ValidationError):
        plans.parse_period(text, TODAY)


def test_parse_period_refuses_a_day_the_month_lacks():
    with pytest.raises(ValidationError) as caught:
        plans.parse_period("01.09.2023-31.06.2024", TODAY)
    assert caught.value.code == "impossible_date"
    assert caught.value.details == {"year": 2024, "month": 6, "days": 30}


async def test_nothing_is_saved_for_a_bad_file(session, tree):
    with pytest.raises(PlanFormatError):
        await plans.import_plan(session, SYSTEM, tree.muni.id, b"\x89PNG....", "x.png")
    assert (await session.scalars(select(Plan))).all() == []


async def test_officers_import_and_see_only_their_subtree(session, tree):
    muni_officer = await load_principal(session, tree.muni_officer.id)
    officer = await load_principal(session, tree.officer.id)
    with pytest.raises(AccessDenied):
        await plans.import_plan(
            session, muni_officer, tree.muni2.id, SEED_000.read_bytes(), SEED_000.name
        )
    mine = await plans.import_plan(
        session, muni_officer, tree.muni.id, SEED_000.read_bytes(), SEED_000.name
    )
    regional = await plans.import_plan(
        session, officer, tree.region.id, SEED_001.read_bytes(), SEED_001.name
    )
    assert [p.id for p in await plans.list_plans(session, muni_officer)] == [mine.plan_id]
    assert {p.id for p in await plans.list_plans(session, officer)} == {
        mine.plan_id,
        regional.plan_id,
    }
    with pytest.raises(AccessDenied):
        await plans.get_plan(session, muni_officer, regional.plan_id)
    view = await plans.get_plan(session, officer, mine.plan_id)
    assert (view.measures, view.needs_date, view.org_name) == (15, 1, "Касимов")


async def test_reminder_offsets_per_plan_replan_its_tasks(session, tree, settings):
    from datetime import UTC, datetime

    from bot.domain.reminders import DEFAULT_OFFSETS
    from bot.texts.plans import OFFSET_PRESETS
    from scheduler.planner import plan_pending
    from storage.models import OutboxMessage

    assert OFFSET_PRESETS[0] == DEFAULT_OFFSETS  # the screen shows the planner's default first
    result = await _import(session, tree.muni, SEED_001)
    for task in await _tasks(session):
        task.planned = True
    await session.commit()

    muni_officer = await load_principal(session, tree.muni_officer.id)
    other = await load_principal(session, tree.officer.id)
    assert await plans.set_reminder_offsets(session, other, result.plan_id, [0, 14, 14]) == (14, 0)
    assert not any(t.planned for t in await _tasks(session))
    with pytest.raises(ValidationError):
        await plans.set_reminder_offsets(session, muni_officer, result.plan_id, [120])
    with pytest.raises(ValidationError):
        await plans.set_reminder_offsets(session, muni_officer, result.plan_id, [])

    # The planner reads the plan's own offsets: 14 days before and the due day only.
    await plan_pending(session, datetime(2023, 1, 1, tzinfo=UTC), settings)
    await session.commit()
    # Continuous measures also get monthly check-ins; those do not follow the offsets.
    rows = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.kind != "checkin"))
    ).all()
    assert rows, "the coordinator of school 1 gets reminders"
    due_of = {t.id: t.due_date for t in await _tasks(session)}
    days_before = {
        (due_of[r.task_id] - date.fromisoformat(r.dedupe_key.split(":")[4])).days for r in rows
    }
    assert days_before == {14, 0}
    view = await plans.get_plan(session, muni_officer, result.plan_id)
    assert view.reminder_offsets == (14, 0)


async def test_reminder_offsets_need_the_plan_in_the_officers_subtree(session, tree):
    result = await _import(session, tree.muni, SEED_001)
    from bot.domain.enums import RoleKind
    from storage.models import Role, User

    stranger = User(full_name="Чужой")
    session.add(stranger)
    await session.flush()
    session.add(Role(user_id=stranger.id, role=RoleKind.OFFICER, org_id=tree.muni2.id))
    await session.commit()
    with pytest.raises(AccessDenied):
        await plans.set_reminder_offsets(
            session, await load_principal(session, stranger.id), result.plan_id, [1]
        )


async def test_relative_measure_of_the_office_waits_for_an_officers_date(session, tree):
    from bot.services import tasks as task_service

    relative = "Ежегодно Подготовка отчетов ежегодно, после проведения мониторингов"
    preview = plans.preview_plan(SEED_003.read_bytes(), SEED_003.name)
    assert [m.number for m in preview.needs_date] == ["2.1.", "3.3.", "3.4.", "3.5."]
    assert preview.needs_date[0].deadline_text.startswith(relative)
    assert preview.needs_date[0].executor == ExecutorLevel.OWNER

    result = await _import(session, tree.muni, SEED_003)
    measure = await _measure(session, result.plan_id, "2.1.")
    assert measure.id == result.needs_date[0]
    assert await _tasks(session, measure.id) == []
    undated = await plans.list_undated_measures(session, SYSTEM, result.plan_id)
    assert [m.number for m in undated] == ["2.1.", "3.3.", "3.4.", "3.5."]
    assert (await plans.get_plan(session, SYSTEM, result.plan_id)).needs_date == 4
    assert [p.needs_date for p in await plans.list_plans(session, SYSTEM)] == [4]

    await task_service.set_measure_due(session, SYSTEM, measure.id, date(2024, 6, 1))
    assert [(t.org_id, t.due_date) for t in await _tasks(session, measure.id)] == [
        (tree.muni.id, date(2024, 6, 1))
    ]
    assert [
        m.number for m in await plans.list_undated_measures(session, SYSTEM, result.plan_id)
    ] == [
        "3.3.",
        "3.4.",
        "3.5.",
    ]


async def test_relative_measures_of_a_school_plan_wait_for_its_events(session, tree):
    result = await _import(session, tree.school, SEED_003)
    assert len(result.needs_date) == 3
    assert (await plans.get_plan(session, SYSTEM, result.plan_id)).needs_date == 3
    assert [p.needs_date for p in await plans.list_plans(session, SYSTEM)] == [3]


async def test_relative_measure_for_municipalities_waits_for_a_date(session, tree):
    content = (
        "План мероприятий на 2024 год\n\n№\tМероприятие\tСрок\tОтветственный\n"
        "1\tСовещание по итогам\tЗа 2 недели до проведения ВПР\tМОУО\n"
        "2\tАнализ в школах\tЗа 2 недели до проведения ВПР\tРуководители ОО\n"
    ).encode()
    result = await plans.import_plan(session, SYSTEM, tree.region.id, content, "plan.txt")
    first = await _measure(session, result.plan_id, "1")
    assert result.needs_date == [first.id]
