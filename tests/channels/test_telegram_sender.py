"""The Telegram sender: neutral messages rendered into Bot API calls, API errors into outcomes."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import (
    SendDocument,
    SendMediaGroup,
    SendMessage,
    SendPhoto,
    SendVoice,
    TelegramMethod,
)

from bot.channels.telegram.sender import TelegramSender
from bot.domain.delivery import ChannelRevoked, Outcome
from bot.domain.messages import (
    Action,
    ActionKind,
    Address,
    Attachment,
    Button,
    OutgoingMessage,
    single,
)
from tests.support.recording import RecordingSession, make_bot

PRIVATE = Address("telegram", "200")
TOPIC = Address("telegram", "-1001234", thread_id=42)
CONFIRM = single("✅ Отметить выполнение", ActionKind.CONFIRM_TASK, 5)


@pytest.fixture
def recording() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def sender(recording) -> TelegramSender:
    return TelegramSender(make_bot(recording))


def calls(recording: RecordingSession) -> list[str]:
    return [type(request).__name__ for request in recording.requests]


async def test_a_text_with_buttons_is_one_message_with_callback_buttons(sender, recording):
    message = OutgoingMessage(
        "Срок сегодня",
        (
            *CONFIRM,
            (Button("📋 Все мои задачи", Action(ActionKind.LIST_TASKS)),),
            (Button("Сайт", url="https://example.org"),),
        ),
    )

    result = await sender.send(PRIVATE, message, 1)

    assert result.outcome is Outcome.SENT and result.message_id is not None
    sent = recording.last(SendMessage)
    assert (sent.chat_id, sent.text, sent.message_thread_id) == (200, "Срок сегодня", None)
    keyboard = sent.reply_markup.inline_keyboard
    assert [b.callback_data for b in (keyboard[0][0], keyboard[1][0])] == [
        "tk:done:5:0",
        "tk:list:0:0",
    ]
    assert keyboard[2][0].url == "https://example.org"


async def test_a_thread_address_sends_into_the_forum_topic(sender, recording):
    files = (Attachment("photo", "PHOTO1"), Attachment("photo", "PHOTO2"))

    await sender.send(TOPIC, OutgoingMessage("Вопрос №5", attachments=files), 1)

    assert calls(recording) == ["SendMediaGroup"]
    album = recording.last(SendMediaGroup)
    assert (album.chat_id, album.message_thread_id) == (-1001234, 42)
    assert [item.caption for item in album.media] == ["Вопрос №5", None]


async def test_one_file_takes_the_text_as_caption_and_the_buttons(sender, recording):
    message = OutgoingMessage("Протокол", CONFIRM, (Attachment("document", "DOC1", "p.pdf"),))

    await sender.send(PRIVATE, message, 1)

    assert calls(recording) == ["SendDocument"]
    document = recording.last(SendDocument)
    assert (document.document, document.caption) == ("DOC1", "Протокол")
    assert document.reply_markup.inline_keyboard[0][0].callback_data == "tk:done:5:0"


async def test_a_text_too_long_for_a_caption_goes_first_on_its_own(sender, recording):
    text = "Очень длинный ответ. " * 60
    message = OutgoingMessage(text, CONFIRM, (Attachment("photo", "PHOTO1"),))

    await sender.send(PRIVATE, message, 1)

    assert calls(recording) == ["SendMessage", "SendPhoto"]
    assert recording.last(SendMessage).text == text
    assert recording.last(SendMessage).reply_markup is not None
    assert recording.last(SendPhoto).caption is None


async def test_several_files_go_in_albums_of_kinds_that_mix_and_buttons_in_the_text(
    sender, recording
):
    files = (
        *(Attachment("photo", f"PHOTO{n}") for n in range(11)),
        Attachment("document", "DOC1"),
        Attachment("document", "DOC2"),
        Attachment("voice", "VOICE1"),
    )

    result = await sender.send(PRIVATE, OutgoingMessage("Фото", CONFIRM, files), 1)

    assert calls(recording) == [
        "SendMessage",
        "SendMediaGroup",
        "SendPhoto",
        "SendMediaGroup",
        "SendVoice",
    ]
    albums = recording.of_type(SendMediaGroup)
    assert [len(album.media) for album in albums] == [10, 2]
    assert [item.type for item in albums[1].media] == ["document", "document"]
    assert recording.last(SendPhoto).photo == "PHOTO10"
    assert recording.last(SendVoice).voice == "VOICE1"
    # The message is known by its first part, the text with the buttons.
    assert result.message_id == recording.requests.index(recording.last(SendMessage)) + 1


@pytest.mark.parametrize(
    ("status", "description", "outcome"),
    [
        (403, "Forbidden: bot was blocked by the user", Outcome.BLOCKED),
        (403, "Forbidden: user is deactivated", Outcome.BLOCKED),
        (403, "Forbidden: bot was kicked from the supergroup chat", Outcome.BLOCKED),
        (400, "Bad Request: chat not found", Outcome.BLOCKED),
        (400, "Bad Request: message thread not found", Outcome.THREAD_GONE),
        (400, "Bad Request: TOPIC_CLOSED", Outcome.THREAD_GONE),
        (400, "Bad Request: can't parse entities", Outcome.FAILED),
    ],
)
async def test_final_errors_map_to_their_outcome(sender, recording, status, description, outcome):
    recording.fail_next(SendMessage, status=status, description=description)

    result = await sender.send(TOPIC, OutgoingMessage("Ответ"), 1)

    assert (result.outcome, result.error, result.retry_in) == (outcome, description, None)


async def test_a_flood_wait_is_retried_after_exactly_retry_after(sender, recording):
    recording.fail_next(SendMessage, status=429, retry_after=17)

    result = await sender.send(PRIVATE, OutgoingMessage("Ответ"), 3)

    assert (result.outcome, result.retry_in, result.counts_as_attempt) == (
        Outcome.RETRY,
        17,
        False,
    )


@pytest.mark.parametrize("status", [500, 502])
async def test_server_errors_are_retried_with_backoff_without_end(sender, recording, status):
    recording.fail_next(SendMessage, status=status)

    result = await sender.send(PRIVATE, OutgoingMessage("Ответ"), 100)

    # The outbox, not the sender, decides when retries end.
    assert (result.outcome, result.counts_as_attempt) == (Outcome.RETRY, True)
    assert 3600 <= (result.retry_in or 0) <= 3600 * 1.1


def failing(exc: Exception):
    def answer(method: TelegramMethod) -> None:
        raise exc

    return answer


@pytest.mark.parametrize(
    "exc",
    [TimeoutError(), TelegramNetworkError(method=SendMessage(chat_id=1, text="x"), message="x")],
)
async def test_timeouts_and_network_errors_are_retried(sender, recording, exc):
    recording.set_result(SendMessage, failing(exc))

    result = await sender.send(PRIVATE, OutgoingMessage("Ответ"), 2)

    assert result.outcome is Outcome.RETRY and 10 <= (result.retry_in or 0) <= 11
    assert type(exc).__name__ in (result.error or "")


async def test_a_revoked_token_is_the_channel_refusing_everything(sender, recording):
    recording.fail_next(SendMessage, status=401)

    with pytest.raises(ChannelRevoked):
        await sender.send(PRIVATE, OutgoingMessage("Ответ"), 1)
