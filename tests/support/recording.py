"""A recording aiogram session: every Bot API call is kept and answered without a network."""

import itertools
import json
import time
import typing
from collections.abc import AsyncGenerator
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.enums import ParseMode
from aiogram.methods import (
    EditMessageText,
    SendDocument,
    SendMessage,
    TelegramMethod,
)
from aiogram.types import (
    File,
    InputFile,
    Message,
    MessageId,
    User,
    WebhookInfo,
)

from tests.fakeapi.errors import FailureRule

TOKEN = "123456:TEST"
BOT_USERNAME = "roadmap_test_bot"
M = TypeVar("M", bound=TelegramMethod[Any])


class RecordingSession(BaseSession):
    """Records every Bot API call and answers it with a plausible result, without a network."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.files: dict[str, tuple[str | None, bytes]] = {}
        self.results: dict[type, Any] = {}
        self._failures: list[FailureRule] = []
        # Exceptions raised by the next calls, one each, before any answer is made up.
        self.fail_with: list[Exception] = []
        # Keyed by the InputFile's identity, which the recorded method keeps alive.
        self._uploads: dict[int, tuple[str | None, bytes]] = {}
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

    # configuration

    def add_file(self, content: bytes, file_name: str | None = None) -> str:
        """Store a file the bot can getFile and download; returns its file_id."""
        file_id = f"FILE{next(self._file_ids):06d}"
        self.files[file_id] = (file_name, content)
        return file_id

    def set_result(self, method_type: type[TelegramMethod[Any]], result: Any) -> None:
        """A JSON-like result, or a callable(method) returning one, for calls of this type."""
        self.results[method_type] = result

    def fail_next(
        self,
        method_type: type[TelegramMethod[Any]],
        status: int = 429,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> FailureRule:
        """Make the next matching calls raise the aiogram exception for this Telegram error."""
        rule = FailureRule(
            method_type.__api_method__, status, times, retry_after, chat_id, description
        )
        self._failures.append(rule)
        return rule

    # assertions

    def of_type(self, method_type: type[M]) -> list[M]:
        return [request for request in self.requests if isinstance(request, method_type)]

    def last(self, method_type: type[M]) -> M:
        calls = self.of_type(method_type)
        if not calls:
            seen = [type(request).__name__ for request in self.requests]
            raise AssertionError(f"no {method_type.__name__} was called; calls: {seen}")
        return calls[-1]

    def sent_texts(self, chat_id: int | str | None = None) -> list[str]:
        """Texts of sendMessage calls, optionally to one chat."""
        return [
            request.text
            for request in self.of_type(SendMessage)
            if chat_id is None or request.chat_id == chat_id
        ]

    def edited_texts(self, chat_id: int | str | None = None) -> list[str]:
        return [
            request.text
            for request in self.of_type(EditMessageText)
            if chat_id is None or request.chat_id == chat_id
        ]

    def sent_documents(self, chat_id: int | str | None = None) -> list[tuple[str | None, bytes]]:
        documents = []
        for request in self.of_type(SendDocument):
            if chat_id is not None and request.chat_id != chat_id:
                continue
            if isinstance(request.document, InputFile):
                documents.append(self._uploads[id(request.document)])
            else:
                documents.append(self.files[request.document])
        return documents

    # BaseSession

    async def close(self) -> None:
        pass

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[Any],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> Any:
        self.requests.append(method)
        if self.fail_with:
            raise self.fail_with.pop(0)
        files: dict[str, InputFile] = {}
        params = self.prepare_value(
            method.model_dump(warnings=False), bot=bot, files=files, _dumps_json=False
        )
        uploads = {}
        for key, input_file in files.items():
            content = b"".join([chunk async for chunk in input_file.read(bot)])
            uploads[key] = self._uploads[id(input_file)] = (input_file.filename, content)
        for rule in self._failures:
            if rule.matches(method.__api_method__, params):
                error = rule.error()
                self.check_response(bot, method, error.status, json.dumps(error.payload()))
        result = self._result(bot, method, params, uploads)
        response = self.check_response(
            bot, method, 200, json.dumps({"ok": True, "result": result})
        )
        return response.result

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 (aiogram's signature)
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        file_id = url.rsplit("/", 1)[-1]
        if file_id not in self.files:
            raise AssertionError(f"download of an unknown file: {url}")
        yield self.files[file_id][1]

    def _result(self, bot: Bot, method: TelegramMethod[Any], params: dict, uploads: dict) -> Any:
        override = self.results.get(type(method))
        if override is not None:
            return override(method) if callable(override) else override
        returning = method.__returning__
        # list[Message] (an album) has Message among its arguments too: it goes first.
        if typing.get_origin(returning) is list:
            if typing.get_args(returning)[0] is Message:
                return [
                    self._message(bot, {**params, **item}, uploads)
                    for item in params.get("media", [])
                ]
            return []
        candidates = typing.get_args(returning) or (returning,)
        if Message in candidates and "chat_id" in params:
            return self._message(bot, params, uploads)
        if returning is bool or bool in candidates:
            return True
        if returning is User:
            return _bot_user(bot)
        if returning is File:
            return self._file(params["file_id"])
        if returning is MessageId:
            return {"message_id": next(self._message_ids)}
        if returning is WebhookInfo:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if returning in (str, int):
            return returning()
        raise NotImplementedError(
            f"RecordingSession has no result for {method.__api_method__}; "
            f"use session.set_result({type(method).__name__}, ...)"
        )

    def _file(self, file_id: str) -> dict:
        file_name, content = self.files.get(file_id, (None, b""))
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": f"files/{file_id}",
        }

    def _message(self, bot: Bot, params: dict, uploads: dict) -> dict:
        chat_id = params["chat_id"]
        chat = (
            {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "Chat"}
            if isinstance(chat_id, int)
            else {"id": -1001, "type": "channel", "title": str(chat_id)}
        )
        message: dict[str, Any] = {
            "message_id": params.get("message_id") or next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": _bot_user(bot),
        }
        for key in ("text", "caption", "entities", "caption_entities"):
            if params.get(key):
                message[key] = params[key]
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        media_kind = params.get("type") or next(
            (kind for kind in ("document", "photo") if kind in params), None
        )
        media = params.get("media", params.get(media_kind)) if media_kind else None
        if isinstance(media, str):
            if media.startswith("attach://"):
                file_name, content = uploads[media.removeprefix("attach://")]
                file_id = self.add_file(content, file_name)
            else:
                file_id = media
            file_name = self.files.get(file_id, (None, b""))[0]
            if media_kind == "photo":
                size = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
                message["photo"] = [{**size, "width": 1280, "height": 960}]
            else:
                document = {"file_id": file_id, "file_unique_id": f"u{file_id}"}
                message["document"] = {
                    **document,
                    **({"file_name": file_name} if file_name else {}),
                }
        return message


def _bot_user(bot: Bot) -> dict:
    return {"id": bot.id, "is_bot": True, "first_name": "Roadmap", "username": BOT_USERNAME}


def make_bot(session: BaseSession | None = None) -> Bot:
    return Bot(
        TOKEN,
        session=session or RecordingSession(),
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
