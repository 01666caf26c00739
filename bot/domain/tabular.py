"""Reading small CSV files that people save from Excel (UTF-8 or Windows-1251, any delimiter)."""

from __future__ import annotations

import csv
import io


def csv_rows(data: bytes) -> list[list[str]] | None:
    """The rows of a CSV file, or None when it is in neither UTF-8 nor Windows-1251."""
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return None
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        # Rows with uneven cell counts defeat the sniffer; the header line still tells.
        return list(csv.reader(io.StringIO(text), delimiter=_header_delimiter(text)))
    return list(csv.reader(io.StringIO(text), dialect))


def _header_delimiter(text: str) -> str:
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max(";\t,", key=header.count)
