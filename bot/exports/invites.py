"""Tables of invitations to mail out, with the links the channel makes from the tokens."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from bot.config import DEFAULT_TIMEZONE
from bot.services.invites import InviteView

HEADER = ["Организация", "Ссылка-приглашение", "Действует до"]
# Makes the channel's invitation link from a token.
LinkMaker = Callable[[str], str]


def invites_csv(
    items: Sequence[InviteView], link: LinkMaker, default_tz: str = DEFAULT_TIMEZONE
) -> bytes:
    """School, link, local expiry; UTF-8 with a BOM so that Excel reads the Cyrillic."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(HEADER)
    for item in items:
        writer.writerow([item.org_name, link(item.token), item.expires_on(default_tz).isoformat()])
    return out.getvalue().encode("utf-8-sig")


def invites_xlsx(
    items: Sequence[InviteView], link: LinkMaker, default_tz: str = DEFAULT_TIMEZONE
) -> bytes:
    # openpyxl is loaded by the first workbook, not by the bot's start.
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Приглашения"
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for item in items:
        sheet.append([item.org_name, link(item.token), item.expires_on(default_tz)])
        sheet.cell(row=sheet.max_row, column=3).number_format = "DD.MM.YYYY"
    sheet.column_dimensions["A"].width = 50
    sheet.column_dimensions["B"].width = 70
    sheet.column_dimensions["C"].width = 14
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
