"""A fake Telegram Bot API server for end-to-end tests of the unmodified bot."""

import asyncio
import contextlib
import copy
import itertools
import logging
import mimetypes
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from aiohttp import web

# albums, copies and topics add their Bot API methods to methods.REGISTRY as they load.
from tests.fakeapi import albums, copies, methods, topics  # noqa: F401
from tests.fakeapi.chats import FakeChat
from tests.fakeapi.errors import ApiError, FailureRule
from tests.fakeapi.flood import FloodControl
from tests.fakeapi.forum import ADMIN_RIGHTS, FakeForum
from tests.fakeapi.params import read_params
from tests.fakeapi.users import FakeUser

logger = logging.getLogger(__name__)

_CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)


@dataclass
class ApiCall:
    method: str
    params: dict
    at: float
    status: int = 200
    description: str | None = None
    result: object = None


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    content: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None


@dataclass
class _Poll:
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    superseded: bool = False


class FakeTelegram:
    """Bot API over HTTP on 127.0.0.1; point the bot at `url`, play users via `user()`.

    fake = FakeTelegram(); await fake.start()
    user = fake.user(tg_id=1001, first_name="Анна")
    await user.send("/start"); reply = await user.wait_message()
    fake.fail_next("sendMessage", status=429, retry_after=2); fake.latency = 0.2
    fake.flood_control()  # Telegram's 30 messages a second, one a second per chat
    forum = fake.forum(-1001000000001, members=[user])  # a supergroup with topics
    """

    def __init__(self, token: str = "123456:TEST", bot_username: str = "roadmap_test_bot") -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_user = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_username.removesuffix("_bot").replace("_", " ").title(),
            "username": bot_username,
        }
        self.latency = 0.0
        self.calls: list[ApiCall] = []
        self.users: dict[int, FakeUser] = {}
        self.forums: dict[int, FakeForum] = {}
        self.files: dict[str, StoredFile] = {}
        self.allowed_updates: list[str] = []
        self._method_latency: dict[str, float] = {}
        self._failures: list[FailureRule] = []
        # Off unless a test turns it on: most tests send faster than Telegram would allow.
        self.flood: FloodControl | None = None
        self.commands_by_scope: dict[tuple[str, str], list[dict]] = {}
        self._updates: list[dict] = []
        self._delivered_up_to = 0
        self._update_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._media_group_ids = itertools.count(1)
        self._polls: list[_Poll] = []
        self._changed = asyncio.Event()
        self._latency_changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    # lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        self._closing = True
        for poll in self._polls:
            poll.wake.set()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # test-facing API

    def user(
        self,
        tg_id: int,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str = "ru",
    ) -> FakeUser:
        if tg_id not in self.users:
            self.users[tg_id] = FakeUser(
                self, tg_id, first_name, last_name, username, language_code
            )
        return self.users[tg_id]

    def forum(
        self,
        chat_id: int,
        title: str = "Операторы горячей линии",
        members: Iterable[FakeUser] = (),
        username: str | None = None,
        bot_admin: bool = True,
        bot_rights: Mapping[str, bool] | None = None,
    ) -> FakeForum:
        """A supergroup with topics; the bot is an administrator (ADMIN_RIGHTS, with
        bot_rights overriding some) unless bot_admin is False."""
        if chat_id not in self.forums:
            rights = {**ADMIN_RIGHTS, **(bot_rights or {})} if bot_admin else None
            self.forums[chat_id] = FakeForum(self, chat_id, title, username, rights)
        forum = self.forums[chat_id]
        for member in members:
            forum.add_member(member)
        return forum

    @property
    def requests(self) -> list[tuple[str, dict]]:
        return [(call.method, call.params) for call in self.calls]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | str | None = None,
        description: str | None = None,
    ) -> FailureRule:
        rule = FailureRule(method, status, times, retry_after, chat_id, description)
        self._failures.append(rule)
        return rule

    def flood_control(
        self, global_per_second: int = 30, per_chat_per_second: int = 1, window: float = 1.0
    ) -> FloodControl:
        """Answer messages over Telegram's limits with 429 from now on, as Telegram does."""
        self.flood = FloodControl(global_per_second, per_chat_per_second, window=window)
        return self.flood

    @property
    def retry_after_hits(self) -> int:
        """How many requests were answered 429 (by flood control or by ``fail_next``)."""
        return sum(call.status == 429 for call in self.calls)

    def set_latency(self, method: str, seconds: float) -> None:
        """Answer ``method`` after ``seconds``; a call already waiting when the latency is
        lowered is answered once it has waited the new one."""
        self._method_latency[method.lower()] = seconds
        changed, self._latency_changed = self._latency_changed, asyncio.Event()
        changed.set()

    def commands(
        self, scope: dict | int | None = None, language_code: str = ""
    ) -> list[dict] | None:
        """Commands set for a scope (a chat id means that private chat), None if never set."""
        return copy.deepcopy(self.commands_by_scope.get((methods.scope_key(scope), language_code)))

    def sent_documents(self, chat_id: int) -> list[tuple[str, bytes]]:
        return [
            (self.files[doc["file_id"]].file_name or "", self.files[doc["file_id"]].content)
            for doc in self._bot_media(chat_id, "document")
        ]

    def sent_photos(self, chat_id: int) -> list[bytes]:
        return [
            self.files[sizes[-1]["file_id"]].content for sizes in self._bot_media(chat_id, "photo")
        ]

    def enqueue(self, update: dict) -> dict:
        """Queue an update for getUpdates; the update_id is assigned here."""
        update = {"update_id": next(self._update_ids), **update}
        self._updates.append(update)
        for poll in self._polls:
            poll.wake.set()
        return update

    def drop_pending_updates(self) -> None:
        self._updates.clear()

    @property
    def pending_updates(self) -> list[dict]:
        return list(self._updates)

    async def wait_delivered(self, within: float = 5.0) -> None:
        """Wait until getUpdates has handed out every queued update at least once."""
        last = self._updates[-1]["update_id"] if self._updates else 0
        await self.wait_for(lambda: self._delivered_up_to >= last, within, "updates delivered")

    async def wait_for(self, check: Callable[[], bool], within: float, what: str) -> None:
        """Wait until check() holds; it is re-evaluated whenever the fake's state changes."""
        try:
            async with asyncio.timeout(within):
                while not check():
                    await self._changed.wait()
        except TimeoutError:
            raise AssertionError(f"timed out after {within}s waiting for {what}") from None

    # used by users and methods

    def notify(self) -> None:
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()

    def store_file(
        self, content: bytes, kind: str, file_name: str | None, mime_type: str | None
    ) -> StoredFile:
        number = next(self._file_ids)
        extension = mimetypes.guess_extension(mime_type or "") or ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"{kind[:2].upper()}ACAgIAAx{number:06d}",
            file_unique_id=f"AgAD{number:06d}",
            content=content,
            file_path=f"{kind}s/file_{number}{extension}",
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_or_error(self, file_id: str) -> StoredFile:
        stored = self.files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        return stored

    def next_callback_id(self) -> str:
        return f"{self.bot_id}{next(self._callback_ids):08d}"

    def next_media_group_id(self) -> str:
        return str(13_000_000_000_000_000 + next(self._media_group_ids))

    def chat(self, chat_id: object) -> FakeChat | None:
        """A private chat (a user's id) or a forum, or None."""
        if not isinstance(chat_id, int):
            return None
        return self.users.get(chat_id) or self.forums.get(chat_id)

    @property
    def chats(self) -> list[FakeChat]:
        return [*self.users.values(), *self.forums.values()]

    def chat_or_error(self, params: dict) -> FakeChat:
        chat_id = params.get("chat_id")
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self.chat(chat_id)
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _bot_media(self, chat_id: int, kind: str) -> list:
        chat = self.chat(chat_id)
        if chat is None:
            return []
        return [message[kind] for message in chat.all_messages(bot_only=True) if kind in message]

    # HTTP

    async def _handle_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        try:
            params, uploads = await read_params(request)
        except ApiError as error:
            return _json(error.payload(), error.status)
        call = ApiCall(method, params, time.monotonic())
        self.calls.append(call)
        self.notify()
        # Flood control counts a message when it arrives; its answer still takes the latency.
        refused = self.flood.refusal(method, params) if self.flood is not None else None
        await self._delay(method.lower(), call.at)
        try:
            if refused is not None:
                raise refused
            result = await self._dispatch(method, params, uploads)
        except ApiError as error:
            call.status, call.description = error.status, error.description
            self.notify()
            return _json(error.payload(), error.status)
        call.result = result
        self.notify()
        return _json({"ok": True, "result": result})

    async def _delay(self, method: str, since: float) -> None:
        """Wait out the method's latency, counted from ``since``."""
        while True:
            remaining = since + self._method_latency.get(method, self.latency) - time.monotonic()
            if remaining <= 0:
                return
            changed = self._latency_changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    async def _dispatch(self, method: str, params: dict, uploads: dict) -> object:
        for rule in self._failures:
            if rule.matches(method, params):
                raise rule.error()
        chat = self.users.get(params.get("chat_id"))  # type: ignore[arg-type]
        if chat is not None and chat.blocked and method.lower() != "getchat":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if method.lower() == "getupdates":
            return await self._get_updates(params)
        handler = methods.REGISTRY.get(method.lower())
        if handler is None:
            logger.debug("fake Bot API: %s answered with a bare true", method)
            return True
        return await handler(self, params, uploads)

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = params.get("offset")
        if offset is not None and offset >= 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset is not None:
            self._updates = self._updates[offset:]
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"])
        limit = max(1, min(int(params.get("limit") or 100), 100))
        timeout = float(params.get("timeout") or 0)
        for poll in self._polls:
            poll.superseded = True
            poll.wake.set()
        poll = _Poll()
        self._polls.append(poll)
        try:
            deadline = asyncio.get_running_loop().time() + timeout
            while True:
                ready = [u for u in self._updates if self._allowed(u)][:limit]
                remaining = deadline - asyncio.get_running_loop().time()
                if ready or remaining <= 0 or self._closing:
                    break
                poll.wake.clear()
                try:
                    await asyncio.wait_for(poll.wake.wait(), remaining)
                except TimeoutError:
                    continue
                if poll.superseded:
                    raise ApiError(409, _CONFLICT)
        finally:
            self._polls.remove(poll)
        if ready:
            self._delivered_up_to = max(self._delivered_up_to, ready[-1]["update_id"])
        return copy.deepcopy(ready)

    def _allowed(self, update: dict) -> bool:
        kinds = self.allowed_updates or _DEFAULT_UPDATE_TYPES
        return any(kind in update for kind in kinds)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if request.match_info["token"] != self.token:
            raise web.HTTPUnauthorized()
        for stored in self.files.values():
            if stored.file_path == path:
                return web.Response(body=stored.content, content_type="application/octet-stream")
        raise web.HTTPNotFound()


# Telegram leaves chat_member and reactions out unless a bot asks for them by name.
_DEFAULT_UPDATE_TYPES = [
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
]


def _json(body: dict, status: int = 200) -> web.Response:
    return web.json_response(body, status=status)
