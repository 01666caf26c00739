"""Reading small CSV files that people save from Excel (UTF-8 or Windows-1251, any delimiter)."""

from __future__ import annotations

import contextlib
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
    with contextlib.suppress(csv.Error):
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    return list(csv.reader(io.StringIO(text), dialect))
