"""Reports in chat: the progress note comes first and always ends in a result."""

from __future__ import annotations

import pytest
from aiogram.methods import EditMessageText, SendChatAction, SendDocument, SendPhoto

from bot import texts as common_texts
from bot.channels.telegram.callbacks.confirmations import ReportCb, ReportKind
from bot.texts import reports as texts
from bot.texts.summary import PREPARING_FAILED
from handlers.officer import reports as handler
from tests.support.chat import ChatDriver
from tests.support.recording import RecordingSession


@pytest.fixture
def recording(chat: ChatDriver) -> RecordingSession:
    return chat.recording


def calls(recording: RecordingSession) -> list[str]:
    return [type(request).__name__ for request in recording.requests]


@pytest.fixture
def seen_before_query(recording, monkeypatch) -> list[list[str]]:
    """What the bot had sent each time the report query started."""
    seen: list[list[str]] = []

    def recorded(build):
        async def recording_build(*args, **kwargs):
            seen.append(recording.sent_texts())
            return await build(*args, **kwargs)

        return recording_build

    # The workbook's query also gathers the hotline statistics.
    for name in ("build_report", "report_with_hotline"):
        monkeypatch.setattr(handler, name, recorded(getattr(handler, name)))
    return seen


async def test_progress_is_posted_before_the_query(chat, recording, tree, seen_before_query):
    await chat.press(tree.tg.officer, ReportCb(kind=ReportKind.XLSX, org_id=tree.region.id))
    assert seen_before_query == [[texts.PREPARING]]
    assert recording.last(SendChatAction).action == "upload_document"
    # Answer, note, then the file and the note's final edit.
    assert calls(recording)[:2] == ["AnswerCallbackQuery", "SendMessage"]
    assert calls(recording)[-2:] == ["SendDocument", "EditMessageText"]
    assert recording.last(EditMessageText).text == texts.READY


async def test_chart_shows_the_photo_action(chat, recording, tree):
    await chat.press(tree.tg.officer, ReportCb(kind=ReportKind.CHART, org_id=tree.region.id))
    assert recording.last(SendChatAction).action == "upload_photo"
    assert len(recording.of_type(SendPhoto)) == 1
    assert recording.last(EditMessageText).text == texts.READY


async def test_failed_build_edits_the_progress_note(chat, recording, tree, monkeypatch, caplog):
    def broken(report):
        raise RuntimeError("matplotlib exploded")

    monkeypatch.setattr(handler, "build_chart", broken)
    await chat.press(tree.tg.officer, ReportCb(kind=ReportKind.CHART, org_id=tree.region.id))
    assert recording.sent_texts() == [texts.PREPARING]
    assert recording.of_type(SendPhoto) == []
    assert recording.last(EditMessageText).text == PREPARING_FAILED
    assert "matplotlib exploded" in caplog.text


async def test_refused_report_edits_the_progress_note(chat, recording, tree):
    # A municipal officer asks for the other municipality's workbook.
    await chat.press(tree.tg.muni_officer, ReportCb(kind=ReportKind.XLSX, org_id=tree.muni2.id))
    assert recording.of_type(SendDocument) == []
    assert recording.last(EditMessageText).text == common_texts.NO_ACCESS


async def test_text_summary_shows_progress_then_takes_its_place(
    chat, recording, tree, seen_before_query
):
    await chat.press(tree.tg.officer, ReportCb(kind=ReportKind.SUMMARY, org_id=tree.region.id))
    assert seen_before_query == [[texts.PREPARING]]
    assert recording.last(SendChatAction).action == "typing"
    assert calls(recording)[:2] == ["AnswerCallbackQuery", "SendMessage"]
    assert calls(recording)[-1] == "EditMessageText"
    assert "Исполнительская дисциплина" in recording.last(EditMessageText).text

    await chat.press(tree.tg.officer, ReportCb(kind=ReportKind.OVERDUE, org_id=tree.region.id))
    assert recording.last(EditMessageText).text.startswith("<b>Просроченные задачи</b>")


async def test_a_long_summary_comes_in_several_messages(chat, recording, tree, monkeypatch):
    monkeypatch.setattr(handler, "render_summary_parts", lambda report: ["первая", "вторая"])
    await chat.press(tree.tg.officer, ReportCb(kind=ReportKind.SUMMARY, org_id=tree.region.id))
    assert recording.last(EditMessageText).text == "первая"
    assert recording.sent_texts() == [texts.PREPARING, "вторая"]


async def test_refused_summary_edits_the_progress_note(chat, recording, tree):
    await chat.press(tree.tg.muni_officer, ReportCb(kind=ReportKind.SUMMARY, org_id=tree.muni2.id))
    assert recording.sent_texts() == [texts.PREPARING]
    assert recording.last(EditMessageText).text == common_texts.NO_ACCESS
