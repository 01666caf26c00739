"""copyMessage, copyMessages and forwardMessage between the chats of the fake."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from tests.fakeapi import media
from tests.fakeapi.errors import ApiError
from tests.fakeapi.methods import CAPTION_LIMIT, method, send_content, text_param

if TYPE_CHECKING:
    from tests.fakeapi.chats import FakeChat
    from tests.fakeapi.server import FakeTelegram

_MAX_IDS = 100


def _source_chat(fake: FakeTelegram, params: dict) -> FakeChat:
    chat = fake.chat(params.get("from_chat_id"))
    if chat is None:
        raise ApiError(400, "Bad Request: chat not found")
    return chat


def _content(source: dict) -> dict:
    """What a copy carries: the content, never the sender, forward origin, album or markup."""
    if media.is_service(source):
        raise ApiError(400, "Bad Request: message can't be copied")
    return {key: copy.deepcopy(source[key]) for key in media.CONTENT_KEYS if key in source}


@method("copyMessage")
async def copy_message(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    source = _source_chat(fake, params).message(params.get("message_id") or 0)
    if source is None:
        raise ApiError(400, "Bad Request: message to copy not found")
    chat = fake.chat_or_error(params)
    content = _content(source)
    if "caption" in params and "text" not in source:
        caption, entities = text_param(params, "caption", "caption_entities", CAPTION_LIMIT, None)
        content.update(caption=caption, caption_entities=entities)
    return {"message_id": send_content(fake, chat, params, content)["message_id"]}


@method("copyMessages")
async def copy_messages(fake: FakeTelegram, params: dict, uploads: dict) -> list:
    """Copies in order, skipping messages that are gone; copies of an album form a new one."""
    message_ids = params.get("message_ids")
    if not message_ids:
        raise ApiError(400, "Bad Request: message identifiers are not specified")
    if len(message_ids) > _MAX_IDS:
        raise ApiError(400, "Bad Request: too many message identifiers specified")
    chat = fake.chat_or_error(params)
    chat.bot_thread(params.get("message_thread_id"))
    source_chat = _source_chat(fake, params)
    found = [source_chat.message(message_id) for message_id in message_ids]
    sources = [m for m in found if m is not None and not media.is_service(m)]
    if not sources:
        raise ApiError(400, "Bad Request: messages can't be forwarded")
    albums: dict[str, str] = {}
    copied = []
    options = {key: value for key, value in params.items() if key != "reply_markup"}
    for source in sources:
        content = _content(source)
        if params.get("remove_caption"):
            content.pop("caption", None)
            content.pop("caption_entities", None)
        if album := source.get("media_group_id"):
            content["media_group_id"] = albums.setdefault(album, fake.next_media_group_id())
        copied.append({"message_id": send_content(fake, chat, options, content)["message_id"]})
    return copied


@method("forwardMessage")
async def forward_message(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    source = _source_chat(fake, params).message(params.get("message_id") or 0)
    if source is None:
        raise ApiError(400, "Bad Request: message to forward not found")
    chat = fake.chat_or_error(params)
    content = {key: copy.deepcopy(source[key]) for key in media.CONTENT_KEYS if key in source}
    content["forward_origin"] = {
        "type": "user",
        "sender_user": copy.deepcopy(source["from"]),
        "date": source["date"],
    }
    return send_content(
        fake, chat, {"message_thread_id": params.get("message_thread_id")}, content
    )
