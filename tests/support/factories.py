"""Test data: the organisation tree most tests share, people with a Telegram account as the
bot registers them, organisations, plans and tasks, evidence."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, RoleKind, TaskStatus
from bot.domain.messages import Channel
from bot.services.access import Principal, load_principal, resolve_account
from bot.services.confirmations import EvidenceItem
from storage.models import ChannelAccount, Measure, Organization, Plan, Role, Task, User

_tg_ids = itertools.count(5000)
_positions = itertools.count(1)

DOC = EvidenceItem(
    kind="document",
    file_id="BQACAgIAAx000001",
    file_unique_id="AgAD000001",
    name="приказ.pdf",
    mime_type="application/pdf",
    size=12_345,
)
PHOTO = EvidenceItem(kind="photo", file_id="PHACAgIAAx000002", file_unique_id="AgAD2", size=99)
LINK = EvidenceItem(kind="link", url="https://school1.ru/vpr")


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


async def add_school_task(session: AsyncSession, tree: Tree, title: str) -> Task:
    """One measure of a municipal ВПР plan, due 15.03.2024, as a task of ``tree.school``;
    committed."""
    (task,) = await make_tasks(session, tree, [tree.school], title=title)
    return task


async def make_tasks(
    session: AsyncSession,
    tree: Tree,
    orgs: list[Organization],
    due: date = date(2024, 3, 15),
    *,
    title: str = "Приказ о проведении ВПР",
) -> list[Task]:
    """One planned task per org under one municipal ВПР measure; committed."""
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
    tasks = [
        Task(measure_id=measure.id, org_id=org.id, occurrence="", due_date=due, planned=True)
        for org in orgs
    ]
    session.add_all(tasks)
    await session.commit()
    return tasks


async def add_school(
    session: AsyncSession, parent: Organization, name: str, tz: str | None = None
) -> Organization:
    """A school under ``parent``, in its own time zone or the parent's; flushed."""
    school = Organization(name=name, kind=OrgKind.SCHOOL, parent_id=parent.id, timezone=tz)
    session.add(school)
    await session.flush()
    return school


async def add_person(
    session: AsyncSession,
    org: Organization,
    role: RoleKind = RoleKind.COORDINATOR,
    **fields,
) -> User:
    """A person with a Telegram account of a fresh id and one role in ``org``; ``name`` and
    the other ``User`` fields may be given; flushed."""
    name = fields.pop("name", "Координатор")
    user = await add_telegram_user(session, next(_tg_ids), name, **fields)
    session.add(Role(user_id=user.id, role=role, org_id=org.id))
    await session.flush()
    return user


async def add_task(
    session: AsyncSession,
    org: Organization,
    due: date | None,
    *,
    owner: Organization | None = None,
    title: str = "Приказ о проведении ВПР",
    deadline_text: str = "до 15 марта 2024 года",
    kind: str = "date",
    start: date | None = None,
    offsets: list[int] | None = None,
    status: TaskStatus = TaskStatus.OPEN,
) -> Task:
    """A task of ``org`` under its own one-measure plan, owned by ``owner`` or the org itself;
    flushed."""
    n = next(_positions)
    plan = Plan(
        org_id=(owner or org).id,
        title=f"План мероприятий {n}",
        period_start=date(2023, 9, 1),
        period_end=date(2024, 8, 31),
        reminder_offsets=offsets,
    )
    session.add(plan)
    await session.flush()
    measure = Measure(
        plan_id=plan.id,
        position=1,
        number=f"{n}.1",
        title=title,
        executor_level="school",
        deadline_text=deadline_text,
        deadline_kind=kind,
    )
    session.add(measure)
    await session.flush()
    task = Task(
        measure_id=measure.id,
        org_id=org.id,
        occurrence="1",
        start_date=start,
        due_date=due,
        status=status,
    )
    session.add(task)
    await session.flush()
    return task


@dataclass(frozen=True)
class TelegramIds:
    """The Telegram ids of the tree's people, for tests that act in their chats."""

    officer: int = 100
    muni_officer: int = 101
    coordinator: int = 200


@dataclass
class Tree:
    region: Organization
    muni: Organization
    muni2: Organization
    school: Organization
    school2: Organization
    risky: Organization
    other_school: Organization
    officer: User
    muni_officer: User
    coordinator: User
    tg: TelegramIds = TelegramIds()


async def build_tree(session: AsyncSession) -> Tree:
    """A region with two municipalities; schools in different time zones; three people
    (a regional and a municipal officer, the first school's coordinator); committed."""
    region = Organization(name="Министерство образования", kind=OrgKind.REGION)
    session.add(region)
    await session.flush()
    muni = Organization(
        name="Касимов", kind=OrgKind.MUNICIPALITY, parent_id=region.id, timezone="Europe/Moscow"
    )
    muni2 = Organization(
        name="Мегион",
        kind=OrgKind.MUNICIPALITY,
        parent_id=region.id,
        timezone="Asia/Yekaterinburg",
    )
    session.add_all([muni, muni2])
    await session.flush()
    school = Organization(name="МБОУ «СШ № 1»", kind=OrgKind.SCHOOL, parent_id=muni.id)
    school2 = Organization(name="МБОУ «СШ № 2»", kind=OrgKind.SCHOOL, parent_id=muni.id)
    risky = Organization(
        name="МБОУ «СШ № 3»", kind=OrgKind.SCHOOL, parent_id=muni.id, at_risk=True
    )
    other = Organization(name="СОШ № 4 Мегион", kind=OrgKind.SCHOOL, parent_id=muni2.id)
    session.add_all([school, school2, risky, other])
    tg = TelegramIds()
    officer = await add_telegram_user(session, tg.officer, "Ермакова Т.В.")
    muni_officer = await add_telegram_user(session, tg.muni_officer, "Седова Т.К.")
    coordinator = await add_telegram_user(session, tg.coordinator, "Петрова Анна")
    session.add_all(
        [
            Role(user_id=officer.id, role=RoleKind.OFFICER, org_id=region.id),
            Role(user_id=muni_officer.id, role=RoleKind.OFFICER, org_id=muni.id),
            Role(user_id=coordinator.id, role=RoleKind.COORDINATOR, org_id=school.id),
        ]
    )
    await session.commit()
    return Tree(
        region, muni, muni2, school, school2, risky, other, officer, muni_officer, coordinator
    )
