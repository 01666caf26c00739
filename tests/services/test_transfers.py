"""Deadline transfers: requests, approval with replanning, decline, access, recomputes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from bot.domain.enums import OutboxStatus, RoleKind, TaskStatus, TransferStatus
from bot.domain.errors import AccessDenied, ValidationError
from bot.services import plans, tasks, transfers
from bot.services.access import SYSTEM, load_principal
from bot.texts.errors import error_text
from scheduler.planner import plan_pending
from storage.models import Measure, OutboxMessage, Role, Task, User
from storage.repo.audit import list_audit
from tests.support.factories import make_tasks
from tests.support.seeds import SEED_001

TODAY = date(2024, 3, 10)


async def test_approve_moves_the_deadline_and_replans(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    task.start_date = date(2024, 3, 1)
    await session.commit()
    coordinator = await load_principal(session, tree.coordinator.id)
    officer = await load_principal(session, tree.muni_officer.id)

    view = await transfers.request_transfer(
        session, coordinator, task.id, date(2024, 4, 1), "  Директор  в отпуске ", TODAY
    )
    assert (view.old_due, view.new_due, view.reason) == (
        date(2024, 3, 15),
        date(2024, 4, 1),
        "Директор в отпуске",
    )
    assert view.requested_by == "Петрова Анна"
    with pytest.raises(ValidationError) as err:
        await transfers.request_transfer(
            session, coordinator, task.id, date(2024, 4, 2), "ещё", TODAY
        )
    assert err.value.code == "transfer_pending"

    decided = await transfers.decide_transfer(session, officer, view.id, approve=True)
    assert decided.status == TransferStatus.APPROVED
    await session.refresh(task)
    assert (task.due_date, task.planned, task.status) == (date(2024, 4, 1), False, TaskStatus.OPEN)
    with pytest.raises(ValidationError) as err:
        await transfers.decide_transfer(session, officer, view.id, approve=False)
    assert err.value.code == "transfer_decided"
    assert [e.action for e in await list_audit(session)] == [
        "transfer.request",
        "transfer.approve",
    ]


async def test_decline_keeps_the_date(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    task.planned = True
    await session.commit()
    coordinator = await load_principal(session, tree.coordinator.id)
    officer = await load_principal(session, tree.officer.id)
    view = await transfers.request_transfer(
        session, coordinator, task.id, date(2024, 5, 1), "Причина", TODAY
    )
    decided = await transfers.decide_transfer(session, officer, view.id, approve=False)
    assert decided.status == TransferStatus.DECLINED
    await session.refresh(task)
    assert (task.due_date, task.planned) == (date(2024, 3, 15), True)


async def test_bad_dates_and_reasons_are_refused(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    coordinator = await load_principal(session, tree.coordinator.id)
    cases = [
        (date(2024, 3, 9), "Причина", "date_in_past"),
        (date(2024, 3, 15), "Причина", "same_date"),
        (date(2024, 4, 1), "   ", "reason_required"),
    ]
    for new_due, reason, code in cases:
        with pytest.raises(ValidationError) as err:
            await transfers.request_transfer(session, coordinator, task.id, new_due, reason, TODAY)
        assert err.value.code == code


async def test_access_is_checked_both_ways(session, tree):
    own, foreign = await make_tasks(session, tree, [tree.school, tree.other_school])
    coordinator = await load_principal(session, tree.coordinator.id)
    with pytest.raises(AccessDenied):
        await transfers.request_transfer(
            session, coordinator, foreign.id, date(2024, 4, 1), "x", TODAY
        )
    view = await transfers.request_transfer(
        session, coordinator, own.id, date(2024, 4, 1), "x", TODAY
    )
    with pytest.raises(AccessDenied):
        await transfers.decide_transfer(session, coordinator, view.id, approve=True)
    # The municipal officer of Касимов manages СШ № 1; the Мегион school is beyond reach.
    muni_officer = await load_principal(session, tree.muni_officer.id)
    assert (await transfers.get_transfer(session, muni_officer, view.id)).id == view.id


async def _approved_transfer(session, tree, task_id: int, new_due: date) -> None:
    coordinator = await load_principal(session, tree.coordinator.id)
    officer = await load_principal(session, tree.muni_officer.id)
    view = await transfers.request_transfer(
        session, coordinator, task_id, new_due, "Совпадает с каникулами", TODAY
    )
    await transfers.decide_transfer(session, officer, view.id, approve=True)


async def _seed_task(session, tree, plan_id: int, number: str) -> Task:
    query = (
        select(Task)
        .join(Measure, Measure.id == Task.measure_id)
        .where(Measure.plan_id == plan_id, Measure.number == number, Task.org_id == tree.school.id)
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).one()


async def test_recomputing_never_takes_an_approved_transfer_back(session, tree):
    data = SEED_001.read_bytes()
    imported = await plans.import_plan(session, SYSTEM, tree.muni.id, data, SEED_001.name)
    task = await _seed_task(session, tree, imported.plan_id, "1.2.")  # «март - май 2024»
    assert task.due_date == date(2024, 5, 31)
    await _approved_transfer(session, tree, task.id, date(2024, 6, 20))

    # Importing the same document again recomputes every task of the plan.
    await plans.import_plan(session, SYSTEM, tree.muni.id, data, SEED_001.name)
    task = await _seed_task(session, tree, imported.plan_id, "1.2.")
    assert task.due_date == date(2024, 6, 20)

    # An earlier rule keeps the transferred date; the task is moved, not replaced.
    await tasks.change_measure_deadline(session, SYSTEM, task.measure_id, "до 15 мая 2024 года")
    moved = await _seed_task(session, tree, imported.plan_id, "1.2.")
    assert (moved.id, moved.due_date, moved.start_date) == (task.id, date(2024, 6, 20), None)

    # A rule later than the transfer still moves the task.
    await tasks.change_measure_deadline(session, SYSTEM, task.measure_id, "до 30 июня 2024 года")
    later = await _seed_task(session, tree, imported.plan_id, "1.2.")
    assert (later.id, later.due_date) == (task.id, date(2024, 6, 30))
    await tasks.change_measure_deadline(session, SYSTEM, task.measure_id, "май 2024")
    assert (await _seed_task(session, tree, imported.plan_id, "1.2.")).due_date == date(
        2024, 6, 20
    )


async def test_an_approved_transfer_moves_the_queued_reminders(session, tree, settings):
    (task,) = await make_tasks(session, tree, [tree.school])
    task.planned = False
    await session.commit()
    now = datetime(2024, 3, 1, 5, tzinfo=UTC)

    async def queued() -> set[tuple[str, str]]:
        await plan_pending(session, now, settings)
        await session.commit()
        query = select(OutboxMessage).where(
            OutboxMessage.task_id == task.id, OutboxMessage.status == OutboxStatus.PENDING
        )
        rows = (await session.scalars(query)).all()
        return {(row.kind, row.payload["date"]) for row in rows}

    before = await queued()
    assert ("due", "2024-03-15") in before
    await _approved_transfer(session, tree, task.id, date(2024, 4, 1))
    after = await queued()
    assert ("due", "2024-04-01") in after and ("before", "2024-03-25") in after
    assert not any(day < "2024-03-25" for _, day in after)


async def test_officers_do_not_approve_their_own_requests_unless_nobody_else_can(session, tree):
    muni_task, region_task = await make_tasks(session, tree, [tree.muni, tree.region])
    muni_officer = await load_principal(session, tree.muni_officer.id)
    regional = await load_principal(session, tree.officer.id)
    view = await transfers.request_transfer(
        session, muni_officer, muni_task.id, date(2024, 4, 1), "Проверка перенесена", TODAY
    )
    with pytest.raises(ValidationError) as err:
        await transfers.decide_transfer(session, muni_officer, view.id, approve=True)
    assert err.value.code == "own_transfer"
    assert "Свою просьбу" in error_text("own_transfer")
    decided = await transfers.decide_transfer(session, regional, view.id, approve=True)
    assert decided.status == TransferStatus.APPROVED

    # The region's only officer has nobody above: their own request is theirs to decide.
    own = await transfers.request_transfer(
        session, regional, region_task.id, date(2024, 4, 5), "Совещание перенесено", TODAY
    )
    approved = await transfers.decide_transfer(session, regional, own.id, approve=True)
    assert approved.status == TransferStatus.APPROVED
    entry = (await list_audit(session))[-1]
    assert (entry.action, entry.details["own"]) == ("transfer.approve", True)

    # With a colleague in the same office, the colleague decides.
    colleague = User(full_name="Орлова Е.П.")
    session.add(colleague)
    await session.flush()
    session.add(Role(user_id=colleague.id, role=RoleKind.OFFICER, org_id=tree.region.id))
    await session.commit()
    again = await transfers.request_transfer(
        session, regional, region_task.id, date(2024, 4, 9), "Ещё раз", TODAY
    )
    with pytest.raises(ValidationError) as err:
        await transfers.decide_transfer(session, regional, again.id, approve=False)
    assert err.value.code == "own_transfer"
