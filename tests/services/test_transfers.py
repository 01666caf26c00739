"""Deadline transfers: requests, approval with replanning, decline, access."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services import transfers
from bot.services.access import load_principal
from bot.services.errors import AccessDenied, ValidationError
from storage.models import TaskStatus, TransferStatus
from storage.repo.audit import list_audit
from tests.services.test_confirmations import make_tasks

TODAY = date(2024, 3, 10)


async def test_approve_moves_the_deadline_and_replans(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    task.start_date = date(2024, 3, 1)
    await session.commit()
    coordinator = await load_principal(session, tree.coordinator.tg_id)
    officer = await load_principal(session, tree.muni_officer.tg_id)

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
    coordinator = await load_principal(session, tree.coordinator.tg_id)
    officer = await load_principal(session, tree.officer.tg_id)
    view = await transfers.request_transfer(
        session, coordinator, task.id, date(2024, 5, 1), "Причина", TODAY
    )
    decided = await transfers.decide_transfer(session, officer, view.id, approve=False)
    assert decided.status == TransferStatus.DECLINED
    await session.refresh(task)
    assert (task.due_date, task.planned) == (date(2024, 3, 15), True)


async def test_bad_dates_and_reasons_are_refused(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    coordinator = await load_principal(session, tree.coordinator.tg_id)
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
    coordinator = await load_principal(session, tree.coordinator.tg_id)
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
    muni_officer = await load_principal(session, tree.muni_officer.tg_id)
    assert (await transfers.get_transfer(session, muni_officer, view.id)).id == view.id
