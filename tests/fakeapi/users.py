"""A user of the fake Telegram: sends updates and reads what the bot sent to the private chat."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tests.fakeapi import media
from tests.fakeapi.chats import FakeChat
from tests.fakeapi.media import Media

if TYPE_CHECKING:
    from tests.fakeapi.server import FakeTelegram


class FakeUser(FakeChat):
    """A person, and their private chat with the bot (whose id is the person's id)."""

    def __init__(
        self,
        fake: FakeTelegram,
        tg_id: int,
        first_name: str,
        last_name: str | None,
        username: str | None,
        language_code: str,
    ) -> None:
        super().__init__(fake, tg_id)
        self.tg_id = tg_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code

    # Telegram objects

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

    # what the user does in the private chat

    async def send(self, text: str, reply_to: dict | None = None) -> dict:
        return self._emit(self, media.text_content(text), reply_to=reply_to)

    async def upload(
        self,
        filename: str,
        content: bytes,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> dict:
        body = media.file_content(self.fake, "document", content, filename, caption, mime_type)
        return self._emit(self, body)

    async def upload_photo(
        self, content: bytes, media_group_id: str | None = None, caption: str | None = None
    ) -> dict:
        body = media.file_content(self.fake, "photo", content, caption=caption)
        return self._emit(self, {**body, "media_group_id": media_group_id})

    async def send_album(self, items: Sequence[Media]) -> list[dict]:
        """An album: one message per item, each its own update, all with one media_group_id."""
        return [self._emit(self, body) for body in media.album_contents(self.fake, items)]

    async def send_voice(
        self, content: bytes = b"OggS voice", duration: int = 3, caption: str | None = None
    ) -> dict:
        return self._emit(self, media.voice_content(self.fake, content, duration, caption))

    async def send_sticker(self, emoji: str = "👍", set_name: str | None = None) -> dict:
        return self._emit(self, media.sticker_content(self.fake, emoji, set_name))

    async def press(self, message: dict, data: str) -> str:
        return await self._press(self, message, data)

    async def press_button(self, message: dict, text: str) -> str:
        return await self._press_button(self, message, text)

    async def block_bot(self) -> None:
        self.blocked = True
        self._member_update("member", "kicked")

    async def unblock_bot(self) -> None:
        self.blocked = False
        self._member_update("kicked", "member")

    def _check_sender(self, sender: FakeUser) -> None:
        if self.blocked:
            raise AssertionError(f"user {self.tg_id} has blocked the bot; unblock_bot() first")

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
