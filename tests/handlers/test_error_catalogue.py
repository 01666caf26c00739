"""Every domain error code has a Russian text, and the one error handler renders it."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from aiogram import Dispatcher, Router
from aiogram.methods import AnswerCallbackQuery
from aiogram.types import CallbackQuery, Message

from bot.domain.errors import DomainError, ErrorCode, ValidationError
from bot.domain.plans.documents import read_plan
from bot.main.cli.output import error_message
from bot.texts.errors import ERRORS, error_text
from handlers import errors
from tests.support.chat import ChatDriver

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(
    r"\b(?:DomainError|ValidationError|InviteError|PlanFormatError|PeriodRequired|AccessDenied"
    r"|NotFound)\(\s*\"([a-z_]+)\""
)


def sample_details(code: ErrorCode) -> dict[str, object]:
    """A value for every field the code's text formats in."""
    if code == ErrorCode.IMPOSSIBLE_DATE:
        return {"year": 2024, "month": 2, "days": 29}
    entry = ERRORS[code]
    if callable(entry):
        return {}
    return {field: f"<{field}>" for _, field, _, _ in string.Formatter().parse(entry) if field}


def raising_dispatcher() -> Dispatcher:
    """A router that raises the error named by the message text or the button's data."""
    failing = Router(name="failing")

    async def on_message(message: Message) -> None:
        code = ErrorCode(message.text)
        raise DomainError(code, **sample_details(code))

    async def on_callback(callback: CallbackQuery) -> None:
        code = ErrorCode(callback.data)
        raise DomainError(code, **sample_details(code))

    failing.message.register(on_message)
    failing.callback_query.register(on_callback)
    dp = Dispatcher()
    dp.include_routers(failing, errors.build_router())
    return dp


def test_every_code_has_a_text() -> None:
    assert set(ERRORS) == set(ErrorCode)
    for code in ErrorCode:
        assert error_text(code, sample_details(code)).strip(), code


def test_every_code_raised_in_the_code_is_declared() -> None:
    raised = {
        found
        for folder in ("bot", "handlers", "scheduler", "storage")
        for path in (ROOT / folder).rglob("*.py")
        for found in RAISED.findall(path.read_text(encoding="utf-8"))
    }
    assert raised
    assert raised <= {code.value for code in ErrorCode}
    with pytest.raises(ValueError):
        ValidationError("no_such_code")


@pytest.mark.parametrize("code", list(ErrorCode))
async def test_the_error_handler_renders_every_code(code: ErrorCode) -> None:
    chat = ChatDriver.over(raising_dispatcher())
    expected = error_text(code, sample_details(code))

    await chat.say(200, code.value)
    assert chat.texts() == [expected]

    answer = (await chat.press(200, code.value)).last(AnswerCallbackQuery)
    assert (answer.text, answer.show_alert) == (expected, True)


def test_details_typed_by_users_are_escaped() -> None:
    error = ValidationError("unknown_parent", line=3, row="<b>Школа</b>", name="A & B")
    assert error_text(error) == (
        "Строка 3 («&lt;b&gt;Школа&lt;/b&gt;»): не найдена вышестоящая организация «A &amp; B»."
    )
    assert error_message(error) == (
        "Строка 3 («<b>Школа</b>»): не найдена вышестоящая организация «A & B»."
    )


def test_a_missing_detail_leaves_no_hole() -> None:
    assert error_text("text_too_long") == "Слишком длинный текст: не больше … символов."


def test_plan_format_errors_carry_a_code_and_details_not_a_sentence() -> None:
    with pytest.raises(DomainError) as caught:
        read_plan(b"some bytes", "plan.odp")
    assert caught.value.code == ErrorCode.PLAN_UNKNOWN_FORMAT
    assert caught.value.details == {"suffix": ".odp"}
    assert str(caught.value) == "plan_unknown_format"
    assert error_text(caught.value).startswith("Файлы «.odp» бот не читает.")
