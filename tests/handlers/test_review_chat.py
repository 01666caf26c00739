"""The officer's side in chat: evidence files, the transfers section, decisions, access."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendDocument,
    SendMessage,
    SendPhoto,
)
from sqlalchemy import select

from bot import texts as common_texts
from bot.channels.telegram.callbacks.confirmations import (
    ReviewAction,
    ReviewCb,
    TransferAction,
    TransferCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.enums import ConfirmationResult, RoleKind, TaskStatus
from bot.domain.enums import TransferStatus as Status
from bot.services import confirmations as svc
from bot.services import transfers
from bot.services.access import load_principal
from bot.services.confirmations import EvidenceItem
from bot.texts import confirmations as texts
from bot.texts import plans as ptexts
from bot.texts.errors import error_text
from scheduler.outbox import tick
from storage.models import Confirmation, Task, TransferRequest
from tests.support.chat import ChatDriver, buttons_of
from tests.support.clock import at
from tests.support.factories import DOC, LINK, PHOTO, add_person, add_task, make_tasks, tg_id_of
from tests.support.outbox import Ctx

TODAY = date(2024, 3, 10)
SCAN = EvidenceItem(
    kind="document", file_id="BQACAgIAAx000009", file_unique_id="AgAD9", name="скан.pdf", size=10
)


@pytest.fixture
def ctx(settings, session_factory, chat) -> Ctx:
    return Ctx(settings, session_factory, chat.bot)


def _answer(chat: ChatDriver) -> AnswerCallbackQuery:
    return chat.recording.last(AnswerCallbackQuery)


def _sent_to(chat: ChatDriver, chat_id: int) -> list[SendMessage]:
    return [m for m in chat.recording.of_type(SendMessage) if m.chat_id == chat_id]


async def _submitted(session, tree, task, evidence=()):
    coordinator = await load_principal(session, tree.coordinator.id)
    return await svc.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.DONE, None, None, list(evidence)
    )


async def _request(session, user_id: int, task, reason: str = "Директор в отпуске", day=1):
    requester = await load_principal(session, user_id)
    return await transfers.request_transfer(
        session, requester, task.id, date(2024, 4, day), reason, TODAY
    )


async def test_files_are_resent_past_a_bad_file_id(chat, session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    view = await _submitted(session, tree, task, [DOC, PHOTO, SCAN, LINK])
    officer = tree.tg.muni_officer
    chat.recording.fail_next(
        SendDocument, status=400, description="Bad Request: wrong file identifier/HTTP URL"
    )

    await chat.press(officer, ReviewCb(action=ReviewAction.FILES, item_id=view.id))

    assert [d.document for d in chat.recording.of_type(SendDocument)] == [
        DOC.file_id,
        SCAN.file_id,
    ]
    assert [p.photo for p in chat.recording.of_type(SendPhoto)] == [PHOTO.file_id]
    sent = chat.texts(officer)
    assert sent[0] == "🔗 https://school1.ru/vpr"
    assert sent[1] == texts.FILES_NOT_SENT.format(files="1 файл", items="📄 приказ.pdf, 12 КБ")
    assert sent[1].startswith("Не удалось отправить 1 файл:")
    assert common_texts.ERROR not in sent


async def test_transfers_section_lists_the_subtree_and_decides(chat, session, tree):
    own, second, foreign = await make_tasks(
        session, tree, [tree.school, tree.school2, tree.other_school]
    )
    second_coordinator = await add_person(session, tree.school2, name="Иванов Иван")
    foreign_coordinator = await add_person(session, tree.other_school)
    await session.commit()
    mine = await _request(session, tree.coordinator.id, own)
    await _request(session, second_coordinator.id, second, "Нет <учителя>", day=5)
    theirs = await _request(session, foreign_coordinator.id, foreign)
    officer = tree.tg.muni_officer

    await chat.say(officer, "/review")
    assert chat.texts()[-1] == texts.REVIEW_EMPTY + texts.REVIEW_TRANSFERS_WAITING.format(count=2)
    [(label, data)] = chat.last_buttons()
    assert label == texts.BTN_TRANSFERS.format(count=2)

    await chat.press(officer, data)
    listing = chat.recording.last(EditMessageText).text
    assert listing.startswith("📅 <b>Просьбы о переносе сроков</b>: 2\n")
    assert "1. <b>МБОУ «СШ № 1»</b>: Приказ о проведении ВПР" in listing
    assert "Срок: 15.03.2024 → <b>01.04.2024</b>\nПричина: Директор в отпуске" in listing
    assert "2. <b>МБОУ «СШ № 2»</b>" in listing and "Причина: Нет &lt;учителя&gt;" in listing
    assert "Мегион" not in listing
    labels = chat.last_buttons()
    assert [label for label, _ in labels] == [
        "1. МБОУ «СШ № 1» · Приказ о проведении ВПР",
        "2. МБОУ «СШ № 2» · Приказ о проведении ВПР",
        texts.BTN_TO_REVIEW,
    ]

    await chat.press(officer, labels[0][1])
    card = chat.recording.last(EditMessageText)
    assert "Просьба о переносе срока" in card.text and "Петрова Анна" in card.text
    assert [label for label, _ in buttons_of(card)] == [
        texts.BTN_APPROVE,
        texts.BTN_DECLINE,
        texts.BTN_TO_TRANSFERS,
    ]
    await chat.press(officer, buttons_of(card)[0][1])
    decided = chat.recording.last(EditMessageText)
    assert decided.text.endswith(texts.TRANSFER_APPROVED.format(date="01.04.2024"))
    assert [label for label, _ in buttons_of(decided)] == [texts.BTN_TO_TRANSFERS]
    await session.refresh(own)
    assert own.due_date == date(2024, 4, 1)

    await chat.press(officer, buttons_of(decided)[0][1])
    assert "Просьбы о переносе сроков</b>: 1\n" in chat.recording.last(EditMessageText).text
    # The decided request's card no longer offers a decision.
    await chat.press(officer, ReviewCb(action=ReviewAction.TRANSFER, item_id=mine.id))
    card = chat.recording.last(EditMessageText)
    assert card.text.endswith(texts.TRANSFER_STATUS["approved"])
    assert [label for label, _ in buttons_of(card)] == [texts.BTN_TO_TRANSFERS]

    # Another municipality's request: not listed, and forged buttons are refused.
    for forged in (
        ReviewCb(action=ReviewAction.TRANSFER, item_id=theirs.id),
        TransferCb(action=TransferAction.APPROVE, transfer_id=theirs.id),
        TransferCb(action=TransferAction.DECLINE, transfer_id=theirs.id),
    ):
        await chat.press(officer, forged)
        assert (_answer(chat).text, _answer(chat).show_alert) == (common_texts.NO_ACCESS, True)
    await session.refresh(foreign)
    assert foreign.due_date == date(2024, 3, 15)
    status = await session.scalar(
        select(TransferRequest.status).where(TransferRequest.id == theirs.id)
    )
    assert status == Status.PENDING

    # The regional officer sees both municipalities.
    await chat.press(tree.tg.officer, ReviewCb(action=ReviewAction.TRANSFERS))
    listing = chat.recording.last(EditMessageText).text
    assert "</b>: 2\n" in listing and "СОШ № 4 Мегион" in listing


async def test_transfers_are_paginated(chat, session, tree):
    for n in range(7):
        task = await add_task(session, tree.school, date(2024, 3, 15))
        await session.commit()
        await _request(session, tree.coordinator.id, task, f"Причина {n}", day=n + 1)
    officer = tree.tg.muni_officer

    await chat.press(officer, ReviewCb(action=ReviewAction.TRANSFERS))
    first = chat.recording.last(EditMessageText)
    assert "</b>: 7 · страница 1 из 2\n" in first.text
    assert "Причина 4" in first.text and "Причина 5" not in first.text
    labels = [label for label, _ in buttons_of(first)]
    assert labels[:5] == [f"{n}. МБОУ «СШ № 1» · Приказ о проведении ВПР" for n in range(1, 6)]
    assert labels[5:] == ["1/2", common_texts.BTN_NEXT, texts.BTN_TO_REVIEW]

    await chat.press(officer, ReviewCb(action=ReviewAction.TRANSFERS, page=1))
    second = chat.recording.last(EditMessageText)
    assert "страница 2 из 2" in second.text
    assert "6. <b>МБОУ «СШ № 1»</b>" in second.text and "Причина 6" in second.text
    assert [label for label, _ in buttons_of(second)][:2] == [
        "6. МБОУ «СШ № 1» · Приказ о проведении ВПР",
        "7. МБОУ «СШ № 1» · Приказ о проведении ВПР",
    ]


async def test_transfer_flow_in_chat(chat, ctx, session, tree):
    approved = await add_task(session, tree.school, date(2024, 3, 15))
    declined = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    coordinator, officer = tree.tg.coordinator, tree.tg.muni_officer
    now = at("2024-03-10 09:00")
    with time_machine.travel(now, tick=False):
        await chat.press(coordinator, TaskCb(action=TaskAction.TRANSFER, task_id=approved.id))
        assert (
            "Перенос срока" in chat.texts()[-1] and "Приказ о проведении ВПР" in chat.texts()[-1]
        )
        await chat.say(coordinator, "01.03.2024")
        assert chat.texts()[-1] == error_text("date_in_past")
        await chat.say(coordinator, "31.04.2024")
        assert chat.texts()[-1] == ptexts.impossible_date(2024, 4, 30)
        await chat.say(coordinator, "1 апреля")
        assert chat.texts()[-1] == texts.ASK_TRANSFER_REASON.format(date="01.04.2024 (пн)")
        await chat.say(coordinator, "Директор в отпуске")
        assert chat.texts()[-1] == texts.TRANSFER_SENT.format(date="01.04.2024")

        await tick(ctx, now)
        [notice] = _sent_to(chat, officer)
        assert "Просьба о переносе срока" in notice.text
        assert "Срок: 15.03.2024 → <b>01.04.2024</b>" in notice.text
        approve, decline = (data for _, data in buttons_of(notice))
        assert TransferCb.unpack(approve).action == TransferAction.APPROVE
        await chat.press(officer, approve)
        assert chat.recording.last(EditMessageText).text.endswith(
            texts.TRANSFER_APPROVED.format(date="01.04.2024")
        )
        await tick(ctx, now)
        told = chat.texts(coordinator)[-1]
        assert told == texts.TOLD_TRANSFER_APPROVED.format(
            title="Приказ о проведении ВПР", date="01.04.2024"
        )
        await session.refresh(approved)
        assert approved.due_date == date(2024, 4, 1)
        await chat.press(officer, decline)
        assert _answer(chat).text == error_text("transfer_decided")

        await chat.press(coordinator, TaskCb(action=TaskAction.TRANSFER, task_id=declined.id))
        await chat.say(coordinator, "20.03.2024")
        await chat.say(coordinator, "Болеет учитель")
        await tick(ctx, now)
        notice = _sent_to(chat, officer)[-1]
        assert "Болеет учитель" in notice.text
        await chat.press(officer, buttons_of(notice)[1][1])
        assert chat.recording.last(EditMessageText).text.endswith(texts.TRANSFER_DECLINED)
        await tick(ctx, now)
        assert chat.texts(coordinator)[-1] == texts.TOLD_TRANSFER_DECLINED.format(
            title="Приказ о проведении ВПР", date="15.03.2024"
        )
        await session.refresh(declined)
        assert declined.due_date == date(2024, 3, 15)


async def test_officers_outside_the_subtree_are_refused(chat, session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    view = await _submitted(session, tree, task, [DOC, PHOTO])
    transfer_task = await add_task(session, tree.school, date(2024, 3, 15))
    await session.commit()
    transfer = await _request(session, tree.coordinator.id, transfer_task)
    outsider = await add_person(session, tree.muni2, RoleKind.OFFICER, name="Мегионова Ольга")
    await session.commit()

    presses = [
        ReviewCb(action=ReviewAction.OPEN, item_id=view.id),
        ReviewCb(action=ReviewAction.RETURN, item_id=view.id),
        ReviewCb(action=ReviewAction.FILES, item_id=view.id),
        ReviewCb(action=ReviewAction.ACCEPT, item_id=view.id),
        ReviewCb(action=ReviewAction.TRANSFER, item_id=transfer.id),
        TransferCb(action=TransferAction.APPROVE, transfer_id=transfer.id),
        TransferCb(action=TransferAction.DECLINE, transfer_id=transfer.id),
    ]
    outsider_tg = await tg_id_of(session, outsider)
    for data in presses:
        await chat.press(outsider_tg, data)
        assert (_answer(chat).text, _answer(chat).show_alert) == (common_texts.NO_ACCESS, True)
    assert await chat.state(outsider_tg).get_state() is None
    assert chat.recording.of_type(SendDocument) == chat.recording.of_type(SendPhoto) == []
    assert chat.texts() == []
    await session.refresh(task)
    await session.refresh(transfer_task)
    assert task.status == TaskStatus.ON_REVIEW
    assert transfer_task.due_date == date(2024, 3, 15)

    # A coordinator does not reach the officer's buttons at all.
    await chat.press(tree.tg.coordinator, presses[-1])
    assert _answer(chat).text == common_texts.STALE_BUTTON


async def test_returned_task_is_reminded_again(chat, ctx, session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    view = await _submitted(session, tree, task)
    coordinator, officer = tree.tg.coordinator, tree.tg.muni_officer
    morning = at("2024-03-14 06:00")  # 09:00 in Moscow, the day before the deadline

    await tick(ctx, morning)
    assert chat.texts(coordinator) == [], "no reminders while the task is on review"

    await chat.press(officer, ReviewCb(action=ReviewAction.RETURN, item_id=view.id))
    assert chat.texts(officer)[-1] == texts.ASK_RETURN_COMMENT
    await chat.say(officer, "Нет подписи директора")
    assert chat.texts(officer)[-1] == texts.RETURNED
    await session.refresh(task)
    assert task.status == TaskStatus.RETURNED

    await tick(ctx, morning)
    [reminder] = chat.texts(coordinator)
    assert "Приказ о проведении ВПР" in reminder and "срок завтра" in reminder
    assert await session.scalar(select(Task.planned).where(Task.id == task.id))


async def test_own_requests_and_stale_reports_are_refused_with_an_alert(chat, session, tree):
    muni_task, school_task = await make_tasks(session, tree, [tree.muni, tree.school])
    own = await _request(session, tree.muni_officer.id, muni_task)
    await chat.press(
        tree.tg.muni_officer, TransferCb(action=TransferAction.APPROVE, transfer_id=own.id)
    )
    assert (_answer(chat).text, _answer(chat).show_alert) == (
        error_text("own_transfer"),
        True,
    )
    assert (await session.get(TransferRequest, own.id, populate_existing=True)).status == (
        Status.PENDING
    )

    stale = await _submitted(session, tree, school_task)
    # A duplicate that a race once let in, then the task closed on the newer report.
    newer = Confirmation(
        task_id=school_task.id, user_id=tree.coordinator.id, result=ConfirmationResult.DONE
    )
    session.add(newer)
    await session.commit()
    officer = await load_principal(session, tree.muni_officer.id)
    await svc.accept_confirmation(session, officer, newer.id)
    await chat.press(tree.tg.muni_officer, ReviewCb(action=ReviewAction.ACCEPT, item_id=stale.id))
    assert (_answer(chat).text, _answer(chat).show_alert) == (
        error_text("confirmation_outdated"),
        True,
    )
    task = await session.get(Task, school_task.id, populate_existing=True)
    assert task.status == TaskStatus.DONE
