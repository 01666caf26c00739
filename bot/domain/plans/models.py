"""Plain records produced by reading a plan document."""

from dataclasses import dataclass, field
from datetime import date

from bot.domain.errors import DomainError
from bot.domain.plans.deadlines import PlanPeriod


class PlanFormatError(DomainError):
    """The file is not a readable plan; the code says why (texts in bot/texts/errors.py)."""


@dataclass
class ParsedMeasure:
    position: int
    number: str
    section: str | None
    title: str
    responsible: str
    deadline_text: str
    document: str | None
    result: str | None


@dataclass
class ParsedPlan:
    title: str
    approved: date | None
    approved_by: str | None
    period: PlanPeriod | None
    measures: list[ParsedMeasure] = field(default_factory=list)
