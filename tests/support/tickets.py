"""Helpers of the hotline service tests: a clock on a weekday, drafts, principals."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.domain.enums import TicketKind, TicketTopic
from bot.services.access import Principal, load_principal
from bot.services.hotline.views import TicketDraft
from storage.models import User

TZ = "Europe/Moscow"
# Tuesday 3 March 2026, 10:00 in Moscow: operators are at work.
MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


async def principal_of(session, user: User) -> Principal:
    principal = await load_principal(session, user.id)
    assert principal is not None
    return principal


def draft(
    text: str = "Когда будут результаты ВПР?",
    *,
    school_id: int | None = None,
    anonymous: bool = False,
    kind: TicketKind = TicketKind.QUESTION,
) -> TicketDraft:
    return TicketDraft(
        kind=kind, topic=TicketTopic.VPR, school_id=school_id, anonymous=anonymous, text=text
    )
