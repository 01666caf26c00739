"""Officers' morning digest of overdue tasks and the weekly report summary, via the outbox."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.enums import OutboxStatus
from bot.domain.messages import Lane, OutgoingMessage
from bot.domain.reminders import Timing
from bot.services.access import SYSTEM
from bot.services.reports import build_report
from bot.texts import reminders as texts
from bot.texts.summary import render_summary
from storage.models import User
from storage.repo import orgs as orgs_repo
from storage.repo import outbox as outbox_repo
from storage.repo import reminders as repo
from storage.repo.addresses import private_addresses

logger = logging.getLogger(__name__)

DIGEST, WEEKLY = "digest", "weekly"


async def plan_digests(session: AsyncSession, now: datetime, settings: Settings) -> int:
    """Queue today's digests of officers whose local morning has come; returns how many.

    Runs often; the dedupe keys make each officer's digest a once-a-day event and the weekly
    summary a once-an-ISO-week one, sent on the first run from Monday on (a bot down all
    Monday sends it on Tuesday). A day with nothing to say leaves a SKIPPED marker row
    instead of an empty message.
    """
    officers: dict[int, tuple[User, list[int]]] = {}
    for user, org_id in await repo.list_officers(session):
        officers.setdefault(user.id, (user, []))[1].append(org_id)
    if not officers:
        return 0
    roots = {org_id for _, org_ids in officers.values() for org_id in org_ids}
    zones = await repo.org_zones(session, roots, settings.default_timezone)
    addresses = await private_addresses(session, officers)
    rows: list[dict] = []
    for user, org_ids in officers.values():
        address = addresses.get(user.id)
        if address is None:
            continue
        tz = zones[org_ids[0]]
        timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
        local = now.astimezone(ZoneInfo(tz))
        if local.hour < timing.send_hour or timing.is_quiet(local.hour):
            continue
        today = local.date()
        digest_key = f"digest:{user.id}:{today.isoformat()}"
        weekly_key = _weekly_key(user.id, today)
        want_weekly = not await _weekly_queued(session, user.id, today)
        if await outbox_repo.key_exists(session, digest_key) and not want_weekly:
            continue
        scope = sorted(await orgs_repo.subtree_ids(session, org_ids))
        if not await outbox_repo.key_exists(session, digest_key):
            row = await _digest_row(session, user, scope, today, tz, digest_key, now)
            rows.append({**row, **outbox_repo.envelope(address, Lane.DIGEST)})
        if want_weekly:
            row = await _weekly_row(session, user, org_ids, today, tz, weekly_key, now, settings)
            rows.append({**row, **outbox_repo.envelope(address, Lane.DIGEST)})
    await outbox_repo.add_messages(session, rows)
    queued = sum(1 for row in rows if row["status"] == OutboxStatus.PENDING)
    if queued:
        logger.info("queued %s officer digests", queued)
    return queued


async def _digest_row(
    session: AsyncSession,
    user: User,
    scope: list[int],
    today: date,
    tz: str,
    key: str,
    now: datetime,
) -> dict:
    tasks = await repo.overdue_tasks(session, scope, today)
    lines = [
        texts.OverdueLine(t.org_id, t.org_name, t.title, t.due_date, (today - t.due_date).days)
        for t in tasks
        if t.due_date is not None
    ]
    return _row(user, DIGEST, key, now, tz, texts.digest(lines, today) if lines else None)


async def _weekly_row(
    session: AsyncSession,
    user: User,
    org_ids: list[int],
    today: date,
    tz: str,
    key: str,
    now: datetime,
    settings: Settings,
) -> dict:
    """The weekly digest: the in-chat report summary of each of the officer's organisations."""
    reports = [
        await build_report(session, SYSTEM, org_id, now, settings.default_timezone)
        for org_id in await _top_orgs(session, org_ids)
    ]
    if not any(report.totals.total for report in reports):
        return _row(user, WEEKLY, key, now, tz, None)
    # The past week is the Monday to Sunday before this week; the coming one is what is left
    # of this week, from today (a Monday, unless the bot was down then) to Sunday.
    monday = _monday(today)
    week = (monday - timedelta(days=7), monday - timedelta(days=1))
    coming = (today, monday + timedelta(days=6))
    since, until = _midnight(week[0], tz), _midnight(monday, tz)
    done = sum(report.done_between(since, until) for report in reports)
    due = sum(report.due_between(*coming) for report in reports)
    head = texts.weekly_head(week, done, coming, due)
    room = texts.weekly_room(head, len(reports))
    text = texts.weekly(head, [render_summary(report, max_length=room) for report in reports])
    return _row(user, WEEKLY, key, now, tz, text)


def _weekly_key(user_id: int, today: date) -> str:
    year, week, _ = today.isocalendar()
    return f"weekly:{user_id}:{year}-W{week:02d}"


async def _weekly_queued(session: AsyncSession, user_id: int, today: date) -> bool:
    """This ISO week's summary is queued or sent, also under the key it had when summaries
    went out on Mondays only (so an upgrade in mid-week does not send it again)."""
    monday_key = f"weekly:{user_id}:{_monday(today).isoformat()}"
    for key in (_weekly_key(user_id, today), monday_key):
        if await outbox_repo.key_exists(session, key):
            return True
    return False


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


async def _top_orgs(session: AsyncSession, org_ids: list[int]) -> list[int]:
    """The officer's organisations that lie under none of the others, so nothing counts twice."""
    tops = []
    for org_id in sorted(set(org_ids)):
        others = [other for other in org_ids if other != org_id]
        if org_id not in await orgs_repo.subtree_ids(session, others):
            tops.append(org_id)
    return tops


def _row(user: User, kind: str, key: str, now: datetime, tz: str, text: str | None) -> dict:
    return {
        "dedupe_key": key,
        "user_id": user.id,
        "kind": kind,
        "due_at": now,
        "status": OutboxStatus.PENDING if text else OutboxStatus.SKIPPED,
        "last_error": None if text else "nothing to report",
        # The zone decides the digest's quiet hours when it is sent.
        "payload": {**OutgoingMessage(text).to_dict(), "tz": tz} if text else {"tz": tz},
    }
