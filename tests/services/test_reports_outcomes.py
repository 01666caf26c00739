"""Reports from the database: accepted results, per-organisation zones, municipal subtotals."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.domain.enums import ConfirmationResult, TaskStatus
from bot.domain.reports import Outcome, TaskState
from bot.exports.xlsx import build_xlsx
from bot.services import confirmations
from bot.services.access import SYSTEM, load_principal
from bot.services.confirmations import EvidenceItem
from bot.services.reports import build_report
from bot.texts.summary import render_summary
from storage.models import Measure, Plan, Task

_serial = itertools.count(1)
DUE = date(2024, 3, 15)
NOW = datetime(2024, 3, 20, 9, 0, tzinfo=UTC)


async def add_task(session, tree, org, due=DUE, status=TaskStatus.OPEN, done_at=None) -> Task:
    serial = next(_serial)
    plan = Plan(
        org_id=tree.muni.id,
        title=f"План {serial:04d}",
        period_start=date(2023, 9, 1),
        period_end=date(2024, 8, 31),
    )
    session.add(plan)
    await session.flush()
    measure = Measure(
        plan_id=plan.id,
        position=1,
        number=f"{serial}.",
        title=f"Мероприятие {serial}",
        executor_level="school",
        deadline_text="до 15 марта 2024 года",
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
    await session.commit()
    return task


async def close(session, tree, task, result, reason=None, comment=None, evidence=()) -> None:
    coordinator = await load_principal(session, tree.coordinator.id)
    officer = await load_principal(session, tree.muni_officer.id)
    view = await confirmations.submit_confirmation(
        session,
        coordinator,
        task.id,
        result,
        reason,
        comment,
        list(evidence),
        now=datetime(2024, 3, 14, 10, tzinfo=UTC),
    )
    await confirmations.accept_confirmation(session, officer, view.id)


async def test_only_fully_done_tasks_count_as_done(session, tree):
    done, partial, not_done = [await add_task(session, tree, tree.school) for _ in range(3)]
    await close(session, tree, done, ConfirmationResult.DONE)
    await close(session, tree, partial, ConfirmationResult.PARTIAL, "Нет подписи")
    await close(session, tree, not_done, ConfirmationResult.NOT_DONE, "Нет учителя")
    await session.refresh(partial)
    assert (partial.status, partial.outcome) == (TaskStatus.DONE, ConfirmationResult.PARTIAL)

    report = await build_report(session, SYSTEM, tree.muni.id, NOW)
    [school] = report.orgs
    assert (school.total, school.done, school.closed_partial, school.closed_not_done) == (
        3,
        1,
        1,
        1,
    )
    # All three were reported on time, but only one was done: a third of the due tasks.
    assert (school.due, school.done_on_time, school.overdue) == (3, 1, 0)
    assert school.discipline == pytest.approx(100 / 3)
    states = {t.measure: t.state for t in report.tasks}
    assert list(states.values()) == [
        TaskState.DONE,
        TaskState.CLOSED_PARTIAL,
        TaskState.CLOSED_NOT_DONE,
    ]
    assert report.overdue == []
    text = render_summary(report)
    assert "Снято с контроля: не выполнено 1 · частично 1" in text
    assert "33,3\u00a0% (1 из 3 в срок)" in text

    book = load_workbook(BytesIO(build_xlsx(report)))
    summary = {r[0]: r for r in book["Сводка"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert summary[tree.school.name][2:11] == (3, 1, 1, 1, 0, 0, 0, 3, 1)
    statuses = [r[7] for r in book["Задачи"].iter_rows(min_row=2, values_only=True)]
    assert statuses == [
        "Выполнено",
        "Снято с контроля: частично",
        "Снято с контроля: не выполнено",
    ]


async def test_returning_clears_the_outcome(session, tree):
    task = await add_task(session, tree, tree.school)
    coordinator = await load_principal(session, tree.coordinator.id)
    officer = await load_principal(session, tree.muni_officer.id)
    view = await confirmations.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.PARTIAL, "Нет подписи", None, []
    )
    await confirmations.return_confirmation(session, officer, view.id, "Доделайте")
    await session.refresh(task)
    assert (task.status, task.outcome, task.done_at) == (TaskStatus.RETURNED, None, None)


async def test_each_school_is_judged_in_its_own_zone(session, tree):
    # 20:30 UTC on 15 March: 23:30 in Moscow, already 01:30 of the 16th in Yekaterinburg.
    now = datetime(2024, 3, 15, 20, 30, tzinfo=UTC)
    # Reported at 19:30 UTC: 22:30 on the due day in Moscow, 00:30 the day after in Yekaterinburg.
    reported = datetime(2024, 3, 15, 19, 30, tzinfo=UTC)
    for school in (tree.school, tree.other_school):
        await add_task(session, tree, school)
        await add_task(session, tree, school, status=TaskStatus.DONE, done_at=reported)

    report = await build_report(session, SYSTEM, tree.region.id, now)
    by_name = {org.name: org for org in report.orgs}
    moscow, yekaterinburg = by_name[tree.school.name], by_name[tree.other_school.name]
    assert (moscow.overdue, moscow.due, moscow.done_on_time) == (0, 1, 1)
    assert (yekaterinburg.overdue, yekaterinburg.due, yekaterinburg.done_on_time) == (1, 2, 0)
    late = {t.org: t.overdue_days for t in report.overdue}
    assert late == {tree.other_school.name: 1}
    # Times are shown in the zone of the report's root (the region inherits Moscow).
    assert report.generated_at.utcoffset().total_seconds() == 3 * 3600


async def test_region_report_has_municipal_subtotals(session, tree):
    await add_task(session, tree, tree.muni, due=date(2024, 3, 1))
    await add_task(session, tree, tree.school)
    await add_task(session, tree, tree.school2, due=date(2024, 4, 1))
    await add_task(session, tree, tree.other_school)
    await add_task(session, tree, tree.region, due=date(2024, 4, 1))

    report = await build_report(session, SYSTEM, tree.region.id, NOW)
    subtotals = {m.name: m for m in report.municipalities}
    assert set(subtotals) == {tree.muni.name, tree.muni2.name}
    kasimov, megion = subtotals[tree.muni.name], subtotals[tree.muni2.name]
    # The office's own task and those of its two schools.
    assert (kasimov.total, kasimov.overdue, kasimov.open_overdue) == (3, 2, 2)
    assert (megion.total, megion.overdue) == (1, 1)
    tags = {org.name: org.municipality_id for org in report.orgs}
    assert tags == {
        tree.region.name: None,
        tree.muni.name: tree.muni.id,
        tree.school.name: tree.muni.id,
        tree.school2.name: tree.muni.id,
        tree.other_school.name: tree.muni2.id,
    }
    assert report.totals.total == 5

    text = render_summary(report)
    assert "<b>Итоги по муниципалитетам</b>" in text
    assert f"• <b>{tree.muni.name}</b>: 3 задачи\nвыполнено 0 · на проверке 0" in text
    assert "в работе 3\nпросрочено 2 · " in text
    sheet = load_workbook(BytesIO(build_xlsx(report)))["Сводка"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows[f"Итого: {tree.muni.name}"][2] == 3
    assert rows[f"Итого: {tree.muni2.name}"][2] == 1
    # Only the office's own task in its own row, as before.
    assert rows[tree.muni.name][2] == 1

    municipal = await build_report(session, SYSTEM, tree.muni.id, NOW)
    assert municipal.municipalities == []


async def test_task_sheet_lists_the_evidence(session, tree):
    task = await add_task(session, tree, tree.school)
    evidence = [
        EvidenceItem(kind="document", file_id="D1", name="приказ № 12.pdf", size=100),
        EvidenceItem(kind="photo", file_id="P1", size=10),
        EvidenceItem(kind="link", url="https://school1.ru/vpr"),
        EvidenceItem(kind="link", url="https://disk.example/a"),
    ]
    await close(
        session, tree, task, ConfirmationResult.PARTIAL, "Нет подписи", "Подпишем", evidence
    )
    report = await build_report(session, SYSTEM, tree.muni.id, NOW)
    [line] = report.tasks
    assert (line.result, line.reason, line.comment) == (Outcome.PARTIAL, "Нет подписи", "Подпишем")
    assert line.evidence == "2 файла, 2 ссылки"
    sheet = load_workbook(BytesIO(build_xlsx(report)))["Задачи"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, next(sheet.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["Статус"] == "Снято с контроля: частично"
    assert row["Результат"] == "частично"
    assert row["Причина, комментарий"] == "Причина: Нет подписи\nКомментарий: Подпишем"
    assert row["Файлы"] == "приказ № 12.pdf\nфото"
    assert row["Ссылки"] == "https://school1.ru/vpr\nhttps://disk.example/a"
    assert row["Кем подтверждено"] == "Петрова Анна"
