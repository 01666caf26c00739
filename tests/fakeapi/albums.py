"""sendMediaGroup with the checks and error texts of the Bot API server and TDLib."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.fakeapi import media
from tests.fakeapi.errors import ApiError
from tests.fakeapi.methods import CAPTION_LIMIT, input_file, method, send_content, text_param

if TYPE_CHECKING:
    from tests.fakeapi.server import FakeTelegram

_PARSE = "Bad Request: can't parse InputMedia: "


def _item(fake: FakeTelegram, item: object, uploads: dict) -> dict:
    """One InputMedia read as the Bot API server reads it: caption, type, then the file."""
    if not isinstance(item, dict):
        raise ApiError(400, _PARSE + "expected an Object")
    try:
        caption, entities = text_param(item, "caption", "caption_entities", CAPTION_LIMIT, None)
    except ApiError as error:
        if "can't parse entities" not in error.description:
            raise
        reason = error.description.removeprefix("Bad Request: ")
        raise ApiError(400, _PARSE + reason[0].upper() + reason[1:]) from None
    kind = item.get("type")
    if kind == "animation":
        raise ApiError(400, _PARSE + 'type "animation" can\'t be used in sendMediaGroup')
    if kind not in media.ALBUM_KINDS:
        raise ApiError(400, _PARSE + f'type "{kind}" is unsupported')
    value = item.get("media")
    if not value or (str(value).startswith("attach://") and value[9:] not in uploads):
        raise ApiError(400, _PARSE + "media not found")
    body = media.body(kind, input_file(fake, {kind: value}, uploads, kind))
    if isinstance(body, dict) and "duration" in body and item.get("duration"):
        body["duration"] = int(str(item["duration"]))
    return {
        kind: body,
        "caption": caption,
        "caption_entities": entities,
        "show_caption_above_media": item.get("show_caption_above_media") or None,
        "has_media_spoiler": item.get("has_spoiler") or None,
    }


@method("sendMediaGroup")
async def send_media_group(fake: FakeTelegram, params: dict, uploads: dict) -> list:
    items = params.get("media")
    if items is None:
        raise ApiError(400, 'Bad Request: parameter "media" is required')
    if not isinstance(items, list):
        raise ApiError(400, "Bad Request: expected an Array of InputMedia")
    contents = [_item(fake, item, uploads) for item in items]
    chat = fake.chat_or_error(params)
    if not contents:
        raise ApiError(400, "Bad Request: there are no messages to send")
    if len(contents) > media.MAX_ALBUM:
        raise ApiError(400, "Bad Request: too many messages to send as an album")
    kinds = {next(k for k in media.ALBUM_KINDS if k in content) for content in contents}
    for alone in ("document", "audio"):
        if alone in kinds and len(kinds) > 1:
            raise ApiError(400, f"Bad Request: {alone} can't be mixed with other media types")
    captions_above = {content["show_caption_above_media"] for content in contents}
    if len(captions_above) > 1 and kinds & {"photo", "video"}:
        raise ApiError(
            400,
            "Bad Request: parameter show_caption_above_media must be the same for all messages",
        )
    chat.bot_thread(params.get("message_thread_id"))
    # TDLib sends a lone item as an ordinary message, outside any album.
    group_id = fake.next_media_group_id() if len(contents) > 1 else None
    # The server reads no reply_markup for an album.
    options = {key: value for key, value in params.items() if key != "reply_markup"}
    return [
        send_content(fake, chat, options, {**content, "media_group_id": group_id})
        for content in contents
    ]
