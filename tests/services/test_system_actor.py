"""The console and scheduled jobs act as the system; a person without rights is refused where
«no principal» used to let anyone through."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.services import events, invites, orgs, plans, reports, tasks
from bot.services.access import SYSTEM, Grant, Principal
from bot.services.orgs import RegistryRow
from storage.models import Invite, Plan
from storage.repo import audit

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "plans" / "seeds" / "001_97e2f94167d8e6ac.txt"
NOW = datetime(2024, 3, 1, 9, tzinfo=UTC)


def person(user, *grants: Grant) -> Principal:
    """A registered person with exactly these grants."""
    return replace(
        SYSTEM, user_id=user.id, full_name=user.full_name, grants=grants, is_system=False
    )


@pytest.fixture
def coordinator(tree) -> Principal:
    return person(tree.coordinator, Grant(RoleKind.COORDINATOR, tree.school.id))


@pytest.fixture
def officer(tree) -> Principal:
    return person(tree.muni_officer, Grant(RoleKind.OFFICER, tree.muni.id))


async def test_a_coordinator_is_refused_what_the_console_may_do(session, tree, coordinator):
    school, school2, muni = tree.school.id, tree.school2.id, tree.muni.id
    rows = [RegistryRow("Школа № 9", "Касимов", None, False)]
    with pytest.raises(AccessDenied):
        await orgs.import_registry(session, coordinator, rows)
    with pytest.raises(ValidationError) as caught:
        await orgs.import_registry(session, coordinator, [RegistryRow("Регион", "", None, False)])
    assert caught.value.code == "registry_root_forbidden"
    assert await orgs.list_all(session, coordinator) == []
    with pytest.raises(AccessDenied):
        await invites.create_invite(session, coordinator, school, RoleKind.COORDINATOR, ttl_days=3)
    with pytest.raises(AccessDenied):
        await reports.build_report(session, coordinator, muni, NOW)
    with pytest.raises(AccessDenied):
        await plans.import_plan(session, coordinator, muni, SEED.read_bytes(), SEED.name)
    with pytest.raises(AccessDenied):
        await events.list_events(session, coordinator, school2)

    invite = await invites.create_invite(session, SYSTEM, school, RoleKind.COORDINATOR, ttl_days=3)
    assert await invites.list_invites(session, coordinator) == []
    with pytest.raises(NotFound):
        await invites.revoke_invite(session, coordinator, invite.id)
    assert [v.id for v in await invites.list_invites(session, SYSTEM)] == [invite.id]
    assert len(await orgs.list_all(session, SYSTEM)) == 7


async def test_the_system_is_audited_as_no_one_and_a_person_by_their_id(session, tree, officer):
    await orgs.import_registry(session, SYSTEM, [RegistryRow("Школа № 9", "Касимов", None, False)])
    by_system = await invites.create_invite(
        session, SYSTEM, tree.school.id, RoleKind.COORDINATOR, ttl_days=3
    )
    by_officer = await invites.create_invite(
        session, officer, tree.school.id, RoleKind.COORDINATOR, ttl_days=3
    )
    imported = await plans.import_plan(session, SYSTEM, tree.muni.id, SEED.read_bytes(), SEED.name)
    measure = (await plans.list_undated_measures(session, SYSTEM, imported.plan_id))[0]
    await tasks.change_measure_deadline(session, officer, measure.id, "до 15 мая 2024 года")

    actors = {(e.action, e.object_id): e.actor_id for e in await audit.list_audit(session)}
    assert actors[("org.import", None)] is None
    assert actors[("invite.create", by_system.id)] is None
    assert actors[("invite.create", by_officer.id)] == tree.muni_officer.id
    assert actors[("plan.import", imported.plan_id)] is None
    assert actors[("measure.deadline", measure.id)] == tree.muni_officer.id
    creators = dict((await session.execute(select(Invite.id, Invite.created_by_id))).all())
    assert creators == {by_system.id: None, by_officer.id: tree.muni_officer.id}
    plan = await session.get(Plan, imported.plan_id)
    assert plan.created_by_id is None


def test_no_service_takes_none_for_anyone() -> None:
    optional = re.compile(r"principal: Principal \| None")
    found = [
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "bot" / "services").rglob("*.py")
        if optional.search(path.read_text(encoding="utf-8"))
    ]
    # The plan service is being cut into a package; it takes SYSTEM already and the
    # signatures follow with the split.
    assert found == []
