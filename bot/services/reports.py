"""Progress reports of an organisation's subtree as plain data for the report builders."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.formatting import plural
from bot.reports.model import OrgProgress, Report, TaskLine, TaskState
from bot.services.access import Principal, ensure_manages
from bot.services.errors import NotFound
from bot.services.orgs import effective_timezone
from storage.models import TaskStatus
from storage.repo import orgs
from storage.repo import reports as repo

REPORT_TITLE = "Исполнение планов мероприятий"
CONFIRMED_STATES = (TaskStatus.ON_REVIEW, TaskStatus.DONE)


def evidence_summary(files: int, links: int) -> str:
    """«2 файла, 1 ссылка»; empty when there is nothing."""
    parts = []
    if files:
        parts.append(plural(files, "файл", "файла", "файлов"))
    if links:
        parts.append(plural(links, "ссылка", "ссылки", "ссылок"))
    return ", ".join(parts)


async def build_report(
    session: AsyncSession,
    principal: Principal | None,
    org_id: int,
    now: datetime,
    default_tz: str = "Europe/Moscow",
) -> Report:
    """The report on ``org_id`` and everything under it, as of ``now`` (aware).

    ``principal`` None is the console or a scheduled job; an officer must manage the org.
    Dates are judged in the organisation's own time zone.
    """
    root = await orgs.get_org(session, org_id)
    if root is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    tz = await effective_timezone(session, org_id, default_tz)
    local_now = now.astimezone(ZoneInfo(tz))
    today = local_now.date()
    ids = sorted(await orgs.subtree_ids(session, [org_id]))
    counts = await repo.org_counts(session, ids, today, tz)
    facts = await repo.task_facts(session, ids)
    return Report(
        title=REPORT_TITLE,
        generated_at=local_now,
        scope=root.name,
        orgs=[
            OrgProgress(
                org_id=c.org_id,
                name=c.name,
                parent=None if c.org_id == org_id else c.parent,
                total=c.total,
                done=c.done,
                on_review=c.on_review,
                open=c.open,
                overdue=c.overdue,
                due=c.due,
                done_on_time=c.done_on_time,
            )
            for c in counts
        ],
        tasks=[
            TaskLine(
                org=f.org,
                parent=None if f.org_id == org_id else f.parent,
                plan=f.plan,
                number=f.number,
                measure=f.measure,
                deadline_text=f.deadline_text,
                due=f.due,
                state=TaskState(f.status.value),
                overdue_days=(
                    (today - f.due).days
                    if f.due is not None and f.status != TaskStatus.DONE and f.due < today
                    else 0
                ),
                confirmed_at=f.confirmed_at if f.status in CONFIRMED_STATES else None,
                confirmed_by=f.confirmed_by if f.status in CONFIRMED_STATES else None,
                evidence=evidence_summary(f.files, f.links)
                if f.status in CONFIRMED_STATES
                else "",
            )
            for f in facts
        ],
    )
