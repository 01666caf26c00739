"""Announcements on a real database: audiences inside the sender's subtree, one bulk row per
recipient, delivery states counted from the outbox, cancel, responses, volunteers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import SendMessage
from sqlalchemy import select

from bot.domain.enums import (
    AnnouncementStatus,
    AudienceKind,
    OutboxStatus,
    ResponseKind,
    RoleKind,
)
from bot.domain.errors import AccessDenied, ValidationError
from bot.domain.messages import Lane
from bot.services.access import load_principal
from bot.services.announcements import responses, sending
from bot.services.announcements.views import Audience, Draft
from scheduler.outbox import tick
from storage.models import AssessmentEvent, OutboxMessage, Role
from tests.support.factories import add_person
from tests.support.outbox import Ctx, rows_of
from tests.support.recording import RecordingSession, make_bot

TZ = "Europe/Moscow"
NOW = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


@pytest.fixture
async def people(session, tree):
    """Coordinators of three schools of the first municipality and one of the second,
    a parent of the first school, an operator of the first municipality."""
    school2 = await add_person(session, tree.school2, name="Координатор СШ 2")
    risky = await add_person(session, tree.risky, name="Координатор СШ 3")
    other = await add_person(session, tree.other_school, name="Координатор Мегиона")
    parent = await add_person(session, tree.school, RoleKind.PARENT, name="Мама")
    operator = await add_person(session, tree.muni, RoleKind.OPERATOR, name="Оператор")
    await session.commit()
    return {
        "school2": school2,
        "risky": risky,
        "other": other,
        "parent": parent,
        "operator": operator,
    }


async def principal_of(session, user):
    return await load_principal(session, user.id)


def draft(org_id: int, kind: AudienceKind, *org_ids: int, **fields) -> Draft:
    return Draft(
        org_id=org_id,
        text=fields.pop("text", "Совещание <b>в пятницу</b>"),
        audience=Audience(kind, tuple(org_ids)),
        **fields,
    )


async def test_audiences_are_the_right_people_inside_the_subtree(session, tree, people):
    officer = await principal_of(session, tree.muni_officer)
    cases = {
        AudienceKind.COORDINATORS: 3,  # the three schools of Касимов, not Мегион
        AudienceKind.RISK_SCHOOLS: 1,
        AudienceKind.OPERATORS: 1,
        AudienceKind.OFFICERS: 0,  # only the author in Касимов, who is left out
    }
    for kind, expected in cases.items():
        if expected == 0:
            with pytest.raises(ValidationError):
                await sending.create_draft(session, officer, draft(tree.muni.id, kind))
            continue
        preview = await sending.create_draft(session, officer, draft(tree.muni.id, kind))
        assert preview.recipients == expected, kind
    chosen = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS_OF, tree.school2.id)
    )
    assert chosen.recipients == 1
    parents = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.PARENTS_OF, tree.school.id)
    )
    assert parents.recipients == 1


async def test_nobody_addresses_outside_their_subtree(session, tree, people):
    muni_officer = await principal_of(session, tree.muni_officer)
    with pytest.raises(AccessDenied):
        await sending.create_draft(
            session,
            muni_officer,
            draft(tree.muni.id, AudienceKind.COORDINATORS_OF, tree.other_school.id),
        )
    with pytest.raises(AccessDenied):
        await sending.create_draft(
            session, muni_officer, draft(tree.region.id, AudienceKind.COORDINATORS)
        )
    coordinator = await principal_of(session, tree.coordinator)
    # A coordinator writes to their own school's parents, and to nobody else.
    own = await sending.create_draft(
        session, coordinator, draft(tree.school.id, AudienceKind.PARENTS_OF)
    )
    assert own.recipients == 1
    for bad in (
        draft(tree.school.id, AudienceKind.COORDINATORS),
        draft(tree.school.id, AudienceKind.PARENTS_OF, tree.school2.id),
        draft(tree.school2.id, AudienceKind.PARENTS_OF),
    ):
        with pytest.raises(AccessDenied):
            await sending.create_draft(session, coordinator, bad)


async def test_the_preview_counts_those_who_blocked_the_bot(session, tree, people):
    people["risky"].is_active = False
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    preview = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS)
    )
    assert (preview.recipients, preview.blocked) == (3, 1)
    assert "Касимов" in preview.text and "<b>в пятницу</b>" in preview.text


async def test_sending_queues_one_bulk_row_each_and_counts_every_outcome(
    session, session_factory, settings, tree, people
):
    people["risky"].is_active = False
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    preview = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS, response=ResponseKind.ACK)
    )
    state = await sending.send(session, officer, preview.announcement_id, default_tz=TZ, now=NOW)
    assert state.status == AnnouncementStatus.SENDING and state.pending == 3
    rows = await rows_of(session, ref_id=preview.announcement_id, kind="announcement")
    assert {r.lane for r in rows} == {Lane.BULK} and len(rows) == 3
    assert rows[0].payload["buttons"][0][0]["action"] == "announcement.ack"
    # A second press of «Отправить» sends nothing more.
    with pytest.raises(ValidationError):
        await sending.send(session, officer, preview.announcement_id, default_tz=TZ)

    recording = RecordingSession()
    # 10:00 in Moscow: no one's quiet hours hold the bulk lane.
    await tick(Ctx(settings, session_factory, make_bot(recording)), now=NOW)
    state = await sending.progress(session, officer, preview.announcement_id, default_tz=TZ)
    assert (state.delivered, state.blocked, state.failed, state.pending) == (2, 1, 0, 0)
    assert len(recording.of_type(SendMessage)) == 2

    edits = await sending.watch(session, default_tz=TZ, now=NOW)
    assert edits == []  # no progress message was registered
    state = await sending.progress(session, officer, preview.announcement_id, default_tz=TZ)
    assert state.status == AnnouncementStatus.DONE
    report = await rows_of(session, user_id=tree.muni_officer.id)
    assert len(report) == 1 and "завершена" in report[0].payload["text"]
    await sending.watch(session, default_tz=TZ)
    assert len(await rows_of(session, user_id=tree.muni_officer.id)) == 1


async def test_cancel_drops_what_is_queued_and_says_how_much(session, tree, people):
    officer = await principal_of(session, tree.muni_officer)
    preview = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS)
    )
    await sending.send(session, officer, preview.announcement_id, default_tz=TZ)
    state = await sending.cancel(session, officer, preview.announcement_id, default_tz=TZ)
    assert state.status == AnnouncementStatus.CANCELLED
    assert (state.not_sent, state.pending, state.delivered) == (3, 0, 0)
    statuses = {r.status for r in await rows_of(session, ref_id=preview.announcement_id)}
    assert statuses == {OutboxStatus.SKIPPED}
    with pytest.raises(ValidationError):
        await sending.cancel(session, officer, preview.announcement_id, default_tz=TZ)


async def test_a_scheduled_announcement_waits_for_its_time(session, tree, people):
    officer = await principal_of(session, tree.muni_officer)
    preview = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS)
    )
    at = NOW + timedelta(days=1)
    state = await sending.send(
        session, officer, preview.announcement_id, at=at, default_tz=TZ, now=NOW
    )
    assert state.status == AnnouncementStatus.SCHEDULED
    rows = await rows_of(session, ref_id=preview.announcement_id)
    assert {r.due_at for r in rows} == {at}
    await sending.watch(session, default_tz=TZ, now=NOW + timedelta(hours=1))
    state = await sending.progress(session, officer, preview.announcement_id, default_tz=TZ)
    assert state.status == AnnouncementStatus.SCHEDULED
    await sending.watch(session, default_tz=TZ, now=at)
    state = await sending.progress(session, officer, preview.announcement_id, default_tz=TZ)
    assert state.status == AnnouncementStatus.SENDING


async def _sent(session, officer, tree, **fields):
    preview = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS, **fields)
    )
    await sending.send(session, officer, preview.announcement_id, default_tz=TZ)
    await session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.ref_id == preview.announcement_id)
        .values(status=OutboxStatus.SENT)
    )
    await session.commit()
    return preview.announcement_id


async def test_acknowledgements_once_by_recipients_only_and_the_reminder(session, tree, people):
    officer = await principal_of(session, tree.muni_officer)
    announcement_id = await _sent(session, officer, tree, response=ResponseKind.ACK)
    coordinator = await principal_of(session, tree.coordinator)
    await responses.acknowledge(session, coordinator, announcement_id)
    with pytest.raises(ValidationError) as twice:
        await responses.acknowledge(session, coordinator, announcement_id)
    assert twice.value.code == "announcement_already_acked"
    stranger = await principal_of(session, people["other"])
    with pytest.raises(ValidationError) as foreign:
        await responses.acknowledge(session, stranger, announcement_id)
    assert foreign.value.code == "announcement_not_yours"

    report = await responses.ack_report(session, officer, announcement_id)
    assert (report.acknowledged, report.missing) == (1, 2)
    school = next(o for o in report.by_org if o.org_id == tree.school.id)
    assert school.acknowledged == ("Петрова Анна",) and school.parent_name == "Касимов"

    assert await responses.remind_unacknowledged(session, officer, announcement_id) == 2
    reminded = {r.user_id for r in await rows_of(session, kind="notice")}
    assert reminded == {people["school2"].id, people["risky"].id}


async def test_a_cancelled_announcement_takes_no_more_responses(session, tree, people):
    officer = await principal_of(session, tree.muni_officer)
    announcement_id = await _sent(session, officer, tree, response=ResponseKind.ACK)
    row = await sending.own_announcement(session, officer, announcement_id)
    row.status = AnnouncementStatus.CANCELLED
    await session.commit()
    coordinator = await principal_of(session, tree.coordinator)
    with pytest.raises(ValidationError) as refused:
        await responses.acknowledge(session, coordinator, announcement_id)
    assert refused.value.code == "announcement_cancelled"


async def test_volunteers_are_confirmed_by_the_school_and_reminded_the_day_before(
    session, tree, people
):
    event = AssessmentEvent(
        org_id=tree.school.id, kind="ВПР", subject="математика", grade=5,
        event_date=date(2026, 4, 15),
    )  # fmt: skip
    session.add(event)
    parent = people["parent"]
    await session.commit()
    coordinator = await principal_of(session, tree.coordinator)
    preview = await sending.create_draft(
        session,
        coordinator,
        draft(
            tree.school.id,
            AudienceKind.PARENTS_OF,
            response=ResponseKind.VOLUNTEER,
            event_id=event.id,
            text="Нужны наблюдатели",
        ),
    )
    assert "ВПР · математика · 5 класс" in preview.text
    await sending.send(session, coordinator, preview.announcement_id, default_tz=TZ)
    await session.execute(
        OutboxMessage.__table__.update()
        .where(OutboxMessage.ref_id == preview.announcement_id)
        .values(status=OutboxStatus.SENT)
    )
    await session.commit()
    await responses.volunteer(
        session, await principal_of(session, parent), preview.announcement_id
    )
    listing = await responses.event_volunteers(session, coordinator, event.id)
    assert [v.name for v in listing.volunteers] == ["Мама"]
    chosen = listing.volunteers[0]
    await responses.decide_volunteer(
        session, coordinator, chosen.response_id, True, default_tz=TZ, now=NOW
    )
    to_parent = await rows_of(session, user_id=parent.id, kind="notice")
    eve = [r for r in to_parent if "Завтра" in r.payload["text"]]
    assert len(eve) == 1 and eve[0].due_at == datetime(2026, 4, 14, 7, 0, tzinfo=UTC)
    # Declined later: told, and not reminded.
    await responses.decide_volunteer(
        session, coordinator, chosen.response_id, False, default_tz=TZ, now=NOW
    )
    eve = [r for r in await rows_of(session, user_id=parent.id) if "Завтра" in r.payload["text"]]
    assert eve[0].status == OutboxStatus.SKIPPED
    # Another school's coordinator sees nothing of it.
    other = await add_person(session, tree.school2, name="Чужой координатор")
    await session.commit()
    with pytest.raises(AccessDenied):
        await responses.event_volunteers(session, await principal_of(session, other), event.id)


async def test_roles_outside_the_audience_are_not_counted(session, tree, people):
    # A person with two roles in the subtree is one recipient.
    session.add(
        Role(user_id=people["school2"].id, role=RoleKind.COORDINATOR, org_id=tree.risky.id)
    )
    await session.commit()
    officer = await principal_of(session, tree.muni_officer)
    preview = await sending.create_draft(
        session, officer, draft(tree.muni.id, AudienceKind.COORDINATORS)
    )
    assert preview.recipients == 3
    assert (await session.scalars(select(OutboxMessage))).all() == []
