"""Confirmations: submit, return, resubmit, accept; access checks and the audit trail."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from bot.domain.enums import ConfirmationResult, ReviewStatus, RoleKind, TaskStatus
from bot.domain.errors import AccessDenied, ValidationError
from bot.services import confirmations as svc
from bot.services.access import load_principal
from bot.services.confirmations import EvidenceItem
from bot.texts.errors import error_text
from storage.models import Confirmation, Measure, Plan, Role, Task, User
from storage.repo import confirmations as repo
from storage.repo.audit import list_audit
from tests.support.factories import DOC, LINK, PHOTO, make_tasks


async def test_confirm_return_confirm_again_accept(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    coordinator = await load_principal(session, tree.coordinator.id)
    officer = await load_principal(session, tree.muni_officer.id)
    submitted = datetime(2024, 3, 14, 10, tzinfo=UTC)

    first = await svc.submit_confirmation(
        session,
        coordinator,
        task.id,
        ConfirmationResult.DONE,
        None,
        "  Приказ подписан  ",
        [DOC, PHOTO, LINK],
        now=submitted,
    )
    assert first.comment == "Приказ подписан"
    assert first.evidence == (DOC, PHOTO, LINK)
    assert first.task.org_name == tree.school.name
    assert first.submitted_by == "Петрова Анна"
    await session.refresh(task)
    assert (task.status, task.planned) == (TaskStatus.ON_REVIEW, False)

    with pytest.raises(ValidationError) as err:
        await svc.task_to_confirm(session, coordinator, task.id)
    assert err.value.code == "already_on_review"

    queue, page, pages = await svc.list_review_queue(session, officer, 0)
    assert [v.id for v in queue] == [first.id] and (page, pages) == (0, 1)

    with pytest.raises(ValidationError):
        await svc.return_confirmation(session, officer, first.id, "   ")
    returned = await svc.return_confirmation(session, officer, first.id, "Нет подписи директора")
    assert returned.review_status == ReviewStatus.RETURNED
    assert returned.review_comment == "Нет подписи директора"
    await session.refresh(task)
    assert (task.status, task.planned, task.done_at) == (TaskStatus.RETURNED, False, None)
    assert (await svc.list_review_queue(session, officer, 0))[0] == []

    with pytest.raises(ValidationError) as err:
        await svc.accept_confirmation(session, officer, first.id)
    assert err.value.code == "already_reviewed"

    task.planned = True
    await session.commit()
    second = await svc.submit_confirmation(
        session,
        coordinator,
        task.id,
        ConfirmationResult.PARTIAL,
        "Подпись будет после отпуска директора",
        None,
        [DOC],
        now=datetime(2024, 3, 20, 9, tzinfo=UTC),
    )
    accepted = await svc.accept_confirmation(session, officer, second.id)
    assert accepted.review_status == ReviewStatus.ACCEPTED
    assert accepted.reviewed_at is not None
    await session.refresh(task)
    assert task.status == TaskStatus.DONE
    # Closed with the reported result: reports must not count it as done.
    assert task.outcome == ConfirmationResult.PARTIAL
    assert task.done_at == datetime(2024, 3, 20, 9, tzinfo=UTC)
    assert task.planned is False

    actions = [(e.action, e.actor_id) for e in await list_audit(session)]
    assert actions == [
        ("confirmation.submit", tree.coordinator.id),
        ("confirmation.return", tree.muni_officer.id),
        ("confirmation.submit", tree.coordinator.id),
        ("confirmation.accept", tree.muni_officer.id),
    ]
    with pytest.raises(ValidationError) as err:
        await svc.task_to_confirm(session, coordinator, task.id)
    assert err.value.code == "task_done"


async def test_reason_is_required_unless_done(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    coordinator = await load_principal(session, tree.coordinator.id)
    for result in (ConfirmationResult.NOT_DONE, ConfirmationResult.PARTIAL):
        with pytest.raises(ValidationError) as err:
            await svc.submit_confirmation(session, coordinator, task.id, result, " ", None, [])
        assert err.value.code == "reason_required"
    view = await svc.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.NOT_DONE, "Нет оборудования", None, []
    )
    # «Не выполнено» also goes to the officer, who sees the reason.
    assert view.task.status == TaskStatus.ON_REVIEW
    assert view.reason == "Нет оборудования"


async def test_file_limits_and_links_are_checked(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    coordinator = await load_principal(session, tree.coordinator.id)
    huge = EvidenceItem(kind="document", file_id="X", name="a.pdf", size=svc.MAX_FILE_SIZE + 1)
    bad_cases = [
        (huge, "file_too_big"),
        (EvidenceItem(kind="link", url="ftp://x"), "evidence_link"),
        (EvidenceItem(kind="sticker", file_id="S"), "evidence_kind"),
    ]
    for item, code in bad_cases:
        with pytest.raises(ValidationError) as err:
            await svc.submit_confirmation(
                session, coordinator, task.id, ConfirmationResult.DONE, None, None, [item]
            )
        assert err.value.code == code
    await session.refresh(task)
    assert task.status == TaskStatus.OPEN


async def test_evidence_item_round_trips_through_json():
    import json

    for item in (DOC, PHOTO, LINK):
        assert EvidenceItem.from_dict(json.loads(json.dumps(item.to_dict()))) == item


async def test_coordinator_cannot_confirm_another_schools_task(session, tree):
    own, foreign = await make_tasks(session, tree, [tree.school, tree.school2])
    coordinator = await load_principal(session, tree.coordinator.id)
    with pytest.raises(AccessDenied):
        await svc.submit_confirmation(
            session, coordinator, foreign.id, ConfirmationResult.DONE, None, None, []
        )
    with pytest.raises(AccessDenied):
        await svc.task_to_confirm(session, coordinator, foreign.id)
    # An officer is no coordinator: no confirming on a school's behalf.
    officer = await load_principal(session, tree.officer.id)
    with pytest.raises(AccessDenied):
        await svc.submit_confirmation(
            session, officer, own.id, ConfirmationResult.DONE, None, None, []
        )
    await session.refresh(foreign)
    assert foreign.status == TaskStatus.OPEN
    assert await list_audit(session) == []


async def test_officer_outside_the_subtree_cannot_review(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    stranger = User(full_name="Чужой специалист")
    session.add(stranger)
    await session.flush()
    session.add(Role(user_id=stranger.id, role=RoleKind.OFFICER, org_id=tree.muni2.id))
    await session.commit()
    coordinator = await load_principal(session, tree.coordinator.id)
    view = await svc.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.DONE, None, None, [LINK]
    )
    outsider = await load_principal(session, stranger.id)
    assert (await svc.list_review_queue(session, outsider, 0))[0] == []
    with pytest.raises(AccessDenied):
        await svc.get_review_item(session, outsider, view.id)
    with pytest.raises(AccessDenied):
        await svc.accept_confirmation(session, outsider, view.id)
    with pytest.raises(AccessDenied):
        await svc.return_confirmation(session, outsider, view.id, "нет")
    with pytest.raises(AccessDenied):
        await svc.accept_confirmation(session, coordinator, view.id)
    # The region's officer sees the whole tree.
    region = await load_principal(session, tree.officer.id)
    assert (await svc.get_review_item(session, region, view.id)).id == view.id


async def test_notification_recipients(session, tree):
    officers = await svc.officers_of(session, tree.school.id)
    assert officers == sorted([tree.officer.id, tree.muni_officer.id])
    assert await svc.officers_of(session, tree.other_school.id) == [tree.officer.id]
    assert await svc.coordinators_of(session, tree.school.id) == [tree.coordinator.id]
    tree.muni_officer.is_active = False
    await session.commit()
    assert await svc.officers_of(session, tree.school.id) == [tree.officer.id]


async def test_review_queue_pages(session, tree):
    schools = [tree.school]
    tasks = []
    for due in (date(2024, 3, d) for d in range(1, 12)):
        tasks += await _another_task(session, tree, schools, due)
    coordinator = await load_principal(session, tree.coordinator.id)
    for task in tasks:
        await svc.submit_confirmation(
            session, coordinator, task.id, ConfirmationResult.DONE, None, None, []
        )
    officer = await load_principal(session, tree.officer.id)
    first, page, pages = await svc.list_review_queue(session, officer, 0, size=8)
    last, page2, _ = await svc.list_review_queue(session, officer, 5, size=8)
    assert (len(first), page, pages) == (8, 0, 2)
    assert (len(last), page2) == (3, 1)


async def _another_task(session, tree, orgs, due):
    plan = Plan(
        org_id=tree.muni.id,
        title=f"План {due}",
        period_start=date(2023, 9, 1),
        period_end=date(2024, 8, 31),
    )
    session.add(plan)
    await session.flush()
    measure = Measure(
        plan_id=plan.id,
        position=1,
        title="Отчёт",
        executor_level="school",
        deadline_kind="date",
    )
    session.add(measure)
    await session.flush()
    tasks = [Task(measure_id=measure.id, org_id=o.id, occurrence="", due_date=due) for o in orgs]
    session.add_all(tasks)
    await session.commit()
    return tasks


async def test_officer_confirms_own_office_task_but_not_another_office(session, tree):
    (muni_task,) = await make_tasks(session, tree, [tree.muni])
    muni_officer = await load_principal(session, tree.muni_officer.id)
    regional = await load_principal(session, tree.officer.id)
    coordinator = await load_principal(session, tree.coordinator.id)

    # The regional officer oversees the municipality but does not carry out its tasks.
    for outsider in (regional, coordinator):
        with pytest.raises(AccessDenied):
            await svc.submit_confirmation(
                session, outsider, muni_task.id, ConfirmationResult.DONE, None, None, [LINK]
            )
    view = await svc.submit_confirmation(
        session, muni_officer, muni_task.id, ConfirmationResult.DONE, None, "Проведено", [LINK]
    )
    assert view.result == ConfirmationResult.DONE
    await session.refresh(muni_task)
    assert muni_task.status == TaskStatus.ON_REVIEW


async def test_officer_cannot_review_own_confirmation(session, tree):
    (muni_task,) = await make_tasks(session, tree, [tree.muni])
    muni_officer = await load_principal(session, tree.muni_officer.id)
    regional = await load_principal(session, tree.officer.id)
    view = await svc.submit_confirmation(
        session, muni_officer, muni_task.id, ConfirmationResult.DONE, None, None, [LINK]
    )
    with pytest.raises(ValidationError) as err:
        await svc.accept_confirmation(session, muni_officer, view.id)
    assert err.value.code == "own_confirmation"
    with pytest.raises(ValidationError) as err:
        await svc.return_confirmation(session, muni_officer, view.id, "Сам себе возвращаю")
    assert err.value.code == "own_confirmation"
    assert "Свою отметку нельзя принять" in error_text("own_confirmation")
    await session.refresh(muni_task)
    assert muni_task.status == TaskStatus.ON_REVIEW
    assert [e.action for e in await list_audit(session)] == ["confirmation.submit"]

    # The office above reviews it.
    accepted = await svc.accept_confirmation(session, regional, view.id)
    assert accepted.review_status == ReviewStatus.ACCEPTED
    await session.refresh(muni_task)
    assert (muni_task.status, muni_task.outcome) == (TaskStatus.DONE, ConfirmationResult.DONE)


async def test_the_top_offices_only_officer_closes_its_own_tasks(session, tree):
    (task,) = await make_tasks(session, tree, [tree.region])
    regional = await load_principal(session, tree.officer.id)
    view = await svc.submit_confirmation(
        session, regional, task.id, ConfirmationResult.DONE, None, "Совещание проведено", [LINK]
    )
    # Nobody works in the region's office or above it but this officer.
    accepted = await svc.accept_confirmation(session, regional, view.id)
    assert accepted.review_status == ReviewStatus.ACCEPTED
    await session.refresh(task)
    assert task.status == TaskStatus.DONE
    entry = (await list_audit(session))[-1]
    assert (entry.action, entry.details["own"]) == ("confirmation.accept", True)

    # A colleague in the same office (active) reviews instead.
    colleague = User(full_name="Орлова Е.П.")
    session.add(colleague)
    await session.flush()
    session.add(Role(user_id=colleague.id, role=RoleKind.OFFICER, org_id=tree.region.id))
    (second,) = await _another_task(session, tree, [tree.region], date(2024, 4, 1))
    view = await svc.submit_confirmation(
        session, regional, second.id, ConfirmationResult.DONE, None, None, [LINK]
    )
    with pytest.raises(ValidationError) as err:
        await svc.accept_confirmation(session, regional, view.id)
    assert err.value.code == "own_confirmation"
    colleague.is_active = False
    await session.commit()
    assert (await svc.accept_confirmation(session, regional, view.id)).review_status == (
        ReviewStatus.ACCEPTED
    )


@pytest.mark.parametrize(
    ("name", "mime", "allowed"),
    [
        ("Приказ.pdf", "application/pdf", True),
        ("Протокол.DOCX", "application/octet-stream", True),
        ("скан.jpg", "image/jpeg", True),
        ("setup.exe", "application/x-msdownload", False),
        ("fake.pdf", "application/x-msdownload", False),
        (None, "application/pdf", True),
        (None, "video/mp4", True),
        ("урок.mp4", "video/mp4", True),
        ("IMG_0412.MOV", "video/quicktime", True),
        ("clip.avi", "video/x-msvideo", False),
        ("hidden.mp4", "application/x-msdownload", False),
    ],
)
def test_evidence_documents_are_checked_by_type(name, mime, allowed):
    item = EvidenceItem(kind="document", file_id="f", name=name, mime_type=mime, size=10)
    if allowed:
        assert svc.check_evidence(item) is item
    else:
        with pytest.raises(ValidationError) as caught:
            svc.check_evidence(item)
        assert caught.value.code == "document_type"


async def test_two_coordinators_sending_at_once_make_one_report(session_factory, session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    colleague = User(full_name="Иванов Сергей")
    session.add(colleague)
    await session.flush()
    session.add(Role(user_id=colleague.id, role=RoleKind.COORDINATOR, org_id=tree.school.id))
    await session.commit()
    real_check = svc.task_to_confirm
    both_checked = asyncio.Barrier(2)

    async def checked_together(*args, **kwargs):
        # Both pass the early check before either has written anything.
        found = await real_check(*args, **kwargs)
        await both_checked.wait()
        return found

    async def send(user_id: int):
        async with session_factory() as own:
            principal = await load_principal(own, user_id)
            try:
                view = await svc.submit_confirmation(
                    own, principal, task.id, ConfirmationResult.DONE, None, None, [LINK]
                )
            except ValidationError as exc:
                return exc.code
            return view.review_status

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(svc, "task_to_confirm", checked_together)
        results = await asyncio.gather(send(tree.coordinator.id), send(colleague.id))
    assert sorted(results) == sorted([ReviewStatus.PENDING, "already_on_review"])
    assert len(await repo.list_task_confirmations(session, task.id)) == 1


async def test_a_stale_duplicate_report_cannot_reopen_a_closed_task(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    # Two reports pending on one task, as a race before the re-check could leave them.
    older, newer = (
        Confirmation(
            task_id=task.id,
            user_id=tree.coordinator.id,
            result=ConfirmationResult.DONE,
            submitted_at=datetime(2024, 3, day, 9, tzinfo=UTC),
        )
        for day in (13, 14)
    )
    session.add_all([older, newer])
    task.status = TaskStatus.ON_REVIEW
    await session.commit()
    officer = await load_principal(session, tree.muni_officer.id)
    queue, _, _ = await svc.list_review_queue(session, officer, 0)
    assert [v.id for v in queue] == [newer.id]

    with pytest.raises(ValidationError) as err:
        await svc.accept_confirmation(session, officer, older.id)
    assert err.value.code == "confirmation_outdated"
    await svc.accept_confirmation(session, officer, newer.id)
    with pytest.raises(ValidationError) as err:
        await svc.return_confirmation(session, officer, older.id, "Нет подписи")
    assert err.value.code == "confirmation_outdated"
    assert "устарела" in error_text("confirmation_outdated")
    await session.refresh(task)
    assert task.status == TaskStatus.DONE
    assert (await svc.list_review_queue(session, officer, 0))[0] == []
    assert [e.action for e in await list_audit(session)] == ["confirmation.accept"]
