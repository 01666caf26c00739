"""XLSX workbook of a report: summary per organisation, all tasks, overdue tasks, and the
hotline's statistics when given."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.reports import OUTCOME_TITLES, STATE_TITLES, OrgProgress, Report, TaskLine
from bot.services.hotline.stats import HotlineStats
from bot.texts import faq as hotline_texts

DATE_FORMAT = "DD.MM.YYYY"
DATETIME_FORMAT = "DD.MM.YYYY HH:MM"
PERCENT_FORMAT = "0.0%"
# Excel refuses longer cell texts.
MAX_CELL_TEXT = 32_767

SUMMARY_COLUMNS = (
    ("Организация", 45),
    ("Муниципалитет", 25),
    ("Всего", 9),
    ("Выполнено", 12),
    ("Снято с контроля: частично", 16),
    ("Снято с контроля: не выполнено", 16),
    ("На проверке", 13),
    ("В работе", 11),
    ("Просрочено", 13),
    ("Срок наступил", 15),
    ("В срок", 9),
    ("Исполнительская дисциплина, %", 18),
)
TASK_COLUMNS = (
    ("Организация", 35),
    ("Муниципалитет", 22),
    ("План", 30),
    ("№", 7),
    ("Мероприятие", 60),
    ("Срок по плану", 22),
    ("Срок", 12),
    ("Статус", 16),
    ("Просрочено, дней", 12),
    ("Подтверждено", 17),
    ("Кем подтверждено", 22),
    ("Подтверждения", 22),
    ("Результат", 14),
    ("Причина, комментарий", 40),
    ("Файлы", 30),
    ("Ссылки", 40),
)
OVERDUE_COLUMNS = (
    ("Организация", 35),
    ("Муниципалитет", 22),
    ("План", 30),
    ("№", 7),
    ("Мероприятие", 60),
    ("Срок по плану", 22),
    ("Срок", 12),
    ("Просрочено, дней", 12),
    ("Статус", 16),
)
WRAPPED = Alignment(wrap_text=True, vertical="top")
MUNICIPALITIES_TITLE = "Итоги по муниципалитетам (задачи управления и его школ)"
SUBTOTAL_LABEL = "Итого: {name}"
# Photos sent to Telegram have no file name.
UNNAMED_FILE = {"photo": "фото"}
UNNAMED_DOCUMENT = "файл"


def build_xlsx(report: Report, hotline: HotlineStats | None = None) -> bytes:
    """Return the report as an XLSX workbook, with a hotline sheet when ``hotline`` is given."""
    book = Workbook()
    book.properties.title = _clean(report.title)
    book.properties.subject = _clean(report.scope)
    summary = book.active
    summary.title = "Сводка"
    _fill_summary(summary, report)
    tasks = book.create_sheet("Задачи")
    _start_table(tasks, TASK_COLUMNS)
    for task in report.tasks:
        _task_row(tasks, task, report)
    _finish_table(tasks, TASK_COLUMNS, rows=len(report.tasks))
    overdue = book.create_sheet("Просрочено")
    _start_table(overdue, OVERDUE_COLUMNS)
    for task in report.overdue:
        _overdue_row(overdue, task)
    _finish_table(overdue, OVERDUE_COLUMNS, rows=len(report.overdue))
    if hotline is not None:
        _fill_hotline(book.create_sheet(hotline_texts.SHEET_TITLE), hotline, report)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _fill_summary(sheet: Worksheet, report: Report) -> None:
    _start_table(sheet, SUMMARY_COLUMNS)
    for org in report.orgs:
        _summary_row(sheet, org)
    _finish_table(sheet, SUMMARY_COLUMNS, rows=len(report.orgs))
    # The totals row stays outside the autofilter range so sorting never moves it.
    _summary_row(sheet, report.totals)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    if report.municipalities:
        sheet.append([])
        _append(sheet, [MUNICIPALITIES_TITLE])
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        for municipality in report.municipalities:
            _summary_row(sheet, municipality, SUBTOTAL_LABEL.format(name=municipality.name))
    generated = _naive(report.generated_at, report).strftime("%d.%m.%Y %H:%M")
    sheet.append([])
    for label, value in (
        ("Отчёт", report.title),
        ("Охват", report.scope),
        ("Сформирован", generated),
    ):
        _append(sheet, [label, value])


def _summary_row(sheet: Worksheet, org: OrgProgress, label: str | None = None) -> None:
    discipline = None if org.discipline is None else org.discipline / 100
    _append(
        sheet,
        [
            label or org.name,
            org.parent,
            org.total,
            org.done,
            org.closed_partial,
            org.closed_not_done,
            org.on_review,
            org.open,
            org.overdue,
            org.due,
            org.done_on_time,
            discipline,
        ],
    )
    sheet.cell(sheet.max_row, 1).alignment = WRAPPED
    sheet.cell(sheet.max_row, len(SUMMARY_COLUMNS)).number_format = PERCENT_FORMAT


def _task_row(sheet: Worksheet, task: TaskLine, report: Report) -> None:
    confirmed = None if task.confirmed_at is None else _naive(task.confirmed_at, report)
    _append(
        sheet,
        [
            task.org,
            task.parent,
            task.plan,
            task.number,
            task.measure,
            task.deadline_text,
            task.due,
            STATE_TITLES[task.state],
            task.overdue_days if task.is_overdue else None,
            confirmed,
            task.confirmed_by,
            task.evidence,
            OUTCOME_TITLES[task.result] if task.result else None,
            _notes(task),
            _lines(_file_name(a.kind, a.name) for a in task.attachments if a.kind != "link"),
            _lines(a.url or "" for a in task.attachments if a.kind == "link"),
        ],
    )
    row = sheet.max_row
    for column in (1, 3, 5, 6, 14, 15, 16):
        sheet.cell(row, column).alignment = WRAPPED
    sheet.cell(row, 7).number_format = DATE_FORMAT
    sheet.cell(row, 10).number_format = DATETIME_FORMAT


def _notes(task: TaskLine) -> str | None:
    parts = (("Причина", task.reason), ("Комментарий", task.comment))
    return _lines(f"{title}: {text}" for title, text in parts if text)


def _lines(values: Iterable[str]) -> str | None:
    return "\n".join(values) or None


def _file_name(kind: str, name: str | None) -> str:
    return name or UNNAMED_FILE.get(kind, UNNAMED_DOCUMENT)


def _overdue_row(sheet: Worksheet, task: TaskLine) -> None:
    _append(
        sheet,
        [
            task.org,
            task.parent,
            task.plan,
            task.number,
            task.measure,
            task.deadline_text,
            task.due,
            task.overdue_days,
            STATE_TITLES[task.state],
        ],
    )
    row = sheet.max_row
    for column in (1, 3, 5, 6):
        sheet.cell(row, column).alignment = WRAPPED
    sheet.cell(row, 7).number_format = DATE_FORMAT


def _fill_hotline(sheet: Worksheet, stats: HotlineStats, report: Report) -> None:
    """Two columns, label and value; rows are appended, never looked up by ``max_row``."""
    t = hotline_texts
    period = " – ".join(
        _naive(moment, report).strftime("%d.%m.%Y") for moment in (stats.start, stats.end)
    )
    median = (
        None
        if stats.median_first_answer is None
        else round(stats.median_first_answer.total_seconds() / 3600, 1)
    )
    rows: list[tuple[str, Any]] = [
        (t.SHEET_SCOPE, stats.scope),
        (t.SHEET_PERIOD, period),
        (t.SHEET_TOTAL, stats.total),
        *((t.SHEET_TOPIC.format(name=t.TOPIC_NAMES[k]), n) for k, n in stats.by_topic),
        *((t.SHEET_KIND.format(name=t.KIND_NAMES[k]), n) for k, n in stats.by_kind),
        *(
            (t.SHEET_SCHOOL.format(name=s.name or t.STATS_NO_SCHOOL), s.tickets)
            for s in stats.by_school
        ),
        (t.SHEET_OPEN, stats.open),
        (t.SHEET_OVERDUE, stats.overdue),
        (t.SHEET_ANSWERED, stats.answered),
        (t.SHEET_MEDIAN, median),
        (t.SHEET_DEFLECTIONS, stats.deflections),
    ]
    sheet.append([_text_cell(sheet, title, bold=True) for title in t.SHEET_HEADER])
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "A2"
    for label, value in rows:
        sheet.append(
            [
                _text_cell(sheet, label),
                _text_cell(sheet, value) if isinstance(value, str) else value,
            ]
        )


def _text_cell(sheet: Worksheet, text: str, bold: bool = False) -> Cell:
    cell = Cell(sheet, value=_clean(text))
    # School names come from users: «=…» must stay text, not a formula.
    cell.data_type = "s"
    cell.alignment = WRAPPED
    if bold:
        cell.font = Font(bold=True)
    return cell


def _start_table(sheet: Worksheet, columns: Sequence[tuple[str, int]]) -> None:
    sheet.append([title for title, _ in columns])
    for index, (_, width) in enumerate(columns, start=1):
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _finish_table(sheet: Worksheet, columns: Sequence[tuple[str, int]], rows: int) -> None:
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{rows + 1}"


def _append(sheet: Worksheet, values: Sequence[Any]) -> None:
    sheet.append([_clean(v) if isinstance(v, str) else v for v in values])
    for cell in sheet[sheet.max_row]:
        # Names and measures come from users and documents: «=…» must stay text, not a formula.
        if cell.data_type == "f":
            cell.data_type = "s"


def _clean(text: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", text)[:MAX_CELL_TEXT]


def _naive(moment: datetime, report: Report) -> datetime:
    # Excel has no time zones: show moments in the reader's zone, that of generated_at.
    if moment.tzinfo is None:
        return moment
    zone = report.generated_at.tzinfo
    return moment.astimezone(zone).replace(tzinfo=None)
