"""Limiter middleware on a real Bot with a recording session, and delivery classification."""

from datetime import UTC, datetime

import aiohttp
import fakeredis
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramMigrateToChat,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendChatAction,
    SendMessage,
)
from aiogram.types import Chat, Message, MessageId

from bot.channels.telegram.sending import LimiterMiddleware, deliver
from bot.domain.delivery import BACKOFF_CAP, DeliveryResult, Outcome, backoff
from scheduler.limiter import RateLimiter, RedisRateLimiter
from tests.support.clock import VirtualClock
from tests.support.recording import RecordingSession

TOKEN = "42:TEST-token"
METHOD = SendMessage(chat_id=1, text="x")


def make_message(chat_id: int, message_id: int = 100) -> Message:
    chat = Chat(id=chat_id, type="private" if chat_id > 0 else "supergroup")
    return Message(message_id=message_id, date=datetime.now(UTC), chat=chat, text="x")


class SpyLimiter(RateLimiter):
    def __init__(self) -> None:
        super().__init__()
        self.acquired: list[int | str] = []
        self.penalties: list[tuple[int | str | None, float]] = []

    async def acquire(self, chat_id: int | str, *, max_wait: float | None = None) -> None:
        self.acquired.append(chat_id)

    def penalize(self, chat_id: int | str | None, seconds: float) -> None:
        self.penalties.append((chat_id, seconds))


@pytest.fixture
def session() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def spy() -> SpyLimiter:
    return SpyLimiter()


@pytest.fixture
def bot(session: RecordingSession, spy: SpyLimiter) -> Bot:
    bot = Bot(TOKEN, session=session)
    bot.session.middleware(LimiterMiddleware(spy))
    return bot


async def test_sends_and_edits_pass_the_limiter(
    bot: Bot, session: RecordingSession, spy: SpyLimiter
) -> None:
    await bot.send_message(chat_id=5, text="hi")
    await bot.edit_message_text(text="edited", chat_id=-100, message_id=1)

    assert spy.acquired == [5, -100]
    assert len(session.requests) == 2


async def test_chat_actions_inline_edits_and_non_sending_methods_are_exempt(
    bot: Bot, session: RecordingSession, spy: SpyLimiter
) -> None:
    await bot(SendChatAction(chat_id=5, action="typing"))
    await bot(AnswerCallbackQuery(callback_query_id="1"))
    await bot(EditMessageText(text="x", inline_message_id="abc"))

    assert spy.acquired == []
    assert len(session.requests) == 3


async def test_a_reply_waits_out_a_short_flood_and_is_sent_again(
    bot: Bot, session: RecordingSession, spy: SpyLimiter
) -> None:
    session.fail_with.append(
        TelegramRetryAfter(method=METHOD, message="Too Many Requests", retry_after=17)
    )

    sent = await bot.send_message(chat_id=5, text="hi")

    assert sent.chat.id == 5
    assert spy.penalties == [(5, 17)]
    assert spy.acquired == [5, 5]
    assert len(session.requests) == 2


async def test_a_long_flood_wait_propagates(
    bot: Bot, session: RecordingSession, spy: SpyLimiter
) -> None:
    session.fail_with.append(
        TelegramRetryAfter(method=METHOD, message="Too Many Requests", retry_after=600)
    )

    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(chat_id=5, text="hi")

    assert spy.penalties == [(5, 600)]
    assert len(session.requests) == 1


async def test_outbox_deliveries_are_not_retried_by_the_middleware(
    bot: Bot, session: RecordingSession, spy: SpyLimiter
) -> None:
    session.fail_with.append(
        TelegramRetryAfter(method=METHOD, message="Too Many Requests", retry_after=17)
    )

    result = await deliver(lambda: bot.send_message(chat_id=5, text="hi"), attempt=1)

    assert (result.outcome, result.retry_in) == (Outcome.RETRY, 17)
    assert spy.penalties == [(5, 17)]
    assert len(session.requests) == 1


async def test_other_errors_do_not_penalize(
    bot: Bot, session: RecordingSession, spy: SpyLimiter
) -> None:
    session.fail_with.append(TelegramForbiddenError(method=METHOD, message="bot was blocked"))

    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(chat_id=5, text="hi")

    assert spy.penalties == []


async def test_real_limiter_spaces_sends_to_one_chat(session: RecordingSession) -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    bot = Bot(TOKEN, session=session)
    bot.session.middleware(LimiterMiddleware(limiter))

    async def send(chat_id: int) -> float:
        await bot.send_message(chat_id=chat_id, text="hi")
        return clock.now

    times = await clock.run(send(1), send(1), send(2))

    assert times[:2] == pytest.approx([0.0, 1.0])
    assert times[2] < 0.1


async def test_real_limiter_honours_retry_after_on_the_next_send(
    session: RecordingSession,
) -> None:
    clock = VirtualClock()
    limiter = RateLimiter(clock=clock, sleep=clock.sleep)
    bot = Bot(TOKEN, session=session)
    bot.session.middleware(LimiterMiddleware(limiter))
    session.fail_with.append(TelegramRetryAfter(method=METHOD, message="Too Many", retry_after=9))

    async def send_after_flood() -> float:
        await bot.send_message(chat_id=1, text="hi")
        return clock.now

    assert await clock.run(send_after_flood()) == [9.0]
    assert len(session.requests) == 2


async def test_redis_limiter_pause_is_recorded_by_the_middleware(
    session: RecordingSession,
) -> None:
    clock = VirtualClock()
    limiter = RedisRateLimiter(fakeredis.FakeAsyncRedis(), clock=clock, sleep=clock.sleep)
    bot = Bot(TOKEN, session=session)
    bot.session.middleware(LimiterMiddleware(limiter))
    session.fail_with.append(TelegramRetryAfter(method=METHOD, message="Too Many", retry_after=4))

    async def send_after_flood() -> float:
        await bot.send_message(chat_id=1, text="hi")
        return clock.now

    assert await clock.run(send_after_flood()) == [4.0]
    assert len(session.requests) == 2


async def returning(value: object) -> object:
    return value


def raising(exc: BaseException):
    async def send() -> object:
        raise exc

    return send


async def test_sent_with_message_id() -> None:
    result = await deliver(lambda: returning(make_message(1, message_id=7)), attempt=1)

    assert result == DeliveryResult(Outcome.SENT, message_id=7)


async def test_sent_album_takes_first_message_id() -> None:
    album = [make_message(1, message_id=11), make_message(1, message_id=12)]

    result = await deliver(lambda: returning(album), attempt=1)

    assert result.outcome is Outcome.SENT and result.message_id == 11


@pytest.mark.parametrize("value", [True, MessageId(message_id=3), []])
async def test_sent_without_message(value: object) -> None:
    result = await deliver(lambda: returning(value), attempt=1)

    assert result.outcome is Outcome.SENT
    assert result.message_id == (3 if isinstance(value, MessageId) else None)


async def test_retry_after_is_honoured_exactly_and_not_counted() -> None:
    exc = TelegramRetryAfter(method=METHOD, message="Too Many Requests", retry_after=3)

    result = await deliver(raising(exc), attempt=8, max_attempts=8)

    assert result.outcome is Outcome.RETRY
    assert result.retry_in == 3
    assert result.counts_as_attempt is False


async def test_forbidden_is_blocked() -> None:
    exc = TelegramForbiddenError(method=METHOD, message="Forbidden: bot was blocked by the user")

    result = await deliver(raising(exc), attempt=1)

    assert result.outcome is Outcome.BLOCKED
    assert result.retry_in is None
    assert "blocked" in (result.error or "")


@pytest.mark.parametrize(
    "message", ["Bad Request: chat not found", "Bad Request: user is deactivated"]
)
async def test_gone_recipient_bad_requests_are_blocked(message: str) -> None:
    result = await deliver(raising(TelegramBadRequest(method=METHOD, message=message)), 1)

    assert result.outcome is Outcome.BLOCKED


async def test_other_bad_request_is_permanent_failure_with_text() -> None:
    exc = TelegramBadRequest(method=METHOD, message="Bad Request: can't parse entities")

    result = await deliver(raising(exc), attempt=1)

    assert result == DeliveryResult(Outcome.FAILED, error="Bad Request: can't parse entities")


@pytest.mark.parametrize(
    "exc",
    [
        TelegramMigrateToChat(method=METHOD, message="migrated", migrate_to_chat_id=-1002),
        TelegramEntityTooLarge(method=METHOD, message="Request Entity Too Large"),
    ],
)
async def test_permanent_errors_fail_without_retry(exc: Exception) -> None:
    result = await deliver(raising(exc), attempt=1)

    assert result.outcome is Outcome.FAILED
    assert result.error


TRANSIENT = [
    TelegramServerError(method=METHOD, message="Internal Server Error"),
    TelegramNetworkError(method=METHOD, message="Request timeout error"),
    TimeoutError(),
    aiohttp.ClientConnectionError("connection reset"),
]


@pytest.mark.parametrize("exc", TRANSIENT)
async def test_transient_errors_retry_with_backoff(exc: Exception) -> None:
    result = await deliver(raising(exc), attempt=2, max_attempts=8)

    assert result.outcome is Outcome.RETRY
    assert result.counts_as_attempt is True
    assert 10.0 <= (result.retry_in or 0) <= 11.0
    assert type(exc).__name__ in (result.error or "")


@pytest.mark.parametrize("exc", TRANSIENT)
async def test_transient_errors_fail_at_max_attempts_with_error_kept(exc: Exception) -> None:
    result = await deliver(raising(exc), attempt=8, max_attempts=8)

    assert result.outcome is Outcome.FAILED
    assert result.retry_in is None
    assert type(exc).__name__ in (result.error or "")


async def test_unexpected_errors_propagate() -> None:
    exc = TelegramUnauthorizedError(method=METHOD, message="Unauthorized")

    with pytest.raises(TelegramUnauthorizedError):
        await deliver(raising(exc), attempt=1)


@pytest.mark.parametrize(("attempt", "base"), [(0, 5), (1, 5), (2, 10), (3, 20), (5, 80)])
def test_backoff_doubles_with_small_jitter(attempt: int, base: float) -> None:
    delays = [backoff(attempt) for _ in range(50)]

    assert all(base <= delay <= base * 1.1 for delay in delays)


def test_backoff_is_capped_at_an_hour() -> None:
    assert all(backoff(attempt) == BACKOFF_CAP for attempt in (11, 12, 50, 1000))
