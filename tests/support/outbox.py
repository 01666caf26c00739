"""The outbox as tests see it: what a delivery tick needs and the rows the queue holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiogram import Bot
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.telegram.sender import TelegramSender
from bot.config import Settings
from bot.domain.delivery import Sender
from storage.models import OutboxMessage


@dataclass
class Ctx:
    """What ``tick`` needs from the application: here a Telegram sender over ``bot``."""

    settings: Settings
    session_factory: async_sessionmaker[AsyncSession]
    bot: Bot
    senders: dict[str, Sender] = field(init=False)

    def __post_init__(self) -> None:
        self.senders = {"telegram": TelegramSender(self.bot)}


async def rows_of(session: AsyncSession, **where) -> list[OutboxMessage]:
    """Outbox rows in due order, fresh from the database, filtered by column values."""
    query = (
        select(OutboxMessage)
        .order_by(OutboxMessage.due_at, OutboxMessage.id)
        .execution_options(populate_existing=True)
    )
    for name, value in where.items():
        query = query.where(getattr(OutboxMessage, name) == value)
    return list((await session.scalars(query)).all())
