"""Parents pick their child's school after «Я родитель» by typing part of its name."""

from __future__ import annotations

import pytest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from sqlalchemy import select

from bot import texts
from bot.channels.telegram.callbacks import (
    OrgAction,
    OrgCb,
    ParentAction,
    ParentCb,
    StartCb,
    StartChoice,
)
from bot.channels.telegram.fsm import SqlStorage
from bot.domain.enums import OrgKind, RoleKind
from bot.domain.messages import Channel
from bot.main.app import build_dispatcher
from bot.services import orgs
from bot.services.access import resolve_account
from bot.services.orgs import SCHOOL_MATCHES
from storage.models import Organization, Role
from tests.recording import RecordingSession, callback_update, make_bot, message_update

PARENT = 700


@pytest.fixture
def chat(settings, session_factory):
    recording = RecordingSession()
    bot = make_bot(recording)
    dp = build_dispatcher(settings, session_factory, SqlStorage(session_factory))

    class Chat:
        async def send(self, text: str, user: int = PARENT) -> SendMessage:
            await dp.feed_update(bot, message_update(user, text))
            return recording.last(SendMessage)

        async def press(self, data: str, user: int = PARENT) -> None:
            await dp.feed_update(bot, callback_update(user, data))

    chat = Chat()
    chat.recording = recording
    return chat


def _buttons(message) -> list[tuple[str, str]]:
    rows = message.reply_markup.inline_keyboard
    return [(button.text, button.callback_data) for row in rows for button in row]


async def _parent_role(session) -> Role:
    user_id = await resolve_account(session, Channel.TELEGRAM, str(PARENT))
    return await session.scalar(
        select(Role).where(Role.user_id == user_id, Role.role == RoleKind.PARENT)
    )


async def _become_parent(chat) -> SendMessage:
    await chat.send("/start")
    await chat.press(StartCb(choice=StartChoice.PARENT).pack())
    return chat.recording.last(SendMessage)


async def test_parent_finds_and_stores_the_school(chat, tree, session):
    ask = await _become_parent(chat)
    assert ask.text == texts.ASK_PARENT_SCHOOL
    assert _buttons(ask) == [(texts.BTN_SKIP, ParentCb(action=ParentAction.SKIP).pack())]
    assert texts.PARENT_REGISTERED in chat.recording.sent_texts()

    found = await chat.send("сш 3 касимов")
    assert found.text == texts.PARENT_SCHOOL_CHOOSE
    # The number decides: school № 1 and № 2 of the same town are not offered.
    assert _buttons(found) == [
        (
            "МБОУ «СШ № 3» — Касимов",
            ParentCb(action=ParentAction.PICK, org_id=tree.risky.id).pack(),
        ),
        (texts.BTN_SKIP, ParentCb(action=ParentAction.SKIP).pack()),
    ]
    await chat.press(_buttons(found)[0][1])
    assert chat.recording.last(EditMessageText).text == texts.PARENT_SCHOOL_SAVED.format(
        name="МБОУ «СШ № 3»"
    )
    assert chat.recording.last(SendMessage).text == texts.MENU_PARENT
    role = await _parent_role(session)
    await session.refresh(role)
    assert role.org_id == tree.risky.id


async def test_parent_may_skip_the_school(chat, tree, session):
    await _become_parent(chat)
    missing = await chat.send("Гимназия имени Пушкина")
    assert missing.text == texts.PARENT_SCHOOL_NOT_FOUND.format(query="Гимназия имени Пушкина")
    await chat.press(ParentCb(action=ParentAction.SKIP).pack())
    assert chat.recording.last(EditMessageText).text == texts.PARENT_SCHOOL_SKIPPED
    assert chat.recording.last(SendMessage).text == texts.MENU_PARENT
    assert (await _parent_role(session)).org_id is None
    # Out of the form now: text is not taken as a school any more.
    await chat.send("сш 3")
    assert chat.recording.last(SendMessage).text != texts.PARENT_SCHOOL_CHOOSE


async def test_the_school_is_changed_later_with_a_command(chat, tree, session):
    await _become_parent(chat)
    await chat.press(ParentCb(action=ParentAction.SKIP).pack())
    assert (await chat.send("/school")).text == texts.ASK_PARENT_SCHOOL
    assert (await chat.send("📎")).text == texts.PARENT_SCHOOL_NOT_FOUND.format(query="📎")
    found = await chat.send("Мегион 4")
    assert _buttons(found)[0][0] == "СОШ № 4 Мегион — Мегион"
    await chat.press(_buttons(found)[0][1])
    role = await _parent_role(session)
    await session.refresh(role)
    assert role.org_id == tree.other_school.id


async def test_only_a_school_can_be_picked(chat, tree, session):
    await _become_parent(chat)
    await chat.press(ParentCb(action=ParentAction.PICK, org_id=tree.muni.id).pack())
    answer = chat.recording.last(AnswerCallbackQuery)
    assert answer.text == texts.NOT_FOUND and answer.show_alert
    assert (await _parent_role(session)).org_id is None


async def test_strangers_cannot_pick_a_school(chat, tree):
    await chat.press(ParentCb(action=ParentAction.PICK, org_id=tree.school.id).pack(), user=999)
    assert chat.recording.last(AnswerCallbackQuery).text == texts.STALE_BUTTON


async def test_parents_are_not_listed_among_the_registered_people(chat, tree, session):
    await _become_parent(chat)
    await chat.press(ParentCb(action=ParentAction.PICK, org_id=tree.school.id).pack())
    officer = tree.tg.muni_officer
    await chat.press(OrgCb(action=OrgAction.PEOPLE, org_id=tree.school.id).pack(), user=officer)
    listing = chat.recording.last(EditMessageText).text
    assert "Петрова Анна" in listing and texts.ROLE_NAMES["parent"] not in listing


async def test_search_offers_at_most_eight_schools_best_first(session, tree):
    session.add_all(
        Organization(name=f"Гимназия № {n}", kind=OrgKind.SCHOOL, parent_id=tree.muni2.id)
        for n in range(1, 13)
    )
    await session.commit()
    found = await orgs.search_schools(session, "гимназия")
    assert len(found) == SCHOOL_MATCHES
    assert all(s.name.startswith("Гимназия") and s.place == "Мегион" for s in found)
    assert [s.name for s in await orgs.search_schools(session, "гимназия 12")] == ["Гимназия № 12"]
    names = [s.name for s in await orgs.search_schools(session, "Гимназия №1")]
    assert names[0] == "Гимназия № 1" and "Гимназия № 11" not in names
    assert await orgs.search_schools(session, "   ") == []
    assert await orgs.search_schools(session, "Касимов") != []
