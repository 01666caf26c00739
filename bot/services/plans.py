"""Plan import: preview a document, save or update its measures, and list plans."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind
from bot.domain.errors import NotFound, ValidationError
from bot.domain.plans.deadlines import DeadlineKind, ImpossibleDate, PlanPeriod, parse_typed_date
from bot.domain.plans.documents import read_plan
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.export import (
    PERIOD_REQUIRED,
    AnalysedMeasure,
    PlanAnalysis,
    analyse_plan,
    needs_officer_date,
)
from bot.domain.plans.models import PlanFormatError
from bot.services.access import Principal, ensure_manages, managed_org_ids
from bot.services.tasks import deadline_json, executor_org_ids, regenerate_tasks
from storage.base import utcnow
from storage.models import Measure, Plan
from storage.repo import audit, orgs, plans, tasks

Progress = Callable[[int, int], Awaitable[None]]
_DATE = r"\d{1,2}(?:\.\d{1,2}\.\d{2,4}|/\d{1,2}/\d{2,4}|-\d{1,2}-\d{4})"
_PERIOD_RU = re.compile(rf"^\s*(?:с\s+)?({_DATE})\s*(?:-|–|—|по)\s*({_DATE})\s*$")
_SCHOOL_YEAR = re.compile(r"^\s*(\d{4})\s*[-–—/]\s*(\d{4})\s*$")
_TITLE_MAX = 500


class PeriodRequired(PlanFormatError):
    """The document names no period and the officer has not given one yet."""


@dataclass(frozen=True)
class MeasurePreview:
    position: int
    number: str
    section: str | None
    title: str
    responsible: str
    deadline_text: str
    kind: DeadlineKind
    due: tuple[date, ...]
    start: date | None
    executor: ExecutorLevel
    needs_review: bool


@dataclass(frozen=True)
class PlanPreview:
    title: str
    approved: date | None
    approved_by: str | None
    period: PlanPeriod
    period_from_document: bool
    measures: list[MeasurePreview]
    analysis: PlanAnalysis
    owner_is_school: bool = False

    @property
    def by_kind(self) -> dict[DeadlineKind, int]:
        found = Counter(m.kind for m in self.measures)
        return {kind: found[kind] for kind in DeadlineKind if found[kind]}

    @property
    def by_executor(self) -> dict[ExecutorLevel, int]:
        found = Counter(m.executor for m in self.measures)
        return {level: found[level] for level in ExecutorLevel if found[level]}

    @property
    def needs_date(self) -> list[MeasurePreview]:
        return [
            m
            for m in self.measures
            if needs_officer_date(m.kind, m.executor, self.owner_is_school)
        ]

    @property
    def needs_review(self) -> int:
        return sum(m.needs_review for m in self.measures)

    def with_executors(self, overrides: dict[int, ExecutorLevel]) -> PlanPreview:
        changed = [
            _replace_executor(m, overrides.get(m.position, m.executor)) for m in self.measures
        ]
        return PlanPreview(
            self.title,
            self.approved,
            self.approved_by,
            self.period,
            self.period_from_document,
            changed,
            self.analysis,
            self.owner_is_school,
        )


@dataclass(frozen=True)
class ImportResult:
    plan_id: int
    plan_created: bool
    created: int
    updated: int
    removed: int
    measures: int
    tasks: int
    needs_date: list[int]


@dataclass(frozen=True)
class PlanView:
    id: int
    title: str
    org_id: int
    org_name: str
    approved_on: date | None
    period_start: date
    period_end: date
    measures: int
    needs_date: int
    reminder_offsets: tuple[int, ...] | None = None


@dataclass(frozen=True)
class MeasureView:
    id: int
    plan_id: int
    position: int
    number: str
    section: str | None
    title: str
    responsible: str
    result: str | None
    deadline_text: str
    deadline_kind: str
    due: tuple[date, ...]
    executor_level: str
    needs_review: bool


def _replace_executor(m: MeasurePreview, level: ExecutorLevel) -> MeasurePreview:
    return MeasurePreview(
        m.position,
        m.number,
        m.section,
        m.title,
        m.responsible,
        m.deadline_text,
        m.kind,
        m.due,
        m.start,
        level,
        m.needs_review,
    )


def _measure_preview(item: AnalysedMeasure) -> MeasurePreview:
    m, d = item.measure, item.deadline
    return MeasurePreview(
        m.position,
        m.number,
        m.section,
        m.title,
        m.responsible,
        m.deadline_text,
        d.kind,
        d.due,
        d.start,
        item.executor,
        d.needs_review,
    )


def preview_plan(
    data: bytes, filename: str, period: PlanPeriod | None = None, owner_is_school: bool = False
) -> PlanPreview:
    """What importing the document would create; PlanFormatError tells why it cannot."""
    parsed = read_plan(data, filename)
    if period is None and parsed.period is None:
        raise PeriodRequired(PERIOD_REQUIRED)
    analysis = analyse_plan(parsed, period)
    return PlanPreview(
        title=parsed.title,
        approved=parsed.approved,
        approved_by=parsed.approved_by,
        period=analysis.period,
        period_from_document=period is None,
        measures=[_measure_preview(item) for item in analysis.measures],
        analysis=analysis,
        owner_is_school=owner_is_school,
    )


def parse_period(text: str, today: date | None = None) -> PlanPeriod:
    """«01.09.2023-31.08.2024», «2023-2024» (a school year) or ISO «2023-09-01:2024-08-31»."""
    text = text.strip()
    try:
        if ":" in text:
            start, end = (date.fromisoformat(part.strip()) for part in text.split(":", 1))
            return PlanPeriod(start, end)
        if years := _SCHOOL_YEAR.match(text):
            first, last = int(years[1]), int(years[2])
            if last == first + 1:
                return PlanPeriod(date(first, 9, 1), date(last, 8, 31))
            return PlanPeriod(date(first, 1, 1), date(last, 12, 31))
        if found := _PERIOD_RU.match(text):
            today = today or utcnow().date()
            start, end = (parse_typed_date(found[i], today) for i in (1, 2))
            if start is not None and end is not None:
                return PlanPeriod(start, end)
    except ImpossibleDate as exc:
        raise ValidationError(
            "impossible_date", year=exc.year, month=exc.month, days=exc.days
        ) from exc
    except ValueError as exc:
        raise ValidationError("bad_period") from exc
    raise ValidationError("bad_period")


def _match(
    existing: Sequence[Measure], incoming: Sequence[MeasurePreview]
) -> list[Measure | None]:
    """Pair stored measures with the document's: number and title, title, then position."""
    pool = list(existing)
    found: list[Measure | None] = [None] * len(incoming)
    rules = (
        lambda old, new: (old.number, old.title) == (new.number[:32], new.title),
        lambda old, new: old.title == new.title,
        lambda old, new: (old.position, old.number) == (new.position, new.number[:32]),
    )
    for rule in rules:
        for i, new in enumerate(incoming):
            if found[i] is not None:
                continue
            old = next((m for m in pool if rule(m, new)), None)
            if old is not None:
                pool.remove(old)
                found[i] = old
    return found


def _fields(item: MeasurePreview, analysed: AnalysedMeasure, old: Measure | None) -> dict:
    deadline = deadline_json(analysed.deadline)
    kind, review = item.kind.value, item.needs_review
    # A date an officer set by hand survives re-import while the document's text is unchanged.
    if (
        old is not None
        and (old.deadline or {}).get("set_by_officer")
        and old.deadline_text == (item.deadline_text)
    ):
        deadline, kind, review = old.deadline, old.deadline_kind, old.needs_review
    return {
        "number": item.number[:32],
        "section": item.section,
        "title": item.title,
        "responsible": item.responsible,
        "document": analysed.measure.document,
        "result": analysed.measure.result,
        "executor_level": item.executor.value,
        "deadline_text": item.deadline_text,
        "deadline_kind": kind,
        "deadline": deadline,
        "needs_review": review,
    }


async def import_plan(
    session: AsyncSession,
    principal: Principal | None,
    org_id: int,
    data: bytes,
    filename: str,
    period: PlanPeriod | None = None,
    executor_overrides: dict[int, ExecutorLevel] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Save a plan for an organisation (or update the one with the same title) and its tasks."""
    owner = await orgs.get_org(session, org_id)
    if owner is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    owner_is_school = owner.kind == OrgKind.SCHOOL
    preview = preview_plan(data, filename, period, owner_is_school)
    preview = preview.with_executors(executor_overrides or {})
    title = preview.title[:_TITLE_MAX]
    plan = await plans.get_plan_by_title(session, org_id, title)
    plan_created = plan is None
    if plan is None:
        plan = plans.add_plan(
            session,
            org_id=org_id,
            title=title,
            period_start=preview.period.start,
            period_end=preview.period.end,
            created_by_id=principal.user_id if principal else None,
        )
    plan.approved_on = preview.approved
    plan.approved_by = preview.approved_by
    plan.period_start, plan.period_end = preview.period.start, preview.period.end
    plan.source_name = filename[:300]
    await session.flush()

    existing = await plans.list_measures(session, plan.id)
    matched = _match(existing, preview.measures)
    kept = {m.id for m in matched if m is not None}
    vanished = [m.id for m in existing if m.id not in kept]
    await plans.delete_measures(session, vanished)
    # Positions are unique per plan; park the kept ones out of the way before renumbering.
    for i, old in enumerate(m for m in matched if m is not None):
        old.position = -1 - i
    await session.flush()

    created = updated = 0
    measures: list[Measure] = []
    for item, analysed, old in zip(
        preview.measures, preview.analysis.measures, matched, strict=True
    ):
        fields = _fields(item, analysed, old)
        if old is None:
            measures.append(
                plans.add_measure(session, plan_id=plan.id, position=item.position, **fields)
            )
            created += 1
            continue
        if any(getattr(old, key) != value for key, value in fields.items()):
            updated += 1
        for key, value in fields.items():
            setattr(old, key, value)
        old.position = item.position
        measures.append(old)
    await session.flush()

    executors: dict[str, list[int]] = {}
    for done, measure in enumerate(measures, 1):
        level = measure.executor_level
        if level not in executors:
            executors[level] = await executor_org_ids(session, plan, level)
        await regenerate_tasks(session, measure, plan=plan, executors=executors[level])
        if progress is not None:
            await progress(done, len(measures))
    task_count = await tasks.count_plan_tasks(session, plan.id)
    audit.add_audit(
        session,
        principal.user_id if principal else None,
        "plan.import" if plan_created else "plan.update",
        "plan",
        plan.id,
        org_id=org_id,
        measures=len(measures),
        created=created,
        updated=updated,
        removed=len(vanished),
    )
    await session.commit()
    return ImportResult(
        plan_id=plan.id,
        plan_created=plan_created,
        created=created,
        updated=updated,
        removed=len(vanished),
        measures=len(measures),
        tasks=task_count,
        needs_date=[m.id for m in measures if _needs_date(m, owner_is_school)],
    )


def _needs_date(measure: Measure, owner_is_school: bool) -> bool:
    return needs_officer_date(measure.deadline_kind, measure.executor_level, owner_is_school)


async def _owner_is_school(session: AsyncSession, plan: Plan) -> bool:
    owner = await orgs.get_org(session, plan.org_id)
    return owner is not None and owner.kind == OrgKind.SCHOOL


def _plan_view(plan: Plan, org_name: str, counts: tuple[int, int]) -> PlanView:
    return PlanView(
        plan.id,
        plan.title,
        plan.org_id,
        org_name,
        plan.approved_on,
        plan.period_start,
        plan.period_end,
        *counts,
        tuple(plan.reminder_offsets) if plan.reminder_offsets else None,
    )


async def list_plans(session: AsyncSession, principal: Principal | None) -> list[PlanView]:
    """Plans of the officer's organisations and everything below them, newest first."""
    ids = None if principal is None else sorted(await managed_org_ids(session, principal))
    rows = await plans.list_plans(session, ids)
    schools = {plan.id: org.kind == OrgKind.SCHOOL for plan, org in rows}
    counts = {plan_id: [0, 0] for plan_id in schools}
    for plan_id, kind, executor in await plans.measure_deadlines(session, list(schools)):
        counts[plan_id][0] += 1
        counts[plan_id][1] += needs_officer_date(kind, executor, schools[plan_id])
    return [_plan_view(plan, org.name, tuple(counts[plan.id])) for plan, org in rows]


async def get_plan(session: AsyncSession, principal: Principal | None, plan_id: int) -> PlanView:
    plan = await plans.get_plan(session, plan_id)
    if plan is None:
        raise NotFound()
    await ensure_manages(session, principal, plan.org_id)
    org = await orgs.get_org(session, plan.org_id)
    measures = await plans.list_measures(session, plan.id)
    owner_is_school = org is not None and org.kind == OrgKind.SCHOOL
    undated = sum(_needs_date(m, owner_is_school) for m in measures)
    return _plan_view(plan, org.name if org else "", (len(measures), undated))


def _measure_view(m: Measure) -> MeasureView:
    due = tuple(date.fromisoformat(day) for day in (m.deadline or {}).get("due", []))
    return MeasureView(
        m.id,
        m.plan_id,
        m.position,
        m.number,
        m.section,
        m.title,
        m.responsible,
        m.result,
        m.deadline_text,
        m.deadline_kind,
        due,
        m.executor_level,
        m.needs_review,
    )


async def get_measure(
    session: AsyncSession, principal: Principal | None, measure_id: int
) -> MeasureView:
    measure = await plans.get_measure(session, measure_id)
    plan = await plans.get_plan(session, measure.plan_id) if measure else None
    if measure is None or plan is None:
        raise NotFound()
    await ensure_manages(session, principal, plan.org_id)
    return _measure_view(measure)


async def list_undated_measures(
    session: AsyncSession, principal: Principal | None, plan_id: int
) -> list[MeasureView]:
    """Measures still waiting for an officer's date."""
    await get_plan(session, principal, plan_id)
    plan = await plans.get_plan(session, plan_id)
    owner_is_school = await _owner_is_school(session, plan)
    return [
        _measure_view(m)
        for m in await plans.list_measures(session, plan_id)
        if _needs_date(m, owner_is_school)
    ]


async def set_reminder_offsets(
    session: AsyncSession, principal: Principal | None, plan_id: int, offsets: Sequence[int]
) -> tuple[int, ...]:
    """Days before the due date (0 = the day, negative = after it) when reminders go out."""
    plan = await plans.get_plan(session, plan_id)
    if plan is None:
        raise NotFound()
    await ensure_manages(session, principal, plan.org_id)
    chosen = tuple(sorted({int(day) for day in offsets}, reverse=True))
    if not chosen or not all(-30 <= day <= 90 for day in chosen):
        raise ValidationError("bad_offsets")
    plan.reminder_offsets = list(chosen)
    replanned = await tasks.mark_plan_unplanned(session, plan.id)
    audit.add_audit(
        session,
        principal.user_id if principal else None,
        "plan.offsets",
        "plan",
        plan.id,
        offsets=list(chosen),
        tasks=replanned,
    )
    await session.commit()
    return chosen
