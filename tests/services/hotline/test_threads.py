"""A ticket's forum thread: claimed by exactly one writer, forgotten when deleted, taken
over when its maker died, and the card a topic starts with."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.domain.messages import Address
from bot.services.hotline import threads, tickets
from tests.support.tickets import MORNING, TZ, draft, principal_of

FORUM = Address("telegram", "-1001000000001")


async def _ticket(session, tree, people, **fields):
    parent = await principal_of(session, people.parent)
    receipt = await tickets.open_ticket(
        session, parent, draft(school_id=tree.school.id, **fields), default_tz=TZ, now=MORNING
    )
    return receipt.ticket.id


async def test_two_writers_at_once_get_one_claim(session_factory, session, tree, people):
    ticket_id = await _ticket(session, tree, people)

    async def claim():
        async with session_factory() as own:
            return await threads.claim_thread(own, ticket_id, FORUM, now=MORNING)

    first, second = await asyncio.gather(claim(), claim())
    assert sorted([first.create, second.create]) == [False, True]
    assert first.thread_id is None and second.thread_id is None
    async with session_factory() as own:
        await threads.thread_made(own, ticket_id, 77, "new")
    async with session_factory() as own:
        found = await threads.claim_thread(own, ticket_id, FORUM, now=MORNING)
    assert (found.thread_id, found.create) == (77, False)
    async with session_factory() as own:
        assert await threads.ticket_in_thread(own, Address(FORUM.channel, FORUM.chat_id, 77)) == (
            ticket_id
        )


async def test_a_lost_thread_is_claimed_again_and_a_dead_claim_taken_over(
    session_factory, session, tree, people
):
    ticket_id = await _ticket(session, tree, people)
    async with session_factory() as own:
        assert (await threads.claim_thread(own, ticket_id, FORUM, now=MORNING)).create
    # The maker is still within its time: others wait.
    async with session_factory() as own:
        waiting = await threads.claim_thread(own, ticket_id, FORUM, now=MORNING)
    assert not waiting.create and waiting.thread_id is None
    # It died: after the timeout the claim is someone else's.
    later = MORNING + threads.CLAIM_TIMEOUT + timedelta(seconds=1)
    async with session_factory() as own:
        assert (await threads.claim_thread(own, ticket_id, FORUM, now=later)).create
        await threads.thread_made(own, ticket_id, 5, "new")
        await threads.thread_lost(own, ticket_id, 5)
    async with session_factory() as own:
        again = await threads.claim_thread(own, ticket_id, FORUM, now=later)
    assert again.create


async def test_the_topic_card_keeps_an_anonymous_author_hidden(session, tree, people):
    ticket_id = await _ticket(session, tree, people, anonymous=True)
    card = await threads.topic_card(session, ticket_id, default_tz=TZ)
    assert card is not None and card.status == "new" and card.history is None
    for text in (card.title, card.header):
        assert people.parent.full_name not in text
    assert "Аноним" in card.header and card.title.startswith("№ ")
