"""A chat driving the dispatcher for the confirmation, review and transfer tests."""

from __future__ import annotations

import itertools
import time
from typing import Any

from aiogram.fsm.storage.base import BaseStorage
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, SendMessage
from aiogram.types import Update

from bot.channels.telegram.fsm import SqlStorage
from bot.config import Settings
from bot.main.app import build_dispatcher
from tests.recording import (
    RecordingSession,
    callback_update,
    document_update,
    make_bot,
    message_update,
    user_dict,
)

_ids = itertools.count(900_000)


def media_update(user_id: int, **content: Any) -> Update:
    """A private message from the user with the given content (photo, video, …)."""
    user = user_dict(user_id)
    message = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
        "from": user,
        **content,
    }
    return Update.model_validate({"update_id": next(_ids), "message": message})


def photo_update(user_id: int, file_id: str, media_group_id: str | None = None) -> Update:
    sizes = [
        {"file_id": f"{file_id}s", "file_unique_id": f"u{file_id}s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1280, "height": 960},
    ]
    extra = {"media_group_id": media_group_id} if media_group_id else {}
    return media_update(user_id, photo=sizes, **extra)


class Chat:
    """Users talking to a fresh dispatcher; every Bot API call lands in ``recording``."""

    def __init__(
        self, settings: Settings, session_factory, storage: BaseStorage | None = None
    ) -> None:
        # The tests act faster than people; the flood guard is not what they check.
        settings = settings.model_copy(update={"flood_limit": 10_000})
        self.recording = RecordingSession()
        self.bot = make_bot(self.recording)
        self.storage = storage or SqlStorage(session_factory)
        self.dp = build_dispatcher(settings, session_factory, self.storage)

    async def feed(self, update: Update) -> RecordingSession:
        await self.dp.feed_update(self.bot, update)
        return self.recording

    def press(self, user_id: int, data) -> Any:
        packed = data if isinstance(data, str) else data.pack()
        return self.feed(callback_update(user_id, packed))

    def say(self, user_id: int, text: str) -> Any:
        return self.feed(message_update(user_id, text))

    def document(self, user_id: int, name: str, **kwargs: Any) -> Any:
        file_id = self.recording.add_file(b"content", name)
        return self.feed(document_update(user_id, file_id=file_id, file_name=name, **kwargs))

    def state(self, user_id: int):
        return self.dp.fsm.get_context(self.bot, chat_id=user_id, user_id=user_id)

    # what the bot did

    def texts(self, chat_id: int | None = None) -> list[str]:
        return self.recording.sent_texts(chat_id)

    def last_text(self) -> str:
        sent = self.recording.of_type(SendMessage) + self.recording.of_type(EditMessageText)
        return max(sent, key=self.recording.requests.index).text

    def last_buttons(self) -> list[tuple[str, str]]:
        """Buttons of the latest message the bot sent or edited."""
        kinds = (SendMessage, EditMessageText, EditMessageReplyMarkup)
        calls = [r for r in self.recording.requests if isinstance(r, kinds) and r.reply_markup]
        return buttons(calls[-1])


def buttons(method) -> list[tuple[str, str]]:
    markup = method.reply_markup
    if isinstance(markup, dict):
        rows = markup["inline_keyboard"]
        return [(b["text"], b["callback_data"]) for row in rows for b in row]
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
