"""The officer's hotline settings card: what is in force and whose, changing each setting
with its checks, bringing back the settings from above, and who may do it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, ErrorCode, ValidationError
from bot.services.hotline import common, operators, routing, settings, tickets
from storage.models import AuditEntry, HotlineSettings, Role, Ticket
from tests.support.factories import add_person
from tests.support.tickets import MORNING, TZ, draft, principal_of


async def own_row(session, org_id: int) -> HotlineSettings | None:
    query = select(HotlineSettings).where(HotlineSettings.org_id == org_id)
    return (await session.scalars(query.execution_options(populate_existing=True))).first()


async def audit_actions(session) -> list[str]:
    return list((await session.scalars(select(AuditEntry.action).order_by(AuditEntry.id))).all())


async def test_the_card_shows_the_defaults_then_what_the_region_set(session, tree):
    muni_officer = await principal_of(session, tree.muni_officer)
    card = await settings.hotline_settings_view(session, muni_officer, tree.muni.id, default_tz=TZ)
    assert (card.org_name, card.own, card.source_org_name) == ("Касимов", False, None)
    assert card.parent_name == "Министерство образования"
    assert (card.settings.work_start, card.settings.work_end) == (9, 18)
    assert card.settings.timezone == "Europe/Moscow" and not card.opted_out

    officer = await principal_of(session, tree.officer)
    region = await settings.update_hotline_settings(
        session, officer, tree.region.id, default_tz=TZ, answer_hours=4
    )
    assert region.own and region.parent_name is None
    card = await settings.hotline_settings_view(session, muni_officer, tree.muni.id, default_tz=TZ)
    assert (card.own, card.source_org_id, card.settings.answer_hours) == (
        False,
        tree.region.id,
        4,
    )
    assert card.source_org_name == "Министерство образования"
    assert await own_row(session, tree.muni.id) is None


async def test_a_first_change_makes_own_settings_from_those_in_force(session, tree):
    session.add(
        HotlineSettings(
            org_id=tree.region.id, escalate_days=5, appeal_url="https://minobr.example.ru"
        )
    )
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    card = await settings.update_hotline_settings(
        session, officer, tree.muni.id, default_tz=TZ, work_hours="10-17"
    )
    assert card.own and card.source_org_name is None
    row = await own_row(session, tree.muni.id)
    assert (row.work_start, row.work_end, row.escalate_days) == (10, 17, 5)
    assert row.appeal_url == "https://minobr.example.ru"
    region = await own_row(session, tree.region.id)
    assert (region.work_start, region.work_end) == (9, 18)
    [entry] = (await session.scalars(select(AuditEntry))).all()
    assert (entry.action, entry.actor_id, entry.object_id) == (
        "hotline.settings",
        tree.muni_officer.id,
        tree.muni.id,
    )
    assert entry.details == {"work_start": 10, "work_end": 17}


async def test_every_setting_is_read_as_typed_and_takes_effect(session, tree):
    officer = await principal_of(session, tree.muni_officer)
    await settings.update_hotline_settings(
        session,
        officer,
        tree.muni.id,
        default_tz=TZ,
        work_hours="с 08:00 до 20:00",
        work_days=[5, 0, 2],
        periods="01.09.2026-30.09.2026; 01.03.2026 – 31.05.2026",
        answer_hours="12 часов",
        escalate_days="5",
        appeal_url=" https://kasimov.example.ru/appeal ",
        enabled=False,
    )
    current = await settings.effective_settings(session, tree.muni.id, default_tz=TZ)
    assert (current.work_start, current.work_end, current.work_days) == (8, 20, (0, 2, 5))
    assert current.periods == (("2026-03-01", "2026-05-31"), ("2026-09-01", "2026-09-30"))
    assert (current.answer_hours, current.escalate_days) == (12, 5)
    assert current.appeal_url == "https://kasimov.example.ru/appeal"
    assert current.enabled is False

    card = await settings.update_hotline_settings(
        session, officer, tree.muni.id, default_tz=TZ, periods="всегда", appeal_url="-"
    )
    assert card.settings.periods == () and card.settings.appeal_url is None
    assert card.settings.answer_hours == 12


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"work_hours": "18-9"}, ErrorCode.HOTLINE_BAD_HOURS),
        ({"work_hours": "9:30-18:00"}, ErrorCode.HOTLINE_BAD_HOURS),
        ({"work_hours": "9-25"}, ErrorCode.HOTLINE_BAD_HOURS),
        ({"work_hours": "с утра"}, ErrorCode.HOTLINE_BAD_HOURS),
        ({"work_hours": (12, 12)}, ErrorCode.HOTLINE_BAD_HOURS),
        ({"work_start": 18}, ErrorCode.HOTLINE_BAD_HOURS),
        ({"work_days": []}, ErrorCode.HOTLINE_BAD_DAYS),
        ({"work_days": [0, 7]}, ErrorCode.HOTLINE_BAD_DAYS),
        ({"answer_hours": 0}, ErrorCode.HOTLINE_BAD_ANSWER_HOURS),
        ({"answer_hours": "241"}, ErrorCode.HOTLINE_BAD_ANSWER_HOURS),
        ({"answer_hours": "восемь"}, ErrorCode.HOTLINE_BAD_ANSWER_HOURS),
        ({"escalate_days": 61}, ErrorCode.HOTLINE_BAD_ESCALATE_DAYS),
        ({"escalate_days": "-1"}, ErrorCode.HOTLINE_BAD_ESCALATE_DAYS),
        ({"periods": "31.05.2026-01.03.2026"}, ErrorCode.HOTLINE_PERIOD_REVERSED),
        ({"periods": "весной"}, ErrorCode.HOTLINE_BAD_PERIODS),
        ({"periods": "01.03.2026-31.05.2026, потом"}, ErrorCode.HOTLINE_BAD_PERIODS),
        ({"periods": "01.13.2026-31.12.2026"}, ErrorCode.HOTLINE_BAD_PERIODS),
        ({"periods": "01.02.2026-30.02.2026"}, ErrorCode.IMPOSSIBLE_DATE),
        (
            {"periods": ", ".join(["01.03.2026-02.03.2026"] * 13)},
            ErrorCode.HOTLINE_TOO_MANY_PERIODS,
        ),
        ({"appeal_url": "ftp://kasimov.example.ru"}, ErrorCode.HOTLINE_BAD_URL),
        ({"appeal_url": "kasimov.example.ru"}, ErrorCode.HOTLINE_BAD_URL),
        ({"appeal_url": "https://"}, ErrorCode.HOTLINE_BAD_URL),
        ({"enabled": "да"}, ErrorCode.INVALID),
        # One bad value among good ones: nothing of them is saved.
        ({"answer_hours": 4, "escalate_days": 0}, ErrorCode.HOTLINE_BAD_ESCALATE_DAYS),
    ],
)
async def test_a_wrong_value_is_refused_and_nothing_changes(session, tree, change, code):
    session.add(HotlineSettings(org_id=tree.muni.id, answer_hours=6))
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    with pytest.raises(ValidationError) as raised:
        await settings.update_hotline_settings(
            session, officer, tree.muni.id, default_tz=TZ, **change
        )
    assert raised.value.code == code
    # Whatever the refused call left pending in the session would be written now.
    await session.commit()
    row = await own_row(session, tree.muni.id)
    assert (row.answer_hours, row.escalate_days, row.work_start, row.work_end) == (6, 3, 9, 18)
    assert (row.work_days, row.periods, row.appeal_url, row.enabled) == (
        [0, 1, 2, 3, 4],
        [],
        None,
        True,
    )
    assert await audit_actions(session) == []


async def test_a_wrong_first_change_leaves_no_row_behind(session, tree):
    officer = await principal_of(session, tree.muni_officer)
    with pytest.raises(ValidationError):
        await settings.update_hotline_settings(
            session, officer, tree.muni.id, default_tz=TZ, work_hours="20-8"
        )
    await session.commit()
    assert await own_row(session, tree.muni.id) is None


async def test_only_the_organisations_own_officers_see_and_change_its_settings(session, tree):
    muni2_officer = await add_person(session, tree.muni2, RoleKind.OFFICER, name="Мегион")
    operator = await add_person(session, tree.muni, RoleKind.OPERATOR, name="Оператор")
    await session.commit()
    strangers = [
        # An officer of the region above may not change a municipality's own settings.
        await principal_of(session, tree.officer),
        await principal_of(session, muni2_officer),
        await principal_of(session, tree.coordinator),
        await principal_of(session, operator),
    ]
    for stranger in strangers:
        with pytest.raises(AccessDenied):
            await settings.hotline_settings_view(session, stranger, tree.muni.id, default_tz=TZ)
        with pytest.raises(AccessDenied):
            await settings.update_hotline_settings(
                session, stranger, tree.muni.id, default_tz=TZ, answer_hours=1
            )
        with pytest.raises(AccessDenied):
            await settings.reset_hotline_settings(session, stranger, tree.muni.id, default_tz=TZ)
    assert await own_row(session, tree.muni.id) is None
    assert await audit_actions(session) == []


async def test_bringing_back_the_settings_above_forgets_the_own_ones(session, tree):
    session.add_all(
        [
            HotlineSettings(org_id=tree.region.id, answer_hours=4),
            HotlineSettings(org_id=tree.muni.id, answer_hours=20, work_start=7),
        ]
    )
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    card = await settings.reset_hotline_settings(session, officer, tree.muni.id, default_tz=TZ)
    assert (card.own, card.source_org_name) == (False, "Министерство образования")
    assert (card.settings.answer_hours, card.settings.work_start) == (4, 9)
    assert await own_row(session, tree.muni.id) is None
    assert await audit_actions(session) == ["hotline.settings_reset"]

    with pytest.raises(ValidationError) as raised:
        await settings.reset_hotline_settings(session, officer, tree.muni.id, default_tz=TZ)
    assert raised.value.code == ErrorCode.HOTLINE_SETTINGS_INHERITED


async def test_bringing_back_the_settings_above_keeps_the_bound_forum(session, tree):
    session.add_all(
        [
            HotlineSettings(org_id=tree.region.id, answer_hours=4, work_days=[0, 1, 2]),
            HotlineSettings(
                org_id=tree.muni.id,
                answer_hours=20,
                appeal_url="https://kasimov.example.ru",
                forum_channel="telegram",
                forum_chat_id="-1001",
            ),
        ]
    )
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    card = await settings.reset_hotline_settings(session, officer, tree.muni.id, default_tz=TZ)
    assert card.forum_bound and card.own
    row = await own_row(session, tree.muni.id)
    assert (row.forum_channel, row.forum_chat_id) == ("telegram", "-1001")
    assert (row.answer_hours, row.work_days, row.appeal_url) == (4, [0, 1, 2], None)


async def test_an_officer_who_opts_out_no_longer_answers(session, tree):
    officer = await principal_of(session, tree.muni_officer)
    assert tree.muni_officer.id in await routing.operators_of(session, tree.muni.id)
    await operators.set_opt_out(session, officer, tree.muni.id, True)
    card = await settings.hotline_settings_view(session, officer, tree.muni.id, default_tz=TZ)
    assert card.opted_out
    assert tree.muni_officer.id not in await routing.operators_of(session, tree.muni.id)
    await operators.set_opt_out(session, officer, tree.muni.id, False)
    card = await settings.hotline_settings_view(session, officer, tree.muni.id, default_tz=TZ)
    assert not card.opted_out
    assert await audit_actions(session) == ["hotline.opt_out", "hotline.opt_in"]


async def test_the_answer_deadline_follows_the_new_hours(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    ticket = await session.get(Ticket, receipt.ticket.id)
    # Tuesday 10:00 in Moscow, 8 working hours of 9-18: the same day at 18:00.
    answer, _, _ = await common.deadlines(session, ticket, default_tz=TZ)
    assert answer == MORNING + timedelta(hours=8)

    officer = await principal_of(session, tree.muni_officer)
    await settings.update_hotline_settings(
        session, officer, tree.muni.id, default_tz=TZ, work_hours="9-12"
    )
    # 10-12 on Tuesday, 9-12 on Wednesday and Thursday: Thursday 12:00 in Moscow.
    answer, escalate, _ = await common.deadlines(session, ticket, default_tz=TZ)
    assert answer == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)

    await settings.update_hotline_settings(
        session, officer, tree.muni.id, default_tz=TZ, answer_hours=1, escalate_days=1
    )
    answer, escalate, _ = await common.deadlines(session, ticket, default_tz=TZ)
    assert (answer, escalate) == (MORNING + timedelta(hours=1), MORNING + timedelta(days=1))

    await settings.update_hotline_settings(
        session, officer, tree.muni.id, default_tz=TZ, enabled=False
    )
    answer, escalate, _ = await common.deadlines(session, ticket, default_tz=TZ)
    assert (answer, escalate) == (None, None)


async def test_an_officer_of_two_organisations_changes_each_separately(session, tree):
    session.add(Role(user_id=tree.muni_officer.id, role=RoleKind.OFFICER, org_id=tree.muni2.id))
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    await settings.update_hotline_settings(
        session, officer, tree.muni2.id, default_tz=TZ, work_days=[0, 1, 2, 3, 4, 5]
    )
    card = await settings.hotline_settings_view(session, officer, tree.muni2.id, default_tz=TZ)
    assert card.settings.timezone == "Asia/Yekaterinburg"
    assert card.settings.work_days == (0, 1, 2, 3, 4, 5)
    assert await own_row(session, tree.muni.id) is None
