"""Registration by invitation, parents, refused tokens and role isolation, over HTTP."""

from __future__ import annotations

from datetime import timedelta

from bot import texts
from bot.domain.enums import RoleKind
from bot.services import invites, orgs
from bot.services.access import SYSTEM
from bot.services.orgs import RegistryRow
from bot.texts import faq as faq_texts
from bot.texts import hotline as hotline_texts
from bot.texts.errors import error_text
from storage.base import utcnow
from storage.repo import invites as invite_repo
from storage.repo import orgs as org_repo
from tests.support.e2e import ADMIN_ID
from tests.support.factories import telegram_principal

REGISTRY = [
    RegistryRow("Касимов", "Орган управления образованием", "Europe/Moscow", False),
    RegistryRow("МБОУ «СШ № 3»", "Касимов", None, True),
]


async def _registry(running) -> None:
    async with running.app.session_factory() as session:
        await orgs.import_registry(session, SYSTEM, REGISTRY)


def _buttons(message: dict) -> list[str]:
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [button["text"] for row in rows for button in row]


def _menu_keyboard(fake, chat_id: int) -> list[str]:
    """Reply-keyboard buttons the bot last sent to a chat (Telegram does not echo them back)."""
    for call in reversed(fake.calls_to("sendMessage")):
        markup = call.params.get("reply_markup") or {}
        if str(call.params.get("chat_id")) == str(chat_id) and "keyboard" in markup:
            return [button["text"] for row in markup["keyboard"] for button in row]
    return []


async def _invite_link(running) -> str:
    officer = running.fake.user(ADMIN_ID, "Татьяна", "Ермакова")
    await officer.send("/orgs")
    card = await officer.wait_message(lambda m: "Орган управления образованием" in m["text"])
    await officer.press_button(card, texts.BTN_CHILDREN)
    listing = await officer.wait_edit()
    await officer.press_button(listing, "Касимов")
    muni = await officer.wait_edit(lambda m: "Касимов" in m["text"])
    await officer.press_button(muni, texts.BTN_CHILDREN)
    schools = await officer.wait_edit()
    await officer.press_button(schools, "⚠️ МБОУ «СШ № 3»")
    school = await officer.wait_edit(lambda m: "СШ № 3" in m["text"])
    assert "признаками необъективности" in school["text"]
    await officer.press_button(school, texts.BTN_INVITE_COORDINATOR)
    sent = await officer.wait_message(lambda m: "t.me/" in m["text"])
    return next(w for w in sent["text"].split() if w.startswith("https://t.me/"))


async def test_officer_invites_and_coordinator_registers(running):
    await _registry(running)
    link = await _invite_link(running)
    assert link.startswith("https://t.me/roadmap_test_bot?start=")
    token = link.split("start=")[1]

    anna = running.fake.user(555, "Анна", "Петрова")
    await anna.send(f"/start {token}")
    ask = await anna.wait_message()
    assert "школьный координатор" in ask["text"] and "СШ № 3" in ask["text"]
    await anna.press_button(ask, "Использовать «Анна Петрова»")
    done = await anna.wait_message(lambda m: m["text"].startswith("Готово"))
    assert "Анна Петрова" in done["text"]
    await anna.wait_message()
    assert texts.BTN_MY_TASKS in _menu_keyboard(running.fake, 555)
    assert [c["command"] for c in running.fake.commands(555)][:2] == ["menu", "tasks"]

    async with running.app.session_factory() as session:
        principal = await telegram_principal(session, 555)
    assert principal.full_name == "Анна Петрова"
    assert principal.has(RoleKind.COORDINATOR)

    # The single-use link is spent now.
    boris = running.fake.user(556, "Борис")
    await boris.send(f"/start {token}")
    refused = await boris.wait_message()
    assert refused["text"] == error_text("used_up")


async def test_parent_starts_the_bot_and_picks_the_school(running):
    await _registry(running)
    parent = running.fake.user(700, "Ольга")
    await parent.send("/start")
    greeting = await parent.wait_message()
    assert _buttons(greeting) == [texts.BTN_I_AM_PARENT, texts.BTN_I_HAVE_INVITE]
    await parent.press_button(greeting, texts.BTN_I_AM_PARENT)
    await parent.wait_message(lambda m: m["text"] == texts.PARENT_REGISTERED)
    ask = await parent.wait_message()
    assert ask["text"] == texts.ASK_PARENT_SCHOOL
    await parent.send("сш 3")
    choice = await parent.wait_message()
    assert _buttons(choice) == ["МБОУ «СШ № 3» — Касимов", texts.BTN_SKIP]
    await parent.press_button(choice, "МБОУ «СШ № 3» — Касимов")
    saved = await parent.wait_edit()
    assert saved["text"] == texts.PARENT_SCHOOL_SAVED.format(name="МБОУ «СШ № 3»")
    menu = await parent.wait_message()
    assert menu["text"] == texts.MENU_PARENT
    assert _menu_keyboard(running.fake, 700) == [
        hotline_texts.BTN_ASK,
        hotline_texts.BTN_MY_TICKETS,
        faq_texts.BTN_FAQ,
        texts.BTN_SETTINGS,
    ]
    assert "school" in [c["command"] for c in running.fake.commands(700)]
    async with running.app.session_factory() as session:
        principal = await telegram_principal(session, 700)
        school = await org_repo.get_org_by_name(session, "МБОУ «СШ № 3»", any_parent=True)
    assert principal.is_parent and principal.org_ids(RoleKind.PARENT) == [school.id]


async def test_parent_skips_the_school(running):
    parent = running.fake.user(701, "Пётр")
    await parent.send("/start")
    await parent.press_button(await parent.wait_message(), texts.BTN_I_AM_PARENT)
    assert (await parent.wait_message())["text"] == texts.PARENT_REGISTERED
    ask = await parent.wait_message()
    assert ask["text"] == texts.ASK_PARENT_SCHOOL
    await parent.press_button(ask, texts.BTN_SKIP)
    assert (await parent.wait_edit())["text"] == texts.PARENT_SCHOOL_SKIPPED
    assert (await parent.wait_message())["text"] == texts.MENU_PARENT
    async with running.app.session_factory() as session:
        principal = await telegram_principal(session, 701)
    assert principal.is_parent and principal.org_ids(RoleKind.PARENT) == []


async def test_expired_revoked_and_forged_tokens_are_refused(running):
    await _registry(running)

    async with running.app.session_factory() as session:
        school = (await org_repo.get_org_by_name(session, "МБОУ «СШ № 3»", any_parent=True)).id
        expired = await invites.create_invite(
            session, SYSTEM, school, RoleKind.COORDINATOR, ttl_days=1
        )
        revoked = await invites.create_invite(
            session, SYSTEM, school, RoleKind.COORDINATOR, ttl_days=5
        )
        await invites.revoke_invite(session, SYSTEM, revoked.id)
        stored = await invite_repo.get_invite(session, expired.token)
        stored.expires_at = utcnow() - timedelta(minutes=1)
        await session.commit()

    user = running.fake.user(800, "Иван")
    await user.send(f"/start {expired.token}")
    assert (await user.wait_message())["text"] == error_text("expired")
    await user.send(f"/start {revoked.token}")
    assert (await user.wait_message())["text"] == error_text("revoked")
    await user.send("/start AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    assert (await user.wait_message())["text"] == error_text("unknown")
    async with running.app.session_factory() as session:
        principal = await telegram_principal(session, 800)
    assert principal is None or principal.main_role is None


async def test_coordinator_cannot_reach_officer_commands_or_callbacks(running):
    await _registry(running)
    token = (await _invite_link(running)).split("start=")[1]
    anna = running.fake.user(555, "Анна", "Петрова")
    await anna.send(f"/start {token}")
    await anna.press_button(await anna.wait_message(), "Использовать «Анна Петрова»")
    assert (await anna.wait_message())["text"].startswith("Готово")
    assert (await anna.wait_message())["text"].startswith("Главное меню")

    await anna.send("/orgs")
    assert (await anna.wait_message())["text"] == texts.UNKNOWN_COMMAND
    await anna.send(texts.BTN_INVITES)
    assert (await anna.wait_message())["text"] == texts.UNKNOWN_COMMAND

    menu = anna.messages[-1]
    callback_id = await anna.press(menu, "org:open:1:0")
    answer = await anna.wait_callback_answer(callback_id)
    assert answer["text"] == texts.STALE_BUTTON
    callback_id = await anna.press(menu, "pr:rm:1:1")
    assert (await anna.wait_callback_answer(callback_id))["text"] == texts.STALE_BUTTON
    assert all("Орган управления" not in m["text"] for m in anna.messages)
