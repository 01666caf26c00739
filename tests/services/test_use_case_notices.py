"""A use case commits its change and the notices it causes together, or neither of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select

from bot.domain.enums import (
    ConfirmationResult,
    OutboxStatus,
    ReviewStatus,
    RoleKind,
    TaskStatus,
    TransferStatus,
)
from bot.domain.messages import Action, ActionKind, Button, Lane, OutgoingMessage
from bot.services import confirmations, notify, orgs, transfers
from bot.services.access import load_principal
from bot.services.confirmations import EvidenceItem
from bot.texts import confirmations as texts
from storage.base import Base, utcnow
from storage.models import (
    Confirmation,
    OutboxMessage,
    Role,
    Task,
    TransferRequest,
    User,
)
from storage.repo import outbox
from storage.repo import users as users_repo
from storage.repo.addresses import private_addresses
from tests.support.factories import add_school_task, add_telegram_user

TITLE = "Приказ о проведении ВПР"
TODAY = date(2024, 3, 10)
LINK = EvidenceItem(kind="link", url="https://school1.ru/vpr")


class Crash(Exception):
    """The process fails at the worst moment: the change and its notices are in the session."""


@dataclass
class Crowd:
    """Beside the tree's people, those who must not be told, and one more coordinator."""

    second_coordinator: User
    neighbour_coordinator: User
    foreign_officer: User
    inactive_officer: User
    parent: User


async def _person(session, tg_id: int, name: str, role: RoleKind, org_id: int, **fields) -> User:
    user = await add_telegram_user(session, tg_id, name, **fields)
    session.add(Role(user_id=user.id, role=role, org_id=org_id))
    return user


@pytest.fixture
async def crowd(session, tree) -> Crowd:
    people = Crowd(
        await _person(session, 201, "Сидоров Олег", RoleKind.COORDINATOR, tree.school.id),
        await _person(session, 202, "Иванова Мария", RoleKind.COORDINATOR, tree.school2.id),
        await _person(session, 102, "Мегионова Ольга", RoleKind.OFFICER, tree.muni2.id),
        await _person(
            session, 103, "Ушедшая Вера", RoleKind.OFFICER, tree.muni.id, is_active=False
        ),
        await _person(session, 300, "Родитель", RoleKind.PARENT, tree.school.id),
    )
    await session.commit()
    return people


async def _task(session, tree) -> Task:
    return await add_school_task(session, tree, TITLE)


async def _submit(session, tree, task: Task) -> confirmations.ConfirmationView:
    coordinator = await load_principal(session, tree.coordinator.id)
    return await confirmations.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.DONE, None, None, [LINK]
    )


async def _request(session, tree, task: Task) -> transfers.TransferView:
    coordinator = await load_principal(session, tree.coordinator.id)
    return await transfers.request_transfer(
        session, coordinator, task.id, date(2024, 4, 1), "Директор в отпуске", TODAY
    )


async def _officer(session, tree):
    return await load_principal(session, tree.muni_officer.id)


async def _notices(session_factory, event: str) -> dict[int, tuple[Lane, OutgoingMessage]]:
    """What a fresh connection finds queued for the event: recipient → lane and message."""
    async with session_factory() as fresh:
        rows = (
            await fresh.scalars(select(OutboxMessage).where(OutboxMessage.kind == "notice"))
        ).all()
    found = {}
    for row in rows:
        if row.dedupe_key == f"notice:{event}:{row.user_id}":
            assert row.status == OutboxStatus.PENDING
            message = OutgoingMessage.from_dict(row.payload)
            found[row.user_id] = (Lane(row.lane), message)
    return found


def _to(users: list[User], message: OutgoingMessage) -> dict[int, tuple[Lane, OutgoingMessage]]:
    return {user.id: (Lane.INTERACTIVE, message) for user in users}


async def _stored(session_factory, model, id_: int):
    async with session_factory() as fresh:
        return await fresh.get(model, id_)


async def test_submitting_commits_the_report_with_the_officers_notice(
    session, session_factory, tree, crowd
):
    task = await _task(session, tree)

    view = await _submit(session, tree, task)

    assert (await _stored(session_factory, Task, task.id)).status == TaskStatus.ON_REVIEW
    told = OutgoingMessage(
        texts.NEW_CONFIRMATION.format(
            org="МБОУ «СШ № 1»", title=TITLE, result="выполнено", who="Петрова Анна"
        ),
        ((Button(texts.BTN_OPEN_REVIEW, Action(ActionKind.OPEN_REVIEW, view.id)),),),
    )
    # The region's and the municipality's officers; not the inactive one, not Megion's.
    expected = _to([tree.officer, tree.muni_officer], told)
    assert await _notices(session_factory, f"confirmation:{view.id}:submitted") == expected


async def test_accepting_commits_the_decision_with_the_coordinators_notice(
    session, session_factory, tree, crowd
):
    view = await _submit(session, tree, await _task(session, tree))

    await confirmations.accept_confirmation(session, await _officer(session, tree), view.id)

    stored = await _stored(session_factory, Confirmation, view.id)
    assert stored.review_status == ReviewStatus.ACCEPTED
    told = OutgoingMessage(texts.TOLD_ACCEPTED.format(title=TITLE))
    # Both coordinators of the school; not the neighbour school's, not the parent.
    expected = _to([tree.coordinator, crowd.second_coordinator], told)
    assert await _notices(session_factory, f"confirmation:{view.id}:accepted") == expected


async def test_returning_commits_the_decision_with_the_coordinators_notice(
    session, session_factory, tree, crowd
):
    task = await _task(session, tree)
    view = await _submit(session, tree, task)

    await confirmations.return_confirmation(
        session, await _officer(session, tree), view.id, "Нет подписи <директора>"
    )

    assert (await _stored(session_factory, Task, task.id)).status == TaskStatus.RETURNED
    told = OutgoingMessage(
        texts.TOLD_RETURNED.format(title=TITLE, comment="Нет подписи &lt;директора&gt;"),
        ((Button(texts.BTN_CONFIRM_AGAIN, Action(ActionKind.CONFIRM_TASK, task.id)),),),
    )
    expected = _to([tree.coordinator, crowd.second_coordinator], told)
    assert await _notices(session_factory, f"confirmation:{view.id}:returned") == expected


async def test_requesting_a_transfer_commits_it_with_the_officers_notice(
    session, session_factory, tree, crowd
):
    task = await _task(session, tree)

    view = await _request(session, tree, task)

    stored = await _stored(session_factory, TransferRequest, view.id)
    assert stored.status == TransferStatus.PENDING
    told = OutgoingMessage(
        texts.transfer_request(
            "МБОУ «СШ № 1»",
            TITLE,
            date(2024, 3, 15),
            date(2024, 4, 1),
            "Директор в отпуске",
            "Петрова Анна",
        ),
        (
            (
                Button(texts.BTN_APPROVE, Action(ActionKind.APPROVE_TRANSFER, view.id)),
                Button(texts.BTN_DECLINE, Action(ActionKind.DECLINE_TRANSFER, view.id)),
            ),
        ),
    )
    assert "Срок: 15.03.2024 → <b>01.04.2024</b>" in told.text
    expected = _to([tree.officer, tree.muni_officer], told)
    assert await _notices(session_factory, f"transfer:{view.id}:requested") == expected


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "declined"])
async def test_deciding_a_transfer_commits_it_with_the_coordinators_notice(
    session, session_factory, tree, crowd, approve
):
    task = await _task(session, tree)
    view = await _request(session, tree, task)

    await transfers.decide_transfer(session, await _officer(session, tree), view.id, approve)

    due = (await _stored(session_factory, Task, task.id)).due_date
    assert due == (date(2024, 4, 1) if approve else date(2024, 3, 15))
    if approve:
        told = texts.TOLD_TRANSFER_APPROVED.format(title=TITLE, date="01.04.2024")
    else:
        told = texts.TOLD_TRANSFER_DECLINED.format(title=TITLE, date="15.03.2024")
    expected = _to([tree.coordinator, crowd.second_coordinator], OutgoingMessage(told))
    event = f"transfer:{view.id}:{'approved' if approve else 'declined'}"
    assert await _notices(session_factory, event) == expected


async def _reminder(session, user: User, task: Task) -> None:
    row = {"dedupe_key": f"before:{task.id}:{user.id}", "user_id": user.id, "task_id": task.id}
    address = (await private_addresses(session, [user.id]))[user.id]
    row |= outbox.envelope(address, Lane.REMINDER)
    await outbox.add_messages(session, [{**row, "kind": "before", "due_at": utcnow()}])


async def _coordinator_role(session, tree) -> int:
    role = await users_repo.get_role(
        session, tree.coordinator.id, RoleKind.COORDINATOR, tree.school.id
    )
    return role.id


async def test_removing_a_coordinator_commits_the_role_and_their_reminders_together(
    session, session_factory, tree, crowd
):
    task = await _task(session, tree)
    await _reminder(session, tree.coordinator, task)
    await _reminder(session, crowd.second_coordinator, task)
    await session.commit()
    role_id = await _coordinator_role(session, tree)

    await orgs.remove_coordinator(session, await _officer(session, tree), role_id)

    assert await _stored(session_factory, Role, role_id) is None
    async with session_factory() as fresh:
        rows = (await fresh.scalars(select(OutboxMessage))).all()
    # Their unsent reminder went with the role; the colleague's stays; nobody gets a notice.
    assert [(row.user_id, row.kind) for row in rows] == [(crowd.second_coordinator.id, "before")]


# What each use case needs first, and the call that changes it.
Prepare = Callable[..., Awaitable[int]]
Act = Callable[..., Awaitable[object]]


async def _prepare_task(session, tree) -> int:
    return (await _task(session, tree)).id


async def _prepare_report(session, tree) -> int:
    return (await _submit(session, tree, await _task(session, tree))).id


async def _prepare_request(session, tree) -> int:
    return (await _request(session, tree, await _task(session, tree))).id


async def _prepare_removal(session, tree) -> int:
    await _reminder(session, tree.coordinator, await _task(session, tree))
    await session.commit()
    return await _coordinator_role(session, tree)


async def _act_submit(session, tree, task_id: int):
    coordinator = await load_principal(session, tree.coordinator.id)
    return await confirmations.submit_confirmation(
        session, coordinator, task_id, ConfirmationResult.PARTIAL, "Нет учителя", None, [LINK]
    )


async def _act_accept(session, tree, confirmation_id: int):
    officer = await _officer(session, tree)
    return await confirmations.accept_confirmation(session, officer, confirmation_id)


async def _act_return(session, tree, confirmation_id: int):
    officer = await _officer(session, tree)
    return await confirmations.return_confirmation(session, officer, confirmation_id, "Нет")


async def _act_request(session, tree, task_id: int):
    coordinator = await load_principal(session, tree.coordinator.id)
    return await transfers.request_transfer(
        session, coordinator, task_id, date(2024, 4, 1), "Болеет учитель", TODAY
    )


async def _act_approve(session, tree, transfer_id: int):
    return await transfers.decide_transfer(
        session, await _officer(session, tree), transfer_id, True
    )


async def _act_decline(session, tree, transfer_id: int):
    officer = await _officer(session, tree)
    return await transfers.decide_transfer(session, officer, transfer_id, False)


async def _act_remove(session, tree, role_id: int):
    return await orgs.remove_coordinator(session, await _officer(session, tree), role_id)


USE_CASES: dict[str, tuple[Prepare, Act]] = {
    "submit": (_prepare_task, _act_submit),
    "accept": (_prepare_report, _act_accept),
    "return": (_prepare_report, _act_return),
    "request": (_prepare_task, _act_request),
    "approve": (_prepare_request, _act_approve),
    "decline": (_prepare_request, _act_decline),
    "remove": (_prepare_removal, _act_remove),
}
NOTIFYING = [name for name in USE_CASES if name != "remove"]


async def _database(session_factory) -> dict[str, list[tuple]]:
    """Every row of every table, as another connection sees them."""
    async with session_factory() as fresh:
        return {
            table.name: sorted(map(tuple, (await fresh.execute(select(table))).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


async def _fails_and_leaves_nothing(
    session, session_factory, tree, name: str, sabotage: Callable[[], None]
) -> None:
    prepare, act = USE_CASES[name]
    object_id = await prepare(session, tree)
    before = await _database(session_factory)
    # What the use case needs is committed; only the use case itself fails.
    sabotage()
    with pytest.raises(Crash):
        await act(session, tree, object_id)
    await session.rollback()
    assert await _database(session_factory) == before


@pytest.mark.parametrize("name", NOTIFYING)
async def test_a_failure_after_queueing_the_notice_keeps_neither(
    session, session_factory, tree, crowd, monkeypatch, name
):
    queue_notice = notify.queue_notice

    async def queue_then_crash(*args, **kwargs) -> int:
        assert await queue_notice(*args, **kwargs) > 0
        raise Crash

    def sabotage() -> None:
        monkeypatch.setattr(notify, "queue_notice", queue_then_crash)

    await _fails_and_leaves_nothing(session, session_factory, tree, name, sabotage)


@pytest.mark.parametrize("name", list(USE_CASES))
async def test_a_failed_commit_keeps_neither_the_change_nor_the_notice(
    session, session_factory, tree, crowd, monkeypatch, name
):
    async def failing_commit() -> None:
        raise Crash

    def sabotage() -> None:
        monkeypatch.setattr(session, "commit", failing_commit)

    await _fails_and_leaves_nothing(session, session_factory, tree, name, sabotage)
