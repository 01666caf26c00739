"""Hotline statistics of an officer's subtree: counts and times, never who asked or what."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_TIMEZONE
from bot.domain.enums import TicketKind, TicketTopic
from bot.domain.errors import NotFound
from bot.domain.hotline import WorkSchedule
from bot.domain.reports import Report
from bot.services.access import Principal, ensure_manages
from bot.services.hotline.settings import effective_settings, work_schedule
from bot.services.reports import build_report
from storage.repo import faq, orgs
from storage.repo import hotline_stats as repo


@dataclass(frozen=True)
class SchoolCount:
    name: str  # empty for tickets that named no school
    tickets: int


@dataclass(frozen=True)
class HotlineStats:
    scope: str
    start: datetime
    end: datetime
    total: int
    by_topic: tuple[tuple[TicketTopic, int], ...]
    by_kind: tuple[tuple[TicketKind, int], ...]
    by_school: tuple[SchoolCount, ...]
    # The state now, of every ticket not closed, whenever it came.
    open: int
    overdue: int
    answered: int
    median_first_answer: timedelta | None
    deflections: int


def is_overdue(
    waiting_since: datetime | None, schedule: WorkSchedule, answer_hours: int, now: datetime
) -> bool:
    """Whether the waiting message has gone unanswered past ``answer_hours`` working hours of
    the organisation's schedule by ``now``."""
    if waiting_since is None:
        return False
    due = schedule.add_working_hours(waiting_since, answer_hours)
    return due is not None and due < now


async def _deadlines(
    session: AsyncSession, org_ids: set[int], default_tz: str
) -> dict[int, tuple[WorkSchedule, int]]:
    """Each organisation's working hours and answer deadline, inherited as the tickets' are."""
    result = {}
    for org_id in org_ids:
        settings = await effective_settings(session, org_id, default_tz=default_tz)
        result[org_id] = (work_schedule(settings), settings.answer_hours)
    return result


async def hotline_stats(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    start: datetime,
    end: datetime,
    now: datetime,
    *,
    default_tz: str = DEFAULT_TIMEZONE,
) -> HotlineStats:
    """Tickets created in [start, end) in the subtree of ``org_id`` by topic, kind and school,
    the median time to the first answer and the FAQ deflections of the period; open and
    overdue tickets as of ``now``."""
    root = await orgs.get_org(session, org_id)
    if root is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    ids = sorted(await orgs.subtree_ids(session, [org_id]))
    tickets = await repo.created_between(session, ids, start, end)
    waiting = await repo.not_closed(session, ids)
    deadlines = await _deadlines(session, {t.org_id for t in waiting}, default_tz)
    names = {org.id: org.name for org in await orgs.list_orgs(session, ids)}
    schools = Counter(names.get(t.school_id, "") if t.school_id else "" for t in tickets)
    topics = Counter(t.topic for t in tickets)
    kinds = Counter(t.kind for t in tickets)
    answer_times = [
        (t.first_answer_at - t.created_at).total_seconds()
        for t in tickets
        if t.first_answer_at is not None
    ]
    return HotlineStats(
        scope=root.name,
        start=start,
        end=end,
        total=len(tickets),
        by_topic=tuple((topic, topics[topic]) for topic in TicketTopic if topics[topic]),
        by_kind=tuple((kind, kinds[kind]) for kind in TicketKind if kinds[kind]),
        by_school=tuple(
            SchoolCount(name, n)
            for name, n in sorted(
                schools.items(), key=lambda item: (-item[1], item[0] == "", item[0])
            )
        ),
        open=len(waiting),
        overdue=sum(1 for t in waiting if is_overdue(t.waiting_since, *deadlines[t.org_id], now)),
        answered=len(answer_times),
        median_first_answer=(
            timedelta(seconds=round(median(answer_times))) if answer_times else None
        ),
        deflections=await faq.count_deflections(session, ids, start, end),
    )


async def report_with_hotline(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    now: datetime,
    default_tz: str,
    days: int = 30,
) -> tuple[Report, HotlineStats]:
    """The progress report with the hotline statistics of the last ``days`` days, for the
    officer's workbook."""
    report = await build_report(session, principal, org_id, now, default_tz)
    stats = await hotline_stats(session, principal, org_id, now - timedelta(days=days), now, now)
    return report, stats
