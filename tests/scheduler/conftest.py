"""Scheduler fixtures: a recording bot and the context a delivery tick runs in."""

from __future__ import annotations

import pytest

from tests.support.outbox import Ctx
from tests.support.recording import RecordingSession, make_bot


@pytest.fixture
def recording() -> RecordingSession:
    return RecordingSession()


@pytest.fixture
def ctx(settings, session_factory, recording) -> Ctx:
    return Ctx(settings, session_factory, make_bot(recording))
