"""A chat of the fake Telegram: its messages, and what the bot sent that a test has not read yet."""

from __future__ import annotations

import copy
import itertools
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tests.fakeapi.entities import command_entities
from tests.fakeapi.errors import ApiError
from tests.fakeapi.media import is_service, summary

if TYPE_CHECKING:
    from tests.fakeapi.forum import Topic
    from tests.fakeapi.server import FakeTelegram
    from tests.fakeapi.users import FakeUser

Predicate = Callable[[dict], bool] | None
THREAD_NOT_FOUND = "Bad Request: message thread not found"


class FakeChat:
    """What the fake keeps of one chat; a FakeUser is a private chat, a FakeForum a forum."""

    def __init__(self, fake: FakeTelegram, chat_id: int) -> None:
        self.fake = fake
        self.chat_id = chat_id
        self.blocked = False
        self.answered_callbacks: list[dict] = []
        self.transcript: list[str] = []
        self._store: dict[int, dict] = {}
        self._order: list[int] = []
        self._message_ids = itertools.count(1)
        self._unread: list[dict] = []
        self._unread_edits: list[dict] = []
        self._callbacks: dict[str, dict] = {}

    @property
    def chat(self) -> dict:
        raise NotImplementedError

    # what the bot sent

    @property
    def messages(self) -> list[dict]:
        """Bot messages in this chat in order, as they look now (edits applied, deletions gone)."""
        return copy.deepcopy(self.all_messages(bot_only=True))

    def all_messages(self, bot_only: bool = False) -> list[dict]:
        """Every message in order; bot_only keeps what the bot sent, without service messages."""
        messages = [self._store[message_id] for message_id in self._order]
        if bot_only:
            return [
                m for m in messages if m["from"]["id"] == self.fake.bot_id and not is_service(m)
            ]
        return messages

    def message(self, message_id: int) -> dict | None:
        return self._store.get(message_id)

    # The tests' vocabulary says timeout=; it bounds a wait on the fake, not an I/O call.
    async def wait_message(self, predicate: Predicate = None, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        """The next bot message not yet taken by a test, as it was sent."""
        what = "a message" if predicate is None else "a message matching"
        return await self._take(self._unread, predicate, timeout, what)

    async def wait_edit(self, predicate: Predicate = None, timeout: float = 5.0) -> dict:  # noqa: ASYNC109
        """The next edit of a bot message not yet taken by a test, as it was edited."""
        what = "an edit" if predicate is None else "an edit matching"
        return await self._take(self._unread_edits, predicate, timeout, what)

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

        await self._wait(check, within, what)
        return found[0]

    async def _wait(self, check: Callable[[], bool], within: float, what: str) -> None:
        try:
            await self.fake.wait_for(check, within, what)
        except AssertionError:
            raise AssertionError(
                f"timed out after {within}s waiting for {what} in chat {self.chat_id}:\n"
                + self.format_transcript()
            ) from None

    def format_transcript(self) -> str:
        return "\n".join(self.transcript) or "  (the chat is empty)"

    # what people in the chat do

    async def edit(
        self, message: dict, text: str | None = None, caption: str | None = None
    ) -> dict:
        """A person edits a message they sent here; the bot gets an edited_message update."""
        current = self._store.get(message["message_id"])
        if current is None or current["from"]["id"] == self.fake.bot_id:
            raise AssertionError(f"no message #{message['message_id']} from a person in this chat")
        edited = copy.deepcopy(current)
        if text is not None:
            if "text" not in current:
                raise AssertionError(f"message #{current['message_id']} has no text to edit")
            edited.pop("entities", None)
            edited.update(
                {k: v for k, v in {"text": text, "entities": command_entities(text)}.items() if v}
            )
        if caption is not None:
            if "text" in current:
                raise AssertionError(f"message #{current['message_id']} has no caption to edit")
            edited.pop("caption", None)
            if caption:
                edited["caption"] = caption
        unchanged = {k: v for k, v in current.items() if k != "edit_date"}
        if {k: v for k, v in edited.items() if k != "edit_date"} == unchanged:
            raise AssertionError(f"the edit leaves message #{current['message_id']} as it was")
        edited["edit_date"] = max(int(time.time()), current["date"])
        self._store[current["message_id"]] = edited
        self._log(edited, summary(edited), " edited")
        self.fake.enqueue({"edited_message": copy.deepcopy(edited)})
        return copy.deepcopy(edited)

    # used by the server

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def record_bot_message(self, message: dict, line: str) -> None:
        self._store[message["message_id"]] = message
        self._order.append(message["message_id"])
        self._unread.append(copy.deepcopy(message))
        self._log(message, line)

    def record_edit(self, message: dict, line: str) -> None:
        self._store[message["message_id"]] = message
        self._unread_edits.append(copy.deepcopy(message))
        self._log(message, line, " edited")

    def record_delete(self, message_id: int) -> None:
        del self._store[message_id]
        self._order.remove(message_id)
        self.transcript.append(f"  bot  #{message_id} deleted")

    def deletable(self, message: dict) -> bool:
        """Whether the bot may delete this message; in a private chat it may delete any."""
        return True

    def answer_callback(self, params: dict) -> bool:
        if self._callbacks.pop(params["callback_query_id"], None) is None:
            return False
        self.answered_callbacks.append(dict(params))
        if params.get("text"):
            self.transcript.append(f"  * answered: {params['text']!r}")
        return True

    def bot_thread(self, thread_id: object) -> Topic | None:
        """The topic a bot's message goes to; a private chat of the fake has no topics."""
        if isinstance(thread_id, int) and thread_id > 0:
            raise ApiError(400, THREAD_NOT_FOUND)
        return None

    def thread_fields(self, topic: Topic | None, reply_to: dict | None) -> dict:
        """Fields that place a new message in its thread and mark what it replies to."""
        if reply_to is None:
            return {}
        # Telegram never nests a reply's own reply_to_message.
        return {"reply_to_message": {k: v for k, v in reply_to.items() if k != "reply_to_message"}}

    # what a person sends, for FakeUser and FakeForum

    def _check_sender(self, sender: FakeUser) -> None:
        """Raise AssertionError if the sender could not send here."""

    def _thread(self, sender: FakeUser, thread_id: int | None) -> Topic | None:
        if thread_id is not None:
            raise AssertionError(f"chat {self.chat_id} has no topics; thread_id is for forums")
        return None

    def _emit(
        self,
        sender: FakeUser,
        content: dict,
        thread_id: int | None = None,
        reply_to: dict | None = None,
    ) -> dict:
        self._check_sender(sender)
        topic = self._thread(sender, thread_id)
        replied = self._store.get(reply_to["message_id"], reply_to) if reply_to else None
        message = {
            "message_id": self.next_message_id(),
            "from": sender.as_user,
            "chat": self.chat,
            "date": int(time.time()),
            **self.thread_fields(topic, replied),
        }
        message.update({k: v for k, v in content.items() if v not in (None, [], "")})
        self._store[message["message_id"]] = message
        self._order.append(message["message_id"])
        self._log(message, summary(message))
        self.fake.enqueue({"message": copy.deepcopy(message)})
        return copy.deepcopy(message)

    async def _press(self, presser: FakeUser, message: dict, data: str) -> str:
        current = self._store.get(message["message_id"], message)
        callback_id = self.fake.next_callback_id()
        query = {
            "id": callback_id,
            "from": presser.as_user,
            "message": copy.deepcopy(current),
            "chat_instance": f"-{abs(self.chat_id)}{self.fake.bot_id}",
            "data": data,
        }
        self._callbacks[callback_id] = query
        self.transcript.append(
            f"  * {self._name(presser)} pressed {data!r} on #{current['message_id']}"
        )
        self.fake.enqueue({"callback_query": query})
        return callback_id

    async def _press_button(self, presser: FakeUser, message: dict, text: str) -> str:
        current = self._store.get(message["message_id"], message)
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        for button in buttons:
            if button["text"] == text:
                if "callback_data" not in button:
                    raise AssertionError(f"button {text!r} carries no callback_data: {button}")
                return await self._press(presser, current, button["callback_data"])
        available = [button["text"] for button in buttons]
        raise AssertionError(
            f"no button {text!r} on message #{current['message_id']}; available: {available}"
        )

    def _name(self, person: FakeUser) -> str:
        return "user"

    def _log(self, message: dict, line: str, what: str = "") -> None:
        sender = message["from"]
        who = (
            "bot "
            if sender["id"] == self.fake.bot_id
            else self._name(self.fake.users[sender["id"]])
        )
        where = (
            f" [topic {message['message_thread_id']}]" if "message_thread_id" in message else ""
        )
        self.transcript.append(f"  {who} #{message['message_id']}{where}{what}: {line}")
