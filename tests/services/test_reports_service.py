"""Reports from the database: counts, the discipline ratio, evidence summaries and XLSX cells."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.domain.enums import ConfirmationResult, ReviewStatus, TaskStatus
from bot.domain.errors import AccessDenied
from bot.domain.reports import TaskState
from bot.exports.chart import build_chart
from bot.exports.xlsx import build_xlsx
from bot.services.access import SYSTEM, load_principal
from bot.services.reports import build_report, evidence_summary
from bot.texts.summary import render_summary
from storage.models import Confirmation, Evidence, Measure, Plan, Task

NOW = datetime(2024, 3, 20, 9, 0, tzinfo=UTC)


def at(day: int, month: int = 3, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


async def _fill(session, tree) -> dict[str, Task]:
    plan = Plan(
        org_id=tree.muni.id,
        title="Дорожная карта ВПР",
        period_start=date(2023, 9, 1),
        period_end=date(2024, 8, 31),
    )
    session.add(plan)
    await session.flush()
    spec = {
        # name: (org, status, due, done_at)
        # 23:30 in Moscow on the due day, and 00:30 of the next day there.
        "a": (tree.school, TaskStatus.DONE, date(2024, 3, 10), at(10, hour=20, minute=30)),
        "b": (tree.school, TaskStatus.DONE, date(2024, 3, 10), at(10, hour=21, minute=30)),
        "c": (tree.school, TaskStatus.OPEN, date(2024, 3, 15), None),
        "d": (tree.school, TaskStatus.ON_REVIEW, date(2024, 3, 18), None),
        "e": (tree.school, TaskStatus.RETURNED, date(2024, 4, 1), None),
        "f": (tree.school, TaskStatus.DONE, date(2024, 4, 10), at(19)),
        "g": (tree.school, TaskStatus.OPEN, None, None),
        "h": (tree.school2, TaskStatus.OPEN, date(2024, 3, 25), None),
        "i": (tree.muni, TaskStatus.OPEN, date(2024, 3, 1), None),
        "j": (tree.other_school, TaskStatus.DONE, date(2024, 3, 1), at(1)),
    }
    tasks: dict[str, Task] = {}
    for position, (name, (org, status, due, done_at)) in enumerate(spec.items(), 1):
        measure = Measure(
            plan_id=plan.id,
            position=position,
            number=f"{position}.",
            title=f"Мероприятие {name}",
            executor_level="school",
            deadline_text=f"срок {name}",
            deadline_kind="date",
        )
        session.add(measure)
        await session.flush()
        task = Task(
            measure_id=measure.id,
            org_id=org.id,
            occurrence="",
            due_date=due,
            status=status,
            done_at=done_at,
        )
        session.add(task)
        tasks[name] = task
    await session.flush()
    accepted = Confirmation(
        task_id=tasks["a"].id,
        user_id=tree.coordinator.id,
        result=ConfirmationResult.DONE,
        submitted_at=at(10, hour=20, minute=30),
        review_status=ReviewStatus.ACCEPTED,
    )
    pending = Confirmation(
        task_id=tasks["d"].id,
        user_id=tree.coordinator.id,
        result=ConfirmationResult.PARTIAL,
        reason="нет подписи",
        submitted_at=at(19),
    )
    session.add_all([accepted, pending])
    await session.flush()
    session.add_all(
        [
            Evidence(confirmation_id=accepted.id, kind="document", file_id="D1", name="1.pdf"),
            Evidence(confirmation_id=accepted.id, kind="photo", file_id="P1"),
            Evidence(confirmation_id=accepted.id, kind="link", url="https://s1.ru"),
            Evidence(confirmation_id=pending.id, kind="photo", file_id="P2"),
        ]
    )
    await session.commit()
    return tasks


async def test_counts_and_discipline_are_exact(session, tree):
    await _fill(session, tree)
    officer = await load_principal(session, tree.muni_officer.id)
    report = await build_report(session, officer, tree.muni.id, NOW)
    by_name = {org.name: org for org in report.orgs}
    assert set(by_name) == {tree.school.name, tree.school2.name, tree.muni.name}

    school = by_name[tree.school.name]
    # a, b, f done (b past midnight in Moscow is late); c, d overdue; e returned.
    assert (school.total, school.done, school.on_review, school.open) == (7, 3, 1, 3)
    assert (school.overdue, school.due, school.done_on_time) == (2, 5, 2)
    assert school.discipline == pytest.approx(40.0)
    assert school.parent == tree.muni.name

    school2 = by_name[tree.school2.name]
    assert (school2.total, school2.open, school2.due, school2.discipline) == (1, 1, 0, None)
    muni = by_name[tree.muni.name]
    assert (muni.total, muni.overdue, muni.due, muni.done_on_time, muni.parent) == (
        1,
        1,
        1,
        0,
        None,
    )
    totals = report.totals
    assert (totals.total, totals.done, totals.on_review, totals.open) == (9, 3, 1, 5)
    assert (totals.overdue, totals.due, totals.done_on_time) == (3, 6, 2)
    assert "33,3" in render_summary(report)

    assert report.scope == tree.muni.name
    assert report.generated_at.utcoffset().total_seconds() == 3 * 3600
    lines = {task.measure: task for task in report.tasks}
    assert len(lines) == 9
    assert lines["Мероприятие a"].evidence == "2 файла, 1 ссылка"
    assert lines["Мероприятие a"].confirmed_by == "Петрова Анна"
    assert lines["Мероприятие d"].evidence == "1 файл"
    assert lines["Мероприятие d"].state is TaskState.ON_REVIEW
    assert lines["Мероприятие c"].overdue_days == 5
    assert lines["Мероприятие e"].state is TaskState.RETURNED
    assert lines["Мероприятие e"].evidence == ""
    assert [t.measure for t in report.overdue] == [
        "Мероприятие i",
        "Мероприятие c",
        "Мероприятие d",
    ]


async def test_xlsx_cells_from_the_database(session, tree):
    await _fill(session, tree)
    report = await build_report(session, SYSTEM, tree.muni.id, NOW)
    book = load_workbook(BytesIO(build_xlsx(report)))
    assert book.sheetnames == ["Сводка", "Задачи", "Просрочено"]
    summary = {row[0]: row for row in book["Сводка"].iter_rows(values_only=True) if row[0]}
    assert summary[tree.school.name][1:12] == (tree.muni.name, 7, 3, 0, 0, 1, 3, 2, 5, 2, 0.4)
    assert summary["Итого"][2:11] == (9, 3, 0, 0, 1, 5, 3, 6, 2)
    assert summary["Итого"][11] == pytest.approx(2 / 6)
    tasks = {row[4]: row for row in book["Задачи"].iter_rows(min_row=2, values_only=True)}
    assert tasks["Мероприятие a"][7] == "Выполнено"
    assert tasks["Мероприятие a"][11] == "2 файла, 1 ссылка"
    assert tasks["Мероприятие c"][6] == datetime(2024, 3, 15)
    overdue = list(book["Просрочено"].iter_rows(min_row=2, values_only=True))
    assert [(row[4], row[7]) for row in overdue] == [
        ("Мероприятие i", 19),
        ("Мероприятие c", 5),
        ("Мероприятие d", 2),
    ]
    assert build_chart(report).startswith(b"\x89PNG\r\n\x1a\n")


async def test_scope_and_access(session, tree):
    await _fill(session, tree)
    muni_officer = await load_principal(session, tree.muni_officer.id)
    with pytest.raises(AccessDenied):
        await build_report(session, muni_officer, tree.muni2.id, NOW)
    region = await build_report(session, SYSTEM, tree.region.id, NOW)
    assert region.totals.total == 10
    assert {o.name for o in region.orgs} >= {tree.other_school.name}
    school = await build_report(session, SYSTEM, tree.school.id, NOW)
    assert [o.name for o in school.orgs] == [tree.school.name]
    assert school.orgs[0].parent is None


def test_evidence_summary_plurals():
    assert evidence_summary(0, 0) == ""
    assert evidence_summary(1, 0) == "1 файл"
    assert evidence_summary(5, 2) == "5 файлов, 2 ссылки"
    assert evidence_summary(0, 21) == "21 ссылка"
