"""The coordinator's confirmation form in chat: forged buttons, albums, file checks, editing."""

from __future__ import annotations

import asyncio

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText
from fakeredis.aioredis import FakeRedis
from sqlalchemy import select

from bot import texts as common_texts
from bot.channels.telegram.callbacks.confirmations import (
    ConfirmAction,
    ConfirmCb,
    ConfirmResultCb,
    ConfirmStep,
    ConfirmStepCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.channels.telegram.fsm import MergingRedisStorage
from bot.domain.enums import ConfirmationResult, TaskStatus
from bot.texts import confirmations as texts
from handlers.coordinator.confirm import evidence
from handlers.coordinator.confirm.common import ConfirmForm
from storage.models import Confirmation, Evidence
from tests.support.chat import ChatDriver
from tests.support.factories import make_tasks
from tests.support.redis import SlowConnection
from tests.support.updates import media_update, photo_update


@pytest.fixture
async def task(session, tree):
    (task,) = await make_tasks(session, tree, [tree.school])
    return task


async def _to_evidence(chat: ChatDriver, user: int, task_id: int) -> None:
    await chat.press(user, TaskCb(action=TaskAction.CONFIRM, task_id=task_id))
    await chat.press(user, ConfirmResultCb(result=ConfirmationResult.DONE))
    assert chat.texts()[-1] == texts.ASK_EVIDENCE


async def _to_summary(chat: ChatDriver, user: int, task_id: int) -> None:
    await _to_evidence(chat, user, task_id)
    await chat.document(user, "приказ.pdf", mime_type="application/pdf")
    await chat.press(user, ConfirmCb(action=ConfirmAction.EVIDENCE_DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.NO_COMMENT))
    assert "Проверьте отметку" in chat.texts()[-1]


def _answers(chat: ChatDriver) -> list[AnswerCallbackQuery]:
    return chat.recording.of_type(AnswerCallbackQuery)


async def test_forged_choices_are_stale_buttons_not_errors(chat, tree, task):
    user = tree.tg.coordinator
    await chat.press(user, TaskCb(action=TaskAction.CONFIRM, task_id=task.id))
    for forged in ("cfr:zz", "cfr:", "cf:res:done", "cfr:done:1"):
        await chat.press(user, forged)
        answer = _answers(chat)[-1]
        assert (answer.text, answer.show_alert) == (common_texts.STALE_BUTTON, True), forged
    assert await chat.state(user).get_state() == ConfirmForm.result.state

    await chat.press(user, ConfirmResultCb(result=ConfirmationResult.DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.EVIDENCE_DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.NO_COMMENT))
    for forged in ("cf:go:zz", "cfs:zz", "cfs:", "cf:zz"):
        await chat.press(user, forged)
        answer = _answers(chat)[-1]
        assert (answer.text, answer.show_alert) == (common_texts.STALE_BUTTON, True), forged
    assert await chat.state(user).get_state() == ConfirmForm.summary.state
    assert common_texts.ERROR not in chat.texts() + [a.text for a in _answers(chat)]


async def test_album_is_acknowledged_once_with_its_full_count(chat, tree, task, monkeypatch):
    monkeypatch.setattr(evidence, "ALBUM_WAIT", 0.3)
    user = tree.tg.coordinator
    await _to_evidence(chat, user, task.id)
    await chat.document(user, "приказ.pdf", mime_type="application/pdf")

    async def part(n: int, delay: float) -> None:
        await asyncio.sleep(delay)
        await chat.feed(photo_update(user, f"PHOTO{n}", media_group_id="album-7"))

    # The third part comes after the first one's wait would have ended.
    await asyncio.gather(part(1, 0), part(2, 0.2), part(3, 0.4))

    acks = [t for t in chat.texts() if t.startswith("📎 Добавлен альбом")]
    assert acks == ["📎 Добавлен альбом: 3 вложения. Всего вложений: 4."]
    data = await chat.state(user).get_data()
    assert len([k for k, v in data.items() if k.startswith("ev.") and v]) == 4


async def test_album_parts_at_once_all_stay_with_redis(settings, session_factory, tree, task):
    storage = MergingRedisStorage(redis=FakeRedis(connection_class=SlowConnection))
    chat = ChatDriver(settings, session_factory, storage)
    user = tree.tg.coordinator
    await _to_evidence(chat, user, task.id)
    await asyncio.gather(
        *(chat.feed(photo_update(user, f"PH{n}", media_group_id="a1")) for n in range(5))
    )
    acks = [t for t in chat.texts() if t.startswith("📎 Добавлен альбом")]
    assert acks == ["📎 Добавлен альбом: 5 вложений. Всего вложений: 5."]
    await storage.close()


async def test_document_types_sizes_and_media_are_checked(chat, session, tree, task):
    user = tree.tg.coordinator
    await _to_evidence(chat, user, task.id)
    await chat.document(user, "приказ.pdf", mime_type="application/pdf")
    assert chat.texts()[-1].startswith("📎 Добавлено: 📄 приказ.pdf")

    refused = {
        "setup.exe": "application/x-msdownload",
        "приказ.pdf.exe": None,
        "fake.pdf": "application/x-msdownload",
        "script.js": "text/javascript",
    }
    for name, mime in refused.items():
        await chat.document(user, name, mime_type=mime)
        assert chat.texts()[-1] == texts.BAD_DOCUMENT_TYPE.format(
            name=name, types=texts.ACCEPTED_TYPES, total=1
        )
    assert "Принимаются PDF, DOC, DOCX" in chat.texts()[-1]

    await chat.document(user, "big.pdf", mime_type="application/pdf", file_size=25 * 1024 * 1024)
    assert chat.texts()[-1] == texts.FILE_TOO_BIG.format(name="big.pdf")
    assert "больше 20 МБ" in chat.texts()[-1]
    await chat.feed(media_update(user, video=_video()))
    assert chat.texts()[-1] == texts.UNSUPPORTED
    await chat.feed(media_update(user, sticker=_sticker()))
    assert chat.texts()[-1] == texts.UNSUPPORTED

    for name, mime in (("Таблица.XLSX", None), ("сканы.zip", "application/zip")):
        await chat.document(user, name, mime_type=mime)
    assert chat.texts()[-1].endswith("Всего вложений: 3.")

    await chat.press(user, ConfirmCb(action=ConfirmAction.EVIDENCE_DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.NO_COMMENT))
    await chat.press(user, ConfirmCb(action=ConfirmAction.SEND))
    assert chat.texts()[-1] == texts.SENT
    names = (await session.scalars(select(Evidence.name).order_by(Evidence.id))).all()
    assert names == ["приказ.pdf", "Таблица.XLSX", "сканы.zip"]


async def test_a_video_sent_as_a_file_as_advised_is_accepted(chat, session, tree, task):
    user = tree.tg.coordinator
    await _to_evidence(chat, user, task.id)
    await chat.feed(media_update(user, video=_video()))
    assert "пришлите файлом" in chat.texts()[-1]
    await chat.document(user, "урок.mp4", mime_type="video/mp4", file_size=8 * 1024 * 1024)
    assert chat.texts()[-1].startswith("📎 Добавлено: 📄 урок.mp4")
    await chat.document(user, "IMG_0412.MOV", mime_type="video/quicktime")
    assert chat.texts()[-1].endswith("Всего вложений: 2.")
    await chat.document(
        user, "весь урок.mov", mime_type="video/quicktime", file_size=21 * 1024 * 1024
    )
    assert chat.texts()[-1] == texts.FILE_TOO_BIG.format(name="весь урок.mov")

    await chat.press(user, ConfirmCb(action=ConfirmAction.EVIDENCE_DONE))
    await chat.press(user, ConfirmCb(action=ConfirmAction.NO_COMMENT))
    await chat.press(user, ConfirmCb(action=ConfirmAction.SEND))
    assert chat.texts()[-1] == texts.SENT
    names = (await session.scalars(select(Evidence.name).order_by(Evidence.id))).all()
    assert names == ["урок.mp4", "IMG_0412.MOV"]


def _video() -> dict:
    return {
        "file_id": "VID1",
        "file_unique_id": "uVID1",
        "width": 640,
        "height": 480,
        "duration": 5,
    }


def _sticker() -> dict:
    return {
        "file_id": "ST1",
        "file_unique_id": "uST1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }


async def test_summary_steps_can_be_edited_and_evidence_cleared(chat, session, tree, task):
    user = tree.tg.coordinator
    await _to_summary(chat, user, task.id)
    assert "приказ.pdf" in chat.texts()[-1]

    await chat.press(user, ConfirmCb(action=ConfirmAction.EDIT))
    assert isinstance(chat.recording.requests[-1], EditMessageReplyMarkup)
    assert [label for label, _ in chat.last_buttons()] == [
        texts.BTN_EDIT_RESULT,
        texts.BTN_EDIT_EVIDENCE,
        texts.BTN_EDIT_COMMENT,
        texts.BTN_BACK_TO_SUMMARY,
    ]
    await chat.press(user, ConfirmCb(action=ConfirmAction.SUMMARY))
    assert [label for label, _ in chat.last_buttons()] == [
        texts.BTN_SEND,
        texts.BTN_EDIT,
        texts.BTN_CANCEL,
    ]

    await chat.press(user, ConfirmStepCb(step=ConfirmStep.RESULT))
    assert chat.texts()[-1] == texts.ASK_RESULT_AGAIN
    await chat.press(user, ConfirmResultCb(result=ConfirmationResult.PARTIAL))
    assert chat.texts()[-1].startswith("Вы выбрали «выполнено частично»")
    await chat.say(user, "Директор подпишет после отпуска")
    summary = chat.texts()[-1]
    assert "Статус: <b>выполнено частично</b>" in summary
    assert "Причина: Директор подпишет после отпуска" in summary

    await chat.press(user, ConfirmStepCb(step=ConfirmStep.EVIDENCE))
    assert chat.texts()[-1] == texts.ASK_EVIDENCE
    assert [label for label, _ in chat.last_buttons()] == [
        texts.BTN_EVIDENCE_DONE,
        texts.BTN_CLEAR_EVIDENCE,
    ]
    await chat.press(user, ConfirmCb(action=ConfirmAction.CLEAR))
    assert chat.recording.last(EditMessageText).text == texts.EVIDENCE_CLEARED
    assert [label for label, _ in chat.last_buttons()] == [texts.BTN_NO_EVIDENCE]
    await chat.press(user, ConfirmCb(action=ConfirmAction.EVIDENCE_DONE))
    assert "Вложения: нет" in chat.texts()[-1]

    await chat.press(user, ConfirmStepCb(step=ConfirmStep.COMMENT))
    assert chat.texts()[-1] == texts.ASK_COMMENT
    await chat.say(user, "Фото стенда пришлю позже")
    assert "Комментарий: Фото стенда пришлю позже" in chat.texts()[-1]

    await chat.press(user, ConfirmCb(action=ConfirmAction.SEND))
    assert chat.texts()[-1] == texts.SENT
    confirmation = (await session.scalars(select(Confirmation))).one()
    assert confirmation.result == ConfirmationResult.PARTIAL
    assert confirmation.reason == "Директор подпишет после отпуска"
    assert confirmation.comment == "Фото стенда пришлю позже"
    assert (await session.scalars(select(Evidence))).all() == []
    await session.refresh(task)
    assert task.status == TaskStatus.ON_REVIEW
