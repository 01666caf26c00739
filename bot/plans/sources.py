"""Loaders that turn TXT, CSV, DOCX and XLSX bytes into rows of cell texts."""

import csv
import io
import logging
from collections.abc import Callable
from datetime import date, datetime

from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph
from openpyxl import load_workbook

from bot.plans.models import PlanFormatError

logger = logging.getLogger(__name__)

Rows = list[list[str]]
BROKEN_FILE = (
    "Не удалось открыть файл «{name}»: он повреждён или его содержимое не совпадает "
    "с расширением. Сохраните план заново в формате DOCX или XLSX и пришлите ещё раз."
)


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
    document = Document(io.BytesIO(data))
    rows: Rows = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            rows.extend(([Paragraph(child, document).text], []))
        elif child.tag == qn("w:tbl"):
            rows.extend(_docx_row(row) for row in Table(child, document).rows)
            rows.append([])
    return rows


def _xlsx_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_sheets(data: bytes) -> list[Rows]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [
            [[_xlsx_value(value) for value in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets
        ]
    finally:
        workbook.close()


def _guarded(read: Callable[[bytes], object], data: bytes, name: str) -> object:
    try:
        return read(data)
    # Corrupt zips and XML make these libraries raise many unrelated exception types.
    except Exception as exc:
        logger.info("cannot open plan file %s: %r", name, exc)
        raise PlanFormatError(BROKEN_FILE.format(name=name)) from exc


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
