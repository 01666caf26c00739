"""The officer's list of registered people: pages, removing a coordinator, their commands."""

from __future__ import annotations

import pytest
from aiogram.methods import EditMessageText, SetMyCommands
from aiogram.types import BotCommandScopeChat
from sqlalchemy import select

from bot import texts
from bot.channels.telegram.callbacks import OrgAction, OrgCb, PersonAction, PersonCb
from bot.channels.telegram.commands import BY_ROLE, DEFAULT
from bot.domain.enums import RoleKind
from storage.models import Role, User
from tests.support.chat import ChatDriver, buttons_of
from tests.support.factories import add_telegram_user

PEOPLE = 35


@pytest.fixture
async def crowd(session, tree) -> list[User]:
    """Coordinators of one school, named so that their order in the list is known."""
    people = [
        await add_telegram_user(session, 5000 + n, f"Я-координатор {n:02d}") for n in range(PEOPLE)
    ]
    session.add_all(
        Role(user_id=p.id, role=RoleKind.COORDINATOR, org_id=tree.school2.id) for p in people
    )
    await session.commit()
    return people


async def _screen(chat: ChatDriver, user_id: int, data: str) -> EditMessageText:
    """The screen the bot shows in place of the pressed one."""
    return (await chat.press(user_id, data)).last(EditMessageText)


def _buttons(edit: EditMessageText) -> dict[str, str]:
    return dict(buttons_of(edit))


async def test_the_31st_person_is_reached_through_pages_and_removed(chat, tree, crowd, session):
    officer = tree.tg.muni_officer
    target = crowd[30]
    page = await _screen(chat, officer, OrgCb(action=OrgAction.PEOPLE, org_id=tree.muni.id).pack())
    seen = set()
    while target.full_name not in page.text:
        seen.update(line for line in page.text.splitlines() if line.startswith("•"))
        page = await _screen(chat, officer, _buttons(page)[texts.BTN_NEXT])
    # Before the target: the municipal officer, the first school's coordinator, 30 of the crowd.
    assert len(seen) == 32
    assert texts.PAGE.format(page=5, pages=5) in page.text

    remove = _buttons(page)[texts.BTN_REMOVE_PERSON.format(name=target.full_name)]
    confirm = await _screen(chat, officer, remove)
    assert target.full_name in confirm.text
    done = await _screen(chat, officer, _buttons(confirm)[texts.BTN_YES_REMOVE])
    assert done.text == texts.PERSON_REMOVED.format(name=target.full_name)
    roles = await session.scalars(select(Role).where(Role.user_id == target.id))
    assert roles.all() == []

    back = await _screen(chat, officer, _buttons(done)[texts.BTN_BACK])
    assert texts.PAGE.format(page=5, pages=5) in back.text
    assert target.full_name not in back.text


async def test_cancelling_a_removal_returns_to_the_same_page(chat, tree, crowd):
    officer = tree.tg.muni_officer
    last = await _screen(
        chat, officer, OrgCb(action=OrgAction.PEOPLE, org_id=tree.muni.id, page=4).pack()
    )
    name = crowd[-1].full_name
    confirm = await _screen(
        chat, officer, _buttons(last)[texts.BTN_REMOVE_PERSON.format(name=name)]
    )
    back = await _screen(chat, officer, _buttons(confirm)[texts.BTN_CANCEL])
    assert texts.PAGE.format(page=5, pages=5) in back.text and name in back.text


async def _remove(chat: ChatDriver, officer: int, role: Role, org_id: int) -> None:
    await _screen(
        chat, officer, PersonCb(action=PersonAction.REMOVE, role_id=role.id, org_id=org_id).pack()
    )


def _commands_of(recording, chat_id: int) -> list[str]:
    calls = [
        call
        for call in recording.of_type(SetMyCommands)
        if isinstance(call.scope, BotCommandScopeChat) and call.scope.chat_id == chat_id
    ]
    assert calls, f"no setMyCommands for chat {chat_id}"
    return [command.command for command in calls[-1].commands]


async def test_a_removed_coordinator_gets_the_guest_commands_back(chat, tree, session):
    role = await session.scalar(select(Role).where(Role.user_id == tree.coordinator.id))
    await _remove(chat, tree.tg.muni_officer, role, tree.muni.id)
    assert _commands_of(chat.recording, tree.tg.coordinator) == [c.command for c in DEFAULT]


async def test_a_coordinator_of_another_school_keeps_the_coordinator_commands(chat, tree, session):
    role = await session.scalar(select(Role).where(Role.user_id == tree.coordinator.id))
    session.add(
        Role(user_id=tree.coordinator.id, role=RoleKind.COORDINATOR, org_id=tree.other_school.id)
    )
    await session.commit()
    await _remove(chat, tree.tg.muni_officer, role, tree.muni.id)
    expected = [c.command for c in BY_ROLE[RoleKind.COORDINATOR]]
    assert _commands_of(chat.recording, tree.tg.coordinator) == expected


async def test_a_refused_command_reset_does_not_undo_the_removal(chat, tree, session):
    role = await session.scalar(select(Role).where(Role.user_id == tree.coordinator.id))
    chat.recording.fail_next(SetMyCommands, status=400, description="Bad Request: chat not found")
    await _remove(chat, tree.tg.muni_officer, role, tree.muni.id)
    edit = chat.recording.last(EditMessageText)
    assert edit.text == texts.PERSON_REMOVED.format(name=tree.coordinator.full_name)
    assert texts.ERROR not in chat.recording.sent_texts()
