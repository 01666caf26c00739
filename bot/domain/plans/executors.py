"""Who executes a measure, judged from its «Ответственный» text."""

import re
from enum import StrEnum


class ExecutorLevel(StrEnum):
    SCHOOLS = "schools"
    RISK_SCHOOLS = "risk_schools"
    MUNICIPALITIES = "municipalities"
    OWNER = "owner"


def _words(*patterns: str) -> re.Pattern[str]:
    # Whole words only: «ОО» must not match inside «ООО» or «школОО».
    return re.compile(r"(?<![а-яa-z0-9])(?:" + "|".join(patterns) + r")(?![а-яa-z0-9])")


_SCHOOLS = _words(
    r"оу",
    r"оо",
    r"общеобразовательн\w*(?: (?:организаци|учреждени)\w*)?",
    r"образовательн\w* (?:организаци|учреждени)\w*",
    r"школ\w*",
    r"директор\w*",
    r"заместител\w* директор\w*",
    r"учител\w*",
    r"классн\w* руководител\w*",
)
_RISK = re.compile(r"необъективн|риск|признак\w* необъектив")
_MUNICIPALITIES = _words(
    r"моуо",
    r"омсу",
    r"муниципальн\w* координатор\w*",
    r"муниципальн\w* орган\w*",
    r"органы местного самоуправления",
    r"муниципалитет\w*",
)


def classify_executor(responsible: str) -> ExecutorLevel:
    """Schools (all or the risk list), each municipality, or the plan owner's own office."""
    text = responsible.lower().replace("ё", "е")
    if _SCHOOLS.search(text):
        return ExecutorLevel.RISK_SCHOOLS if _RISK.search(text) else ExecutorLevel.SCHOOLS
    if _MUNICIPALITIES.search(text):
        return ExecutorLevel.MUNICIPALITIES
    return ExecutorLevel.OWNER
