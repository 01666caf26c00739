"""Loaders that turn TXT, CSV, DOCX and XLSX bytes into rows of cell texts."""

import csv
import io
import logging
import re
from collections.abc import Callable
from datetime import date, datetime

from bot.domain.errors import ErrorCode
from bot.domain.plans.models import PlanFormatError

logger = logging.getLogger(__name__)

Rows = list[list[str]]
_MERGE_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_DECIMALS_RE = re.compile(r"\.([0#?]+)")
_MONTH_NAMES = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip


def decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251", errors="replace")
    return text.replace("\x00", "").replace("\r\n", "\n").replace("\r", "\n")


def load_text(data: bytes, name: str) -> list[Rows]:
    """Tab-separated rows; consecutive lines of plain text are joined into one paragraph."""
    rows: Rows = []
    joinable = False
    for line in decode(data).split("\n"):
        if "\t" in line or not line.strip():
            rows.append(line.split("\t") if line.strip() else [])
            joinable = False
        elif joinable:
            rows[-1] = [f"{rows[-1][0]}\n{line}"]
        else:
            rows.append([line])
            joinable = True
    return [rows]


def _csv_tables(data: bytes) -> list[Rows]:
    """One reading per likely delimiter, the likeliest first; the caller keeps the one with a header."""
    lines = decode(data).split("\n")
    sample = [line for line in lines if line.strip()][:50]
    delimiters = sorted(";,\t", key=lambda sep: -sum(line.count(sep) >= 2 for line in sample))
    return [
        [
            row if any(cell.strip() for cell in row) else []
            for row in csv.reader(lines, delimiter=sep)
        ]
        for sep in delimiters
    ]


def _docx_row(row) -> list[str]:
    # python-docx repeats a horizontally merged cell once per grid column it spans.
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        texts.append("" if cell._tc is previous else cell.text)
        previous = cell._tc
    return texts


def _docx_rows(data: bytes) -> Rows:
    # python-docx and openpyxl are loaded by the first document of their kind, not by the
    # bot's start.
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(io.BytesIO(data))
    rows: Rows = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            rows.extend(([Paragraph(child, document).text], []))
        elif child.tag == qn("w:tbl"):
            rows.extend(_docx_row(row) for row in Table(child, document).rows)
            rows.append([])
    return rows


def _format_section(number_format: str | None) -> str:
    """The positive-number part of a format without quoted text, escapes and [colours]."""
    section = (number_format or "General").split(";")[0]
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)


def _xlsx_date(value: date, number_format: str | None) -> str:
    """The date as the sheet shows it: «15.03.2024», «15.03» (no year), «март 2024» (no day)."""
    shown = _format_section(number_format).lower()
    if "d" not in shown and "y" in shown:
        return f"{_MONTH_NAMES[value.month - 1]} {value.year}"
    if "y" not in shown and "d" in shown:
        day = f"{value.day:02d}" if "dd" in shown else str(value.day)
        return f"{day}.{value.month:02d}"
    return value.strftime("%d.%m.%Y")


def _xlsx_number(value: float, number_format: str | None) -> str:
    shown = _format_section(number_format)
    percent = "%" in shown
    if percent:
        value *= 100
    decimals = _DECIMALS_RE.search(shown)
    if decimals:
        text = f"{value:.{len(decimals.group(1))}f}"
    elif shown != "General" and re.search(r"[0#]", shown):
        text = f"{value:.0f}"
    elif float(value).is_integer():
        text = str(int(value))
    else:
        text = f"{value:.15g}"
    return f"{text}%" if percent else text


def _xlsx_value(value: object, number_format: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return _xlsx_date(value, number_format)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _xlsx_number(value, number_format)
    return str(value)


def _merged_ranges(sheet) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range of a read-only sheet."""
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.xml.functions import iterparse

    # Read-only sheets do not parse <mergeCells>; a full load would hold every cell in memory.
    ranges = []
    with sheet._get_source() as source:
        for _, element in iterparse(source):
            if element.tag == _MERGE_TAG and element.get("ref"):
                ranges.append(range_boundaries(element.get("ref")))
            element.clear()
    return ranges


def _fill_merged_down(rows: Rows, ranges: list[tuple[int, int, int, int]]) -> None:
    """A cell merged down several rows belongs to each of them, as Word tables read."""
    for min_col, min_row, _, max_row in ranges:
        if max_row <= min_row or min_row > len(rows):
            continue
        top = rows[min_row - 1]
        value = top[min_col - 1] if min_col <= len(top) else ""
        for row in rows[min_row:max_row]:
            row.extend([""] * (min_col - len(row)))
            row[min_col - 1] = row[min_col - 1] or value


def _xlsx_sheets(data: bytes) -> list[Rows]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows = [
                [_xlsx_value(cell.value, cell.number_format) for cell in row]
                for row in sheet.iter_rows()
            ]
            _fill_merged_down(rows, _merged_ranges(sheet))
            sheets.append(rows)
        return sheets
    finally:
        workbook.close()


def _guarded(read: Callable[[bytes], object], data: bytes, name: str) -> object:
    try:
        return read(data)
    # Corrupt zips and XML make these libraries raise many unrelated exception types.
    except Exception as exc:
        logger.info("cannot open plan file %s: %r", name, exc)
        raise PlanFormatError(ErrorCode.PLAN_BROKEN_FILE, name=name) from exc


def load_csv(data: bytes, name: str) -> list[Rows]:
    return _guarded(_csv_tables, data, name)  # type: ignore[return-value]


def load_docx(data: bytes, name: str) -> list[Rows]:
    return [_guarded(_docx_rows, data, name)]  # type: ignore[list-item]


def load_xlsx(data: bytes, name: str) -> list[Rows]:
    return _guarded(_xlsx_sheets, data, name)  # type: ignore[return-value]


LOADERS: dict[str, Callable[[bytes, str], list[Rows]]] = {
    ".txt": load_text,
    ".tsv": load_text,
    ".csv": load_csv,
    ".docx": load_docx,
    ".xlsx": load_xlsx,
    ".xlsm": load_xlsx,
}
