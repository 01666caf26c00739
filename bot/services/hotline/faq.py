"""FAQ of an organisation's hotline: entries, suggestions before a ticket is sent."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class FaqSuggestion:
    id: int
    question: str
    answer: str


async def suggest(
    session: AsyncSession, org_id: int, text: str, limit: int = 3
) -> list[FaqSuggestion]:
    """Up to ``limit`` FAQ entries of the organisation (and above) matching the text."""
    return []


async def record_deflection(session: AsyncSession, org_id: int, faq_id: int) -> None:
    """«Это ответ на мой вопрос»: the entry answered a question that became no ticket."""
