"""«Today» is the organisation's date: at 23:30 UTC a school on Kamchatka is already in the
next day, and what it is shown (typed dates, invitation expiries) follows."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import time_machine
from sqlalchemy import select

from bot.domain.enums import RoleKind
from bot.exports.invites import invites_csv
from bot.services import events, invites, orgs, tasks
from bot.services.access import SYSTEM
from storage.models import Measure, Organization, Task
from tests.support.factories import add_school_task

LATE_EVENING_UTC = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)
DEFAULT = "Europe/Moscow"


async def _kamchatka(session, tree) -> Organization:
    tree.school.timezone = "Asia/Kamchatka"
    tree.school2.timezone = "Europe/Kaliningrad"
    await session.commit()
    return tree.school


async def test_each_organisation_has_its_own_today(session, tree):
    school = await _kamchatka(session, tree)
    now = LATE_EVENING_UTC
    assert now.date() == date(2024, 3, 10)
    assert await orgs.org_today(session, school.id, DEFAULT, now) == date(2024, 3, 11)
    # Three hours earlier Kaliningrad (UTC+2) is still on the 10th, Kamchatka (UTC+12) is not.
    earlier = now.replace(hour=20)
    assert await orgs.org_todays(session, [school.id, tree.school2.id], DEFAULT, earlier) == {
        school.id: date(2024, 3, 11),
        tree.school2.id: date(2024, 3, 10),
    }
    # The region has no zone of its own: the deployment's default applies.
    assert await orgs.org_today(session, tree.region.id, "Asia/Kamchatka", earlier) == date(
        2024, 3, 11
    )
    assert await orgs.org_today(session, tree.region.id, DEFAULT, earlier) == date(2024, 3, 10)


async def test_a_typed_tomorrow_is_the_schools_tomorrow(session, tree):
    school = await _kamchatka(session, tree)
    data = "НИКО;;;завтра\nВПР;математика;5;сегодня\n".encode()
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        assert await events.import_events_csv(session, SYSTEM, school.id, data) == (2, 0)
    found = {e.kind: e.date for e in await events.list_events(session, SYSTEM, school.id)}
    assert found == {"НИКО": date(2024, 3, 12), "ВПР": date(2024, 3, 11)}


async def test_a_date_typed_for_a_measure_is_read_in_the_plan_offices_today(session, tree):
    tree.muni.timezone = "Asia/Kamchatka"
    task = await add_school_task(session, tree, "Назначить организаторов")
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        found = await tasks.set_measure_due_typed(
            session, SYSTEM, task.measure_id, "завтра", DEFAULT
        )
        assert (
            await tasks.set_measure_due_typed(
                session, SYSTEM, task.measure_id, "когда-нибудь", DEFAULT
            )
            is None
        )
    # 23:30 UTC on the 10th is the 11th on Kamchatka, so «завтра» is the 12th.
    assert found.due == date(2024, 3, 12)
    session.expire_all()
    dues = await session.scalars(select(Task.due_date).where(Task.measure_id == task.measure_id))
    assert list(dues) == [date(2024, 3, 12)]
    assert (await session.get(Measure, task.measure_id)).deadline["set_by_officer"] is True


def invite_link_of(token: str) -> str:
    return f"https://t.me/rb?start={token}"


async def test_invitation_expiry_is_the_schools_date(session, tree):
    school = await _kamchatka(session, tree)
    with time_machine.travel(LATE_EVENING_UTC, tick=False):
        created = await invites.create_invite(
            session, SYSTEM, school.id, RoleKind.COORDINATOR, ttl_days=3
        )
        listed = await invites.list_invites(session, SYSTEM)
    # 13.03 23:30 UTC is 14.03 11:30 on Kamchatka.
    assert created.expires_on(DEFAULT) == date(2024, 3, 14)
    assert [v.expires_on(DEFAULT) for v in listed] == [date(2024, 3, 14)]
    rows = list(
        csv.reader(
            io.StringIO(invites_csv([created], invite_link_of).decode("utf-8-sig")), delimiter=";"
        )
    )
    assert rows[1][2] == "2024-03-14"
