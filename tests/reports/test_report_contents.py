"""Report builders: closed-but-not-done tasks, municipal subtotals, chart segments, limits."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.domain.reports import (
    Attachment,
    OrgProgress,
    Outcome,
    Report,
    TaskLine,
    TaskState,
    sum_progress,
)
from bot.exports.chart import MAX_ORGS, build_chart, chart_bars, segment_values
from bot.exports.xlsx import build_xlsx
from bot.texts.summary import MESSAGE_LIMIT, render_overdue, render_summary, render_summary_parts
from tests.support.reports import MIXED, MSK, progress


def line(org: str, number: str, state: TaskState, **extra) -> TaskLine:
    values = {
        "org": org,
        "parent": "Касимов",
        "plan": "Дорожная карта ВПР",
        "number": number,
        "measure": f"Мероприятие {number}",
        "deadline_text": "до 15 марта",
        "due": date(2024, 3, 15),
        "state": state,
        "overdue_days": 0,
        "confirmed_at": None,
        "confirmed_by": None,
        "evidence": "",
    } | extra
    return TaskLine(**values)


def test_chart_segments_partition_the_total():
    # Done, closed undone, on review, in work on time, in work overdue.
    assert segment_values(MIXED) == (3, 2, 2, 1, 2)
    assert sum(segment_values(MIXED)) == MIXED.total
    # An on-review task past its date is not drawn as overdue, nor taken from the open ones.
    on_review_late = progress(2, "Лицей", total=2, on_review=1, open=1, overdue=1)
    assert segment_values(on_review_late) == (0, 0, 1, 1, 0)


def test_chart_groups_schools_under_their_municipal_subtotal():
    kasimov = progress(10, "Касимов", 10, total=1, open=1)
    megion_school = progress(20, "СОШ № 4", 11, total=4, open=4, overdue=4, open_overdue=4)
    office = progress(5, "Министерство", total=1, done=1)
    orgs = [office, kasimov, MIXED, megion_school]
    subtotals = [
        sum_progress([kasimov, MIXED], 10, "Касимов"),
        sum_progress([megion_school], 11, "Мегион"),
    ]
    report = Report("Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Область", orgs, [], subtotals)
    bars = [(org.name, subtotal) for org, subtotal in chart_bars(report)]
    # Municipalities worst first, each followed by its own organisations worst first.
    assert bars == [
        ("Министерство", False),
        ("Мегион", True),
        ("СОШ № 4", False),
        ("Касимов", True),
        ("МБОУ «СШ № 1»", False),
        ("Касимов", False),
    ]
    assert build_chart(report)[:4] == b"\x89PNG"


def test_chart_keeps_every_subtotal_when_schools_are_cut():
    subtotals = [progress(100 + m, f"Район {m}", total=1, open=1) for m in range(5)]
    schools = [
        progress(i, f"Школа {i}", 100 + i % 5, total=5, open=5, overdue=i % 3, open_overdue=i % 3)
        for i in range(200)
    ]
    report = Report("Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "", schools, [], subtotals)
    bars = chart_bars(report)
    assert len(bars) == MAX_ORGS
    assert sum(subtotal for _, subtotal in bars) == 5
    assert all(org.overdue == 2 for org, subtotal in bars if not subtotal)


def test_closed_tasks_in_the_summary_text():
    report = Report("Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Касимов", [MIXED], [])
    text = render_summary(report)
    assert "выполнено 3 · на проверке 2 · в работе 3 · просрочено 3" in text
    assert "Снято с контроля: не выполнено 1 · частично 1" in text
    assert "Исполнительская дисциплина: 28,6\u00a0% (2 из 7 в срок)" in text
    assert (
        "• <b>МБОУ «СШ № 1»</b> (Касимов): 10 задач\n"
        "выполнено 3 · на проверке 2 · в работе 3\n"
        "просрочено 3 · дисциплина 28,6\u00a0% (2 из 7)\n"
        "снято с контроля: не выполнено 1 · частично 1"
    ) in text


def test_municipal_subtotals_in_the_summary_text():
    kasimov = progress(10, "Касимов", 10, total=2, done=2, due=2, done_on_time=2)
    megion = progress(20, "СОШ № 4", 11, total=4, open=4, overdue=4, open_overdue=4, due=4)
    subtotals = [
        sum_progress([kasimov, MIXED], 10, "Касимов"),
        sum_progress([megion], 11, "Мегион"),
    ]
    report = Report(
        "Отчёт",
        datetime(2024, 3, 19, tzinfo=MSK),
        "Область",
        [kasimov, MIXED, megion],
        [],
        subtotals,
    )
    text = render_summary(report)
    munis, orgs = text.split("<b>По организациям</b>")
    assert "<b>Итоги по муниципалитетам</b> (задачи управления и его школ):" in munis
    assert (
        "• <b>Мегион</b>: 4 задачи\n"
        "выполнено 0 · на проверке 0 · в работе 4\n"
        "просрочено 4 · дисциплина 0\u00a0% (0 из 4)"
    ) in munis
    assert (
        "• <b>Касимов</b>: 12 задач\nвыполнено 5 · на проверке 2 · в работе 3\nпросрочено 3"
    ) in munis
    assert munis.index("Мегион") < munis.index("Касимов")
    assert "• <b>Касимов</b> (Касимов): 2 задачи" in orgs


def test_municipal_subtotals_in_the_xlsx_summary():
    kasimov = progress(10, "Касимов", 10, total=2, done=2, due=2, done_on_time=2)
    subtotals = [sum_progress([kasimov, MIXED], 10, "Касимов")]
    report = Report(
        "Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Область", [kasimov, MIXED], [], subtotals
    )
    sheet = load_workbook(BytesIO(build_xlsx(report)))["Сводка"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # The org table and its autofilter stay as they were; the subtotals follow the totals.
    assert sheet.auto_filter.ref == "A1:L3"
    assert rows[3][0] == "Итого"
    assert rows[5][0] == "Итоги по муниципалитетам (задачи управления и его школ)"
    assert sheet.cell(6, 1).font.b
    assert rows[6][:11] == ["Итого: Касимов", None, 12, 5, 1, 1, 2, 3, 3, 9, 4]
    assert rows[6][11] == pytest.approx(4 / 9)


def test_task_sheet_has_result_reason_files_and_links():
    closed = line(
        "МБОУ «СШ № 1»",
        "1.",
        TaskState.CLOSED_PARTIAL,
        confirmed_at=datetime(2024, 3, 14, 7, tzinfo=UTC),
        confirmed_by="Петрова Анна",
        evidence="2 файла, 1 ссылка",
        result=Outcome.PARTIAL,
        reason="Директор в отпуске",
        comment="Подпишем 25.03",
        attachments=(
            Attachment("document", "приказ.pdf"),
            Attachment("photo"),
            Attachment("link", url="https://school1.ru/vpr"),
        ),
    )
    done = line("МБОУ «СШ № 1»", "2.", TaskState.DONE, result=Outcome.DONE)
    not_done = line("Лицей", "3.", TaskState.CLOSED_NOT_DONE, result=Outcome.NOT_DONE)
    open_task = line("Лицей", "4.", TaskState.OPEN, overdue_days=4)
    report = Report(
        "Отчёт",
        datetime(2024, 3, 19, tzinfo=MSK),
        "Касимов",
        [],
        [closed, done, not_done, open_task],
    )
    sheet = load_workbook(BytesIO(build_xlsx(report)))["Задачи"]
    header = [c.value for c in sheet[1]]
    assert header[11:] == ["Подтверждения", "Результат", "Причина, комментарий", "Файлы", "Ссылки"]
    rows = {
        row[3]: dict(zip(header, row, strict=True))
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert rows["1."]["Статус"] == "Снято с контроля: частично"
    assert rows["1."]["Результат"] == "частично"
    assert (
        rows["1."]["Причина, комментарий"]
        == "Причина: Директор в отпуске\nКомментарий: Подпишем 25.03"
    )
    assert rows["1."]["Файлы"] == "приказ.pdf\nфото"
    assert rows["1."]["Ссылки"] == "https://school1.ru/vpr"
    assert sheet.cell(2, 15).alignment.wrap_text
    assert (rows["2."]["Статус"], rows["2."]["Результат"]) == ("Выполнено", "выполнено")
    assert rows["3."]["Статус"] == "Снято с контроля: не выполнено"
    assert rows["3."]["Результат"] == "не выполнено"
    assert rows["4."]["Результат"] is None and rows["4."]["Файлы"] is None
    # Closed tasks are never overdue, whatever their date.
    assert [t.number for t in report.overdue] == ["4."]


def many(count: int) -> list[OrgProgress]:
    name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {}»"
    return [
        progress(i, name.format(i), total=5, open=5, overdue=1, open_overdue=1, due=1)
        for i in range(count)
    ]


def test_no_length_limit_for_the_console():
    tasks = [
        line(f"Школа № {i}", f"{i}.", TaskState.OPEN, overdue_days=i + 1, measure="Анализ " * 30)
        for i in range(100)
    ]
    report = Report("Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Область", many(100), tasks)
    chat = render_summary(report, limit=None)
    assert len(chat) <= MESSAGE_LIMIT and "…и ещё" in chat
    console = render_summary(report, limit=None, max_length=None)
    assert len(console) > MESSAGE_LIMIT and "…и ещё" not in console
    assert all(f"«Средняя школа № {i}»" in console for i in range(100))
    overdue = render_overdue(report, limit=None, max_length=None)
    assert len(overdue) > MESSAGE_LIMIT and "…и ещё" not in overdue
    assert overdue.count("просрочено на") == 100


def test_many_municipalities_still_fit_a_message():
    subtotals = [progress(1000 + m, f"Муниципальный район № {m} " * 3, total=5) for m in range(80)]
    report = Report(
        "Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Область", many(300), [], subtotals
    )
    text = render_summary(report, limit=None)
    assert len(text.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT
    assert "муниципалитетов" in text or "муниципалитета" in text
    assert text.rstrip().endswith("…и ещё 300 организаций")


def test_a_long_chat_summary_is_split_into_messages():
    subtotals = [progress(1000 + m, f"Муниципальный район № {m}", total=5) for m in range(30)]
    report = Report(
        "Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Область", many(300), [], subtotals
    )
    parts = render_summary_parts(report)
    assert len(parts) > 1
    assert all(len(part.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT for part in parts)
    text = "\n".join(parts)
    # Every municipality and the 40 worst organisations, each with its counts.
    assert all(f"<b>Муниципальный район № {m}</b>: 5 задач" in text for m in range(30))
    assert text.count("»</b>: 5 задач\nвыполнено 0 · на проверке 0 · в работе 5") == 40
    assert parts[-1].endswith("…и ещё 260 организаций — все они есть в отчёте XLSX")
    # A message never starts with a blank line or ends with a list's bare title.
    assert not any(part.startswith("\n") for part in parts)
    assert not any(part.rstrip().endswith(":") for part in parts)


def test_a_short_chat_summary_is_one_message():
    report = Report("Отчёт", datetime(2024, 3, 19, tzinfo=MSK), "Касимов", [MIXED], [])
    assert render_summary_parts(report) == [render_summary(report)]
