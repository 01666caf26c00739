"""Who acknowledged an announcement, as a workbook: one row per recipient it reached."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.services.announcements.views import AckReport
from bot.texts import announce_form as texts

WIDTHS = {"A": 30, "B": 45, "C": 35, "D": 14}


def acks_xlsx(report: AckReport) -> bytes:
    """Municipality, school, name, «ознакомлен» or «нет»; those who did not, first in each
    organisation."""
    book = Workbook()
    sheet = book.active
    sheet.title = texts.ACKS_SHEET
    sheet.append(list(texts.ACKS_HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for org in report.by_org:
        for name in org.missing:
            sheet.append([org.parent_name or "", org.org_name, name, texts.ACKS_NO])
        for name in org.acknowledged:
            sheet.append([org.parent_name or "", org.org_name, name, texts.ACKS_YES])
    for column, width in WIDTHS.items():
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
