"""Tickets made straight with the models, for tests of what reads them, and the ticket
form filled in over the fake Bot API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.domain.enums import RoleKind, TicketKind, TicketSide, TicketStatus, TicketTopic
from bot.texts import hotline as texts
from storage.models import Role, Ticket, TicketMessage, User
from tests.support.factories import add_telegram_user

# Tuesday 3 March 2026, 10:00 in Moscow.
MORNING = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)


async def add_parent(session, tg_id: int = 300, name: str = "Иванова Мария", school=None) -> User:
    parent = await add_telegram_user(session, tg_id, name)
    session.add(Role(user_id=parent.id, role=RoleKind.PARENT, org_id=school))
    await session.commit()
    return parent


async def add_ticket(
    session,
    org_id: int,
    *,
    user: User | None = None,
    school_id: int | None = None,
    kind: TicketKind = TicketKind.QUESTION,
    topic: TicketTopic = TicketTopic.VPR,
    status: TicketStatus = TicketStatus.NEW,
    anonymous: bool = False,
    created_at: datetime = MORNING,
    answer_after: timedelta | None = None,
    waiting: bool = True,
    text: str = "Когда будут результаты ВПР?",
) -> Ticket:
    """A ticket with the person's message; answered after ``answer_after`` when given."""
    ticket = Ticket(
        kind=kind,
        topic=topic,
        status=status,
        org_id=org_id,
        school_id=school_id,
        user_id=user.id if user else None,
        anonymous=anonymous,
        created_at=created_at,
        waiting_since=created_at if waiting and answer_after is None else None,
        first_answer_at=created_at + answer_after if answer_after is not None else None,
    )
    session.add(ticket)
    await session.flush()
    session.add(
        TicketMessage(
            ticket_id=ticket.id,
            side=TicketSide.PERSON,
            author_id=user.id if user else None,
            text=text,
            attachments=[{"kind": "photo", "file_ref": "PHOTO1", "name": None}],
            source_channel="telegram",
            source_chat_id="300",
            source_message_id=ticket.id * 10,
            created_at=created_at,
        )
    )
    if answer_after is not None:
        session.add(
            TicketMessage(
                ticket_id=ticket.id,
                side=TicketSide.OPERATOR,
                text="Результаты будут в апреле.",
                created_at=created_at + answer_after,
            )
        )
    await session.commit()
    return ticket


async def ask(user, text: str, *, violation: bool = False, anonymous: bool = False) -> str:
    """A fake Bot API user fills in the ticket form (school «не знаю») and sends it;
    returns the ticket's number, «№ 000123»."""
    await user.send(text)
    form = await user.wait_message(lambda m: "Что вы хотите отправить" in m["text"])
    kind = texts.KIND_NAMES[TicketKind.VIOLATION if violation else TicketKind.QUESTION]
    await user.press_button(form, kind.capitalize())
    topics = await user.wait_message(lambda m: "ВПР" in str(m.get("reply_markup")))
    await user.press_button(topics, "ВПР")
    school = await user.wait_message(lambda m: texts.BTN_DONT_KNOW in str(m.get("reply_markup")))
    await user.press_button(school, texts.BTN_DONT_KNOW)
    who = await user.wait_message(lambda m: texts.BTN_ANONYMOUS in str(m.get("reply_markup")))
    await user.press_button(who, texts.BTN_ANONYMOUS if anonymous else texts.BTN_NAMED)
    summary = await user.wait_message(lambda m: texts.BTN_SEND in str(m.get("reply_markup")))
    await user.press_button(summary, texts.BTN_SEND)
    receipt = await user.wait_message(lambda m: "№ " in m["text"])
    return "№ " + receipt["text"].split("№ ", 1)[1][:6]
