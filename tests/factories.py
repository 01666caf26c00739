"""Test data: people with a Telegram account, as the bot registers them, and who they are."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.messages import Channel
from bot.services.access import Principal, load_principal, resolve_account
from storage.models import ChannelAccount, Measure, Plan, Task, User


async def add_telegram_user(
    session: AsyncSession, tg_id: int, full_name: str = "", **fields: Any
) -> User:
    """A person with a Telegram account whose private chat is ``tg_id``; flushed, not committed."""
    user = User(full_name=full_name, **fields)
    session.add(user)
    await session.flush()
    session.add(
        ChannelAccount(
            user_id=user.id,
            channel=Channel.TELEGRAM,
            external_id=str(tg_id),
            chat_id=str(tg_id),
        )
    )
    await session.flush()
    return user


async def telegram_principal(session: AsyncSession, tg_id: int) -> Principal | None:
    """The person behind a Telegram account, as the bot sees them on an update."""
    user_id = await resolve_account(session, Channel.TELEGRAM, str(tg_id))
    return await load_principal(session, user_id) if user_id is not None else None


async def tg_id_of(session: AsyncSession, user: User) -> int:
    """The Telegram id of a person made by ``add_telegram_user``."""
    query = select(ChannelAccount.external_id).where(
        ChannelAccount.user_id == user.id, ChannelAccount.channel == Channel.TELEGRAM
    )
    return int(await session.scalar(query))


async def add_school_task(session: AsyncSession, tree: Any, title: str) -> Task:
    """One measure of a municipal ВПР plan, due 15.03.2024, as a task of ``tree.school``;
    committed."""
    plan = Plan(
        org_id=tree.muni.id,
        title="Дорожная карта ВПР",
        period_start=date(2023, 9, 1),
        period_end=date(2024, 8, 31),
    )
    session.add(plan)
    await session.flush()
    measure = Measure(
        plan_id=plan.id,
        position=1,
        number="1.3.",
        title=title,
        executor_level="school",
        deadline_text="до 15 марта 2024 года",
        deadline_kind="date",
    )
    session.add(measure)
    await session.flush()
    task = Task(
        measure_id=measure.id,
        org_id=tree.school.id,
        occurrence="",
        due_date=date(2024, 3, 15),
        planned=True,
    )
    session.add(task)
    await session.commit()
    return task
