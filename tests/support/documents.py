"""Office documents made from the seeds and small tables, as officers' files come."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from docx import Document
from openpyxl import Workbook


def split_seed(path: Path) -> tuple[list[str], list[list[str]]]:
    """Preamble lines and table rows of a seed, as an office document would hold them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    header = next(i for i, line in enumerate(lines) if line.startswith("№ п/п\t"))
    rows = [line.split("\t") for line in lines[header:] if line.strip()]
    width = len(rows[0])
    return [line for line in lines[:header] if line.strip()], [
        (row + [""] * width)[:width] for row in rows
    ]


def is_section(row: list[str]) -> bool:
    """A section heading: a first cell and nothing else."""
    return bool(row[0].strip()) and not any(cell.strip() for cell in row[1:])


def seed_docx(path: Path) -> bytes:
    """The seed as a DOCX: the preamble in paragraphs, sections in merged rows of one table."""
    preamble, rows = split_seed(path)
    document = Document()
    for line in preamble:
        document.add_paragraph(line)
    table = document.add_table(rows=0, cols=len(rows[0]))
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
        if is_section(row):
            cells[0].merge(cells[-1])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def seed_xlsx(path: Path) -> bytes:
    """The seed as an XLSX sheet: the preamble above the table, sections in merged rows."""
    preamble, rows = split_seed(path)
    workbook = Workbook()
    sheet = workbook.active
    for line in preamble:
        sheet.append([line])
    for row in rows:
        sheet.append(row)
        if is_section(row):
            sheet.merge_cells(
                start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(row)
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def seed_csv(path: Path, delimiter: str, encoding: str) -> bytes:
    """The seed as CSV with the given delimiter and encoding."""
    preamble, rows = split_seed(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for line in preamble:
        writer.writerow([line])
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


MERGED_HEADER = ["№", "Мероприятие", "Срок", "Ответственный"]
MERGED_ROWS = [
    ["1", "Совещание", "март 2024", "Руководители ОО"],
    ["2", "Анализ ВПР", "май 2024", ""],
    ["3", "Отчёт", "июнь 2024", "Отдел образования"],
]


def xlsx_with_merged_responsible() -> bytes:
    """Measures 1 and 2 share one «Ответственный» cell merged down over both rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["План мероприятий на 2024 год"])
    sheet.append(MERGED_HEADER)
    for row in MERGED_ROWS:
        sheet.append(row)
    sheet.merge_cells("D3:D4")
    sheet.merge_cells("A6:D7")  # a heading two rows tall
    sheet["A6"] = "2. Контроль"
    sheet.append(["4", "Проверка сайтов", "апрель 2024", "ОО"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx_with_merged_responsible() -> bytes:
    """The same table in a DOCX, the «Ответственный» of measures 1 and 2 merged down."""
    document = Document()
    document.add_paragraph("План мероприятий на 2024 год")
    table = document.add_table(rows=0, cols=4)
    for row in (MERGED_HEADER, *MERGED_ROWS):
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = text
    table.cell(1, 3).merge(table.cell(2, 3))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
