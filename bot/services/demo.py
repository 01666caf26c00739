"""Demo data: a region with schools, the seed plans, coordinators and confirmations in all states."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.plans.calendar import add_years
from bot.services import confirmations, plans
from bot.services.access import load_principal
from bot.services.errors import ValidationError
from bot.services.orgs import RegistryRow, import_registry
from storage.models import ConfirmationResult, RoleKind
from storage.repo import orgs, users
from storage.repo import reports as repo

SEEDS_DIR = Path(__file__).resolve().parents[2] / "docs" / "seeds"
REGION = "Министерство образования (демо)"
# (municipality, zone, schools with the risk-list flag, seed plan file)
MUNICIPALITIES = (
    (
        "Касимов",
        "Europe/Moscow",
        [("МБОУ «СШ № 1»", False), ("МБОУ «СШ № 2»", False), ("МБОУ «СШ № 3»", True)],
        "000_4e1183fe32276538.txt",
    ),
    (
        "Гурьевский округ",
        "Europe/Kaliningrad",
        [("МАОУ «Гимназия № 1»", False), ("МБОУ «СОШ пос. Васильково»", True)],
        "001_97e2f94167d8e6ac.txt",
    ),
    (
        "Мегион",
        "Asia/Yekaterinburg",
        [("МАОУ «СОШ № 1»", False), ("МАОУ «СОШ № 4»", False), ("МАОУ «СОШ № 9»", True)],
        "003_d69cd12a23d95c9e.txt",
    ),
    (
        "Ангарский городской округ",
        "Asia/Irkutsk",
        [("МБОУ «Лицей № 1»", False), ("МБОУ «СОШ № 10»", False)],
        "001_97e2f94167d8e6ac.txt",
    ),
)
FIRST_TG_ID = 900_000_001
AHEAD = timedelta(days=150)
NAMES = ("Петрова Анна", "Иванов Сергей", "Смирнова Ольга", "Кузнецова Мария", "Соколов Пётр")
REASONS = ("Не хватает наблюдателей", "Директор на больничном", "Ждём методические материалы")
COMMENTS = ("Приказ подписан", "Фотоотчёт приложен", None, "Протокол на сайте школы")
# Shares of past tasks per outcome; schools on the risk list are late more often.
OUTCOMES = ("on_time", "late", "review", "returned", "partial", "not_done", "open")
WEIGHTS = (45, 8, 12, 6, 5, 4, 20)
RISKY_WEIGHTS = (20, 15, 10, 10, 8, 7, 30)


@dataclass(frozen=True)
class DemoSummary:
    root: str
    orgs: int
    plans: int
    tasks: int
    people: int
    confirmations: int


def _shift_years(period_end: date, today: date) -> int:
    """Whole years that move a past plan so that today falls inside it, with months to go."""
    years = 0
    while add_years(period_end, years) < today + AHEAD:
        years += 1
    return years


def _evidence(rng: random.Random, serial: int) -> list[confirmations.EvidenceItem]:
    items = [
        confirmations.EvidenceItem(
            kind="document",
            file_id=f"DEMO-DOC-{serial}",
            file_unique_id=f"demo-doc-{serial}",
            name=f"приказ_{serial}.pdf",
            mime_type="application/pdf",
            size=rng.randint(40_000, 900_000),
        )
    ]
    if rng.random() < 0.5:
        items.append(
            confirmations.EvidenceItem(
                kind="photo",
                file_id=f"DEMO-PHOTO-{serial}",
                file_unique_id=f"demo-photo-{serial}",
                mime_type="image/jpeg",
                size=rng.randint(100_000, 2_000_000),
            )
        )
    if rng.random() < 0.4:
        items.append(
            confirmations.EvidenceItem(kind="link", url=f"https://school.example/{serial}")
        )
    return items


async def load_demo(
    session: AsyncSession, now: datetime, seeds_dir: Path = SEEDS_DIR, seed: int = 2024
) -> DemoSummary:
    """Fill an empty database with the demo; refuses a database that holds anything."""
    if not await repo.database_is_empty(session):
        raise ValidationError("demo_not_empty")
    rng = random.Random(seed)
    rows = [RegistryRow(REGION, "", "Europe/Moscow", False)]
    for muni, zone, schools, _ in MUNICIPALITIES:
        rows.append(RegistryRow(muni, REGION, zone, False))
        rows += [RegistryRow(name, muni, None, risky) for name, risky in schools]
    await import_registry(session, None, rows)
    root = await orgs.get_org_by_name(session, REGION)
    assert root is not None

    tg_id = FIRST_TG_ID
    officer = users.add_user(session, tg_id, "Ермакова Татьяна (демо)", None)
    await session.flush()
    users.add_role(session, officer.id, RoleKind.OFFICER, root.id)
    school_ids: list[int] = []
    plan_ids: set[int] = set()
    for muni_name, _, _, seed_file in MUNICIPALITIES:
        muni = await orgs.get_org_by_name(session, muni_name, root.id)
        assert muni is not None
        for number, school in enumerate(await orgs.list_children(session, muni.id)):
            tg_id += 1
            person = users.add_user(session, tg_id, NAMES[number % len(NAMES)], None)
            await session.flush()
            users.add_role(session, person.id, RoleKind.COORDINATOR, school.id)
            school_ids.append(school.id)
        await session.commit()
        data = (seeds_dir / seed_file).read_bytes()
        result = await plans.import_plan(session, None, muni.id, data, seed_file)
        plan_ids.add(result.plan_id)

    today = now.date()
    all_ids = sorted(await orgs.subtree_ids(session, [root.id]))
    tasks = await repo.tasks_with_plans(session, all_ids)
    shift: dict[int, int] = {}
    for task, plan in tasks:
        if plan.id not in shift:
            shift[plan.id] = years = _shift_years(plan.period_end, today)
            plan.period_start = add_years(plan.period_start, years)
            plan.period_end = add_years(plan.period_end, years)
        years = shift[plan.id]
        if task.due_date is not None:
            task.due_date = add_years(task.due_date, years)
        if task.start_date is not None:
            task.start_date = add_years(task.start_date, years)
        task.planned = False
    await session.commit()

    confirmed = await _confirm_past_tasks(session, rng, tasks, school_ids, officer.tg_id, now)
    return DemoSummary(
        root=root.name,
        orgs=len(all_ids),
        plans=len(plan_ids),
        tasks=len(tasks),
        people=len(school_ids),
        confirmations=confirmed,
    )


async def _confirm_past_tasks(
    session: AsyncSession,
    rng: random.Random,
    tasks: list,
    school_ids: list[int],
    officer_tg_id: int,
    now: datetime,
) -> int:
    officer = await load_principal(session, officer_tg_id)
    coordinators = {}
    for user, org_id in await users.active_users_with_role(
        session, RoleKind.COORDINATOR, school_ids
    ):
        coordinators[org_id] = await load_principal(session, user.tg_id)
    risky = {o.id for o in await orgs.list_orgs(session, school_ids) if o.at_risk}
    today = now.date()
    count = 0
    for serial, (task, _) in enumerate(tasks, 1):
        if task.org_id not in coordinators or task.due_date is None or task.due_date > today:
            continue
        weights = RISKY_WEIGHTS if task.org_id in risky else WEIGHTS
        outcome = rng.choices(OUTCOMES, weights)[0]
        if outcome == "open":
            continue
        early = outcome != "late"
        day = (
            task.due_date - timedelta(days=rng.randint(0, 6))
            if early
            else (task.due_date + timedelta(days=rng.randint(1, 12)))
        )
        submitted = datetime.combine(min(day, today), time(rng.randint(6, 14)), UTC)
        result = {
            "partial": ConfirmationResult.PARTIAL,
            "not_done": ConfirmationResult.NOT_DONE,
        }.get(outcome, ConfirmationResult.DONE)
        reason = rng.choice(REASONS) if result != ConfirmationResult.DONE else None
        view = await confirmations.submit_confirmation(
            session,
            coordinators[task.org_id],
            task.id,
            result,
            reason,
            rng.choice(COMMENTS),
            _evidence(rng, serial),
            now=submitted,
        )
        count += 1
        if outcome in ("on_time", "late"):
            await confirmations.accept_confirmation(session, officer, view.id, now=now)
        elif outcome == "returned":
            await confirmations.return_confirmation(
                session, officer, view.id, "Приложите подписанный приказ", now=now
            )
    return count
