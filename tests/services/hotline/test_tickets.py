"""Tickets: routing, anonymity, the conversation both ways, access, edits and albums."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.domain.enums import RoleKind, TicketKind, TicketSide, TicketStatus
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.messages import Attachment, Lane, RefType
from bot.services.access import SYSTEM
from bot.services.hotline import operators, routing, tickets
from bot.services.hotline.views import MessageSource
from storage.models import ChannelAccount, HotlineOptOut, HotlineSettings, OutboxMessage, Ticket
from tests.support.tickets import MORNING, TZ, draft, principal_of


async def rows(session) -> list[OutboxMessage]:
    return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def test_a_ticket_about_a_school_goes_to_its_municipality(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    ticket = await session.get(Ticket, receipt.ticket.id)
    assert ticket.org_id == tree.muni.id
    assert receipt.ticket.number == f"№ {ticket.id:06d}"
    assert receipt.open_now and receipt.opens_at is None
    # 8 working hours from Tuesday 10:00 end at 18:00 the same day.
    assert receipt.answer_due == MORNING + timedelta(hours=8)
    queued = await rows(session)
    # The municipality's operator and its officer, each in their private chat.
    assert {r.user_id for r in queued} == {people.operator.id, tree.muni_officer.id}
    assert all(r.lane == Lane.INTERACTIVE for r in queued)
    assert all((r.ref_type, r.ref_id) == (RefType.TICKET, ticket.id) for r in queued)
    labels = [b["label"] for row in queued[0].payload["buttons"] for b in row]
    assert labels[:3] == ["✍️ Ответить", "🙋 Взять себе", "📁 Закрыть"]


async def test_a_ticket_without_a_school_goes_to_the_top_organisation(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(session, parent, draft(), default_tz=TZ, now=MORNING)
    ticket = await session.get(Ticket, receipt.ticket.id)
    assert ticket.org_id == tree.region.id
    assert {r.user_id for r in await rows(session)} == {tree.officer.id}


async def test_an_officer_who_opted_out_gets_no_relays(session, tree, people):
    session.add(HotlineOptOut(user_id=tree.muni_officer.id, org_id=tree.muni.id))
    await session.commit()
    parent = await principal_of(session, people.parent)
    await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    assert {r.user_id for r in await rows(session)} == {people.operator.id}


async def test_with_a_forum_the_relay_goes_to_the_forum_chat(session, tree, people):
    session.add(
        HotlineSettings(org_id=tree.muni.id, forum_channel="telegram", forum_chat_id="-100500")
    )
    await session.commit()
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    [row] = await rows(session)
    assert (row.chat_id, row.thread_id, row.user_id) == ("-100500", None, None)
    assert (row.ref_type, row.ref_id) == (RefType.TICKET, receipt.ticket.id)
    assert "buttons" not in row.payload


async def test_anonymous_report_reveals_nothing_to_operators(session, tree, people):
    await session.execute(
        update(ChannelAccount)
        .where(ChannelAccount.user_id == people.parent.id)
        .values(username="ivanova_m")
    )
    await session.commit()
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session,
        parent,
        draft(
            "На ВПР в 5 классе подсказывали",
            school_id=tree.school.id,
            anonymous=True,
            kind=TicketKind.VIOLATION,
        ),
        default_tz=TZ,
        now=MORNING,
    )
    operator = await principal_of(session, people.operator)
    view = await operators.operator_ticket(session, operator, receipt.ticket.id, default_tz=TZ)
    listed = await operators.list_open_tickets(session, operator, default_tz=TZ)
    secrets = ("Иванова", "ivanova_m", str(people.parent_tg), f"'user_id': {people.parent.id}")
    shown = repr(view) + repr(listed) + routing.header_card(view)
    assert view.author_label == "Аноним" and view.author_contact is None
    payloads = json.dumps([r.payload for r in await rows(session)], ensure_ascii=False)
    for secret in secrets:
        assert secret not in shown
        assert secret not in payloads
    assert not hasattr(view, "user_id")
    # The violation report reached the officers of the municipality and the region at once.
    notified = {r.user_id for r in await rows(session) if "violation" in r.dedupe_key}
    assert notified == {tree.muni_officer.id, tree.officer.id}


async def test_a_named_ticket_shows_the_name_and_a_blocked_author(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    people.parent.is_active = False
    await session.commit()
    operator = await principal_of(session, people.operator)
    view = await operators.operator_ticket(session, operator, receipt.ticket.id, default_tz=TZ)
    assert view.author_label == "Иванова Мария"
    assert view.author_blocked
    assert "заблокировал бота" in routing.header_card(view)


async def test_answer_goes_to_the_person_and_follow_up_back(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    ticket_id = receipt.ticket.id
    operator = await principal_of(session, people.operator)
    later = MORNING + timedelta(hours=1)
    await operators.answer_ticket(
        session, operator, ticket_id, "Результаты будут в мае.", default_tz=TZ, now=later
    )
    ticket = await session.get(Ticket, ticket_id)
    assert ticket.status == TicketStatus.ANSWERED
    assert ticket.first_answer_at == later and ticket.waiting_since is None
    assert ticket.assignee_id == people.operator.id
    [answer] = [r for r in await rows(session) if r.user_id == people.parent.id]
    assert answer.chat_id == str(people.parent_tg)
    assert answer.lane == Lane.INTERACTIVE and answer.ref_id == ticket_id
    assert "Результаты будут в мае." in answer.payload["text"]
    assert "Оператор Касимов" not in answer.payload["text"]

    await tickets.add_follow_up(
        session, parent, ticket_id, "А где их смотреть?", default_tz=TZ, now=later
    )
    ticket = await session.get(Ticket, ticket_id)
    assert ticket.status == TicketStatus.IN_PROGRESS and ticket.waiting_since == later
    # The follow-up of a taken ticket goes to the one who took it.
    follow = [r for r in await rows(session) if "А где их смотреть?" in r.payload["text"]]
    assert [r.user_id for r in follow] == [people.operator.id]

    mine = await tickets.my_ticket(session, parent, ticket_id, default_tz=TZ)
    assert [m.side for m in mine.messages] == [
        TicketSide.PERSON, TicketSide.OPERATOR, TicketSide.PERSON,
    ]  # fmt: skip
    assert mine.messages[1].author_label == "Специалист"
    page = await tickets.list_my_tickets(session, parent)
    assert [t.id for t in page.items] == [ticket_id]

    solved = await tickets.mark_solved(session, parent, ticket_id, default_tz=TZ, now=later)
    assert solved.status == TicketStatus.CLOSED
    with pytest.raises(ValidationError):
        await tickets.mark_solved(session, parent, ticket_id, default_tz=TZ, now=later)


async def test_strangers_cannot_read_or_answer_a_ticket(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    ticket_id = receipt.ticket.id
    coordinator = await principal_of(session, tree.coordinator)
    other_operator = await principal_of(session, people.other_operator)
    for outsider in (coordinator, parent, other_operator):
        with pytest.raises(AccessDenied):
            await operators.operator_ticket(session, outsider, ticket_id, default_tz=TZ)
        with pytest.raises(AccessDenied):
            await operators.answer_ticket(session, outsider, ticket_id, "x", default_tz=TZ)
        with pytest.raises(AccessDenied):
            await operators.close_ticket(session, outsider, ticket_id, default_tz=TZ)
    for outsider in (coordinator, other_operator):
        with pytest.raises(NotFound):
            await tickets.my_ticket(session, outsider, ticket_id, default_tz=TZ)
    with pytest.raises(NotFound):
        await operators.operator_ticket(session, other_operator, ticket_id + 99, default_tz=TZ)
    # The region's officer sees the subtree.
    officer = await principal_of(session, tree.officer)
    assert (await operators.operator_ticket(session, officer, ticket_id, default_tz=TZ)).id


async def test_take_hand_over_close_reopen_and_mark_violation(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id), default_tz=TZ, now=MORNING
    )
    ticket_id = receipt.ticket.id
    operator = await principal_of(session, people.operator)
    view = await operators.take_ticket(session, operator, ticket_id, default_tz=TZ)
    assert view.status == TicketStatus.IN_PROGRESS and view.is_mine
    choices = await operators.handover_choices(session, operator, ticket_id)
    assert [c.user_id for c in choices] == [tree.muni_officer.id]
    with pytest.raises(ValidationError):
        await operators.hand_over(
            session, operator, ticket_id, people.other_operator.id, default_tz=TZ
        )
    view = await operators.hand_over(
        session, operator, ticket_id, tree.muni_officer.id, default_tz=TZ, now=MORNING
    )
    assert view.assignee_id == tree.muni_officer.id and not view.is_mine
    assert any(
        "handover" in r.dedupe_key and r.user_id == tree.muni_officer.id
        for r in await rows(session)
    )
    view = await operators.close_ticket(session, operator, ticket_id, default_tz=TZ, now=MORNING)
    assert view.status == TicketStatus.CLOSED
    assert any(
        "закрыто" in r.payload["text"]
        for r in await rows(session)
        if r.user_id == people.parent.id
    )
    view = await operators.reopen_ticket(session, operator, ticket_id, default_tz=TZ, now=MORNING)
    assert view.status == TicketStatus.IN_PROGRESS
    view = await operators.mark_violation(session, operator, ticket_id, default_tz=TZ, now=MORNING)
    assert view.kind == TicketKind.VIOLATION and view.escalated_at is not None
    with pytest.raises(ValidationError):
        await operators.mark_violation(session, operator, ticket_id, default_tz=TZ)


async def test_a_person_edit_is_stored_and_passed_on(session, tree, people):
    parent = await principal_of(session, people.parent)
    source = MessageSource("telegram", str(people.parent_tg), 77)
    receipt = await tickets.open_ticket(
        session,
        parent,
        replace(draft(school_id=tree.school.id), source=source),
        default_tz=TZ,
        now=MORNING,
    )
    edited = await tickets.record_edit(
        session, "telegram", str(people.parent_tg), 77, "Исправленный вопрос", now=MORNING
    )
    assert edited is not None and edited.text == "Исправленный вопрос" and edited.edited_at
    edits = [r for r in await rows(session) if ".edit." in r.dedupe_key]
    assert {r.user_id for r in edits} == {people.operator.id, tree.muni_officer.id}
    assert "изменено" in edits[0].payload["text"]
    assert await tickets.record_edit(session, "telegram", "1", 1, "x") is None
    view = await operators.operator_ticket(
        session, await principal_of(session, people.operator), receipt.ticket.id, default_tz=TZ
    )
    assert view.messages[0].text == "Исправленный вопрос"


async def test_an_album_is_one_message_with_its_files(session, tree, people):
    parent = await principal_of(session, people.parent)
    photo = Attachment("photo", "file-1")
    receipt = await tickets.open_ticket(
        session,
        parent,
        replace(draft(school_id=tree.school.id), attachments=(photo,), media_group_id="g1"),
        default_tz=TZ,
        now=MORNING,
    )
    more = await tickets.add_album_items(
        session, parent, receipt.ticket.id, "g1", [Attachment("photo", "file-2")]
    )
    assert more is not None and [a.file_ref for a in more.attachments] == ["file-1", "file-2"]
    assert await tickets.add_album_items(session, parent, receipt.ticket.id, "g2", [photo]) is None


async def test_empty_long_and_too_fast_messages_are_refused(session, tree, people):
    parent = await principal_of(session, people.parent)
    with pytest.raises(ValidationError) as empty:
        await tickets.open_ticket(session, parent, draft("  "), default_tz=TZ, now=MORNING)
    assert empty.value.code == "ticket_empty"
    with pytest.raises(ValidationError) as long:
        await tickets.open_ticket(session, parent, draft("я" * 3501), default_tz=TZ, now=MORNING)
    assert long.value.code == "text_too_long"
    for n in range(6):
        await tickets.open_ticket(
            session, parent, draft(f"вопрос {n}"), default_tz=TZ, now=MORNING
        )
    with pytest.raises(ValidationError) as fast:
        await tickets.open_ticket(session, parent, draft("ещё"), default_tz=TZ, now=MORNING)
    assert fast.value.code == "hotline_too_fast"
    assert await tickets.open_ticket(
        session, parent, draft("ещё"), default_tz=TZ, now=MORNING + timedelta(minutes=2)
    )


async def test_outside_hours_the_receipt_says_when_operators_start(session, tree, people):
    parent = await principal_of(session, people.parent)
    # Saturday 7 March 2026 at noon; Monday 9 March is the day off for 8 March.
    saturday = MORNING + timedelta(days=4, hours=2)
    receipt = await tickets.open_ticket(session, parent, draft(), default_tz=TZ, now=saturday)
    assert not receipt.open_now
    assert receipt.opens_at.astimezone(ZoneInfo(TZ)).isoformat() == ("2026-03-10T09:00:00+03:00")


async def test_the_system_may_act_on_every_ticket(session, tree, people):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(session, parent, draft(), default_tz=TZ, now=MORNING)
    view = await operators.operator_ticket(session, SYSTEM, receipt.ticket.id, default_tz=TZ)
    assert view.id == receipt.ticket.id
    assert RoleKind.OPERATOR in {
        g.role for g in (await principal_of(session, people.operator)).grants
    }
