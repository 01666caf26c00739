"""Bot API parameters from JSON, form-urlencoded and multipart requests, typed like JSON."""

import json
from dataclasses import dataclass

from aiohttp import web

from tests.fakeapi.errors import ApiError

# Clients send nested objects as JSON strings in form fields.
_JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "scope",
    "allowed_updates",
    "media",
    "reply_parameters",
    "link_preview_options",
    "menu_button",
    "message_ids",
    "results",
    "permissions",
}
_INT_FIELDS = {
    "chat_id",
    "from_chat_id",
    "message_id",
    "message_thread_id",
    "offset",
    "limit",
    "timeout",
    "user_id",
    "cache_time",
    "until_date",
    "duration",
    "width",
    "height",
    "icon_color",
}
_BOOL_PREFIXES = (
    "disable_",
    "protect_",
    "show_",
    "allow_",
    "is_",
    "has_",
    "drop_",
    "can_",
    "remove_",
)


@dataclass
class Upload:
    filename: str
    content: bytes
    content_type: str | None


def _typed(key: str, value: str) -> object:
    if key in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as error:
            raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from error
    if key in _INT_FIELDS and value.lstrip("-").isdigit():
        return int(value)
    if key.startswith(_BOOL_PREFIXES) and value in ("true", "false"):
        return value == "true"
    return value


async def read_params(request: web.Request) -> tuple[dict, dict[str, Upload]]:
    params: dict = {}
    uploads: dict[str, Upload] = {}
    for key, value in request.query.items():
        params[key] = _typed(key, value)
    if request.content_type == "application/json":
        body = await request.json() if request.can_read_body else {}
        params.update(body or {})
        return params, uploads
    if request.can_read_body:
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
            else:
                params[key] = _typed(key, str(value))
    return params, uploads
