"""Forum topics and chat members, with the checks and error texts of TDLib and the Bot API."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING

from tests.fakeapi.errors import ApiError
from tests.fakeapi.forum import ADMIN_RIGHTS, FakeForum
from tests.fakeapi.methods import method

if TYPE_CHECKING:
    from tests.fakeapi.forum import Topic
    from tests.fakeapi.server import FakeTelegram

_TITLE_LIMIT = 128
# What getForumTopicIconStickers answers: the icons a bot may give a topic.
ICON_STICKERS = [
    {
        "file_id": f"CAACAgIAAxUAAWe{number:05d}",
        "file_unique_id": f"AgADtopic{number:02d}",
        "type": "custom_emoji",
        "width": 512,
        "height": 512,
        "is_animated": True,
        "is_video": False,
        "emoji": emoji,
        "set_name": "Topics",
        "custom_emoji_id": custom_emoji_id,
    }
    for number, (emoji, custom_emoji_id) in enumerate(
        [
            ("📰", "5434144690511290129"),
            ("💡", "5312536423851630001"),
            ("❓", "5377316857231450742"),
            ("❗️", "5379748062124056162"),
            ("✅", "5237699328843200968"),
            ("🔥", "5312241539987020022"),
        ]
    )
]
ICON_IDS = {sticker["custom_emoji_id"] for sticker in ICON_STICKERS}


def _forum(fake: FakeTelegram, params: dict) -> FakeForum:
    chat = fake.chat_or_error(params)
    if not isinstance(chat, FakeForum):
        raise ApiError(400, "Bad Request: the chat is not a forum")
    return chat


def _name(params: dict) -> str:
    # TDLib trims a topic name and cuts it to 128 characters rather than refusing it.
    return str(params.get("name") or "").strip()[:_TITLE_LIMIT]


def _icon(params: dict) -> str:
    icon = str(params.get("icon_custom_emoji_id") or "")
    if icon and icon not in ICON_IDS:
        # Telegram's own answer is not in the open-source server; the fake names its check.
        raise ApiError(
            400, "Bad Request: icon_custom_emoji_id is not one of getForumTopicIconStickers (fake)"
        )
    return icon


def _managed(
    fake: FakeTelegram, params: dict, right: str, refusal: str
) -> tuple[FakeForum, Topic]:
    """The forum and topic, if the bot holds the right or created the topic."""
    forum = _forum(fake, params)
    topic = forum.bot_topic(params.get("message_thread_id"))
    if not forum.bot_can(right) and topic.created_by != fake.bot_id:
        raise ApiError(400, f"Bad Request: not enough rights to {refusal}")
    return forum, topic


@method("getForumTopicIconStickers")
async def get_forum_topic_icon_stickers(fake: FakeTelegram, params: dict, uploads: dict) -> list:
    return copy.deepcopy(ICON_STICKERS)


@method("createForumTopic")
async def create_forum_topic(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    forum = _forum(fake, params)
    if not forum.bot_can("can_manage_topics"):
        raise ApiError(400, "Bad Request: not enough rights to create a topic")
    name = _name(params)
    if not name:
        raise ApiError(400, "Bad Request: title must be non-empty")
    color = params.get("icon_color") or 0
    if not isinstance(color, int) or not 0 <= color <= 0xFFFFFF:
        raise ApiError(400, "Bad Request: invalid icon color specified")
    topic = forum.open_topic(dict(fake.bot_user), name, color or forum.next_color(), _icon(params))
    return topic.as_forum_topic()


@method("editForumTopic")
async def edit_forum_topic(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    forum, topic = _managed(fake, params, "can_manage_topics", "edit the topic")
    name = _name(params)
    changes: dict = {}
    if name and name != topic.name:
        changes["name"] = name
    if "icon_custom_emoji_id" in params:
        icon = _icon(params)
        if icon != (topic.icon_custom_emoji_id or ""):
            changes["icon_custom_emoji_id"] = icon
    elif not name:
        # Neither a name nor an icon: TDLib answers at once and asks Telegram nothing.
        return True
    if not changes:
        raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
    forum.edit_topic_as(dict(fake.bot_user), topic, changes)
    return True


@method("closeForumTopic")
async def close_forum_topic(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    return _toggle(fake, params, closed=True)


@method("reopenForumTopic")
async def reopen_forum_topic(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    return _toggle(fake, params, closed=False)


def _toggle(fake: FakeTelegram, params: dict, closed: bool) -> bool:
    forum, topic = _managed(fake, params, "can_manage_topics", "close or open the topic")
    if topic.closed == closed:
        raise ApiError(400, "Bad Request: TOPIC_NOT_MODIFIED")
    forum.set_closed(dict(fake.bot_user), topic, closed)
    return True


@method("deleteForumTopic")
async def delete_forum_topic(fake: FakeTelegram, params: dict, uploads: dict) -> bool:
    forum = _forum(fake, params)
    topic = forum.bot_topic(params.get("message_thread_id"))
    if not forum.bot_can("can_delete_messages"):
        raise ApiError(400, "Bad Request: not enough rights to delete the topic")
    forum.remove_topic(topic)
    return True


# members


def _member(
    fake: FakeTelegram, user: dict, status: str, rights: Mapping[str, bool] | None = None
) -> dict:
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        # Whoever promoted an administrator may edit their rights; for the fake, nobody's but the bot's.
        edited = user["id"] == fake.bot_id
        return {"status": "administrator", "user": user, "can_be_edited": edited, **(rights or {})}
    return {"status": status, "user": user}


@method("getChatMember")
async def get_chat_member(fake: FakeTelegram, params: dict, uploads: dict) -> dict:
    chat = fake.chat_or_error(params)
    user_id = params.get("user_id")
    if user_id == fake.bot_id:
        rights = chat.bot_rights if isinstance(chat, FakeForum) else None
        status = "administrator" if rights is not None else "member"
        return _member(fake, dict(fake.bot_user), status, rights)
    person = fake.users.get(user_id) if isinstance(user_id, int) else None
    if person is None:
        raise ApiError(400, "Bad Request: user not found")
    if not isinstance(chat, FakeForum):
        if person is not chat:
            raise ApiError(400, "Bad Request: user not found")
        return _member(fake, person.as_user, "member")
    status = chat.members.get(person.tg_id, "left")
    return _member(fake, person.as_user, status, ADMIN_RIGHTS)


@method("getChatAdministrators")
async def get_chat_administrators(fake: FakeTelegram, params: dict, uploads: dict) -> list:
    chat = fake.chat_or_error(params)
    if not isinstance(chat, FakeForum):
        raise ApiError(400, "Bad Request: there are no administrators in the private chat")
    admins = [
        _member(fake, fake.users[user_id].as_user, status, ADMIN_RIGHTS)
        for user_id, status in chat.members.items()
        if status != "member"
    ]
    if chat.bot_rights is not None:
        admins.append(_member(fake, dict(fake.bot_user), "administrator", chat.bot_rights))
    return admins
