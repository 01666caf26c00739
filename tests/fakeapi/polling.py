"""Run a dispatcher's long polling against the fake server for the length of a test."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiogram import Bot, Dispatcher
from aiogram.client.telegram import TelegramAPIServer

from bot.channels.telegram.session import BotApiSession
from tests.fakeapi.server import FakeTelegram


def fake_bot(fake: FakeTelegram, **kwargs: object) -> Bot:
    """A real Bot whose HTTP session talks to the fake server."""
    session = BotApiSession(api=TelegramAPIServer.from_base(fake.url))
    return Bot(fake.token, session=session, **kwargs)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def polling(
    fake: FakeTelegram, dp: Dispatcher, bot: Bot, **kwargs: object
) -> AsyncIterator[asyncio.Task]:
    """Poll in the background; on exit stop polling and wait for in-flight handlers."""
    started = len(fake.calls_to("getUpdates"))
    kwargs.setdefault("polling_timeout", 1)
    task = asyncio.create_task(
        dp.start_polling(bot, handle_signals=False, close_bot_session=False, **kwargs)
    )
    try:
        await fake.wait_for(
            lambda: len(fake.calls_to("getUpdates")) > started or task.done(),
            5.0,
            "the dispatcher to start polling",
        )
        if task.done():
            task.result()
        yield task
    finally:
        if not task.done():
            await dp.stop_polling()
        # Handlers run as separate tasks and outlive the polling loop unless awaited.
        handlers = set(dp._handle_update_tasks)
        if handlers:
            _, unfinished = await asyncio.wait(handlers, timeout=5.0)
            for handler in unfinished:
                handler.cancel()
            await asyncio.gather(*unfinished, return_exceptions=True)
        with contextlib.suppress(asyncio.CancelledError):
            await task
