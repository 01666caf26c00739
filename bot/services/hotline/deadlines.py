"""Answer deadlines: remind the operators, then escalate to the officers above; once each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import TicketKind
from bot.domain.hotline import WorkSchedule
from bot.domain.messages import Lane, OutgoingMessage
from bot.services import notify
from bot.services.hotline import relays, routing
from bot.services.hotline.settings import effective_settings, work_schedule
from bot.services.hotline.tickets import escalate_violation
from bot.services.hotline.views import HotlineSchedule
from bot.texts import hotline as texts
from storage.models import Ticket
from storage.repo import hotline as repo


@dataclass(frozen=True)
class DeadlineRun:
    reminded: int
    escalated: int


def _stamp(at: datetime) -> int:
    return int(at.timestamp())


async def run_due(session: AsyncSession, now: datetime, *, default_tz: str) -> DeadlineRun:
    """Queue the reminders and escalations that are due at ``now``; commits.

    Each is keyed by the ticket and the moment its wait began, so a run repeated (or two
    processes at once) queues it once, and a new wait after an answer starts afresh.
    """
    cache: dict[int, tuple[HotlineSchedule, WorkSchedule]] = {}
    reminded = escalated = 0
    for ticket in await repo.list_waiting_tickets(session):
        if ticket.org_id not in cache:
            settings = await effective_settings(session, ticket.org_id, default_tz=default_tz)
            cache[ticket.org_id] = (settings, work_schedule(settings))
        settings, schedule = cache[ticket.org_id]
        if ticket.kind == TicketKind.VIOLATION and ticket.escalated_at is None:
            escalated += bool(
                await escalate_violation(session, ticket, default_tz=default_tz, now=now)
            )
        if ticket.waiting_since is None:
            continue
        due = schedule.add_working_hours(ticket.waiting_since, settings.answer_hours)
        if due is not None and now >= due:
            reminded += bool(await _remind(session, ticket, default_tz))
        late = schedule.add_working_days(ticket.waiting_since, settings.escalate_days)
        waited = ticket.escalated_at is None or ticket.escalated_at < ticket.waiting_since
        if late is not None and now >= late and waited:
            escalated += bool(await _escalate(session, ticket, settings, default_tz, now))
    await session.commit()
    return DeadlineRun(reminded=reminded, escalated=escalated)


async def _remind(session: AsyncSession, ticket: Ticket, default_tz: str) -> int:
    view = await relays.operator_view(session, ticket, default_tz=default_tz)
    hours = (await effective_settings(session, ticket.org_id, default_tz=default_tz)).answer_hours
    text = texts.reminder(view, hours)
    return await relays.queue_to_operators(
        session,
        ticket,
        OutgoingMessage(text=text, buttons=routing.operator_buttons(view)),
        key=f"ticket.{ticket.id}.remind.{_stamp(ticket.waiting_since)}",
        forum_message=OutgoingMessage(text=text),
    )


async def _escalate(
    session: AsyncSession,
    ticket: Ticket,
    settings: HotlineSchedule,
    default_tz: str,
    now: datetime,
) -> int:
    ticket.escalated_at = now
    view = await relays.operator_view(session, ticket, default_tz=default_tz)
    officers = await routing.officers_above(session, ticket.org_id)
    return await notify.queue_notice(
        session,
        officers,
        OutgoingMessage(
            text=texts.escalation(view, settings.escalate_days),
            buttons=routing.operator_buttons(view),
        ),
        key=f"ticket.{ticket.id}.escalate.{_stamp(ticket.waiting_since)}",
        lane=Lane.INTERACTIVE,
        ref=relays.ref(ticket),
    )
