"""The measures table: header columns, section rows, page-break continuations, clean cells."""

import html
import re

from bot.domain.plans.models import ParsedMeasure

_TAG_RE = re.compile(r"</?[a-zA-Z][^<>]*>")
_SEPARATOR_RE = re.compile(r"^[-=:|+\s]*$")
_TOP_NUMBER_RE = re.compile(r"^(?:\d{1,2}|[IVX]{1,4})\.?$")
_SECTION_TITLE_RE = re.compile(
    r"^(?:(?:раздел|направление|проблема|задача|цель|блок|модуль)\b|(?:\d{1,2}|[IVX]{1,4})\.\s)",
    re.IGNORECASE,
)
_ROLES = (
    ("result", ("результат",)),
    ("document", ("вид документа", "форма документа")),
    ("deadline", ("срок", "дата", "время")),
    ("responsible", ("ответствен", "исполнител")),
    ("measure", ("мероприят", "меры", "наименование", "содержание")),
    ("number", ("№", "п/п", "номер")),
)
_FIELDS = {
    "measure": "title",
    "deadline": "deadline_text",
    "responsible": "responsible",
    "document": "document",
    "result": "result",
}
Roles = dict[str, int]


def clean(text: str | None) -> str:
    """Cell text without leftover HTML, entities, Markdown bold and extra whitespace."""
    if not text:
        return ""
    text = html.unescape(_TAG_RE.sub(" ", text)).replace("**", " ")
    return " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())


def column_role(cell: str) -> str | None:
    name = clean(cell).lower().replace("ё", "е")
    if not name or len(name) > 60:
        return None
    return next((role for role, keys in _ROLES if any(key in name for key in keys)), None)


def header_roles(cells: list[str]) -> Roles | None:
    """Column index per role when the row is a measures header, else None."""
    roles: Roles = {}
    for index, cell in enumerate(cells):
        role = column_role(cell)
        if role is not None and role not in roles:
            roles[role] = index
    has_measure = "measure" in roles
    return roles if has_measure and {"deadline", "responsible"} & roles.keys() else None


def find_header(rows: list[list[str]]) -> tuple[int, Roles] | None:
    for index, row in enumerate(rows):
        if len(row) > 1 and (roles := header_roles(row)) is not None:
            return index, roles
    return None


def _skippable(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    if not filled:
        return True
    if all(_SEPARATOR_RE.match(cell) for cell in filled):
        return True
    column_numbers = [str(i) for i in range(1, len(filled) + 1)]
    return (len(filled) > 2 and filled == column_numbers) or header_roles(cells) is not None


def _cell(cells: list[str], roles: Roles, role: str) -> str:
    index = roles.get(role)
    return cells[index] if index is not None and index < len(cells) else ""


def _is_section(cells: list[str], roles: Roles, has_measures: bool) -> bool:
    filled = [index for index, cell in enumerate(cells) if cell]
    if filled == [0]:
        first_role = next((role for role, index in roles.items() if index == 0), None)
        if first_role in (None, "number") or not has_measures:
            return True
        return first_role == "measure" and not cells[0][0].islower()
    details = ("deadline", "responsible", "document", "result")
    number = _cell(cells, roles, "number")
    title = _cell(cells, roles, "measure")
    if not title or any(_cell(cells, roles, role) for role in details):
        return False
    if number:
        return bool(_TOP_NUMBER_RE.match(number))
    return bool(_SECTION_TITLE_RE.match(title))


def _is_continuation(cells: list[str], roles: Roles, previous: ParsedMeasure) -> bool:
    if _cell(cells, roles, "number"):
        return False
    # A numbered plan numbers every measure, so a row without a number continues the one above
    # (a page break; its text may start with a capital, «ВПР по математике…»).
    if "number" in roles and previous.number:
        return True
    title = _cell(cells, roles, "measure")
    return not title or not title[0].isupper()


def _section_text(cells: list[str], roles: Roles) -> str:
    return " ".join(cell for cell in cells if cell)


def _new_measure(cells: list[str], roles: Roles, position: int, section: str | None):
    def optional(role: str) -> str | None:
        return _cell(cells, roles, role) or None

    return ParsedMeasure(
        position=position,
        number=_cell(cells, roles, "number"),
        section=section,
        title=_cell(cells, roles, "measure"),
        responsible=_cell(cells, roles, "responsible"),
        deadline_text=_cell(cells, roles, "deadline"),
        document=optional("document"),
        result=optional("result"),
    )


def _merge(measure: ParsedMeasure, cells: list[str], roles: Roles) -> None:
    """A row split by a page break: each cell continues the same column of the row above."""
    for role, index in roles.items():
        if role in _FIELDS and index < len(cells) and cells[index]:
            current = getattr(measure, _FIELDS[role]) or ""
            # A cell merged down over both rows repeats its text; it is not a continuation.
            if cells[index] != current:
                setattr(measure, _FIELDS[role], f"{current} {cells[index]}".strip())


def build_measures(rows: list[list[str]], roles: Roles) -> list[ParsedMeasure]:
    """Measures from the rows below the header, with their sections."""
    measures: list[ParsedMeasure] = []
    section: str | None = None
    section_open = False
    for row in rows:
        cells = [clean(cell) for cell in row]
        if _skippable(cells):
            continue
        if _is_section(cells, roles, bool(measures)):
            text = _section_text(cells, roles)
            if section_open and section and section.rsplit(" / ", 1)[-1] == text:
                continue  # a heading merged down over two rows
            # «Проблема: …» right under «1. Раздел» refines that section rather than replacing it.
            section = f"{section} / {text}" if section_open and section else text
            section_open = True
        elif measures and not section_open and _is_continuation(cells, roles, measures[-1]):
            _merge(measures[-1], cells, roles)
        elif _cell(cells, roles, "measure"):
            measures.append(_new_measure(cells, roles, len(measures) + 1, section))
            section_open = False
    return measures
