"""Message content as Telegram shapes it: files, albums, and one-line summaries for transcripts."""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tests.fakeapi.entities import command_entities

if TYPE_CHECKING:
    from tests.fakeapi.server import FakeTelegram, StoredFile

# Keys a copy of a message carries over; copies and forwards drop everything else.
CONTENT_KEYS = (
    "text",
    "entities",
    "document",
    "photo",
    "video",
    "audio",
    "voice",
    "sticker",
    "caption",
    "caption_entities",
    "show_caption_above_media",
    "has_media_spoiler",
)
# Service messages the fake produces; they cannot be copied, and the bot never "sent" them.
SERVICE_KEYS = (
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
)
ALBUM_KINDS = ("photo", "video", "document", "audio")
MAX_ALBUM = 10


@dataclass
class Media:
    """One item of an album a test sends as a user: Media("photo", b"..."), Media("document", ...)."""

    kind: str
    content: bytes
    file_name: str | None = None
    caption: str | None = None
    mime_type: str | None = None


def is_service(message: dict) -> bool:
    return any(key in message for key in SERVICE_KEYS)


def _file_fields(stored: StoredFile) -> dict:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": len(stored.content),
    }


def document(stored: StoredFile) -> dict:
    body = _file_fields(stored)
    if stored.file_name:
        body["file_name"] = stored.file_name
    if stored.mime_type:
        body["mime_type"] = stored.mime_type
    return body


def photo(stored: StoredFile) -> list[dict]:
    return [{**_file_fields(stored), "width": 1280, "height": 960}]


def video(stored: StoredFile, duration: int = 0) -> dict:
    return {**document(stored), "width": 1280, "height": 720, "duration": duration}


def audio(stored: StoredFile, duration: int = 0) -> dict:
    return {**document(stored), "duration": duration}


def voice(stored: StoredFile, duration: int) -> dict:
    return {**_file_fields(stored), "duration": duration, "mime_type": "audio/ogg"}


def sticker(stored: StoredFile, emoji: str, set_name: str | None) -> dict:
    body = {
        **_file_fields(stored),
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    if set_name:
        body["set_name"] = set_name
    return body


_BODIES = {"photo": photo, "video": video, "document": document, "audio": audio}
_DEFAULT_MIME = {"photo": "image/jpeg", "video": "video/mp4", "audio": "audio/mpeg"}


def body(kind: str, stored: StoredFile) -> dict | list[dict]:
    return _BODIES[kind](stored)


def mime_for(kind: str, file_name: str | None, mime_type: str | None = None) -> str:
    if kind == "photo":
        return "image/jpeg"
    guessed = mimetypes.guess_type(file_name)[0] if file_name else None
    return mime_type or guessed or _DEFAULT_MIME.get(kind, "application/octet-stream")


# content of what a user sends


def text_content(text: str) -> dict:
    return {"text": text, "entities": command_entities(text)}


def file_content(
    fake: FakeTelegram,
    kind: str,
    content: bytes,
    file_name: str | None = None,
    caption: str | None = None,
    mime_type: str | None = None,
) -> dict:
    stored = fake.store_file(content, kind, file_name, mime_for(kind, file_name, mime_type))
    return {kind: body(kind, stored), "caption": caption}


def voice_content(fake: FakeTelegram, content: bytes, duration: int, caption: str | None) -> dict:
    stored = fake.store_file(content, "voice", None, "audio/ogg")
    return {"voice": voice(stored, duration), "caption": caption}


def sticker_content(fake: FakeTelegram, emoji: str, set_name: str | None) -> dict:
    stored = fake.store_file(b"RIFF\x00\x00\x00\x00WEBPVP8 ", "sticker", None, "image/webp")
    return {"sticker": sticker(stored, emoji, set_name)}


def album_contents(fake: FakeTelegram, items: Sequence[Media]) -> list[dict]:
    """Contents of a user's album, checked as a Telegram app checks it before sending."""
    kinds = {item.kind for item in items}
    if not 2 <= len(items) <= MAX_ALBUM:
        raise AssertionError(f"an album holds 2-{MAX_ALBUM} items, not {len(items)}")
    if not kinds <= set(ALBUM_KINDS):
        raise AssertionError(f"albums hold {', '.join(ALBUM_KINDS)}, not {sorted(kinds)}")
    if len(kinds) > 1 and kinds & {"document", "audio"}:
        raise AssertionError(f"documents and audio are grouped only with their own kind: {kinds}")
    group_id = fake.next_media_group_id()
    return [
        {
            **file_content(
                fake, item.kind, item.content, item.file_name, item.caption, item.mime_type
            ),
            "media_group_id": group_id,
        }
        for item in items
    ]


def summary(message: dict) -> str:
    """One line for a chat transcript."""
    if "text" in message:
        line = message["text"]
    elif "document" in message:
        name = message["document"].get("file_name")
        line = f"[document {name}] {message.get('caption', '')}".rstrip()
    elif "sticker" in message:
        line = f"[sticker {message['sticker'].get('emoji', '')}]"
    elif service := next((key for key in SERVICE_KEYS if key in message), None):
        name = message[service].get("name")
        line = f"[{service.replace('_', ' ')}{f' «{name}»' if name else ''}]"
    else:
        kind = next((key for key in ("photo", "video", "audio", "voice") if key in message), None)
        line = f"[{kind or 'message'}] {message.get('caption', '')}".rstrip()
    if "media_group_id" in message:
        line += f"  [album {message['media_group_id']}]"
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    if rows:
        buttons = " | ".join(button["text"] for row in rows for button in row)
        line += f"  [buttons: {buttons}]"
    return line
