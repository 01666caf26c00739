"""«Удалить мои данные» forgets the person and keeps their tickets as anonymous counts."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.config import DEFAULT_APPEAL_URL
from bot.domain.enums import RoleKind, TicketStatus
from bot.domain.errors import AccessDenied
from bot.domain.messages import Lane, RefType
from bot.services.hotline import privacy
from storage.base import utcnow
from storage.models import (
    AuditEntry,
    ChannelAccount,
    FsmRecord,
    HotlineSettings,
    OutboxMessage,
    Role,
    Ticket,
    TicketMessage,
    User,
)
from tests.support.factories import telegram_principal
from tests.support.hotline import add_parent, add_ticket


def _outbox(key: str, **fields) -> OutboxMessage:
    return OutboxMessage(
        dedupe_key=key,
        channel="telegram",
        chat_id=fields.pop("chat_id", "300"),
        lane=Lane.INTERACTIVE,
        kind="notice",
        due_at=utcnow(),
        payload={"text": "Ответ на ваш вопрос"},
        **fields,
    )


async def test_erasing_keeps_the_ticket_count_and_forgets_the_person(session, tree):
    parent = await add_parent(session, school=tree.school.id)
    first = await add_ticket(session, tree.muni.id, user=parent, school_id=tree.school.id)
    await add_ticket(session, tree.muni.id, user=parent, text="Второй вопрос")
    other = await add_ticket(session, tree.muni.id, text="Чужой вопрос")
    first_id, other_id, parent_id, school_id = first.id, other.id, parent.id, tree.school.id
    session.add_all(
        [
            _outbox("to-parent", user_id=parent_id),
            _outbox("relay", chat_id="400", ref_type=RefType.TICKET, ref_id=first_id),
            _outbox(
                "relayed",
                chat_id="400",
                ref_type=RefType.TICKET,
                ref_id=first_id,
                status="sent",
                sent_at=utcnow(),
            ),
            _outbox("someone-else", chat_id="401", user_id=tree.officer.id),
            FsmRecord(key="fsm:300:300:default", state="Ask:text", data={"text": "секрет"}),
            FsmRecord(key="fsm:-1001:300:default", state=None, data={"x": 1}),
            FsmRecord(key="fsm:3000:3000:default", state="Other:x", data={}),
        ]
    )
    await session.commit()

    erased = await privacy.erase_my_data(session, parent_id)

    assert erased.tickets == 2
    session.expire_all()
    assert await session.scalar(select(func.count(Ticket.id))) == 3
    ticket = await session.get(Ticket, first_id)
    assert ticket.user_id is None and ticket.anonymous and ticket.erased_at is not None
    assert ticket.status == TicketStatus.CLOSED
    assert (ticket.kind, ticket.topic, ticket.school_id) == ("question", "vpr", school_id)
    texts = (
        await session.scalars(select(TicketMessage).where(TicketMessage.ticket_id != other_id))
    ).all()
    assert [(m.text, m.attachments, m.source_chat_id) for m in texts] == [("", [], None)] * 2
    kept = await session.scalar(
        select(TicketMessage.text).where(TicketMessage.ticket_id == other_id)
    )
    assert kept == "Чужой вопрос"

    user = await session.get(User, parent_id)
    assert user.full_name == ""
    assert (
        await session.scalar(
            select(func.count(ChannelAccount.id)).where(ChannelAccount.user_id == parent_id)
        )
        == 0
    )
    assert (await session.scalars(select(Role).where(Role.user_id == parent_id))).all() == []
    assert await telegram_principal(session, 300) is None

    outbox = {row.dedupe_key: row for row in (await session.scalars(select(OutboxMessage))).all()}
    assert set(outbox) == {"relayed", "someone-else"}
    assert outbox["relayed"].payload == {}
    forms = set((await session.scalars(select(FsmRecord.key))).all())
    assert forms == {"fsm:3000:3000:default"}
    entry = (
        await session.scalars(select(AuditEntry).where(AuditEntry.action == "privacy.erase"))
    ).one()
    assert entry.object_id == parent_id and entry.details == {"tickets": 2}


async def test_staff_cannot_erase_their_work_account(session, tree):
    with pytest.raises(AccessDenied):
        await privacy.erase_my_data(session, tree.coordinator.id)
    principal = await telegram_principal(session, tree.tg.officer)
    assert not privacy.can_erase(principal)


async def test_the_appeal_channel_is_the_nearest_one_up_the_tree(session, tree):
    assert (await privacy.privacy_info(session, tree.school.id)).appeal_url == DEFAULT_APPEAL_URL
    assert (
        await privacy.privacy_info(session, None, default_appeal="https://edu.example/appeal")
    ).appeal_url == "https://edu.example/appeal"
    session.add(HotlineSettings(org_id=tree.region.id, appeal_url="https://minobr.example/ask"))
    await session.commit()
    info = await privacy.privacy_info(session, tree.school.id, default_appeal="x")
    assert info.appeal_url == "https://minobr.example/ask"
    session.add(HotlineSettings(org_id=tree.muni.id, appeal_url="https://kasimov.example"))
    await session.commit()
    assert (await privacy.privacy_info(session, tree.school.id)).appeal_url == (
        "https://kasimov.example"
    )
    assert RoleKind.PARENT not in privacy.STAFF_ROLES
