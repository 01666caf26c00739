"""The demo database: every state occurs, transfers exist, and the rules give its dates."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from bot.domain.enums import TransferStatus
from bot.domain.reports import TaskState
from bot.services import demo
from bot.services.access import SYSTEM
from bot.services.reports import build_report
from bot.services.tasks import regenerate_tasks
from storage.models import Measure, Plan, Task, TransferRequest
from storage.repo import orgs

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def test_demo_has_every_state_and_both_kinds_of_transfer(session):
    summary = await demo.load_demo(session, NOW)
    root = await orgs.get_org_by_name(session, demo.REGION)
    report = await build_report(session, SYSTEM, root.id, NOW)
    assert {t.state for t in report.tasks} == set(TaskState)
    assert summary.tasks == len(report.tasks)

    requests = (await session.scalars(select(TransferRequest))).all()
    assert {r.status for r in requests} == {TransferStatus.APPROVED, TransferStatus.PENDING}
    approved = next(r for r in requests if r.status == TransferStatus.APPROVED)
    assert approved.old_due < NOW.date() < approved.new_due
    assert (await session.get(Task, approved.task_id)).due_date == approved.new_due


async def test_demo_dates_come_from_the_rules_themselves(session):
    await demo.load_demo(session, NOW)
    before = {t.id: (t.due_date, t.start_date) for t in (await session.scalars(select(Task)))}
    plans = {p.id: p for p in (await session.scalars(select(Plan))).all()}
    # The plans are current: each one's period holds today or has just ended.
    assert all(p.period_end.year >= NOW.year - 1 for p in plans.values())
    assert any(p.period_start <= NOW.date() <= p.period_end for p in plans.values())

    # Recomputing every measure, as a deadline edit or a re-import does, moves nothing.
    for measure in (await session.scalars(select(Measure))).all():
        stats = await regenerate_tasks(session, measure, plan=plans[measure.plan_id])
        assert (stats.created, stats.changed, stats.deleted) == (0, 0, 0), measure.number
    after = {t.id: (t.due_date, t.start_date) for t in (await session.scalars(select(Task)))}
    assert after == before


def test_seed_years_move_but_cited_laws_keep_theirs():
    seed = demo.SEEDS_DIR / "003_d69cd12a23d95c9e.txt"
    text = demo.current_seed(seed.read_bytes(), seed.name, NOW.date()).decode()
    assert "на 2025-2027 годы" in text
    assert "от 29.12.2012 №273-ФЗ" in text
