"""Parents pick their child's school after «Я родитель» by typing part of its name."""

from __future__ import annotations

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
from bot.domain.enums import OrgKind, RoleKind
from bot.domain.messages import Channel
from bot.services import orgs
from bot.services.access import resolve_account
from bot.services.orgs import SCHOOL_MATCHES
from storage.models import Organization, Role
from tests.support.chat import ChatDriver, buttons_of

PARENT = 700


async def _parent_role(session) -> Role:
    user_id = await resolve_account(session, Channel.TELEGRAM, str(PARENT))
    return await session.scalar(
        select(Role).where(Role.user_id == user_id, Role.role == RoleKind.PARENT)
    )


async def _become_parent(chat: ChatDriver) -> SendMessage:
    await chat.say(PARENT, "/start")
    await chat.press(PARENT, StartCb(choice=StartChoice.PARENT).pack())
    return chat.recording.last(SendMessage)


async def test_parent_finds_and_stores_the_school(chat, tree, session):
    ask = await _become_parent(chat)
    assert ask.text == texts.ASK_PARENT_SCHOOL
    assert buttons_of(ask) == [(texts.BTN_SKIP, ParentCb(action=ParentAction.SKIP).pack())]
    assert texts.PARENT_REGISTERED in chat.recording.sent_texts()

    found = (await chat.say(PARENT, "сш 3 касимов")).last(SendMessage)
    assert found.text == texts.PARENT_SCHOOL_CHOOSE
    # The number decides: school № 1 and № 2 of the same town are not offered.
    assert buttons_of(found) == [
        (
            "МБОУ «СШ № 3» — Касимов",
            ParentCb(action=ParentAction.PICK, org_id=tree.risky.id).pack(),
        ),
        (texts.BTN_SKIP, ParentCb(action=ParentAction.SKIP).pack()),
    ]
    await chat.press(PARENT, buttons_of(found)[0][1])
    assert chat.recording.last(EditMessageText).text == texts.PARENT_SCHOOL_SAVED.format(
        name="МБОУ «СШ № 3»"
    )
    assert chat.recording.last(SendMessage).text == texts.MENU_PARENT
    role = await _parent_role(session)
    await session.refresh(role)
    assert role.org_id == tree.risky.id


async def test_parent_may_skip_the_school(chat, tree, session):
    await _become_parent(chat)
    missing = (await chat.say(PARENT, "Гимназия имени Пушкина")).last(SendMessage)
    assert missing.text == texts.PARENT_SCHOOL_NOT_FOUND.format(query="Гимназия имени Пушкина")
    await chat.press(PARENT, ParentCb(action=ParentAction.SKIP).pack())
    assert chat.recording.last(EditMessageText).text == texts.PARENT_SCHOOL_SKIPPED
    assert chat.recording.last(SendMessage).text == texts.MENU_PARENT
    assert (await _parent_role(session)).org_id is None
    # Out of the form now: text is not taken as a school any more.
    await chat.say(PARENT, "сш 3")
    assert chat.recording.last(SendMessage).text != texts.PARENT_SCHOOL_CHOOSE


async def test_the_school_is_changed_later_with_a_command(chat, tree, session):
    await _become_parent(chat)
    await chat.press(PARENT, ParentCb(action=ParentAction.SKIP).pack())
    assert (await chat.say(PARENT, "/school")).last(SendMessage).text == texts.ASK_PARENT_SCHOOL
    unknown = (await chat.say(PARENT, "📎")).last(SendMessage)
    assert unknown.text == texts.PARENT_SCHOOL_NOT_FOUND.format(query="📎")
    found = (await chat.say(PARENT, "Мегион 4")).last(SendMessage)
    assert buttons_of(found)[0][0] == "СОШ № 4 Мегион — Мегион"
    await chat.press(PARENT, buttons_of(found)[0][1])
    role = await _parent_role(session)
    await session.refresh(role)
    assert role.org_id == tree.other_school.id


async def test_only_a_school_can_be_picked(chat, tree, session):
    await _become_parent(chat)
    await chat.press(PARENT, ParentCb(action=ParentAction.PICK, org_id=tree.muni.id).pack())
    answer = chat.recording.last(AnswerCallbackQuery)
    assert answer.text == texts.NOT_FOUND and answer.show_alert
    assert (await _parent_role(session)).org_id is None


async def test_strangers_cannot_pick_a_school(chat, tree):
    await chat.press(999, ParentCb(action=ParentAction.PICK, org_id=tree.school.id).pack())
    assert chat.recording.last(AnswerCallbackQuery).text == texts.STALE_BUTTON


async def test_parents_are_not_listed_among_the_registered_people(chat, tree, session):
    await _become_parent(chat)
    await chat.press(PARENT, ParentCb(action=ParentAction.PICK, org_id=tree.school.id).pack())
    officer = tree.tg.muni_officer
    await chat.press(officer, OrgCb(action=OrgAction.PEOPLE, org_id=tree.school.id).pack())
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
