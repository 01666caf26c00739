"""Telegram updates as a user's client sends them: texts, presses, files, photos, membership."""

from __future__ import annotations

import itertools
import time
from typing import Any

from aiogram.types import Update

from tests.fakeapi.entities import command_entities
from tests.support.recording import TOKEN

BOT = {"id": int(TOKEN.split(":")[0]), "is_bot": True, "first_name": "Roadmap"}

_update_ids = itertools.count(1)
_message_ids = itertools.count(1000)


def user_dict(
    user_id: int,
    first_name: str = "Test",
    last_name: str | None = None,
    username: str | None = None,
) -> dict:
    """A Telegram user as the Bot API describes one."""
    user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if last_name:
        user["last_name"] = last_name
    if username:
        user["username"] = username
    return user


def _private_chat(user: dict) -> dict:
    keys = ("first_name", "last_name", "username")
    return {"id": user["id"], "type": "private", **{k: user[k] for k in keys if k in user}}


def _message_dict(user_id: int, chat_id: int | None, user_kwargs: dict, **content: Any) -> dict:
    user = user_dict(user_id, **user_kwargs)
    chat = _private_chat(user) if chat_id in (None, user_id) else {"id": chat_id, "type": "group"}
    if chat["type"] == "group":
        chat["title"] = "Group"
    return {
        "message_id": content.pop("message_id", None) or next(_message_ids),
        "date": int(time.time()),
        "chat": chat,
        "from": user,
        **{key: value for key, value in content.items() if value is not None},
    }


def _update(**event: Any) -> Update:
    return Update.model_validate({"update_id": next(_update_ids), **event})


def message_update(
    user_id: int,
    text: str,
    *,
    chat_id: int | None = None,
    message_id: int | None = None,
    **user_kwargs: Any,
) -> Update:
    """A text message from a user; /commands get their bot_command entities."""
    message = _message_dict(
        user_id,
        chat_id,
        user_kwargs,
        message_id=message_id,
        text=text,
        entities=command_entities(text) or None,
    )
    return _update(message=message)


def callback_update(
    user_id: int,
    data: str,
    *,
    message_id: int = 1,
    message_text: str = "…",
    reply_markup: dict | None = None,
    chat_id: int | None = None,
    **user_kwargs: Any,
) -> Update:
    """A button press on a bot message with the given id."""
    message = _message_dict(
        user_id,
        chat_id,
        user_kwargs,
        message_id=message_id,
        text=message_text,
        reply_markup=reply_markup,
    )
    message["from"] = dict(BOT)
    query = {
        "id": str(next(_update_ids) * 7919),
        "from": user_dict(user_id, **user_kwargs),
        "chat_instance": f"ci{user_id}",
        "message": message,
        "data": data,
    }
    return _update(callback_query=query)


def document_update(
    user_id: int,
    *,
    file_id: str = "FILE000001",
    file_name: str = "plan.docx",
    mime_type: str | None = None,
    file_size: int | None = None,
    caption: str | None = None,
    chat_id: int | None = None,
    **user_kwargs: Any,
) -> Update:
    """A document message; pair it with RecordingSession.add_file to make it downloadable."""
    document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name}
    if mime_type:
        document["mime_type"] = mime_type
    if file_size is not None:
        document["file_size"] = file_size
    message = _message_dict(user_id, chat_id, user_kwargs, document=document, caption=caption)
    return _update(message=message)


def media_update(user_id: int, **content: Any) -> Update:
    """A private message from the user with the given content (photo, video, sticker, …);
    ``message_id`` may be given too."""
    return _update(message=_message_dict(user_id, None, {}, **content))


def photo_update(user_id: int, file_id: str, media_group_id: str | None = None) -> Update:
    """A photo in two sizes, optionally one part of an album."""
    sizes = [
        {"file_id": f"{file_id}s", "file_unique_id": f"u{file_id}s", "width": 90, "height": 90},
        {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1280, "height": 960},
    ]
    return media_update(user_id, photo=sizes, media_group_id=media_group_id)


def my_chat_member_update(user_id: int, status: str = "kicked", **user_kwargs: Any) -> Update:
    """The user blocked (kicked) or restarted (member) the bot."""
    user = user_dict(user_id, **user_kwargs)
    old = "member" if status == "kicked" else "kicked"

    def member(state: str) -> dict:
        return {
            "status": state,
            "user": dict(BOT),
            **({"until_date": 0} if state == "kicked" else {}),
        }

    event = {
        "chat": _private_chat(user),
        "from": user,
        "date": int(time.time()),
        "old_chat_member": member(old),
        "new_chat_member": member(status),
    }
    return _update(my_chat_member=event)
