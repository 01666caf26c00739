"""Tasks of measures: who executes them, when they are due, and the coordinators' lists."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_TIMEZONE
from bot.domain.enums import OrgKind, TaskStatus
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.plans.deadlines import (
    DeadlineKind,
    ImpossibleDate,
    PlanPeriod,
    check_typed_days,
    parse_deadline,
    parse_typed_date,
)
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.export import plan_anchor
from bot.services.access import Principal, ensure_manages
from bot.services.orgs import org_today
from storage.models import AssessmentEvent, Measure, Plan, Task
from storage.repo import audit, confirmations, events, orgs, plans, tasks

OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.RETURNED)
DATED_KINDS = {
    DeadlineKind.DATE,
    DeadlineKind.DATES,
    DeadlineKind.WINDOW,
    DeadlineKind.RECURRING,
    DeadlineKind.CONTINUOUS,
}
# Event names from the deadline parser that cover several kinds a school may type.
_EVENT_ALIASES = {"ГИА": ("гиа", "огэ", "егэ"), "оценочная процедура": ()}


@dataclass(frozen=True)
class Occurrence:
    key: str
    due: date
    start: date | None = None


@dataclass(frozen=True)
class RegenStats:
    created: int = 0
    changed: int = 0
    deleted: int = 0
    total: int = 0


@dataclass(frozen=True)
class TaskItem:
    id: int
    org_id: int
    org_name: str
    plan_id: int
    plan_title: str
    measure_id: int
    number: str
    section: str | None
    title: str
    result: str | None
    deadline_text: str
    deadline_kind: str
    start: date | None
    due: date | None
    status: TaskStatus


@dataclass(frozen=True)
class MeasureProgress:
    measure_id: int
    position: int
    number: str
    title: str
    deadline_text: str
    deadline_kind: str
    executor_level: str
    total: int
    done: int
    on_review: int
    overdue: int


def deadline_json(deadline) -> dict:
    """The stored form of a parsed deadline (kept beside the original text)."""
    return {
        "text": deadline.text,
        "kind": deadline.kind.value,
        "due": [day.isoformat() for day in deadline.due],
        "start": deadline.start.isoformat() if deadline.start else None,
        "period": deadline.period,
        "offset_days": deadline.offset_days,
        "event": deadline.event,
        "needs_review": deadline.needs_review,
    }


def _event_matches(hint: str | None, kind: str) -> bool:
    words = _EVENT_ALIASES.get(hint, (hint.casefold(),)) if hint else ()
    return not words or any(word in kind.casefold() for word in words)


def occurrences(
    measure: Measure, plan: Plan, org_events: Sequence[AssessmentEvent] = ()
) -> list[Occurrence]:
    """Due occurrences of a measure for one executor (its events matter for relative ones)."""
    rule = measure.deadline or {}
    kind = measure.deadline_kind
    if kind in DATED_KINDS:
        keep_start = kind in (DeadlineKind.WINDOW, DeadlineKind.CONTINUOUS)
        start = date.fromisoformat(rule["start"]) if keep_start and rule.get("start") else None
        found = {
            day: Occurrence(day, date.fromisoformat(day), start) for day in rule.get("due", [])
        }
        return list(found.values())
    if kind == DeadlineKind.RELATIVE:
        offset = timedelta(days=rule.get("offset_days") or 0)
        return [
            Occurrence(f"event:{event.id}", event.event_date + offset)
            for event in org_events
            if _event_matches(rule.get("event"), event.kind)
            and plan.period_start <= event.event_date <= plan.period_end
        ]
    return []


async def executor_org_ids(session: AsyncSession, plan: Plan, level: str) -> list[int]:
    """The organisations that execute a measure of this level in the plan's scope."""
    owner = await orgs.get_org(session, plan.org_id)
    if owner is None or owner.kind == OrgKind.SCHOOL or level == ExecutorLevel.OWNER:
        return [plan.org_id]
    if level in (ExecutorLevel.SCHOOLS, ExecutorLevel.RISK_SCHOOLS):
        risk_only = level == ExecutorLevel.RISK_SCHOOLS
        return [o.id for o in await orgs.list_schools(session, [owner.id], risk_only=risk_only)]
    if level == ExecutorLevel.MUNICIPALITIES:
        return [o.id for o in await orgs.list_by_kind(session, [owner.id], OrgKind.MUNICIPALITY)]
    return [plan.org_id]


async def regenerate_tasks(
    session: AsyncSession,
    measure: Measure,
    *,
    plan: Plan | None = None,
    executors: Sequence[int] | None = None,
    only_org_ids: Sequence[int] | None = None,
) -> RegenStats:
    """Bring a measure's tasks in line with its rule; confirmed history is never deleted."""
    plan = plan or await plans.get_plan(session, measure.plan_id)
    if executors is None:
        executors = await executor_org_ids(session, plan, measure.executor_level)
    if only_org_ids is not None:
        allowed = set(only_org_ids)
        executors = [org_id for org_id in executors if org_id in allowed]
    by_org: dict[int, list[AssessmentEvent]] = {}
    if measure.deadline_kind == DeadlineKind.RELATIVE:
        for event in await events.list_events(session, list(executors)):
            by_org.setdefault(event.org_id, []).append(event)
    wanted = {
        (org_id, item.key): item
        for org_id in executors
        for item in occurrences(measure, plan, by_org.get(org_id, ()))
    }
    existing = await tasks.list_measure_tasks(session, measure.id, only_org_ids)
    moved = await confirmations.approved_transfer_dates(session, measure.id, only_org_ids)
    created = changed = 0
    unmatched: dict[int, list[Task]] = {}
    for task in existing:
        item = wanted.pop((task.org_id, task.occurrence), None)
        if item is not None:
            changed += _move(task, item, moved.get(task.id))
        elif task.status in OPEN_STATUSES:
            unmatched.setdefault(task.org_id, []).append(task)
    # A new rule moves the tasks still under control rather than replacing them, so their
    # approved transfers, returned reports and reminders stay with them.
    fresh: dict[int, list[tuple[str, Occurrence]]] = {}
    for (org_id, key), item in wanted.items():
        fresh.setdefault(org_id, []).append((key, item))
    for org_id, items in fresh.items():
        items.sort(key=lambda pair: (pair[1].due, pair[0]))
        old = sorted(unmatched.pop(org_id, []), key=lambda t: (t.due_date or date.min, t.id))
        for task, (key, item) in zip(old, items, strict=False):
            task.occurrence = key
            _move(task, item, moved.get(task.id))
            changed += 1
        for key, item in items[len(old) :]:
            tasks.add_task(
                session,
                measure_id=measure.id,
                org_id=org_id,
                occurrence=key,
                start_date=item.start,
                due_date=item.due,
                status=TaskStatus.OPEN,
                planned=False,
            )
            created += 1
        unmatched[org_id] = old[len(items) :]
    # Returned tasks carry a review history, so only untouched open ones are removed.
    stale = [t.id for rest in unmatched.values() for t in rest if t.status == TaskStatus.OPEN]
    await tasks.delete_tasks(session, stale)
    await session.flush()
    return RegenStats(created, changed, len(stale), len(existing) - len(stale) + created)


def _move(task: Task, item: Occurrence, transferred: date | None) -> int:
    """Give the task the occurrence's dates; 1 when they changed.

    An approved transfer is never taken back: the due date is the later of the rule's date
    and the transfer's.
    """
    due = max(item.due, transferred) if transferred is not None else item.due
    if (task.due_date, task.start_date) == (due, item.start):
        return 0
    task.due_date, task.start_date = due, item.start
    task.planned = False
    return 1


async def _editable_measure(
    session: AsyncSession, principal: Principal, measure_id: int
) -> tuple[Measure, Plan]:
    measure = await plans.get_measure(session, measure_id)
    plan = await plans.get_plan(session, measure.plan_id) if measure else None
    if measure is None or plan is None:
        raise NotFound()
    await ensure_manages(session, principal, plan.org_id)
    return measure, plan


async def set_measure_due(
    session: AsyncSession, principal: Principal, measure_id: int, due: date
) -> RegenStats:
    """An officer's date for a measure: it becomes a one-date rule; the text stays as written."""
    measure, plan = await _editable_measure(session, principal, measure_id)
    rule = dict(measure.deadline or {})
    rule.update(
        kind=DeadlineKind.DATE.value,
        due=[due.isoformat()],
        start=None,
        needs_review=False,
        set_by_officer=True,
    )
    rule.setdefault("text", measure.deadline_text)
    measure.deadline = rule
    measure.deadline_kind = DeadlineKind.DATE.value
    measure.needs_review = False
    stats = await regenerate_tasks(session, measure, plan=plan)
    _audit(principal, session, "measure.due", measure.id, due=due.isoformat())
    await session.commit()
    return stats


@dataclass(frozen=True)
class DueSet:
    due: date
    stats: RegenStats


async def set_measure_due_typed(
    session: AsyncSession, principal: Principal, measure_id: int, text: str, default_tz: str
) -> DueSet | None:
    """A date the officer typed for a measure, read against the plan office's local today;
    None when the text is no date. Raises ImpossibleDate for a day its month lacks."""
    _, plan = await _editable_measure(session, principal, measure_id)
    due = parse_typed_date(text, await org_today(session, plan.org_id, default_tz))
    if due is None:
        return None
    return DueSet(due, await set_measure_due(session, principal, measure_id, due))


async def change_measure_deadline(
    session: AsyncSession, principal: Principal, measure_id: int, text: str
) -> RegenStats:
    """Replace a measure's deadline text, parse it by the plan's rules and recompute tasks."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError("empty_deadline")
    measure, plan = await _editable_measure(session, principal, measure_id)
    period = PlanPeriod(plan.period_start, plan.period_end)
    anchor = plan_anchor(plan.approved_on, period)
    try:
        check_typed_days(text, anchor)
    except ImpossibleDate as exc:
        raise ValidationError(
            "impossible_date", year=exc.year, month=exc.month, days=exc.days
        ) from None
    deadline = parse_deadline(text, period, anchor)
    measure.deadline_text = text
    measure.deadline_kind = deadline.kind.value
    measure.deadline = deadline_json(deadline)
    measure.needs_review = deadline.needs_review
    stats = await regenerate_tasks(session, measure, plan=plan)
    _audit(principal, session, "measure.deadline", measure.id, text=text)
    await session.commit()
    return stats


def _audit(principal: Principal, session: AsyncSession, action: str, oid: int, **kw):
    audit.add_audit(session, principal.actor_id, action, "measure", oid, **kw)


def _item(task: Task, measure: Measure, plan: Plan, org) -> TaskItem:
    return TaskItem(
        id=task.id,
        org_id=org.id,
        org_name=org.name,
        plan_id=plan.id,
        plan_title=plan.title,
        measure_id=measure.id,
        number=measure.number,
        section=measure.section,
        title=measure.title,
        result=measure.result,
        deadline_text=measure.deadline_text,
        deadline_kind=measure.deadline_kind,
        start=task.start_date,
        due=task.due_date,
        status=task.status,
    )


async def list_open_tasks(
    session: AsyncSession, org_ids: Sequence[int], page: int = 0, page_size: int = 8
) -> tuple[list[TaskItem], int]:
    """One page of the organisations' open tasks, nearest due first, and how many there are."""
    rows, total = await tasks.list_tasks_page(
        session, list(org_ids), OPEN_STATUSES, max(page, 0) * page_size, page_size
    )
    return [_item(*row) for row in rows], total


async def get_task(session: AsyncSession, principal: Principal, task_id: int) -> TaskItem:
    """A task card for its school's coordinator or an officer above it."""
    row = await tasks.get_task_row(session, task_id)
    if row is None:
        raise NotFound()
    task = row[0]
    if task.org_id not in principal.executor_org_ids and not principal.is_system:
        if not principal.is_officer:
            raise AccessDenied()
        await ensure_manages(session, principal, task.org_id)
    return _item(*row)


async def plan_progress(
    session: AsyncSession,
    principal: Principal,
    plan_id: int,
    today: date | None = None,
    *,
    default_tz: str = DEFAULT_TIMEZONE,
) -> list[MeasureProgress]:
    """Per measure of a plan: tasks in total, done, on review and overdue (by the owner's
    today unless ``today`` is given)."""
    plan = await plans.get_plan(session, plan_id)
    if plan is None:
        raise NotFound()
    await ensure_manages(session, principal, plan.org_id)
    today = today or await org_today(session, plan.org_id, default_tz)
    counts = await tasks.progress_by_measure(session, plan_id, today)
    return [
        MeasureProgress(
            m.id,
            m.position,
            m.number,
            m.title,
            m.deadline_text,
            m.deadline_kind,
            m.executor_level,
            *counts.get(m.id, (0, 0, 0, 0)),
        )
        for m in await plans.list_measures(session, plan_id)
    ]
