"""An organisation's hotline settings: its schedule, deadlines and forum chat, and the
officer's card that shows and changes them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import hotline_settings as rules
from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.hotline import DEFAULT_WORK_DAYS, WorkSchedule, parse_periods
from bot.services.access import Principal
from bot.services.hotline.views import ForumBinding, HotlineSchedule, HotlineSettingsView
from bot.services.orgs import effective_timezone
from storage.models import HotlineSettings
from storage.repo import audit, orgs
from storage.repo import hotline as repo
from storage.repo import threads as threads_repo

DEFAULT_ANSWER_HOURS = 8
DEFAULT_ESCALATE_DAYS = 3


async def _above(session: AsyncSession, org_id: int) -> HotlineSettings | None:
    """The nearest ancestor's row: what the organisation has without one of its own."""
    for org in (await orgs.ancestors(session, org_id))[1:]:
        row = await repo.get_settings(session, org.id)
        if row is not None:
            return row
    return None


def _schedule(
    org_id: int, tz: str, row: HotlineSettings | None, own: HotlineSettings | None
) -> HotlineSchedule:
    """The schedule of ``row`` (the defaults without one); the forum only ever ``own``'s."""
    forum = (own.forum_channel, own.forum_chat_id) if own is not None else (None, None)
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
            forum_channel=forum[0],
            forum_chat_id=forum[1],
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
        forum_channel=forum[0],
        forum_chat_id=forum[1],
    )


async def effective_settings(
    session: AsyncSession, org_id: int, *, default_tz: str
) -> HotlineSchedule:
    """The organisation's own hotline settings, else the nearest ancestor's, else the
    defaults, with its time zone; the forum chat is only ever the organisation's own."""
    tz = await effective_timezone(session, org_id, default_tz)
    own = await repo.get_settings(session, org_id)
    row = own if own is not None else await _above(session, org_id)
    return _schedule(org_id, tz, row, own)


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
    _ensure_officer(principal, org_id)
    taken = await threads_repo.forum_org(session, channel, chat_id)
    if taken is not None and taken != org_id:
        raise ValidationError("forum_taken")
    row = await _own_row(
        session, org_id, await effective_settings(session, org_id, default_tz=default_tz)
    )
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


def _copy(row: HotlineSettings, schedule: HotlineSchedule) -> None:
    """Put the schedule's values (not its forum) into the row."""
    row.enabled = schedule.enabled
    row.periods = [list(period) for period in schedule.periods]
    row.work_days = list(schedule.work_days)
    row.work_start, row.work_end = schedule.work_start, schedule.work_end
    row.answer_hours, row.escalate_days = schedule.answer_hours, schedule.escalate_days
    row.appeal_url = schedule.appeal_url


async def _own_row(
    session: AsyncSession, org_id: int, current: HotlineSchedule
) -> HotlineSettings:
    """The organisation's row; one made from the settings in force when it has none."""
    row = await repo.get_settings(session, org_id)
    if row is None:
        row = HotlineSettings(org_id=org_id)
        _copy(row, current)
        session.add(row)
    return row


def _ensure_officer(principal: Principal, org_id: int) -> None:
    if org_id not in principal.org_ids(RoleKind.OFFICER):
        raise AccessDenied()


async def hotline_settings_view(
    session: AsyncSession, principal: Principal, org_id: int, *, default_tz: str
) -> HotlineSettingsView:
    """The settings card of one of the officer's organisations: what is in force, whose
    settings they are, and whether this officer answers its hotline."""
    _ensure_officer(principal, org_id)
    org = await orgs.get_org(session, org_id)
    if org is None:
        raise NotFound()
    own = await repo.get_settings(session, org_id)
    row = own if own is not None else await _above(session, org_id)
    source = None
    if own is None and row is not None:
        source = await orgs.get_org(session, row.org_id)
    parent = await orgs.get_org(session, org.parent_id) if org.parent_id else None
    tz = await effective_timezone(session, org_id, default_tz)
    return HotlineSettingsView(
        org_id=org.id,
        org_name=org.name,
        settings=_schedule(org_id, tz, row, own),
        own=own is not None,
        source_org_id=source.id if source else None,
        source_org_name=source.name if source else None,
        parent_name=parent.name if parent else None,
        forum_bound=own is not None and own.forum_chat_id is not None,
        opted_out=await repo.get_opt_out(session, principal.user_id, org_id) is not None,
    )


def _day(value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError("hotline_bad_periods") from exc


def _periods(value: str | Sequence[Sequence[date | str]]) -> list[list[str]]:
    if isinstance(value, str):
        found = rules.parse_period_list(value)
    else:
        if len(value) > rules.MAX_PERIODS:
            raise ValidationError("hotline_too_many_periods", limit=rules.MAX_PERIODS)
        found = sorted(rules.check_period(_day(start), _day(end)) for start, end in value)
    return [[start.isoformat(), end.isoformat()] for start, end in found]


def _flag(value: bool) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("invalid")
    return value


_CLEAN: dict[str, Callable[[Any], Any]] = {
    "enabled": _flag,
    "periods": _periods,
    "work_days": lambda value: list(rules.check_work_days(value)),
    "work_start": lambda value: rules.check_count(value, (0, 23), "hotline_bad_hours"),
    "work_end": lambda value: rules.check_count(value, (1, 24), "hotline_bad_hours"),
    "answer_hours": lambda value: rules.check_count(
        value, rules.ANSWER_HOURS, "hotline_bad_answer_hours"
    ),
    "escalate_days": lambda value: rules.check_count(
        value, rules.ESCALATE_DAYS, "hotline_bad_escalate_days"
    ),
    "appeal_url": rules.check_appeal_url,
}


def _clean(changes: dict[str, Any], current: HotlineSchedule) -> dict[str, Any]:
    """The changes as the row's values, each checked; ``work_hours`` is «9-18» or a pair."""
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key == "work_hours":
            hours = (
                rules.parse_work_hours(value)
                if isinstance(value, str)
                else rules.check_work_hours(*value)
            )
            values["work_start"], values["work_end"] = hours
        elif key in _CLEAN:
            values[key] = _CLEAN[key](value)
        else:
            raise TypeError(f"unknown hotline setting {key!r}")
    if {"work_start", "work_end"} & values.keys():
        rules.check_work_hours(
            values.get("work_start", current.work_start), values.get("work_end", current.work_end)
        )
    return values


async def update_hotline_settings(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    *,
    default_tz: str,
    **changes: Any,
) -> HotlineSettingsView:
    """Change the organisation's hotline settings (text as the officer typed it, or plain
    values); the first change gives it settings of its own, made from those in force."""
    _ensure_officer(principal, org_id)
    current = await effective_settings(session, org_id, default_tz=default_tz)
    values = _clean(changes, current)
    row = await _own_row(session, org_id, current)
    for key, value in values.items():
        setattr(row, key, value)
    audit.add_audit(session, principal.actor_id, "hotline.settings", "org", org_id, **values)
    await session.commit()
    return await hotline_settings_view(session, principal, org_id, default_tz=default_tz)


async def reset_hotline_settings(
    session: AsyncSession, principal: Principal, org_id: int, *, default_tz: str
) -> HotlineSettingsView:
    """Bring back the settings of the organisation above (the defaults at the top). The own
    row goes; a row that holds the forum binding stays and takes the values from above."""
    _ensure_officer(principal, org_id)
    row = await repo.get_settings(session, org_id)
    if row is None:
        raise ValidationError("hotline_settings_inherited")
    if row.forum_chat_id is None:
        await session.delete(row)
    else:
        tz = await effective_timezone(session, org_id, default_tz)
        _copy(row, _schedule(org_id, tz, await _above(session, org_id), None))
    audit.add_audit(session, principal.actor_id, "hotline.settings_reset", "org", org_id)
    await session.commit()
    return await hotline_settings_view(session, principal, org_id, default_tz=default_tz)
