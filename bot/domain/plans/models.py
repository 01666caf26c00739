"""Plain records produced by reading a plan document."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, so a form can keep the plan between steps."""
        period = self.period
        return {
            "title": self.title,
            "approved": self.approved.isoformat() if self.approved else None,
            "approved_by": self.approved_by,
            "period": [period.start.isoformat(), period.end.isoformat()] if period else None,
            "measures": [asdict(measure) for measure in self.measures],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedPlan:
        approved, period = data["approved"], data["period"]
        return cls(
            title=data["title"],
            approved=date.fromisoformat(approved) if approved else None,
            approved_by=data["approved_by"],
            period=PlanPeriod(*map(date.fromisoformat, period)) if period else None,
            measures=[ParsedMeasure(**measure) for measure in data["measures"]],
        )
