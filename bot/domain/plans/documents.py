"""Reading plan documents (TXT, CSV, DOCX, XLSX) into measures and metadata."""

from pathlib import PurePath

from bot.domain.errors import ErrorCode
from bot.domain.plans.metadata import (
    find_approved,
    find_owner,
    find_period,
    find_title,
    paragraphs,
)
from bot.domain.plans.models import ParsedMeasure, ParsedPlan, PlanFormatError
from bot.domain.plans.sources import LOADERS
from bot.domain.plans.table import build_measures, find_header

__all__ = ["ParsedMeasure", "ParsedPlan", "PlanFormatError", "read_plan"]

_BINARY_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"BM", b"RIFF")


def _loader(data: bytes, filename: str):
    if not data.strip():
        raise PlanFormatError(ErrorCode.PLAN_EMPTY_FILE)
    if data.startswith(_BINARY_SIGNATURES):
        raise PlanFormatError(ErrorCode.PLAN_IMAGE_FILE)
    suffix = PurePath(filename).suffix.lower()
    if suffix in (".doc", ".xls", ".rtf", ".odt", ".ods"):
        raise PlanFormatError(ErrorCode.PLAN_OLD_FORMAT, suffix=suffix)
    if suffix not in LOADERS:
        raise PlanFormatError(ErrorCode.PLAN_UNKNOWN_FORMAT, suffix=suffix or filename)
    return LOADERS[suffix]


def read_plan(data: bytes, filename: str) -> ParsedPlan:
    """The plan in a file; raises PlanFormatError saying why not otherwise."""
    sheets = _loader(data, filename)(data, filename)
    found = next(
        ((rows, header) for rows in sheets if (header := find_header(rows)) is not None), None
    )
    if found is None:
        raise PlanFormatError(ErrorCode.PLAN_NO_TABLE)
    rows, (header_index, roles) = found
    measures = build_measures(rows[header_index + 1 :], roles)
    if not measures:
        raise PlanFormatError(ErrorCode.PLAN_NO_MEASURES)
    parts = paragraphs(rows[:header_index])
    title = find_title(parts) or PurePath(filename).stem
    return ParsedPlan(
        title=title,
        approved=find_approved(parts),
        approved_by=find_owner(parts),
        period=find_period(title, parts),
        measures=measures,
    )
