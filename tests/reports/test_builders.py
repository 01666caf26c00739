"""Report builders: XLSX contents, chart PNG, Telegram texts."""

from __future__ import annotations

import asyncio
import re
import struct
from datetime import UTC, date, datetime, timedelta, timezone
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.domain.reports import OrgProgress, Report, TaskLine, TaskState
from bot.exports.chart import build_chart
from bot.exports.xlsx import build_xlsx
from bot.texts.summary import MESSAGE_LIMIT, render_overdue, render_summary

MSK = timezone(timedelta(hours=3))
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


COUNTS = ("total", "done", "on_review", "open", "overdue", "due", "done_on_time", "open_overdue")


def org(org_id: int, name: str, *counts: int, parent: str | None = "Сафоновский район"):
    """Counts in the order of COUNTS; a generic school when none are given."""
    values = dict(zip(COUNTS, counts or (10, 5, 1, 4, 2, 8, 4, 2), strict=True))
    return OrgProgress(org_id, name, parent, **values)


def task(org_name: str, number: str, state: TaskState, overdue_days: int = 0, **extra):
    values = {
        "org": org_name,
        "parent": "Сафоновский район",
        "plan": "План мероприятий по обеспечению объективности ВПР",
        "number": number,
        "measure": "Организация горячей линии по вопросам проведения ВПР",
        "deadline_text": "до 15 марта 2024 года",
        "due": date(2024, 3, 15),
        "state": state,
        "overdue_days": overdue_days,
        "confirmed_at": None,
        "confirmed_by": None,
        "evidence": "",
    } | extra
    return TaskLine(**values)


@pytest.fixture
def report() -> Report:
    orgs = [
        org(1, "МБОУ «СОШ № 1»", 12, 8, 2, 2, 1, 10, 7, 1),
        org(2, "<Школа & Ко>", 3, 0, 0, 3, 3, 3, 0, 3),
        org(3, "Лицей № 2", 4, 0, 1, 3, 0, 0, 0, 0),
        org(4, '=HYPERLINK("x")', 1, 1, 0, 0, 0, 1, 1, 0, parent=None),
    ]
    tasks = [
        task(
            "МБОУ «СОШ № 1»",
            "1.1.",
            TaskState.DONE,
            confirmed_at=datetime(2024, 3, 10, 6, 30, tzinfo=UTC),
            confirmed_by="Иванова А. П.",
            evidence="2 файла, 1 ссылка",
        ),
        task("МБОУ «СОШ № 1»", "1.2.", TaskState.OPEN, overdue_days=4),
        task(
            "<Школа & Ко>",
            "1.2.",
            TaskState.RETURNED,
            overdue_days=21,
            measure="Анализ <b>результатов</b> & выводы",
        ),
        task("<Школа & Ко>", "1.3.", TaskState.ON_REVIEW, overdue_days=1),
        task("Лицей № 2", "2.1.", TaskState.OPEN, due=None, deadline_text="постоянно"),
    ]
    return Report(
        title="Отчёт по дорожной карте",
        generated_at=datetime(2024, 3, 19, 9, 15, tzinfo=MSK),
        scope="Сафоновский район",
        orgs=orgs,
        tasks=tasks,
    )


def many_orgs(count: int) -> list[OrgProgress]:
    return [
        org(
            i,
            f"Муниципальное бюджетное общеобразовательное учреждение № {i}",
            10 + i % 7,
            5,
            1,
            4 + i % 7,
            i % 7,
            8,
            4,
            i % 7,
        )
        for i in range(1, count + 1)
    ]


def test_discipline_is_none_when_nothing_is_due(report: Report) -> None:
    assert report.orgs[2].discipline is None
    assert report.orgs[0].discipline == pytest.approx(70.0)


def test_totals_and_overdue(report: Report) -> None:
    totals = report.totals
    assert (totals.name, totals.total, totals.done, totals.overdue) == ("Итого", 20, 9, 4)
    assert totals.discipline == pytest.approx(8 / 14 * 100)
    assert [(t.org, t.overdue_days) for t in report.overdue] == [
        ("<Школа & Ко>", 21),
        ("МБОУ «СОШ № 1»", 4),
        ("<Школа & Ко>", 1),
    ]


def test_xlsx_summary_sheet(report: Report) -> None:
    book = load_workbook(BytesIO(build_xlsx(report)))
    assert book.sheetnames == ["Сводка", "Задачи", "Просрочено"]
    sheet = book["Сводка"]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Организация",
        "Муниципалитет",
        "Всего",
        "Выполнено",
        "Снято с контроля: частично",
        "Снято с контроля: не выполнено",
        "На проверке",
        "В работе",
        "Просрочено",
        "Срок наступил",
        "В срок",
        "Исполнительская дисциплина, %",
    ]
    assert sheet["A1"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:L5"
    assert [c.value for c in sheet[2]] == [
        "МБОУ «СОШ № 1»",
        "Сафоновский район",
        12,
        8,
        0,
        0,
        2,
        2,
        1,
        10,
        7,
        pytest.approx(0.7),
    ]
    assert sheet["L2"].number_format == "0.0%"
    assert sheet["A3"].value == "<Школа & Ко>"
    assert sheet["L4"].value is None
    # A name that looks like a formula stays text.
    assert sheet["A5"].value == '=HYPERLINK("x")'
    assert sheet["A5"].data_type == "s"
    totals = [c.value for c in sheet[6]]
    assert totals[:11] == ["Итого", None, 20, 9, 0, 0, 3, 8, 4, 14, 8]
    assert totals[11] == pytest.approx(8 / 14)
    assert sheet["A6"].font.b
    assert sheet.column_dimensions["A"].width > 30


def test_xlsx_task_sheets(report: Report) -> None:
    book = load_workbook(BytesIO(build_xlsx(report)))
    tasks = book["Задачи"]
    header = [c.value for c in tasks[1]]
    assert header[:8] == [
        "Организация",
        "Муниципалитет",
        "План",
        "№",
        "Мероприятие",
        "Срок по плану",
        "Срок",
        "Статус",
    ]
    assert tasks.max_row == 6
    assert tasks.auto_filter.ref == "A1:P6"
    first = {h: c for h, c in zip(header, tasks[2], strict=True)}
    assert isinstance(first["Срок"].value, datetime)
    assert first["Срок"].value.date() == date(2024, 3, 15)
    assert first["Срок"].number_format == "DD.MM.YYYY"
    assert first["Статус"].value == "Выполнено"
    assert first["Подтверждено"].value == datetime(2024, 3, 10, 9, 30)
    assert first["Кем подтверждено"].value == "Иванова А. П."
    assert first["Подтверждения"].value == "2 файла, 1 ссылка"
    statuses = [tasks.cell(row, 8).value for row in range(2, 7)]
    assert statuses == [
        "Выполнено",
        "В работе",
        "Возвращено на доработку",
        "На проверке",
        "В работе",
    ]
    assert tasks.cell(6, 7).value is None

    overdue = book["Просрочено"]
    rows = [[c.value for c in row] for row in overdue.iter_rows(min_row=2)]
    assert [(r[0], r[7]) for r in rows] == [
        ("<Школа & Ко>", 21),
        ("МБОУ «СОШ № 1»", 4),
        ("<Школа & Ко>", 1),
    ]
    assert overdue.auto_filter.ref == "A1:I4"
    assert overdue.freeze_panes == "A2"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_chart_is_a_png_of_sensible_size(report: Report) -> None:
    width, height = png_size(build_chart(report))
    assert width >= 600
    assert height >= 300


def test_chart_grows_with_orgs_and_caps_them(report: Report) -> None:
    small = png_size(build_chart(report))
    big = Report(report.title, report.generated_at, "$Область$", many_orgs(60), [])
    large = png_size(build_chart(big))
    assert large[1] > small[1]
    huge = Report(report.title, report.generated_at, "", many_orgs(500), [])
    assert png_size(build_chart(huge))[1] == large[1]


def test_chart_without_orgs(report: Report) -> None:
    empty = Report(report.title, report.generated_at, report.scope, [], [])
    assert png_size(build_chart(empty))[0] >= 600


def test_summary_escapes_and_counts(report: Report) -> None:
    text = render_summary(report)
    assert "&lt;Школа &amp; Ко&gt;" in text
    assert "<Школа" not in text
    assert "Всего: 20 задач" in text
    assert "4 задачи" in text
    assert "(Сафоновский район): 3 задачи" in text
    assert "</b>: 1 задача\n" in text
    assert "57,1\u00a0%" in text
    assert "просрочено 0 · сроки ещё не наступили" in text
    # Every organisation: done, on review, in work, overdue and discipline.
    assert (
        "• <b>МБОУ «СОШ № 1»</b> (Сафоновский район): 12 задач\n"
        "выполнено 8 · на проверке 2 · в работе 2\n"
        "просрочено 1 · дисциплина 70\u00a0% (7 из 10)"
    ) in text
    # The school with the most overdue tasks comes first.
    assert text.index("Школа &amp; Ко") < text.index("СОШ № 1")
    assert "Сформирован 19.03.2024 в 09:15" in text


def test_summary_limit_and_tail(report: Report) -> None:
    text = render_summary(report, limit=2)
    assert text.endswith("…и ещё 2 организации")
    assert "Лицей" not in text
    one_left = render_summary(report, limit=3)
    assert one_left.endswith("…и ещё 1 организация")


def test_summary_with_500_orgs_fits_a_message(report: Report) -> None:
    big = Report(report.title, report.generated_at, report.scope, many_orgs(500), [])
    text = render_summary(big, limit=500)
    assert len(text) <= MESSAGE_LIMIT
    assert "…и ещё " in text
    assert re.fullmatch(r"…и ещё \d+ организаци[йи]", text.rsplit("\n", 1)[-1])


def test_summary_nothing_due() -> None:
    report = Report(
        "Отчёт",
        datetime(2024, 1, 1, tzinfo=UTC),
        "",
        [org(1, "Лицей", 2, 0, 0, 2, 0, 0, 0, 0)],
        [],
    )
    text = render_summary(report)
    assert "Исполнительская дисциплина: сроки ещё не наступили" in text


def test_overdue_text(report: Report) -> None:
    text = render_overdue(report)
    assert text.startswith("<b>Просроченные задачи</b>: 3 задачи")
    assert "просрочено на 21 день" in text
    assert "просрочено на 4 дня" in text
    assert "просрочено на 1 день · на проверке" in text
    assert "Анализ &lt;b&gt;результатов&lt;/b&gt; &amp; выводы" in text
    assert "15.03.2024 (пт) (до 15 марта 2024 года)" in text
    assert text.index("на 21 день") < text.index("на 4 дня") < text.index("на 1 день")
    assert render_overdue(report, limit=1).endswith("…и ещё 2 задачи")


def test_overdue_text_fits_and_handles_none(report: Report) -> None:
    long = "Очень длинное мероприятие " * 40
    tasks = [task(f"Школа № {i}", f"{i}.", TaskState.OPEN, i, measure=long) for i in range(300)]
    big = Report(report.title, report.generated_at, report.scope, [], tasks)
    assert len(render_overdue(big, limit=300)) <= MESSAGE_LIMIT
    quiet = Report(report.title, report.generated_at, report.scope, report.orgs, [])
    assert "Просроченных задач нет." in render_overdue(quiet)


async def test_chart_builds_in_parallel_threads(report: Report) -> None:
    charts = await asyncio.gather(*(asyncio.to_thread(build_chart, report) for _ in range(4)))
    assert {png_size(chart) for chart in charts} == {png_size(charts[0])}
