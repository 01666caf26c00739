"""A user of the fake Telegram: sends updates and reads what the bot sent to the private chat."""

from __future__ import annotations

import copy
import itertools
import mimetypes
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakeapi.entities import command_entities

if TYPE_CHECKING:
    from tests.fakeapi.server import FakeTelegram

Predicate = Callable[[dict], bool] | None


class FakeUser:
    def __init__(
        self,
        fake: FakeTelegram,
        tg_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str,
    ) -> None:
        self.fake = fake
        self.tg_id = tg_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.blocked = False
        self.answered_callbacks: list[dict] = []
        self.transcript: list[str] = []
        self._store: dict[int, dict] = {}
        self._order: list[int] = []
        self._message_ids = itertools.count(1)
        self._unread: list[dict] = []
        self._unread_edits: list[dict] = []
        self._callbacks: dict[str, dict] = {}

    # Telegram objects

    @property
    def chat_id(self) -> int:
        return self.tg_id

    @property
    def as_user(self) -> dict:
        user = {"id": self.tg_id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        user["language_code"] = self.language_code
        return user

    @property
    def chat(self) -> dict:
        chat = {"id": self.tg_id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    # what the bot sent

    @property
    def messages(self) -> list[dict]:
        """Bot messages in this chat in order, as they look now (edits applied, deletions gone)."""
        return copy.deepcopy(self.all_messages(bot_only=True))

    def all_messages(self, bot_only: bool = False) -> list[dict]:
        messages = [self._store[message_id] for message_id in self._order]
        if bot_only:
            return [m for m in messages if m["from"]["id"] == self.fake.bot_id]
        return messages

    def message(self, message_id: int) -> dict | None:
        return self._store.get(message_id)

    # The tests' vocabulary says timeout=; it bounds a wait on the fake, not an I/O call.
    async def wait_message(self, predicate: Predicate = None, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        """The next bot message not yet taken by a test, as it was sent."""
        return await self._take(self._unread, predicate, timeout, "a message")

    async def wait_edit(self, predicate: Predicate = None, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        """The next edit of a bot message not yet taken by a test, as it was edited."""
        return await self._take(self._unread_edits, predicate, timeout, "an edit")

    async def wait_callback_answer(self, callback_id: str, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        def answered() -> bool:
            return any(a["callback_query_id"] == callback_id for a in self.answered_callbacks)

        await self._wait(answered, timeout, f"an answer to callback query {callback_id}")
        return next(a for a in self.answered_callbacks if a["callback_query_id"] == callback_id)

    async def _take(self, queue: list[dict], predicate: Predicate, within: float, what: str):
        found: list[dict] = []

        def check() -> bool:
            for item in queue:
                if predicate is None or predicate(item):
                    queue.remove(item)
                    found.append(item)
                    return True
            return False

        await self._wait(check, within, what if predicate is None else f"{what} matching")
        return found[0]

    async def _wait(self, check: Callable[[], bool], within: float, what: str) -> None:
        try:
            await self.fake.wait_for(check, within, what)
        except AssertionError:
            raise AssertionError(
                f"timed out after {within}s waiting for {what} in chat {self.tg_id}:\n"
                + self.format_transcript()
            ) from None

    def format_transcript(self) -> str:
        return "\n".join(self.transcript) or "  (the chat is empty)"

    # what the user does

    async def send(self, text: str, reply_to: dict | None = None) -> dict:
        message = self._user_message(text=text)
        if entities := command_entities(text):
            message["entities"] = entities
        if reply_to is not None:
            message["reply_to_message"] = copy.deepcopy(reply_to)
        return self._emit_message(message, text)

    async def upload(
        self,
        filename: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> dict:
        mime_type = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.fake.store_file(content, "document", filename, mime_type)
        message = self._user_message(
            document={
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": filename,
                "mime_type": mime_type,
                "file_size": len(content),
            }
        )
        if caption:
            message["caption"] = caption
        return self._emit_message(message, f"[document {filename}] {caption or ''}")

    async def upload_photo(
        self, content: bytes, media_group_id: str | None = None, caption: str | None = None
    ) -> dict:
        stored = self.fake.store_file(content, "photo", None, "image/jpeg")
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 1280,
            "height": 960,
            "file_size": len(content),
        }
        message = self._user_message(photo=[size])
        if media_group_id:
            message["media_group_id"] = media_group_id
        if caption:
            message["caption"] = caption
        return self._emit_message(message, f"[photo] {caption or ''}")

    async def press(self, message: dict, data: str) -> str:
        current = self._store.get(message["message_id"], message)
        callback_id = self.fake.next_callback_id()
        query = {
            "id": callback_id,
            "from": self.as_user,
            "message": copy.deepcopy(current),
            "chat_instance": f"-{self.tg_id}{self.fake.bot_id}",
            "data": data,
        }
        self._callbacks[callback_id] = query
        self.transcript.append(f"  * pressed {data!r} on #{current['message_id']}")
        self.fake.enqueue({"callback_query": query})
        return callback_id

    async def press_button(self, message: dict, text: str) -> str:
        current = self._store.get(message["message_id"], message)
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        for button in buttons:
            if button["text"] == text:
                if "callback_data" not in button:
                    raise AssertionError(f"button {text!r} carries no callback_data: {button}")
                return await self.press(current, button["callback_data"])
        available = [button["text"] for button in buttons]
        raise AssertionError(
            f"no button {text!r} on message #{current['message_id']}; available: {available}"
        )

    async def block_bot(self) -> None:
        self.blocked = True
        self._member_update("member", "kicked")

    async def unblock_bot(self) -> None:
        self.blocked = False
        self._member_update("kicked", "member")

    # used by the server

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def record_bot_message(self, message: dict, summary: str) -> None:
        self._store[message["message_id"]] = message
        self._order.append(message["message_id"])
        self._unread.append(copy.deepcopy(message))
        self.transcript.append(f"  bot  #{message['message_id']}: {summary}")

    def record_edit(self, message: dict, summary: str) -> None:
        self._store[message["message_id"]] = message
        self._unread_edits.append(copy.deepcopy(message))
        self.transcript.append(f"  bot  #{message['message_id']} edited: {summary}")

    def record_delete(self, message_id: int) -> None:
        del self._store[message_id]
        self._order.remove(message_id)
        self.transcript.append(f"  bot  #{message_id} deleted")

    def answer_callback(self, params: dict) -> bool:
        if self._callbacks.pop(params["callback_query_id"], None) is None:
            return False
        self.answered_callbacks.append(dict(params))
        if params.get("text"):
            self.transcript.append(f"  * answered: {params['text']!r}")
        return True

    def _user_message(self, **content: object) -> dict:
        if self.blocked:
            raise AssertionError(f"user {self.tg_id} has blocked the bot; unblock_bot() first")
        return {
            "message_id": self.next_message_id(),
            "from": self.as_user,
            "chat": self.chat,
            "date": int(time.time()),
            **content,
        }

    def _emit_message(self, message: dict, summary: str) -> dict:
        self._store[message["message_id"]] = message
        self._order.append(message["message_id"])
        self.transcript.append(f"  user #{message['message_id']}: {summary}")
        self.fake.enqueue({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    def _member_update(self, old: str, new: str) -> None:
        self.transcript.append(f"  * user {'blocked' if new == 'kicked' else 'unblocked'} the bot")
        bot = dict(self.fake.bot_user)
        new_member: dict = {"status": new, "user": bot}
        if new == "kicked":
            new_member["until_date"] = 0
        old_member: dict = {"status": old, "user": bot}
        if old == "kicked":
            old_member["until_date"] = 0
        self.fake.enqueue(
            {
                "my_chat_member": {
                    "chat": self.chat,
                    "from": self.as_user,
                    "date": int(time.time()),
                    "old_chat_member": old_member,
                    "new_chat_member": new_member,
                }
            }
        )
