"""Bans: a banned person is refused every hotline action, told once, across restarts."""

from __future__ import annotations

import pytest

from bot.domain.errors import HotlineBanned, ValidationError
from bot.services.hotline import operators, tickets
from storage.models import HotlineBan
from tests.support.tickets import MORNING, TZ, draft, principal_of


async def test_a_ban_survives_a_restart_and_is_told_once(session_factory, tree, people):
    async with session_factory() as session:
        parent = await principal_of(session, people.parent)
        receipt = await tickets.open_ticket(session, parent, draft(), default_tz=TZ, now=MORNING)
        officer = await principal_of(session, tree.officer)
        view = await operators.ban_author(
            session, officer, receipt.ticket.id, "оскорбления", default_tz=TZ
        )
        assert view.author_banned
        with pytest.raises(ValidationError):
            await operators.ban_author(session, officer, receipt.ticket.id, default_tz=TZ)

    # A new session and a freshly loaded principal, as after a restart of the bot.
    async with session_factory() as session:
        parent = await principal_of(session, people.parent)
        with pytest.raises(HotlineBanned) as first:
            await tickets.open_ticket(session, parent, draft(), default_tz=TZ, now=MORNING)
        assert first.value.details["told"] is False
        with pytest.raises(HotlineBanned) as second:
            await tickets.add_follow_up(
                session, parent, receipt.ticket.id, "ещё", default_tz=TZ, now=MORNING
            )
        assert second.value.details["told"] is True
        with pytest.raises(HotlineBanned):
            await tickets.mark_solved(session, parent, receipt.ticket.id, default_tz=TZ)
        with pytest.raises(HotlineBanned):
            await tickets.ensure_may_ask(session, parent)
        assert (await session.get(HotlineBan, people.parent.id)).notified_at is not None

    async with session_factory() as session:
        officer = await principal_of(session, tree.officer)
        await operators.unban_author(session, officer, receipt.ticket.id, default_tz=TZ)
        parent = await principal_of(session, people.parent)
        await tickets.ensure_may_ask(session, parent)
