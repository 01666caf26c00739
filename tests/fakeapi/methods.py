"""Bot API methods of the fake server, with the checks and error texts of the real one."""

from __future__ import annotations

import copy
import json
import mimetypes
import re
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from tests.fakeapi import media
from tests.fakeapi.entities import render_text
from tests.fakeapi.errors import ApiError
from tests.fakeapi.params import Upload

if TYPE_CHECKING:
    from tests.fakeapi.chats import FakeChat
    from tests.fakeapi.server import FakeTelegram, StoredFile

Method = Callable[["FakeTelegram", dict, dict[str, Upload]], Awaitable[object]]
REGISTRY: dict[str, Method] = {}

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
# Limits Telegram enforces on what a bot sends.
_TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_CALLBACK_DATA_LIMIT = 64
_GET_FILE_LIMIT = 20 * 1024 * 1024


def method(name: str) -> Callable[[Method], Method]:
    def register(function: Method) -> Method:
        REGISTRY[name.lower()] = function
        return function

    return register


def scope_key(scope: dict | int | str | None) -> str:
    if scope is None:
        scope = {"type": "default"}
    elif isinstance(scope, int):
        scope = {"type": "chat", "chat_id": scope}
    elif isinstance(scope, str):
        scope = json.loads(scope)
    return json.dumps(scope, sort_keys=True)


# helpers


def text_param(params: dict, key: str, entities_key: str, limit: int, empty: str | None) -> tuple:
    raw = params.get(key)
    if raw is None or not str(raw).strip():
        if empty is not None:
            raise ApiError(400, empty)
        return None, []
    text, entities = render_text(str(raw), params.get("parse_mode"), params.get(entities_key))
    if empty is not None and not text.strip():
        raise ApiError(400, empty)
    if len(text) > limit:
        too_long = "message is too long" if key == "text" else "message caption is too long"
        raise ApiError(400, f"Bad Request: {too_long}")
    return text, entities


def _inline_markup(params: dict) -> dict | None:
    markup = params.get("reply_markup")
    if not markup or "inline_keyboard" not in markup:
        return None
    for row in markup["inline_keyboard"]:
        for button in row:
            if not button.get("text"):
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode()) <= _CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def send_content(fake: FakeTelegram, chat: FakeChat, params: dict, content: dict) -> dict:
    """Record a message the bot sends to a chat (in message_thread_id, if given) and return it."""
    topic = chat.bot_thread(params.get("message_thread_id"))
    reply_id = (params.get("reply_parameters") or {}).get("message_id")
    reply_to = chat.message(reply_id) if reply_id else None
    if topic is None and reply_to and reply_to.get("is_topic_message"):
        # A reply goes to the topic of the message it answers.
        topic = chat.bot_thread(reply_to["message_thread_id"])
    message = {
        "message_id": chat.next_message_id(),
        "from": dict(fake.bot_user),
        "chat": chat.chat,
        "date": int(time.time()),
        **copy.deepcopy(chat.thread_fields(topic, reply_to)),
    }
    for key, value in content.items():
        if value not in (None, []):
            message[key] = value
    if markup := _inline_markup(params):
        message["reply_markup"] = markup
    chat.record_bot_message(message, media.summary(message))
    return copy.deepcopy(message)


def input_file(fake: FakeTelegram, params: dict, uploads: dict, kind: str) -> StoredFile:
    value = params.get(kind)
    upload = uploads.get(kind) if value is None else None
    if isinstance(value, str) and value.startswith("attach://"):
        upload = uploads.get(value.removeprefix("attach://"))
        if upload is None:
            raise ApiError(400, f"Bad Request: wrong file identifier/HTTP URL specified ({kind})")
    if upload is not None:
        if not upload.content:
            raise ApiError(400, "Bad Request: file must be non-empty")
        mime_type = mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        if kind == "photo":
            mime_type = "image/jpeg"
        return fake.store_file(upload.content, kind, upload.filename, mime_type)
    if not value:
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")
    if str(value).startswith(("http://", "https://")):
        raise ApiError(400, "Bad Request: failed to get HTTP URL content")
    return fake.file_or_error(str(value))


def _own_message(fake: FakeTelegram, params: dict, missing: str) -> tuple[FakeChat, dict]:
    user = fake.chat_or_error(params)
    message = user.message(params.get("message_id") or 0)
    if message is None:
        raise ApiError(400, f"Bad Request: {missing}")
    if message["from"]["id"] != fake.bot_id:
        raise ApiError(400, "Bad Request: message can't be edited")
    return user, message


def _edit(user: FakeChat, message: dict, changes: dict) -> dict:
    edited = copy.deepcopy(message)
    for key, value in changes.items():
        if value in (None, []):
            edited.pop(key, None)
        else:
            edited[key] = value
    if {k: v for k, v in edited.items() if k != "edit_date"} == {
        k: v for k, v in message.items() if k != "edit_date"
    }:
        raise ApiError(400, NOT_MODIFIED)
    edited["edit_date"] = int(time.time())
    user.record_edit(edited, media.summary(edited))
    return copy.deepcopy(edited)


# methods


@method("getMe")
async def get_me(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    return {
        **fake.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


@method("deleteWebhook")
async def delete_webhook(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    if params.get("drop_pending_updates"):
        fake.drop_pending_updates()
    return True


@method("getWebhookInfo")
async def get_webhook_info(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}


@method("setMyCommands")
async def set_my_commands(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    commands = params.get("commands") or []
    for command in commands:
        if not _COMMAND.match(command.get("command", "")):
            raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
        if not 1 <= len(command.get("description", "")) <= 256:
            raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
    key = (scope_key(params.get("scope")), params.get("language_code") or "")
    fake.commands_by_scope[key] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    return True


@method("deleteMyCommands")
async def delete_my_commands(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    key = (scope_key(params.get("scope")), params.get("language_code") or "")
    fake.commands_by_scope.pop(key, None)
    return True


@method("getMyCommands")
async def get_my_commands(fake: FakeTelegram, params: dict, uploads: dict) -> list:
    key = (scope_key(params.get("scope")), params.get("language_code") or "")
    return copy.deepcopy(fake.commands_by_scope.get(key, []))


@method("sendMessage")
async def send_message(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    user = fake.chat_or_error(params)
    text, entities = text_param(
        params, "text", "entities", _TEXT_LIMIT, "Bad Request: message text is empty"
    )
    return send_content(fake, user, params, {"text": text, "entities": entities})


@method("sendDocument")
async def send_document(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    user = fake.chat_or_error(params)
    caption, entities = text_param(params, "caption", "caption_entities", CAPTION_LIMIT, None)
    stored = input_file(fake, params, uploads, "document")
    content = {
        "document": media.document(stored),
        "caption": caption,
        "caption_entities": entities,
    }
    return send_content(fake, user, params, content)


@method("sendPhoto")
async def send_photo(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    user = fake.chat_or_error(params)
    caption, entities = text_param(params, "caption", "caption_entities", CAPTION_LIMIT, None)
    stored = input_file(fake, params, uploads, "photo")
    content = {"photo": media.photo(stored), "caption": caption, "caption_entities": entities}
    return send_content(fake, user, params, content)


@method("getFile")
async def get_file(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    stored = fake.file_or_error(str(params.get("file_id") or ""))
    if len(stored.content) > _GET_FILE_LIMIT:
        raise ApiError(400, "Bad Request: file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
        "file_path": stored.file_path,
    }


@method("editMessageText")
async def edit_message_text(fake: FakeTelegram, params: dict, uploads: dict) -> dict | bool:
    if params.get("inline_message_id"):
        return True
    user, message = _own_message(fake, params, "message to edit not found")
    if "text" not in message:
        raise ApiError(400, "Bad Request: there is no text in the message to edit")
    text, entities = text_param(
        params, "text", "entities", _TEXT_LIMIT, "Bad Request: message text is empty"
    )
    changes = {"text": text, "entities": entities, "reply_markup": _inline_markup(params)}
    return _edit(user, message, changes)


@method("editMessageCaption")
async def edit_message_caption(fake: FakeTelegram, params: dict, uploads: dict) -> dict | bool:
    if params.get("inline_message_id"):
        return True
    user, message = _own_message(fake, params, "message to edit not found")
    if "text" in message:
        raise ApiError(400, "Bad Request: there is no caption in the message to edit")
    caption, entities = text_param(params, "caption", "caption_entities", CAPTION_LIMIT, None)
    changes = {
        "caption": caption,
        "caption_entities": entities,
        "reply_markup": _inline_markup(params),
    }
    return _edit(user, message, changes)


@method("editMessageReplyMarkup")
async def edit_message_reply_markup(
    fake: FakeTelegram, params: dict, uploads: dict
) -> dict | bool:
    if params.get("inline_message_id"):
        return True
    user, message = _own_message(fake, params, "message to edit not found")
    return _edit(user, message, {"reply_markup": _inline_markup(params)})


@method("deleteMessage")
async def delete_message(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    user = fake.chat_or_error(params)
    message = user.message(params.get("message_id") or 0)
    if message is None:
        raise ApiError(400, "Bad Request: message to delete not found")
    if not user.deletable(message):
        raise ApiError(400, "Bad Request: message can't be deleted")
    user.record_delete(params["message_id"])
    return True


@method("deleteMessages")
async def delete_messages(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    user = fake.chat_or_error(params)
    for message_id in params.get("message_ids") or []:
        message = user.message(message_id)
        if message is not None and user.deletable(message):
            user.record_delete(message_id)
    return True


@method("answerCallbackQuery")
async def answer_callback_query(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    for chat in fake.chats:
        if chat.answer_callback(params):
            return True
    raise ApiError(
        400,
        "Bad Request: query is too old and response timeout expired or query ID is invalid",
    )


@method("sendChatAction")
async def send_chat_action(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    fake.chat_or_error(params)
    return True


@method("getChat")
async def get_chat(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    user = fake.chat_or_error(params)
    return {
        **user.chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": True,
            "limited_gifts": True,
            "unique_gifts": True,
            "premium_subscription": True,
            "gifts_from_channels": True,
        },
    }
