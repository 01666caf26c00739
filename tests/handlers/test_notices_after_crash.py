"""The bot dies right after a use case commits: the next process still sends the notice, once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from types import ModuleType

import pytest
import time_machine
from aiogram.methods import SendMessage
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.confirmations import (
    ConfirmAction,
    ConfirmCb,
    ConfirmResultCb,
    ReviewAction,
    ReviewCb,
    TransferAction,
    TransferCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.enums import ConfirmationResult, OutboxStatus, RoleKind
from bot.services import confirmations, transfers
from bot.services.access import load_principal
from bot.texts import confirmations as texts
from scheduler.outbox import tick
from storage.models import (
    Confirmation,
    OutboxMessage,
    Role,
    Task,
    TransferRequest,
    User,
)
from tests.support.chat import ChatDriver, buttons_of
from tests.support.factories import add_school_task, add_telegram_user
from tests.support.outbox import Ctx

NOW = "2024-03-10T09:00:00+00:00"
TITLE = "Приказ о проведении ВПР"


@dataclass
class Told:
    """The notice the use case owes: to whom (Telegram chats), its text and its buttons."""

    chat_ids: list[int]
    text: str
    buttons: list[tuple[str, str]]


async def _task(session, tree) -> Task:
    return await add_school_task(session, tree, TITLE)


async def _reported(session: AsyncSession, tree, task: Task) -> int:
    coordinator = await load_principal(session, tree.coordinator.id)
    view = await confirmations.submit_confirmation(
        session, coordinator, task.id, ConfirmationResult.DONE, None, None, []
    )
    return view.id


async def _requested(session: AsyncSession, tree, task: Task) -> int:
    coordinator = await load_principal(session, tree.coordinator.id)
    view = await transfers.request_transfer(
        session, coordinator, task.id, date(2024, 4, 1), "Директор в отпуске", date(2024, 3, 10)
    )
    return view.id


async def _nothing(session: AsyncSession, tree, task: Task) -> int:
    return 0


COLLEAGUE = 201


class ProcessDied(BaseException):
    """Not an error the bot handles: the process is gone, as after a kill or a power cut."""


@dataclass
class UseCase:
    """A use case played in chat: the service it runs, what it needs first, what it owes."""

    service: tuple[ModuleType, str]
    prepare: Callable[[AsyncSession, object, Task], Awaitable[int]]
    act: Callable[[ChatDriver, object, Task, int], Awaitable[None]]
    told: Callable[[AsyncSession, object, Task, User, int], Awaitable[Told]]


def _officers(tree) -> list[int]:
    return [tree.tg.officer, tree.tg.muni_officer]


def _coordinators(tree, colleague: User) -> list[int]:
    return [tree.tg.coordinator, COLLEAGUE]


async def _submit(chat: ChatDriver, tree, task: Task, _: int) -> None:
    user = tree.tg.coordinator
    await chat.press(user, TaskCb(action=TaskAction.CONFIRM, task_id=task.id))
    await chat.press(user, ConfirmResultCb(result=ConfirmationResult.DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.EVIDENCE_DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.NO_COMMENT))
    await chat.press(user, ConfirmCb(action=ConfirmAction.SEND))


async def _submitted(session: AsyncSession, tree, task: Task, colleague: User, _: int) -> Told:
    confirmation_id = await session.scalar(
        select(Confirmation.id).where(Confirmation.task_id == task.id)
    )
    text = texts.NEW_CONFIRMATION.format(
        org="МБОУ «СШ № 1»", title=TITLE, result="выполнено", who="Петрова Анна"
    )
    opened = ReviewCb(action=ReviewAction.OPEN, item_id=confirmation_id).pack()
    return Told(_officers(tree), text, [(texts.BTN_OPEN_REVIEW, opened)])


async def _accept(chat: ChatDriver, tree, task: Task, confirmation_id: int) -> None:
    officer = tree.tg.muni_officer
    await chat.press(officer, ReviewCb(action=ReviewAction.ACCEPT, item_id=confirmation_id))


async def _accepted(session: AsyncSession, tree, task: Task, colleague: User, _: int) -> Told:
    return Told(_coordinators(tree, colleague), texts.TOLD_ACCEPTED.format(title=TITLE), [])


async def _return(chat: ChatDriver, tree, task: Task, confirmation_id: int) -> None:
    officer = tree.tg.muni_officer
    await chat.press(officer, ReviewCb(action=ReviewAction.RETURN, item_id=confirmation_id))
    await chat.say(officer, "Нет подписи директора")


async def _returned(session: AsyncSession, tree, task: Task, colleague: User, _: int) -> Told:
    text = texts.TOLD_RETURNED.format(title=TITLE, comment="Нет подписи директора")
    again = TaskCb(action=TaskAction.CONFIRM, task_id=task.id).pack()
    return Told(_coordinators(tree, colleague), text, [(texts.BTN_CONFIRM_AGAIN, again)])


async def _request(chat: ChatDriver, tree, task: Task, _: int) -> None:
    user = tree.tg.coordinator
    await chat.press(user, TaskCb(action=TaskAction.TRANSFER, task_id=task.id))
    await chat.say(user, "01.04.2024")
    await chat.say(user, "Директор в отпуске")


async def _requested_told(
    session: AsyncSession, tree, task: Task, colleague: User, _: int
) -> Told:
    transfer_id = await session.scalar(
        select(TransferRequest.id).where(TransferRequest.task_id == task.id)
    )
    text = texts.transfer_request(
        "МБОУ «СШ № 1»",
        TITLE,
        date(2024, 3, 15),
        date(2024, 4, 1),
        "Директор в отпуске",
        "Петрова Анна",
    )
    decision = [
        (texts.BTN_APPROVE, TransferCb(action=TransferAction.APPROVE, transfer_id=transfer_id)),
        (texts.BTN_DECLINE, TransferCb(action=TransferAction.DECLINE, transfer_id=transfer_id)),
    ]
    return Told(_officers(tree), text, [(label, data.pack()) for label, data in decision])


async def _approve(chat: ChatDriver, tree, task: Task, transfer_id: int) -> None:
    officer = tree.tg.muni_officer
    await chat.press(officer, TransferCb(action=TransferAction.APPROVE, transfer_id=transfer_id))


async def _approved(session: AsyncSession, tree, task: Task, colleague: User, _: int) -> Told:
    text = texts.TOLD_TRANSFER_APPROVED.format(title=TITLE, date="01.04.2024")
    return Told(_coordinators(tree, colleague), text, [])


async def _decline(chat: ChatDriver, tree, task: Task, transfer_id: int) -> None:
    officer = tree.tg.muni_officer
    await chat.press(officer, TransferCb(action=TransferAction.DECLINE, transfer_id=transfer_id))


async def _declined(session: AsyncSession, tree, task: Task, colleague: User, _: int) -> Told:
    text = texts.TOLD_TRANSFER_DECLINED.format(title=TITLE, date="15.03.2024")
    return Told(_coordinators(tree, colleague), text, [])


USE_CASES = {
    "submit": UseCase((confirmations, "submit_confirmation"), _nothing, _submit, _submitted),
    "accept": UseCase((confirmations, "accept_confirmation"), _reported, _accept, _accepted),
    "return": UseCase((confirmations, "return_confirmation"), _reported, _return, _returned),
    "request": UseCase((transfers, "request_transfer"), _nothing, _request, _requested_told),
    "approve": UseCase((transfers, "decide_transfer"), _requested, _approve, _approved),
    "decline": UseCase((transfers, "decide_transfer"), _requested, _decline, _declined),
}


def _dies_after(monkeypatch: pytest.MonkeyPatch, module: ModuleType, name: str) -> None:
    """The service commits and returns; the process dies before the handler goes on."""
    service = getattr(module, name)

    async def then_die(*args, **kwargs):
        await service(*args, **kwargs)
        raise ProcessDied

    monkeypatch.setattr(module, name, then_die)


def _notices_to(chat: ChatDriver, told: Told) -> list[SendMessage]:
    return [
        m
        for m in chat.recording.of_type(SendMessage)
        if m.chat_id in told.chat_ids and m.text == told.text
    ]


async def _pending_notices(session_factory) -> int:
    async with session_factory() as fresh:
        query = select(OutboxMessage).where(OutboxMessage.kind == "notice")
        rows = (await fresh.scalars(query)).all()
    return sum(row.status == OutboxStatus.PENDING for row in rows)


@pytest.mark.parametrize("name", list(USE_CASES))
async def test_notice_of_a_use_case_survives_the_process_dying_after_its_commit(
    settings, session_factory, session, tree, monkeypatch, name
):
    case = USE_CASES[name]
    colleague = await add_telegram_user(session, COLLEAGUE, "Сидоров Олег")
    session.add(Role(user_id=colleague.id, role=RoleKind.COORDINATOR, org_id=tree.school.id))
    task = await _task(session, tree)

    with time_machine.travel(NOW, tick=False):
        object_id = await case.prepare(session, tree, task)
        queued = await _pending_notices(session_factory)
        doomed = ChatDriver(settings, session_factory)
        # Waking the outbox only asks for a tick; none runs before the process dies.
        doomed.dp["wake_outbox"] = lambda: None
        with monkeypatch.context() as patch:
            _dies_after(patch, *case.service)
            with pytest.raises(ProcessDied):
                await case.act(doomed, tree, task, object_id)
        told = await case.told(session, tree, task, colleague, object_id)
        assert _notices_to(doomed, told) == []
        assert await _pending_notices(session_factory) == queued + len(told.chat_ids)
        del doomed

        reborn = ChatDriver(settings, session_factory)
        process = Ctx(settings, session_factory, reborn.bot)
        await tick(process)
        again = await tick(process)

    sent = _notices_to(reborn, told)
    assert sorted(m.chat_id for m in sent) == sorted(told.chat_ids)
    for message in sent:
        assert (buttons_of(message) if message.reply_markup else []) == told.buttons
    assert again.claimed == 0
    assert await _pending_notices(session_factory) == 0
