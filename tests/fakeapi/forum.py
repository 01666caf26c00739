"""A forum supergroup of the fake Telegram: its members, the bot's rights, topics and threads."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.fakeapi import media
from tests.fakeapi.chats import THREAD_NOT_FOUND, FakeChat, Predicate
from tests.fakeapi.errors import ApiError
from tests.fakeapi.media import Media, summary

if TYPE_CHECKING:
    from tests.fakeapi.server import FakeTelegram
    from tests.fakeapi.users import FakeUser

# The colours the Bot API documents for topic icons; Telegram picks one when none is given.
ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)
# What an administrator may do, as getChatMember reports it for a supergroup.
ADMIN_RIGHTS = {
    "can_manage_chat": True,
    "can_change_info": True,
    "can_delete_messages": True,
    "can_invite_users": True,
    "can_restrict_members": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
    "can_promote_members": False,
    "can_manage_video_chats": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_manage_tags": False,
    "is_anonymous": False,
}
STATUSES = ("member", "administrator", "creator")


@dataclass
class Topic:
    """A forum topic as it stands; `thread_id` is the id of the message that created it."""

    thread_id: int
    name: str
    icon_color: int
    icon_custom_emoji_id: str | None = None
    created_by: int = 0
    closed: bool = False
    deleted: bool = False

    def as_forum_topic(self) -> dict:
        topic = {
            "message_thread_id": self.thread_id,
            "name": self.name,
            "icon_color": self.icon_color,
        }
        if self.icon_custom_emoji_id:
            topic["icon_custom_emoji_id"] = self.icon_custom_emoji_id
        return topic


class FakeForum(FakeChat):
    """A supergroup with topics; people in it post through it, the bot's messages land in it.

    forum = fake.forum(-1001000000001, "Операторы", members=[operator])
    topic = await forum.wait_topic(lambda t: "Анна" in t.name)
    question = await forum.wait_message(thread_id=topic.thread_id)
    await forum.post(operator, "Здравствуйте!", thread_id=topic.thread_id)
    """

    def __init__(
        self,
        fake: FakeTelegram,
        chat_id: int,
        title: str,
        username: str | None,
        bot_rights: Mapping[str, bool] | None,
    ) -> None:
        super().__init__(fake, chat_id)
        self.title = title
        self.username = username
        # None: the bot is an ordinary member, without administrator rights.
        self.bot_rights = dict(bot_rights) if bot_rights is not None else None
        self.members: dict[int, str] = {}
        self._topics: dict[int, Topic] = {}
        self._colors = itertools.cycle(ICON_COLORS)
        # Thread 1 is the General topic, so the messages of a forum start at 2.
        self._message_ids = itertools.count(2)

    @property
    def chat(self) -> dict:
        chat = {"id": self.chat_id, "title": self.title, "type": "supergroup", "is_forum": True}
        if self.username:
            chat["username"] = self.username
        return chat

    # the test's side: members, topics, reading a thread

    def add_member(self, user: FakeUser, status: str = "member") -> None:
        """Make a user a member; an "administrator" or "creator" may also manage topics."""
        if status not in STATUSES:
            raise ValueError(f"status is one of {STATUSES}, not {status!r}")
        self.members[user.tg_id] = status

    @property
    def topics(self) -> list[Topic]:
        """Every topic ever created here, in order, deleted ones marked so."""
        return [dataclasses.replace(topic) for topic in self._topics.values()]

    def topic(self, thread_id: int) -> Topic:
        if thread_id not in self._topics:
            names = {t.thread_id: t.name for t in self._topics.values()}
            raise AssertionError(f"no topic {thread_id} in forum {self.chat_id}; topics: {names}")
        return dataclasses.replace(self._topics[thread_id])

    async def wait_topic(
        self,
        predicate: Callable[[Topic], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> Topic:
        """The newest topic matching predicate (any topic if None), once there is one."""
        found: list[Topic] = []

        def check() -> bool:
            matching = [t for t in self._topics.values() if predicate is None or predicate(t)]
            found[:] = matching[-1:]
            return bool(matching)

        await self._wait(check, timeout, "a topic" if predicate is None else "a topic matching")
        return dataclasses.replace(found[0])

    def messages_in(self, thread_id: int) -> list[dict]:
        """The bot's messages in one topic, in order, as they look now."""
        return [m for m in self.messages if m.get("message_thread_id") == thread_id]

    async def wait_message(
        self,
        predicate: Predicate = None,
        timeout: float = 5.0,  # noqa: ASYNC109
        thread_id: int | None = None,
    ) -> dict:
        """The next bot message not yet taken by a test, in topic thread_id if given."""
        if thread_id is None:
            return await super().wait_message(predicate, timeout)

        def in_thread(message: dict) -> bool:
            return message.get("message_thread_id") == thread_id and (
                predicate is None or predicate(message)
            )

        what = f"a message in topic {thread_id}" + ("" if predicate is None else " matching")
        return await self._take(self._unread, in_thread, timeout, what)

    # what members do; thread_id=None posts to the General topic

    async def post(
        self,
        user: FakeUser,
        text: str,
        thread_id: int | None = None,
        reply_to: dict | None = None,
    ) -> dict:
        return self._emit(user, media.text_content(text), thread_id, reply_to)

    async def upload(
        self,
        user: FakeUser,
        filename: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
        thread_id: int | None = None,
    ) -> dict:
        body = media.file_content(self.fake, "document", content, filename, caption, mime_type)
        return self._emit(user, body, thread_id)

    async def upload_photo(
        self,
        user: FakeUser,
        content: bytes,
        caption: str | None = None,
        thread_id: int | None = None,
    ) -> dict:
        body = media.file_content(self.fake, "photo", content, caption=caption)
        return self._emit(user, body, thread_id)

    async def send_album(
        self, user: FakeUser, items: Sequence[Media], thread_id: int | None = None
    ) -> list[dict]:
        contents = media.album_contents(self.fake, items)
        return [self._emit(user, body, thread_id) for body in contents]

    async def send_voice(
        self,
        user: FakeUser,
        content: bytes = b"OggS voice",
        duration: int = 3,
        caption: str | None = None,
        thread_id: int | None = None,
    ) -> dict:
        return self._emit(
            user, media.voice_content(self.fake, content, duration, caption), thread_id
        )

    async def send_sticker(
        self,
        user: FakeUser,
        emoji: str = "👍",
        set_name: str | None = None,
        thread_id: int | None = None,
    ) -> dict:
        return self._emit(user, media.sticker_content(self.fake, emoji, set_name), thread_id)

    async def press(self, user: FakeUser, message: dict, data: str) -> str:
        self._check_sender(user)
        return await self._press(user, message, data)

    async def press_button(self, user: FakeUser, message: dict, text: str) -> str:
        self._check_sender(user)
        return await self._press_button(user, message, text)

    # what members do to topics in their Telegram app; the bot gets the service messages

    async def create_topic(
        self, user: FakeUser, name: str, icon_custom_emoji_id: str | None = None
    ) -> Topic:
        self._check_sender(user)
        topic = self.open_topic(user.as_user, name, self.next_color(), icon_custom_emoji_id)
        return dataclasses.replace(topic)

    async def edit_topic(
        self,
        user: FakeUser,
        thread_id: int,
        name: str | None = None,
        icon_custom_emoji_id: str | None = None,
    ) -> None:
        topic = self._managed_topic(user, thread_id)
        changes = {"name": name, "icon_custom_emoji_id": icon_custom_emoji_id}
        self.edit_topic_as(
            user.as_user, topic, {k: v for k, v in changes.items() if v is not None}
        )

    async def close_topic(self, user: FakeUser, thread_id: int) -> None:
        self._toggle(user, thread_id, closed=True)

    async def reopen_topic(self, user: FakeUser, thread_id: int) -> None:
        self._toggle(user, thread_id, closed=False)

    async def delete_topic(self, thread_id: int) -> None:
        """An administrator deletes a topic; the Bot API tells bots nothing of deletions."""
        self.remove_topic(self._topic_or_fail(thread_id))

    # used by the server

    def bot_can(self, right: str) -> bool:
        return self.bot_rights is not None and bool(self.bot_rights.get(right))

    def next_color(self) -> int:
        return next(self._colors)

    def bot_thread(self, thread_id: object) -> Topic | None:
        if not isinstance(thread_id, int) or thread_id <= 0:
            return None
        topic = self._topics.get(thread_id)
        if topic is None or topic.deleted:
            raise ApiError(400, THREAD_NOT_FOUND)
        # Only those who manage topics may post in a closed one.
        if topic.closed and not self.bot_can("can_manage_topics"):
            raise ApiError(400, "Bad Request: TOPIC_CLOSED")
        return topic

    def bot_topic(self, thread_id: object) -> Topic:
        """The topic editForumTopic and the like act on, or Telegram's error."""
        if not isinstance(thread_id, int) or thread_id <= 0:
            raise ApiError(400, "Bad Request: invalid message thread identifier specified")
        topic = self._topics.get(thread_id)
        if topic is None or topic.deleted:
            raise ApiError(400, "Bad Request: TOPIC_ID_INVALID")
        return topic

    def thread_fields(self, topic: Topic | None, reply_to: dict | None) -> dict:
        if topic is None:
            return super().thread_fields(None, reply_to)
        # A message in a topic replies to the topic's first message unless it replies to another.
        root = self._store.get(topic.thread_id)
        return {
            "message_thread_id": topic.thread_id,
            "is_topic_message": True,
            **super().thread_fields(topic, reply_to or root),
        }

    def deletable(self, message: dict) -> bool:
        # The message that created a topic goes only with the topic.
        own = message["from"]["id"] == self.fake.bot_id
        return "forum_topic_created" not in message and (
            own or self.bot_can("can_delete_messages")
        )

    def open_topic(
        self, creator: dict, name: str, icon_color: int, icon_custom_emoji_id: str | None
    ) -> Topic:
        thread_id = self.next_message_id()
        topic = Topic(thread_id, name, icon_color, icon_custom_emoji_id or None, creator["id"])
        self._topics[topic.thread_id] = topic
        created = {"name": name, "icon_color": icon_color}
        if icon_custom_emoji_id:
            created["icon_custom_emoji_id"] = icon_custom_emoji_id
        self._service(creator, topic, {"forum_topic_created": created}, topic.thread_id)
        return topic

    def edit_topic_as(self, actor: dict, topic: Topic, changes: dict) -> None:
        """Apply a name and/or icon ("" removes the icon) with a forum_topic_edited message."""
        if "name" in changes:
            topic.name = changes["name"]
        if "icon_custom_emoji_id" in changes:
            topic.icon_custom_emoji_id = changes["icon_custom_emoji_id"] or None
        self._service(actor, topic, {"forum_topic_edited": dict(changes)})

    def set_closed(self, actor: dict, topic: Topic, closed: bool) -> None:
        topic.closed = closed
        self._service(
            actor, topic, {"forum_topic_closed" if closed else "forum_topic_reopened": {}}
        )

    def remove_topic(self, topic: Topic) -> None:
        """The topic goes, and every message in it with it."""
        topic.deleted = True
        for message_id in [m for m in self._order if self._in_thread(m, topic)]:
            del self._store[message_id]
            self._order.remove(message_id)
        self.transcript.append(f"  * topic {topic.thread_id} «{topic.name}» deleted")

    # internals

    def _in_thread(self, message_id: int, topic: Topic) -> bool:
        return self._store[message_id].get("message_thread_id") == topic.thread_id

    def _service(
        self, actor: dict, topic: Topic, content: dict, message_id: int | None = None
    ) -> None:
        message = {
            "message_id": message_id or self.next_message_id(),
            "from": copy.deepcopy(actor),
            "chat": self.chat,
            "date": int(time.time()),
            **self.thread_fields(topic, None),
            **content,
        }
        self._store[message["message_id"]] = message
        self._order.append(message["message_id"])
        self._log(message, summary(message))
        # Bots get no updates about what they did themselves.
        if actor["id"] != self.fake.bot_id:
            self.fake.enqueue({"message": copy.deepcopy(message)})

    def _check_sender(self, sender: FakeUser) -> None:
        if sender.tg_id not in self.members:
            raise AssertionError(
                f"{sender.first_name} ({sender.tg_id}) is not a member of forum {self.chat_id}; "
                "add_member() first"
            )

    def _topic_or_fail(self, thread_id: int) -> Topic:
        topic = self._topics.get(thread_id)
        if topic is None or topic.deleted:
            raise AssertionError(f"forum {self.chat_id} has no topic {thread_id}")
        return topic

    def _thread(self, sender: FakeUser, thread_id: int | None) -> Topic | None:
        if thread_id is None:
            return None
        topic = self._topic_or_fail(thread_id)
        if topic.closed and self.members.get(sender.tg_id) == "member":
            raise AssertionError(f"topic {thread_id} is closed; only administrators post in it")
        return topic

    def _toggle(self, user: FakeUser, thread_id: int, closed: bool) -> None:
        topic = self._managed_topic(user, thread_id)
        if topic.closed == closed:
            raise AssertionError(f"topic {thread_id} is {'closed' if closed else 'open'} already")
        self.set_closed(user.as_user, topic, closed)

    def _managed_topic(self, user: FakeUser, thread_id: int) -> Topic:
        self._check_sender(user)
        topic = self._topic_or_fail(thread_id)
        if self.members[user.tg_id] == "member" and topic.created_by != user.tg_id:
            raise AssertionError(f"{user.first_name} may not manage topic {thread_id}")
        return topic

    def _name(self, person: FakeUser) -> str:
        return person.first_name
