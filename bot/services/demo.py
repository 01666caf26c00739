"""Demo data: a region with schools, the seed plans, coordinators, reports and transfers."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import ConfirmationResult, RoleKind, TaskStatus
from bot.domain.errors import ValidationError
from bot.services import confirmations, plans, transfers
from bot.services.access import SYSTEM, load_principal
from bot.services.orgs import RegistryRow, import_registry, org_today, org_todays
from storage.repo import orgs, users
from storage.repo import reports as repo

SEEDS_DIR = Path(__file__).resolve().parents[2] / "docs" / "seeds"
REGION = "Министерство образования (демо)"
# Every demo organisation has a zone, so the deployment's default zone never applies.
REGION_ZONE = "Europe/Moscow"
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
NAMES = ("Петрова Анна", "Иванов Сергей", "Смирнова Ольга", "Кузнецова Мария", "Соколов Пётр")
REASONS = ("Не хватает наблюдателей", "Директор на больничном", "Ждём методические материалы")
COMMENTS = ("Приказ подписан", "Фотоотчёт приложен", None, "Протокол на сайте школы")
TRANSFER_REASONS = ("Проверочная работа перенесена по графику", "Совпадает с каникулами")
# What happens to a past task: the report's result and the officer's decision on it.
OUTCOMES = {
    "on_time": (ConfirmationResult.DONE, "accept"),
    "late": (ConfirmationResult.DONE, "accept"),
    "review": (ConfirmationResult.DONE, None),
    "returned": (ConfirmationResult.DONE, "return"),
    "partial": (ConfirmationResult.PARTIAL, "accept"),
    "not_done": (ConfirmationResult.NOT_DONE, "accept"),
    "partial_review": (ConfirmationResult.PARTIAL, None),
    "open": (None, None),
}
# Shares of past tasks per outcome, in the order above; risk-list schools are late more often.
WEIGHTS = (45, 8, 12, 6, 4, 3, 3, 19)
RISKY_WEIGHTS = (20, 15, 10, 10, 6, 6, 3, 30)
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


@dataclass(frozen=True)
class DemoSummary:
    root: str
    orgs: int
    plans: int
    tasks: int
    people: int
    confirmations: int


def _shift(text: str, years: int, first: int, last: int) -> str:
    def shifted(match: re.Match[str]) -> str:
        year = int(match[0])
        return str(year + years) if first <= year <= last else match[0]

    return _YEAR.sub(shifted, text)


def current_seed(data: bytes, filename: str, today: date) -> bytes:
    """The seed document with the years of its plan moved so that today falls inside it.

    The text moves, not the computed dates, so the deadline rules themselves give current
    dates and any recompute (a new deadline, a re-import) keeps them. Of the whole-year
    shifts around today, the one with the most even mix of past and coming deadlines wins,
    with the past preferred: reports need deadlines that have come. Years far from the
    plan's own, such as those of the laws it cites, stay as written.
    """
    text = data.decode("utf-8")
    period = plans.preview_plan(data, filename).period
    first, last = period.start.year - 1, period.end.year + 1
    middle = period.start + (period.end - period.start) / 2
    around = round((today - middle).days / 365.25)
    best: tuple[tuple[int, int], bytes] | None = None
    for years in (around - 1, around, around + 1):
        moved = _shift(text, years, first, last).encode("utf-8")
        due = [d for m in plans.preview_plan(moved, filename).measures for d in m.due]
        past = sum(1 for d in due if d <= today)
        score = (min(past, len(due) - past), past)
        if best is None or score > best[0]:
            best = (score, moved)
    assert best is not None
    return best[1]


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
    rows = [RegistryRow(REGION, "", REGION_ZONE, False)]
    for muni, zone, schools, _ in MUNICIPALITIES:
        rows.append(RegistryRow(muni, REGION, zone, False))
        rows += [RegistryRow(name, muni, None, risky) for name, risky in schools]
    await import_registry(session, SYSTEM, rows)
    root = await orgs.get_org_by_name(session, REGION)
    assert root is not None

    # Demo people have no channel accounts: nothing is ever sent to them.
    officer = users.add_user(session, "Ермакова Татьяна (демо)")
    await session.flush()
    users.add_role(session, officer.id, RoleKind.OFFICER, root.id)
    school_ids: list[int] = []
    plan_ids: set[int] = set()
    for muni_name, _, _, seed_file in MUNICIPALITIES:
        muni = await orgs.get_org_by_name(session, muni_name, root.id)
        assert muni is not None
        for number, school in enumerate(await orgs.list_children(session, muni.id)):
            person = users.add_user(session, NAMES[number % len(NAMES)])
            await session.flush()
            users.add_role(session, person.id, RoleKind.COORDINATOR, school.id)
            school_ids.append(school.id)
        await session.commit()
        today = await org_today(session, muni.id, REGION_ZONE, now)
        data = current_seed((seeds_dir / seed_file).read_bytes(), seed_file, today)
        result = await plans.import_plan(session, SYSTEM, muni.id, data, seed_file)
        plan_ids.add(result.plan_id)

    all_ids = sorted(await orgs.subtree_ids(session, [root.id]))
    tasks = await repo.tasks_with_plans(session, all_ids)
    confirmed = await _confirm_past_tasks(session, rng, tasks, school_ids, officer.id, now)
    await _request_transfers(session, tasks, school_ids, officer.id, now)
    return DemoSummary(
        root=root.name,
        orgs=len(all_ids),
        plans=len(plan_ids),
        tasks=len(tasks),
        people=len(school_ids),
        confirmations=confirmed,
    )


async def _coordinators(session: AsyncSession, school_ids: list[int]) -> dict:
    found = {}
    for user, org_id in await users.active_users_with_role(
        session, RoleKind.COORDINATOR, school_ids
    ):
        found[org_id] = await load_principal(session, user.id)
    return found


async def _confirm_past_tasks(
    session: AsyncSession,
    rng: random.Random,
    tasks: list,
    school_ids: list[int],
    officer_id: int,
    now: datetime,
) -> int:
    officer = await load_principal(session, officer_id)
    coordinators = await _coordinators(session, school_ids)
    risky = {o.id for o in await orgs.list_orgs(session, school_ids) if o.at_risk}
    today = await org_todays(session, school_ids, REGION_ZONE, now)
    names = list(OUTCOMES)
    count = 0
    past = [
        task
        for task, _ in tasks
        if task.org_id in coordinators
        and task.due_date is not None
        and task.due_date <= today[task.org_id]
    ]
    for serial, task in enumerate(past, 1):
        weights = RISKY_WEIGHTS if task.org_id in risky else WEIGHTS
        # The first past tasks go through every outcome once, so each state shows up.
        outcome = names[serial - 1] if serial <= len(names) else rng.choices(names, weights)[0]
        result, decision = OUTCOMES[outcome]
        if result is None:
            continue
        day = (
            task.due_date + timedelta(days=rng.randint(1, 12))
            if outcome == "late"
            else task.due_date - timedelta(days=rng.randint(0, 6))
        )
        submitted = datetime.combine(min(day, today[task.org_id]), time(rng.randint(6, 14)), UTC)
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
        if decision == "accept":
            await confirmations.accept_confirmation(session, officer, view.id, now=now)
        elif decision == "return":
            await confirmations.return_confirmation(
                session, officer, view.id, "Приложите подписанный приказ", now=now
            )
    return count


async def _request_transfers(
    session: AsyncSession, tasks: list, school_ids: list[int], officer_id: int, now: datetime
) -> None:
    """An approved transfer of an overdue task and a pending one of a coming task."""
    officer = await load_principal(session, officer_id)
    coordinators = await _coordinators(session, school_ids)
    today = await org_todays(session, school_ids, REGION_ZONE, now)
    open_tasks = [
        task
        for task, _ in tasks
        if task.org_id in coordinators
        and task.status == TaskStatus.OPEN
        and task.due_date is not None
    ]
    overdue = next((t for t in open_tasks if t.due_date < today[t.org_id]), None)
    coming = next(
        (t for t in open_tasks if t.due_date > today[t.org_id] and t is not overdue), None
    )
    requests = []
    if overdue is not None:
        moved = today[overdue.org_id] + timedelta(days=14)
        requests.append((overdue, moved, TRANSFER_REASONS[0], True))
    if coming is not None:
        requests.append((coming, coming.due_date + timedelta(days=10), TRANSFER_REASONS[1], False))
    for task, new_due, reason, approve in requests:
        view = await transfers.request_transfer(
            session, coordinators[task.org_id], task.id, new_due, reason, today[task.org_id]
        )
        if approve:
            await transfers.decide_transfer(session, officer, view.id, approve=True, now=now)
