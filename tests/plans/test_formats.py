"""DOCX, XLSX and CSV versions of the seeds read like the text form; bad files are refused."""

import io
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from docx import Document
from openpyxl import Workbook

from bot.domain.plans.documents import PlanFormatError, read_plan
from bot.texts.errors import error_text
from tests.support.documents import (
    docx_with_merged_responsible,
    seed_csv,
    seed_docx,
    seed_xlsx,
    xlsx_with_merged_responsible,
)
from tests.support.seeds import SEED_000, SEED_001, SEED_003, read_seed

SEEDS = [SEED_000, SEED_001, SEED_003]


def _same_plan(data: bytes, name: str, path: Path) -> None:
    expected = read_seed(path)
    plan = read_plan(data, name)
    assert plan.measures == expected.measures
    assert (plan.title, plan.approved, plan.period) == (
        expected.title, expected.approved, expected.period)  # fmt: skip


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_docx_reads_like_text(path) -> None:
    _same_plan(seed_docx(path), "plan.docx", path)


def test_docx_merged_cell_counted_once() -> None:
    data = seed_docx(SEED_003)
    table = Document(io.BytesIO(data)).tables[0]
    section_row = table.rows[1]
    assert len({id(cell._tc) for cell in section_row.cells}) == 1
    assert read_plan(data, "plan.docx").measures[0].section == "1. Нормативно-правовое обеспечение"


def test_docx_merged_data_cells_keep_column_positions() -> None:
    document = Document()
    table = document.add_table(rows=0, cols=4)
    for row in (["№", "Мероприятие", "Срок", "Ответственный"], ["1", "Совещание", "", "ОО"]):
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    cells = table.rows[1].cells
    cells[1].merge(cells[2])
    buffer = io.BytesIO()
    document.save(buffer)
    (measure,) = read_plan(buffer.getvalue(), "plan.docx").measures
    assert (measure.title, measure.deadline_text, measure.responsible) == ("Совещание", "", "ОО")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_xlsx_reads_like_text(path) -> None:
    _same_plan(seed_xlsx(path), "plan.xlsx", path)


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "cp1251"), (",", "utf-8"), (";", "utf-8-sig")]
)
@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_csv_reads_like_text(path, delimiter, encoding) -> None:
    _same_plan(seed_csv(path, delimiter, encoding), "plan.csv", path)


def _zip(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def _docx_without_table() -> bytes:
    document = Document()
    document.add_paragraph("План мероприятий на 2024 год")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx_with(rows: list[list[str]]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
BAD_INPUTS = [
    (b"", "plan.docx", "пустой"),
    (b"  \n\t\n", "plan.txt", "пустой"),
    (PNG, "photo.png", "изображение"),
    (PNG, "plan.docx", "изображение"),
    (JPEG, "scan.jpg", "изображение"),
    (b"%PDF-1.7 ...", "plan.pdf", "изображение или PDF"),
    (b"PK\x03\x04broken zip", "plan.docx", "повреждён"),
    (b"PK\x03\x04broken zip", "plan.xlsx", "повреждён"),
    (b"just some text", "plan.docx", "повреждён"),
    (_zip("hello.txt", b"hi"), "plan.docx", "повреждён"),
    (_zip("hello.txt", b"hi"), "plan.xlsx", "повреждён"),
    (_docx_without_table(), "plan.xlsx", "повреждён"),
    (_docx_without_table(), "plan.docx", "не найдена таблица"),
    (_xlsx_with([["Имя", "Телефон"], ["Иван", "123"]]), "list.xlsx", "не найдена таблица"),
    (b"\xd0\xcf\x11\xe0 old office", "plan.doc", "старого формата"),
    (b"some bytes", "plan.xls", "старого формата"),
    (b"some bytes", "plan.odp", "не читает"),
    (b"some bytes", "plan", "не читает"),
    ("Просто письмо без таблицы.\nС уважением.".encode(), "letter.txt", "не найдена таблица"),
    ("№\tСрок\tОтветственный\n1\tмарт\tОО\n".encode(), "plan.txt", "не найдена таблица"),
    ("№\tМероприятие\tСрок\tОтветственный\n\n".encode(), "plan.txt", "нет ни одной строки"),
    ("№;Мероприятие;Срок\n--;--;--\n".encode(), "plan.csv", "нет ни одной строки"),
    (bytes(range(256)) * 4, "plan.csv", "не найдена таблица"),
]


@pytest.mark.parametrize(("data", "name", "fragment"), BAD_INPUTS)
def test_bad_input_is_explained_in_russian(data, name, fragment) -> None:
    with pytest.raises(PlanFormatError) as caught:
        read_plan(data, name)
    message = error_text(caught.value)
    assert fragment in message
    assert "«Мероприятие», «Срок» и «Ответственный»" in message or "DOCX или XLSX" in message


@pytest.mark.parametrize(
    ("data", "name"),
    [(xlsx_with_merged_responsible(), "plan.xlsx"), (docx_with_merged_responsible(), "plan.docx")],
    ids=["xlsx", "docx"],
)
def test_responsible_merged_down_belongs_to_each_measure(data, name) -> None:
    measures = read_plan(data, name).measures
    assert [(m.number, m.title, m.responsible) for m in measures[:3]] == [
        ("1", "Совещание", "Руководители ОО"),
        ("2", "Анализ ВПР", "Руководители ОО"),
        ("3", "Отчёт", "Отдел образования"),
    ]
    if name.endswith(".xlsx"):
        assert (measures[3].section, measures[3].title) == ("2. Контроль", "Проверка сайтов")


def test_xlsx_cells_read_as_the_sheet_shows_them() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["План мероприятий на 2024 год"])
    sheet.append(["№", "Мероприятие", "Срок", "Ответственный", "Результат"])
    rows = [
        ("1.10", "Текстовый номер", "до 15 марта", "ОО", None, (None, None, None)),
        (1.1, "Номер-число с форматом", datetime(2024, 3, 15), "ОО", 0.5, ("0.00", None, "0%")),
        (3.0, "Целый номер", datetime(2024, 3, 1), "ОО", 0.25, (None, "mmmm yyyy", "0.0%")),
        (4, "Без года", datetime(2024, 4, 5), "ОО", 1 / 3, (None, "dd.mm", None)),
    ]
    for number, title, deadline, responsible, result, formats in rows:
        sheet.append([number, title, deadline, responsible, result])
        for column, fmt in zip("ACE", formats, strict=True):
            if fmt:
                sheet[f"{column}{sheet.max_row}"].number_format = fmt
    buffer = io.BytesIO()
    workbook.save(buffer)
    measures = read_plan(buffer.getvalue(), "plan.xlsx").measures
    assert [(m.number, m.deadline_text, m.result) for m in measures] == [
        ("1.10", "до 15 марта", None),
        ("1.10", "15.03.2024", "50%"),
        ("3", "март 2024", "25.0%"),
        ("4", "05.04", "0.333333333333333"),
    ]
