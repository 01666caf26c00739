"""A chat driver: people talk to a dispatcher through feed_update, every Bot API call recorded."""

from __future__ import annotations

from typing import Any

from aiogram import Dispatcher
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseStorage
from aiogram.methods import EditMessageReplyMarkup, EditMessageText, SendMessage, TelegramMethod
from aiogram.types import InlineKeyboardMarkup, Update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.fsm import SqlStorage
from bot.config import Settings
from bot.main.app import build_dispatcher
from tests.support.recording import RecordingSession, make_bot
from tests.support.updates import (
    callback_update,
    document_update,
    message_update,
    my_chat_member_update,
)

# The tests act faster than people; the flood guard is not what they check.
UNTHROTTLED = 10_000
_WITH_BUTTONS = (SendMessage, EditMessageText, EditMessageReplyMarkup)


class ChatDriver:
    """People talking to the bot's dispatcher; what the bot does lands in ``recording``."""

    def __init__(
        self,
        settings: Settings,
        session_factory: async_sessionmaker[AsyncSession],
        storage: BaseStorage | None = None,
        *,
        recording: RecordingSession | None = None,
        flood_limit: int | None = UNTHROTTLED,
    ) -> None:
        """The application's dispatcher (``build_dispatcher``) on forms kept in ``storage``
        (the database by default); ``flood_limit=None`` keeps the settings' flood guard."""
        if flood_limit is not None:
            settings = settings.model_copy(update={"flood_limit": flood_limit})
        self.storage = storage or SqlStorage(session_factory)
        self._attach(build_dispatcher(settings, session_factory, self.storage), recording)

    @classmethod
    def over(cls, dp: Dispatcher, *, recording: RecordingSession | None = None) -> ChatDriver:
        """A driver of any dispatcher, such as one a test builds around a single router."""
        driver = cls.__new__(cls)
        driver.storage = dp.fsm.storage
        driver._attach(dp, recording)
        return driver

    def _attach(self, dp: Dispatcher, recording: RecordingSession | None) -> None:
        self.dp = dp
        self.recording = recording or RecordingSession()
        self.bot = make_bot(self.recording)

    # what people do

    async def feed(self, update: Update) -> RecordingSession:
        """Any update, built with ``tests.support.updates``."""
        await self.dp.feed_update(self.bot, update)
        return self.recording

    async def say(self, user_id: int, text: str, **kwargs: Any) -> RecordingSession:
        """The user sends a text or a /command."""
        return await self.feed(message_update(user_id, text, **kwargs))

    async def reply_to(self, user_id: int, text: str, **kwargs: Any) -> SendMessage:
        """The user sends a text; the message the bot sent last (the reply, usually)."""
        return (await self.say(user_id, text, **kwargs)).last(SendMessage)

    async def press(
        self, user_id: int, data: str | CallbackData, **kwargs: Any
    ) -> RecordingSession:
        """The user presses a button with this callback data (forged data too)."""
        packed = data.pack() if isinstance(data, CallbackData) else data
        return await self.feed(callback_update(user_id, packed, **kwargs))

    async def tap(self, user_id: int, label: str, **kwargs: Any) -> RecordingSession:
        """The user presses the button labelled ``label`` on the latest keyboard in their chat."""
        found = dict(self.last_buttons(user_id))
        if label not in found:
            raise AssertionError(f"no button {label!r} among {list(found)}")
        return await self.press(user_id, found[label], **kwargs)

    async def upload(
        self, user_id: int, content: bytes, name: str, **kwargs: Any
    ) -> RecordingSession:
        """The user sends a document the bot can download."""
        file_id = self.recording.add_file(content, name)
        return await self.feed(document_update(user_id, file_id=file_id, file_name=name, **kwargs))

    async def document(self, user_id: int, name: str, **kwargs: Any) -> RecordingSession:
        """The user sends a document whose content does not matter."""
        return await self.upload(user_id, b"content", name, **kwargs)

    async def member(self, user_id: int, status: str = "kicked") -> RecordingSession:
        """The user blocks (kicked) or restarts (member) the bot."""
        return await self.feed(my_chat_member_update(user_id, status))

    def state(self, user_id: int) -> FSMContext:
        """The user's form in their private chat."""
        return self.dp.fsm.get_context(self.bot, chat_id=user_id, user_id=user_id)

    # what the bot did

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Texts of the messages the bot sent, optionally to one chat."""
        return self.recording.sent_texts(chat_id)

    def last_text(self, chat_id: int | None = None) -> str:
        """The text of the latest message the bot sent or edited, optionally in one chat."""
        calls = [
            call
            for call in self.recording.requests
            if isinstance(call, SendMessage | EditMessageText)
            and (chat_id is None or call.chat_id == chat_id)
        ]
        if not calls:
            raise AssertionError("the bot has sent no text")
        return calls[-1].text

    def last_buttons(self, chat_id: int | None = None) -> list[tuple[str, str]]:
        """(label, callback data) of the latest inline keyboard the bot sent or edited,
        optionally in one chat."""
        calls = [
            call
            for call in self.recording.requests
            if isinstance(call, _WITH_BUTTONS)
            and _has_inline_keyboard(call)
            and (chat_id is None or call.chat_id == chat_id)
        ]
        if not calls:
            raise AssertionError("the bot has shown no inline keyboard")
        return buttons_of(calls[-1])


def _has_inline_keyboard(method: TelegramMethod[Any]) -> bool:
    markup = method.reply_markup
    if isinstance(markup, dict):
        return "inline_keyboard" in markup
    return isinstance(markup, InlineKeyboardMarkup)


def buttons_of(method: TelegramMethod[Any]) -> list[tuple[str, str]]:
    """(label, callback data) of a recorded call's inline keyboard, row by row."""
    markup = method.reply_markup
    if isinstance(markup, dict):
        rows = markup["inline_keyboard"]
        return [(b["text"], b.get("callback_data")) for row in rows for b in row]
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
