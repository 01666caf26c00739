"""Saving a plan: create it or update the one with the same title, its measures and tasks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind
from bot.domain.errors import NotFound
from bot.domain.plans.deadlines import PlanPeriod
from bot.domain.plans.documents import read_plan
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.export import AnalysedMeasure, needs_officer_date
from bot.domain.plans.models import ParsedPlan
from bot.services.access import Principal, ensure_manages
from bot.services.plans.preview import MeasurePreview, PlanPreview, preview_parsed
from bot.services.tasks import deadline_json, executor_org_ids, regenerate_tasks
from storage.models import Measure, Organization, Plan
from storage.repo import audit, orgs, plans, tasks

Progress = Callable[[int, int], Awaitable[None]]
_TITLE_MAX = 500


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


async def _owner(session: AsyncSession, principal: Principal, org_id: int) -> Organization:
    owner = await orgs.get_org(session, org_id)
    if owner is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    return owner


async def import_plan(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    data: bytes,
    filename: str,
    period: PlanPeriod | None = None,
    executor_overrides: dict[int, ExecutorLevel] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Save a plan for an organisation (or update the one with the same title) and its tasks."""
    owner = await _owner(session, principal, org_id)
    parsed = read_plan(data, filename)
    return await _save(
        session, principal, owner, parsed, filename, period, executor_overrides, progress
    )


async def import_parsed_plan(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    parsed: ParsedPlan,
    filename: str,
    period: PlanPeriod | None = None,
    executor_overrides: dict[int, ExecutorLevel] | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """``import_plan`` for a document already read, such as the one a preview showed."""
    owner = await _owner(session, principal, org_id)
    return await _save(
        session, principal, owner, parsed, filename, period, executor_overrides, progress
    )


async def _save(
    session: AsyncSession,
    principal: Principal,
    owner: Organization,
    parsed: ParsedPlan,
    filename: str,
    period: PlanPeriod | None,
    executor_overrides: dict[int, ExecutorLevel] | None,
    progress: Progress | None,
) -> ImportResult:
    owner_is_school = owner.kind == OrgKind.SCHOOL
    preview = preview_parsed(parsed, period, owner_is_school)
    preview = preview.with_executors(executor_overrides or {})
    plan, plan_created = await _plan_for(session, principal, owner.id, preview, filename)

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

    await _regenerate(session, plan, measures, progress)
    task_count = await tasks.count_plan_tasks(session, plan.id)
    audit.add_audit(
        session,
        principal.actor_id,
        "plan.import" if plan_created else "plan.update",
        "plan",
        plan.id,
        org_id=owner.id,
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
        needs_date=[
            m.id
            for m in measures
            if needs_officer_date(m.deadline_kind, m.executor_level, owner_is_school)
        ],
    )


async def _plan_for(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    preview: PlanPreview,
    filename: str,
) -> tuple[Plan, bool]:
    """The organisation's plan with this title, created if new, with the document's details."""
    title = preview.title[:_TITLE_MAX]
    plan = await plans.get_plan_by_title(session, org_id, title)
    created = plan is None
    if plan is None:
        plan = plans.add_plan(
            session,
            org_id=org_id,
            title=title,
            period_start=preview.period.start,
            period_end=preview.period.end,
            created_by_id=principal.actor_id,
        )
    plan.approved_on = preview.approved
    plan.approved_by = preview.approved_by
    plan.period_start, plan.period_end = preview.period.start, preview.period.end
    plan.source_name = filename[:300]
    await session.flush()
    return plan, created


async def _regenerate(
    session: AsyncSession, plan: Plan, measures: Sequence[Measure], progress: Progress | None
) -> None:
    executors: dict[str, list[int]] = {}
    for done, measure in enumerate(measures, 1):
        level = measure.executor_level
        if level not in executors:
            executors[level] = await executor_org_ids(session, plan, level)
        await regenerate_tasks(session, measure, plan=plan, executors=executors[level])
        if progress is not None:
            await progress(done, len(measures))
