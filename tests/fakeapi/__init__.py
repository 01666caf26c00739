"""Fake Telegram Bot API server that the unmodified bot long-polls in end-to-end tests."""

from tests.fakeapi.errors import ApiError, FailureRule
from tests.fakeapi.flood import FloodControl
from tests.fakeapi.forum import FakeForum, Topic
from tests.fakeapi.media import Media
from tests.fakeapi.polling import polling
from tests.fakeapi.server import ApiCall, FakeTelegram, StoredFile
from tests.fakeapi.users import FakeUser

__all__ = [
    "ApiCall",
    "ApiError",
    "FailureRule",
    "FakeForum",
    "FakeTelegram",
    "FakeUser",
    "FloodControl",
    "Media",
    "StoredFile",
    "Topic",
    "polling",
]
