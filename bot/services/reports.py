"""Progress reports of an organisation's subtree as plain data for the report builders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_TIMEZONE
from bot.domain.enums import ConfirmationResult, OrgKind, TaskStatus
from bot.domain.errors import NotFound
from bot.domain.reminders import local_today
from bot.domain.reports import (
    Attachment,
    OrgProgress,
    Outcome,
    Report,
    TaskLine,
    TaskState,
    sum_progress,
)
from bot.services.access import Principal, ensure_manages
from bot.texts.formatting import plural
from storage.models import Organization
from storage.repo import orgs
from storage.repo import reminders as zones_repo
from storage.repo import reports as repo

REPORT_TITLE = "Исполнение планов мероприятий"
CONFIRMED_STATES = (TaskStatus.ON_REVIEW, TaskStatus.DONE)
CLOSED_OUTCOMES = {
    ConfirmationResult.PARTIAL: TaskState.CLOSED_PARTIAL,
    ConfirmationResult.NOT_DONE: TaskState.CLOSED_NOT_DONE,
}


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
    principal: Principal,
    org_id: int,
    now: datetime,
    default_tz: str = DEFAULT_TIMEZONE,
) -> Report:
    """The report on ``org_id`` and everything under it, as of ``now`` (aware).

    An officer must manage the org; the console and scheduled jobs pass ``SYSTEM``.
    Each organisation's dates are judged in its own (inherited) time zone; times are shown
    in the root's.
    """
    root = await orgs.get_org(session, org_id)
    if root is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    ids = sorted(await orgs.subtree_ids(session, [org_id]))
    zones = await zones_repo.org_zones(session, ids, default_tz)
    local_now = now.astimezone(ZoneInfo(zones[org_id]))
    today = {i: local_today(now, tz) for i, tz in zones.items()}
    progress, municipalities = _by_municipality(
        await _progress(session, zones, today, org_id), await orgs.list_orgs(session, ids), org_id
    )
    facts = await repo.task_facts(session, ids)
    evidence = await repo.latest_evidence(session, ids)
    return Report(
        title=REPORT_TITLE,
        generated_at=local_now,
        scope=root.name,
        orgs=progress,
        tasks=[
            _task_line(f, org_id, today[f.org_id], evidence.get(f.confirmation_id, []))
            for f in facts
        ],
        municipalities=municipalities,
    )


async def _progress(
    session: AsyncSession, zones: dict[int, str], today: dict[int, date], root_id: int
) -> list[OrgProgress]:
    by_zone: dict[str, list[int]] = defaultdict(list)
    for org_id, tz in zones.items():
        by_zone[tz].append(org_id)
    counts: list[repo.OrgCounts] = []
    # One grouped query per zone: Russia's regions span a few zones at most.
    for tz, group in sorted(by_zone.items()):
        counts += await repo.org_counts(session, sorted(group), today[group[0]], tz)
    counts.sort(key=lambda c: (c.parent is not None, c.parent or "", c.name, c.org_id))
    return [
        OrgProgress(
            org_id=c.org_id,
            name=c.name,
            parent=None if c.org_id == root_id else c.parent,
            total=c.total,
            done=c.done,
            on_review=c.on_review,
            open=c.open,
            overdue=c.overdue,
            due=c.due,
            done_on_time=c.done_on_time,
            open_overdue=c.open_overdue,
            closed_partial=c.closed_partial,
            closed_not_done=c.closed_not_done,
        )
        for c in counts
    ]


def _by_municipality(
    progress: list[OrgProgress], tree: list[Organization], root_id: int
) -> tuple[list[OrgProgress], list[OrgProgress]]:
    """The rows tagged with their municipality below the root, and a subtotal for each."""
    by_id = {org.id: org for org in tree}

    def municipality(org_id: int) -> int | None:
        current = by_id.get(org_id)
        while current is not None and current.id != root_id:
            if current.kind == OrgKind.MUNICIPALITY:
                return current.id
            current = by_id.get(current.parent_id) if current.parent_id else None
        return None

    tagged = [replace(row, municipality_id=municipality(row.org_id)) for row in progress]
    members: dict[int, list[OrgProgress]] = defaultdict(list)
    for row in tagged:
        if row.municipality_id is not None:
            members[row.municipality_id].append(row)
    subtotals = [sum_progress(rows, m, by_id[m].name) for m, rows in members.items()]
    return tagged, sorted(subtotals, key=lambda s: (s.name, s.org_id))


def _task_line(
    f: repo.TaskFacts, root_id: int, today: date, evidence: list[repo.EvidenceFacts]
) -> TaskLine:
    confirmed = f.status in CONFIRMED_STATES and f.confirmation_id is not None
    closed = f.status == TaskStatus.DONE
    files = sum(1 for e in evidence if e.kind != "link")
    return TaskLine(
        org=f.org,
        parent=None if f.org_id == root_id else f.parent,
        plan=f.plan,
        number=f.number,
        measure=f.measure,
        deadline_text=f.deadline_text,
        due=f.due,
        state=_state(f.status, f.outcome),
        overdue_days=(
            (today - f.due).days if f.due is not None and not closed and f.due < today else 0
        ),
        confirmed_at=f.confirmed_at if confirmed else None,
        confirmed_by=f.confirmed_by if confirmed else None,
        evidence=evidence_summary(files, len(evidence) - files) if confirmed else "",
        result=Outcome(f.result.value) if confirmed and f.result else None,
        reason=f.reason if confirmed else None,
        comment=f.comment if confirmed else None,
        attachments=(
            tuple(Attachment(e.kind, e.name, e.url) for e in evidence) if confirmed else ()
        ),
        done_at=f.done_at if closed else None,
    )


def _state(status: TaskStatus, outcome: ConfirmationResult | None) -> TaskState:
    if status == TaskStatus.DONE:
        return CLOSED_OUTCOMES.get(outcome, TaskState.DONE)
    return TaskState(status.value)
