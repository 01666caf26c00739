"""Plans and measures as officers see them: lists, cards, undated measures, reminder days."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind
from bot.domain.errors import NotFound, ValidationError
from bot.domain.plans.export import needs_officer_date
from bot.services.access import Principal, ensure_manages, managed_org_ids
from storage.models import Measure, Plan
from storage.repo import audit, orgs, plans, tasks


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


async def list_plans(session: AsyncSession, principal: Principal) -> list[PlanView]:
    """Plans of the officer's organisations and everything below them, newest first."""
    ids = None if principal.is_system else sorted(await managed_org_ids(session, principal))
    rows = await plans.list_plans(session, ids)
    schools = {plan.id: org.kind == OrgKind.SCHOOL for plan, org in rows}
    counts = {plan_id: [0, 0] for plan_id in schools}
    for plan_id, kind, executor in await plans.measure_deadlines(session, list(schools)):
        counts[plan_id][0] += 1
        counts[plan_id][1] += needs_officer_date(kind, executor, schools[plan_id])
    return [_plan_view(plan, org.name, tuple(counts[plan.id])) for plan, org in rows]


async def get_plan(session: AsyncSession, principal: Principal, plan_id: int) -> PlanView:
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


async def get_measure(session: AsyncSession, principal: Principal, measure_id: int) -> MeasureView:
    measure = await plans.get_measure(session, measure_id)
    plan = await plans.get_plan(session, measure.plan_id) if measure else None
    if measure is None or plan is None:
        raise NotFound()
    await ensure_manages(session, principal, plan.org_id)
    return _measure_view(measure)


async def list_undated_measures(
    session: AsyncSession, principal: Principal, plan_id: int
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
    session: AsyncSession, principal: Principal, plan_id: int, offsets: Sequence[int]
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
        principal.actor_id,
        "plan.offsets",
        "plan",
        plan.id,
        offsets=list(chosen),
        tasks=replanned,
    )
    await session.commit()
    return chosen
