"""An organisation's hotline settings: its schedule, deadlines and forum chat."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, ValidationError
from bot.domain.hotline import DEFAULT_WORK_DAYS, WorkSchedule, parse_periods
from bot.services.access import Principal
from bot.services.hotline.views import ForumBinding, HotlineSchedule
from bot.services.orgs import effective_timezone
from storage.models import HotlineSettings
from storage.repo import audit, orgs
from storage.repo import hotline as repo
from storage.repo import threads as threads_repo

DEFAULT_ANSWER_HOURS = 8
DEFAULT_ESCALATE_DAYS = 3


async def effective_settings(
    session: AsyncSession, org_id: int, *, default_tz: str
) -> HotlineSchedule:
    """The organisation's own hotline settings, else the nearest ancestor's, else the
    defaults, with its time zone; the forum chat is only ever the organisation's own."""
    tz = await effective_timezone(session, org_id, default_tz)
    own = await repo.get_settings(session, org_id)
    row = own
    if row is None:
        for org in (await orgs.ancestors(session, org_id))[1:]:
            row = await repo.get_settings(session, org.id)
            if row is not None:
                break
    if row is None:
        return HotlineSchedule(
            org_id=org_id,
            timezone=tz,
            enabled=True,
            periods=(),
            work_days=DEFAULT_WORK_DAYS,
            work_start=9,
            work_end=18,
            answer_hours=DEFAULT_ANSWER_HOURS,
            escalate_days=DEFAULT_ESCALATE_DAYS,
            appeal_url=None,
            forum_channel=None,
            forum_chat_id=None,
        )
    return HotlineSchedule(
        org_id=org_id,
        timezone=tz,
        enabled=row.enabled,
        periods=tuple((s.isoformat(), e.isoformat()) for s, e in parse_periods(row.periods)),
        work_days=tuple(sorted(set(row.work_days or ()))),
        work_start=row.work_start,
        work_end=row.work_end,
        answer_hours=row.answer_hours,
        escalate_days=row.escalate_days,
        appeal_url=row.appeal_url,
        forum_channel=own.forum_channel if own else None,
        forum_chat_id=own.forum_chat_id if own else None,
    )


def work_schedule(settings: HotlineSchedule) -> WorkSchedule:
    """The working-hours calculator of the settings; a switched-off line never opens."""
    start, end = settings.work_start, settings.work_end
    if not 0 <= start < end <= 24:
        start, end = 9, 18
    return WorkSchedule(
        tz=settings.timezone,
        work_days=frozenset(settings.work_days if settings.enabled else ()),
        start_hour=start,
        end_hour=end,
        periods=parse_periods(settings.periods),
    )


async def opening(
    session: AsyncSession, org_id: int, *, default_tz: str, now: datetime
) -> tuple[bool, datetime | None]:
    """Whether the organisation's operators are at work now, and when they next start."""
    schedule = work_schedule(await effective_settings(session, org_id, default_tz=default_tz))
    return schedule.is_open(now), schedule.next_opening(now)


async def forum_choices(session: AsyncSession, principal: Principal) -> list[ForumBinding]:
    """The organisations whose hotline forum the officer may set: their own."""
    found = []
    for org_id in principal.org_ids(RoleKind.OFFICER):
        org = await orgs.get_org(session, org_id)
        if org is not None:
            found.append(ForumBinding(org.id, org.name))
    return found


async def bind_forum(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    channel: str,
    chat_id: str,
    *,
    default_tz: str,
) -> ForumBinding:
    """Make the chat the organisation's hotline forum: each ticket becomes a topic there.
    An organisation without settings of its own starts from those in force for it."""
    if org_id not in principal.org_ids(RoleKind.OFFICER):
        raise AccessDenied()
    taken = await threads_repo.forum_org(session, channel, chat_id)
    if taken is not None and taken != org_id:
        raise ValidationError("forum_taken")
    row = await repo.get_settings(session, org_id)
    if row is None:
        current = await effective_settings(session, org_id, default_tz=default_tz)
        row = HotlineSettings(
            org_id=org_id,
            enabled=current.enabled,
            periods=[list(period) for period in current.periods],
            work_days=list(current.work_days),
            work_start=current.work_start,
            work_end=current.work_end,
            answer_hours=current.answer_hours,
            escalate_days=current.escalate_days,
            appeal_url=current.appeal_url,
        )
        session.add(row)
    row.forum_channel, row.forum_chat_id = channel, chat_id
    audit.add_audit(session, principal.actor_id, "hotline.forum", "org", org_id, chat=chat_id)
    org = await orgs.get_org(session, org_id)
    await session.commit()
    return ForumBinding(org_id, org.name if org else "")


async def unbind_forum(
    session: AsyncSession, principal: Principal, channel: str, chat_id: str
) -> ForumBinding:
    """The chat stops being a hotline forum; tickets go to operators' private chats again."""
    org_id = await threads_repo.forum_org(session, channel, chat_id)
    if org_id is None:
        raise ValidationError("forum_not_bound")
    if org_id not in principal.org_ids(RoleKind.OFFICER):
        raise AccessDenied()
    row = await repo.get_settings(session, org_id)
    row.forum_channel = row.forum_chat_id = None
    audit.add_audit(session, principal.actor_id, "hotline.forum_off", "org", org_id)
    org = await orgs.get_org(session, org_id)
    await session.commit()
    return ForumBinding(org_id, org.name if org else "")
