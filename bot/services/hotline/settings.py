"""An organisation's hotline settings: its schedule, deadlines and forum chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.hotline import WorkSchedule
from bot.services.hotline.views import HotlineSchedule


async def effective_settings(
    session: AsyncSession, org_id: int, *, default_tz: str
) -> HotlineSchedule:
    """The organisation's own hotline settings, or the defaults, with its time zone."""
    raise NotImplementedError


def work_schedule(settings: HotlineSchedule) -> WorkSchedule:
    """The working-hours calculator of the settings."""
    raise NotImplementedError


async def opening(
    session: AsyncSession, org_id: int, *, default_tz: str, now: datetime
) -> tuple[bool, datetime | None]:
    """Whether the organisation's operators are at work now, and when they next start."""
    raise NotImplementedError
