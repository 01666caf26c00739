"""Composing announcements in the chat: the audience from the sender's subtree, the preview
as recipients see it with its counts, sending, scheduling, editing, cancelling, the author's
list and the school's volunteers; forged and stale buttons change nothing."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendDocument,
    SendMediaGroup,
    SendMessage,
)
from sqlalchemy import func, select

from bot import texts as common
from bot.channels.telegram.callbacks.announce_form import (
    ComposeCb,
    ComposeStep,
    DraftAction,
    DraftCb,
    MineAction,
    MineCb,
    VolunteerAction,
    VolunteerCb,
)
from bot.channels.telegram.callbacks.announcements import AnnouncementAction, AnnouncementCb
from bot.domain.enums import AnnouncementStatus, AudienceKind, OutboxStatus, RoleKind
from bot.services.access import load_principal
from bot.services.announcements import responses
from bot.texts import announce_form as texts
from bot.texts import announcements as atexts
from bot.texts.errors import error_text
from handlers.officer.announcements import compose as compose_steps
from storage.models import Announcement, AssessmentEvent, OutboxMessage, Role, User
from tests.support.chat import ChatDriver, buttons_of
from tests.support.factories import add_person, tg_id_of
from tests.support.updates import media_update, photo_update

NOT_DRAFT = "Это объявление уже отправлено или отменено."


@pytest.fixture
async def people(session, tree):
    """Касимов: coordinators of its three schools (one blocked the bot, one never opened a
    chat with it), parents of two schools, an operator; Мегион: a coordinator."""
    coord2 = await add_person(session, tree.school2, name="Координатор СШ 2")
    blocked = await add_person(session, tree.school2, name="Заблокировал", is_active=False)
    nochat = User(full_name="Без чата")
    session.add(nochat)
    await session.flush()
    session.add(Role(user_id=nochat.id, role=RoleKind.COORDINATOR, org_id=tree.school2.id))
    coord3 = await add_person(session, tree.risky, name="Координатор СШ 3")
    other = await add_person(session, tree.other_school, name="Координатор Мегиона")
    parent = await add_person(session, tree.school, RoleKind.PARENT, name="Мама СШ 1")
    parent2 = await add_person(session, tree.school2, RoleKind.PARENT, name="Папа СШ 2")
    operator = await add_person(session, tree.muni, RoleKind.OPERATOR, name="Оператор")
    await session.commit()
    return {
        "coord2": coord2,
        "blocked": blocked,
        "nochat": nochat,
        "coord3": coord3,
        "other": other,
        "parent": parent,
        "parent2": parent2,
        "operator": operator,
    }


def alert(chat: ChatDriver) -> AnswerCallbackQuery:
    return chat.recording.last(AnswerCallbackQuery)


async def pick(chat: ChatDriver, user: int, query: str, label: str) -> None:
    """Find an organisation by part of its name and mark it."""
    await chat.say(user, query)
    await chat.tap(user, label)


async def compose(
    chat: ChatDriver,
    session,
    user: int,
    kind: AudienceKind,
    *,
    picks: tuple[tuple[str, str], ...] = (),
    text: str = "Совещание в пятницу",
    response: str = texts.BTN_RESPONSE_NONE,
) -> Announcement:
    """The officer's form from /announce to the preview; returns the draft it stored."""
    await chat.say(user, "/announce")
    await chat.tap(user, texts.AUDIENCE_BUTTONS[kind])
    for query, label in picks:
        await pick(chat, user, query, label)
    if picks:
        await chat.tap(user, texts.BTN_DONE)
    assert chat.last_text(user) == texts.ASK_TEXT.format(limit=4000)
    await chat.say(user, text)
    await chat.tap(user, texts.BTN_NO_FILES)
    await chat.tap(user, response)
    return await latest(session)


async def latest(session) -> Announcement:
    """The announcement stored last, fresh from the database."""
    query = (
        select(Announcement)
        .order_by(Announcement.id.desc())
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(query)).first()


def card_counts(recipients: int, blocked: int, unreachable: int) -> str:
    return (
        f"Получателей: <b>{recipients}</b>. Заблокировали бота: {blocked} (им не придёт). "
        f"Без чата с ботом: {unreachable}."
    )


async def test_chosen_schools_coordinators_get_a_preview_with_counts_and_one_send(
    chat, session, tree, people
):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/announce")
    # A municipal officer sends from their office: the audiences an officer has.
    labels = [label for label, _ in chat.last_buttons(officer)]
    assert labels == [texts.AUDIENCE_BUTTONS[k] for k in AudienceKind] + [texts.BTN_DISCARD]
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.COORDINATORS_OF])
    picker = [label for label, _ in chat.last_buttons(officer)]
    assert "МБОУ «СШ № 1»" in picker and "СОШ № 4 Мегион" not in picker
    await chat.say(officer, "сш 2")
    assert [label for label, _ in chat.last_buttons(officer)][0] == "МБОУ «СШ № 2»"
    await chat.tap(officer, "МБОУ «СШ № 2»")
    assert "Отмечено: 1." in chat.last_text(officer)
    await chat.tap(officer, texts.BTN_RESET_SEARCH)
    await chat.tap(officer, "МБОУ «СШ № 3»")
    await chat.tap(officer, texts.BTN_DONE)
    # Bold, italics and a link as Telegram sends them: entities, kept as HTML.
    await chat.feed(
        media_update(
            officer,
            text="Совещание в пятницу, повестка <тут>",
            entities=[
                {"type": "bold", "offset": 0, "length": 9},
                {"type": "text_link", "offset": 10, "length": 1, "url": "https://edu.ru/"},
            ],
        )
    )
    await chat.tap(officer, texts.BTN_NO_FILES)
    await chat.tap(officer, texts.BTN_RESPONSE_ACK)

    shown = chat.recording.of_type(SendMessage)[-2:]
    as_seen, card = shown
    assert as_seen.text == (
        '📢 <b>Касимов</b>\n\n<b>Совещание</b> <a href="https://edu.ru/">в</a> пятницу, '
        "повестка &lt;тут&gt;"
    )
    assert [label for label, _ in buttons_of(as_seen)] == [atexts.BTN_ACK]
    # Two coordinators of СШ № 2 besides the one who blocked the bot and the one without a
    # chat, and the coordinator of СШ № 3.
    assert card_counts(4, 1, 1) in card.text
    draft = await latest(session)
    assert draft.status == AnnouncementStatus.DRAFT
    assert draft.audience == {
        "kind": "coordinators_of",
        "org_ids": sorted([tree.school2.id, tree.risky.id]),
    }

    # The preview's button does nothing but say so.
    await chat.press(officer, buttons_of(as_seen)[0][1])
    assert alert(chat).text == texts.PREVIEW_BUTTON

    await chat.tap(officer, texts.BTN_SEND_NOW)
    progress = chat.recording.last(SendMessage)
    assert progress.text.startswith(f"📤 Рассылка объявления № {draft.id}: отправляется.")
    assert [label for label, _ in buttons_of(progress)] == [atexts.BTN_CANCEL_SENDING]
    await session.refresh(draft)
    assert draft.status == AnnouncementStatus.SENDING
    assert draft.progress_chat_id == str(officer) and draft.progress_message_id is not None
    rows = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.ref_id == draft.id))
    ).all()
    # One row each, but for the coordinator without a chat.
    assert len(rows) == 3

    # A second press of «Отправить» on the same preview is refused and queues nothing.
    await chat.press(officer, DraftCb(action=DraftAction.SEND, announcement_id=draft.id))
    assert alert(chat).text == NOT_DRAFT and alert(chat).show_alert
    count = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.ref_id == draft.id)
    assert await session.scalar(count) == 3
    assert await chat.state(officer).get_state() is None


async def test_every_audience_counts_its_own_people(chat, session, tree, people):
    officer = tree.tg.muni_officer
    cases = [
        (AudienceKind.COORDINATORS, (), card_counts(5, 1, 1)),  # СШ 1, СШ 2 ×3, СШ 3
        (AudienceKind.RISK_SCHOOLS, (), card_counts(1, 0, 0)),
        (AudienceKind.OPERATORS, (), card_counts(1, 0, 0)),
        (
            AudienceKind.PARENTS_OF,
            (("сш 1", "МБОУ «СШ № 1»"), ("сш 2", "МБОУ «СШ № 2»")),
            card_counts(2, 0, 0),
        ),
    ]
    for kind, picks, expected in cases:
        await compose(chat, session, officer, kind, picks=picks)
        card = chat.last_text(officer)
        assert expected in card, kind
        assert atexts.AUDIENCE_NAMES[kind] in card
        await chat.tap(officer, texts.BTN_DISCARD)
        assert chat.last_text(officer) == texts.DISCARDED

    # Only the author is an officer in Касимов: nobody to send to, and the audience is asked
    # again.
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.OFFICERS])
    await chat.say(officer, "Только для специалистов")
    await chat.tap(officer, texts.BTN_NO_FILES)
    await chat.tap(officer, texts.BTN_RESPONSE_NONE)
    said = chat.texts(officer)[-2:]
    assert said[0] == error_text("announcement_no_recipients")
    assert said[1].startswith("📢 Объявление от «Касимов»")


async def test_a_region_officer_chooses_municipalities_and_schools_by_page(chat, tree, people):
    officer = tree.tg.officer
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.COORDINATORS_OF])
    labels = [label for label, _ in chat.last_buttons(officer)]
    # Municipalities first, then schools with their municipality; eight to a page.
    assert labels[:3] == ["Касимов", "Мегион", "МБОУ «СШ № 1» (Касимов)"]
    assert common.BTN_PREV not in labels and common.BTN_NEXT not in labels
    await chat.tap(officer, "Мегион")
    await chat.tap(officer, texts.BTN_DONE)
    await chat.say(officer, "Для Мегиона")
    await chat.tap(officer, texts.BTN_NO_FILES)
    # An officer is not offered the volunteer call (it is the school's).
    labels = [label for label, _ in chat.last_buttons(officer)]
    assert texts.BTN_RESPONSE_VOLUNTEER not in labels
    await chat.tap(officer, texts.BTN_RESPONSE_NONE)
    assert card_counts(1, 0, 0) in chat.last_text(officer)


async def test_choosing_nothing_is_refused(chat, tree, people):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.PARENTS_OF])
    await chat.tap(officer, texts.BTN_DONE)
    assert alert(chat).text == texts.CHOOSE_AT_LEAST_ONE
    await chat.say(officer, "гимназия 99")
    assert "ничего не нашлось" in chat.last_text(officer)


async def test_an_organisation_outside_the_subtree_cannot_be_chosen(chat, tree, people):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.COORDINATORS_OF])
    await chat.press(officer, ComposeCb(step=ComposeStep.TOGGLE, id=tree.other_school.id))
    assert alert(chat).text == common.NO_ACCESS and alert(chat).show_alert
    data = await chat.state(officer).get_data()
    assert not [k for k, v in data.items() if k.startswith("org.") and v]
    # An audience the person may not address is refused as well.
    await chat.say(officer, "/announce")
    await chat.press(officer, ComposeCb(step=ComposeStep.KIND, value="everyone"))
    assert alert(chat).text == common.NO_ACCESS


async def test_a_text_over_4000_characters_is_refused(chat, tree, people):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.OPERATORS])
    await chat.say(officer, "а" * 4001)
    assert chat.last_text(officer) == "Слишком длинный текст: не больше 4000 символов."
    await chat.say(officer, "а" * 4000)
    assert chat.last_text(officer).startswith("📎 Приложите фото или документы")


async def test_files_an_album_at_once_and_the_limit(chat, tree, people, monkeypatch):
    monkeypatch.setattr(compose_steps, "ALBUM_WAIT", 0.2)
    officer = tree.tg.muni_officer
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.OPERATORS])
    await chat.say(officer, "График ВПР")
    await chat.document(officer, "график.pdf")
    assert chat.last_text(officer) == texts.FILES_ADDED.format(n=1, done=texts.BTN_DONE)
    await asyncio.gather(
        *(chat.feed(photo_update(officer, f"PH{n}", media_group_id="al1")) for n in range(3))
    )
    added = [t for t in chat.texts(officer) if t.startswith("Приложено файлов")]
    assert added == [
        texts.FILES_ADDED.format(n=1, done=texts.BTN_DONE),
        texts.FILES_ADDED.format(n=4, done=texts.BTN_DONE),
    ]
    await asyncio.gather(
        *(chat.feed(photo_update(officer, f"PX{n}", media_group_id="al2")) for n in range(7))
    )
    assert texts.FILES_TOO_MANY.format(limit=10) in chat.texts(officer)
    data = await chat.state(officer).get_data()
    kept = [v for k, v in data.items() if k.startswith("file.") and v]
    assert 4 <= len(kept) <= 10
    await chat.say(officer, "ещё текст")
    assert chat.last_text(officer).startswith("Пришлите фото или документ")
    await chat.tap(officer, texts.BTN_DONE)
    await chat.tap(officer, texts.BTN_RESPONSE_NONE)
    # The document goes on its own, the photos as an album after the text.
    albums = chat.recording.of_type(SendMediaGroup)
    assert len(albums) == 1 and len(albums[0].media) == len(kept) - 1
    assert f"Файлов: {len(kept)}." in chat.last_text(officer)


async def test_scheduling_refuses_the_past_and_takes_the_local_time(chat, session, tree, people):
    officer = tree.tg.muni_officer
    draft = await compose(chat, session, officer, AudienceKind.OPERATORS)
    await chat.tap(officer, texts.BTN_SCHEDULE)
    assert "Europe/Moscow" in chat.last_text(officer)
    await chat.say(officer, "завтра утром")
    assert chat.last_text(officer) == texts.SCHEDULE_BAD.format(example=texts.SCHEDULE_EXAMPLE)
    await chat.say(officer, "01.09.2020 09:00")
    assert chat.last_text(officer).startswith("Это время уже прошло")
    await session.refresh(draft)
    assert draft.status == AnnouncementStatus.DRAFT
    await chat.say(officer, "15.03.2099 09:00")
    said = chat.texts(officer)[-2:]
    assert said[0] == texts.SCHEDULED.format(
        id=draft.id, at="15.03.2099 09:00", tz="Europe/Moscow"
    )
    assert "Отправка начнётся 15.03.2099 09:00." in said[1]
    await session.refresh(draft)
    assert draft.status == AnnouncementStatus.SCHEDULED
    assert draft.scheduled_at == datetime(2099, 3, 15, 6, 0, tzinfo=UTC)
    row = (await session.scalars(select(OutboxMessage))).one()
    assert row.status == OutboxStatus.PENDING and row.due_at == draft.scheduled_at


async def test_editing_the_text_or_audience_makes_a_new_preview(chat, session, tree, people):
    officer = tree.tg.muni_officer
    first = await compose(chat, session, officer, AudienceKind.OPERATORS, text="Старый текст")
    old_card = chat.last_buttons(officer)
    await chat.tap(officer, texts.BTN_EDIT_TEXT)
    assert chat.last_text(officer) == texts.ASK_TEXT_AGAIN
    await chat.say(officer, "Новый текст")
    second = await latest(session)
    assert second.id != first.id and second.text == "Новый текст"
    assert second.audience == first.audience
    assert "Новый текст" in chat.texts(officer)[-2] and card_counts(1, 0, 0) in chat.last_text(
        officer
    )
    # The old preview's buttons are stale now.
    await chat.press(officer, dict(old_card)[texts.BTN_EDIT_TEXT])
    assert alert(chat).text == texts.STALE_PREVIEW

    await chat.tap(officer, texts.BTN_EDIT_AUDIENCE)
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.COORDINATORS])
    third = await latest(session)
    assert third.text == "Новый текст" and third.audience["kind"] == "coordinators"
    assert card_counts(5, 1, 1) in chat.last_text(officer)


async def test_cancel_leaves_the_form_and_sends_nothing(chat, session, tree, people):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/announce")
    await chat.tap(officer, texts.AUDIENCE_BUTTONS[AudienceKind.OPERATORS])
    await chat.say(officer, "/cancel")
    assert chat.texts(officer)[-2] == common.CANCELLED
    assert await chat.state(officer).get_state() is None
    draft = await compose(chat, session, officer, AudienceKind.OPERATORS)
    await chat.tap(officer, texts.BTN_DISCARD)
    assert chat.last_text(officer) == texts.DISCARDED
    assert await chat.state(officer).get_state() is None
    await session.refresh(draft)
    assert draft.status == AnnouncementStatus.DRAFT
    assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


async def test_a_coordinator_writes_to_their_own_school_parents_only(chat, session, tree, people):
    coordinator = tree.tg.coordinator
    await chat.say(coordinator, texts.BTN_ANNOUNCE)
    # No audience to choose: straight to the text.
    assert chat.last_text(coordinator) == texts.ASK_TEXT.format(limit=4000)
    await chat.say(coordinator, "Родительское собрание в четверг")
    await chat.tap(coordinator, texts.BTN_NO_FILES)
    labels = [label for label, _ in chat.last_buttons(coordinator)]
    assert texts.BTN_RESPONSE_VOLUNTEER in labels
    # Without an upcoming assessment there is nothing to call volunteers for.
    await chat.tap(coordinator, texts.BTN_RESPONSE_VOLUNTEER)
    assert alert(chat).text == texts.NO_EVENTS
    await chat.tap(coordinator, texts.BTN_RESPONSE_NONE)
    card = chat.last_text(coordinator)
    assert card_counts(1, 0, 0) in card  # the parent of СШ № 1, not of СШ № 2
    labels = [label for label, _ in chat.last_buttons(coordinator)]
    assert texts.BTN_EDIT_AUDIENCE not in labels
    draft = await latest(session)
    assert draft.org_id == tree.school.id and draft.audience["kind"] == "parents_of"
    await chat.tap(coordinator, texts.BTN_SEND_NOW)
    rows = (await session.scalars(select(OutboxMessage))).all()
    assert [r.user_id for r in rows] == [people["parent"].id]


async def test_forged_buttons_of_another_author_change_nothing(chat, session, tree, people):
    officer = tree.tg.muni_officer
    draft = await compose(chat, session, officer, AudienceKind.OPERATORS)
    other = await tg_id_of(session, people["other"])
    for action in (DraftAction.SEND, DraftAction.SCHEDULE):
        await chat.press(tree.tg.coordinator, DraftCb(action=action, announcement_id=draft.id))
        assert alert(chat).text == common.NO_ACCESS and alert(chat).show_alert
    await chat.press(other, DraftCb(action=DraftAction.SEND, announcement_id=draft.id))
    assert alert(chat).text == common.NO_ACCESS
    await session.refresh(draft)
    assert draft.status == AnnouncementStatus.DRAFT
    await chat.tap(officer, texts.BTN_SEND_NOW)
    for data in (
        AnnouncementCb(action=AnnouncementAction.ACKS_XLSX, announcement_id=draft.id),
        MineCb(action=MineAction.OPEN, announcement_id=draft.id),
    ):
        await chat.press(tree.tg.coordinator, data)
        assert alert(chat).text == common.NO_ACCESS
    assert not chat.recording.of_type(SendDocument)


async def test_my_announcements_list_open_a_card_and_the_xlsx(chat, session, tree, people):
    officer = tree.tg.muni_officer
    draft = await compose(
        chat, session, officer, AudienceKind.RISK_SCHOOLS, response=texts.BTN_RESPONSE_ACK
    )
    await chat.tap(officer, texts.BTN_SEND_NOW)
    await chat.say(officer, texts.BTN_MY_ANNOUNCEMENTS)
    listed = chat.last_text(officer)
    assert f"№ {draft.id}" in listed and "Совещание в пятницу" in listed
    await chat.tap(officer, f"№ {draft.id} · Совещание в пятницу")
    card = chat.recording.last(EditMessageText)
    assert card.text.startswith(f"📢 <b>Объявление № {draft.id}</b>")
    labels = [label for label, _ in buttons_of(card)]
    assert labels[:4] == [
        atexts.BTN_CANCEL_SENDING,
        atexts.BTN_WHO_ACKED,
        atexts.BTN_REMIND,
        atexts.BTN_ACKS_XLSX,
    ]
    # Delivered and acknowledged: the row is marked sent, the coordinator presses the button.
    row = (await session.scalars(select(OutboxMessage))).one()
    row.status = OutboxStatus.SENT
    await session.commit()
    coord3 = await load_principal(session, people["coord3"].id)
    await responses.acknowledge(session, coord3, draft.id)
    await chat.tap(officer, atexts.BTN_ACKS_XLSX)
    ((name, content),) = chat.recording.sent_documents(officer)
    assert name == f"oznakomlenie-{draft.id}.xlsx" and content.startswith(b"PK")
    assert chat.recording.last(SendDocument).caption == texts.ACKS_XLSX_CAPTION.format(
        id=draft.id, acked=1, total=1
    )
    # Someone else's list does not hold it; the region's officer manages it and sees it.
    await chat.say(tree.tg.coordinator, "/announcements")
    assert chat.last_text(tree.tg.coordinator) == texts.MY_EMPTY
    await chat.say(tree.tg.officer, "/announcements")
    assert f"№ {draft.id}" in chat.last_text(tree.tg.officer)


async def test_the_school_confirms_a_volunteer(chat, session, tree, people):
    event = AssessmentEvent(
        org_id=tree.school.id, kind="ВПР", subject="математика", grade=5,
        event_date=date(2099, 4, 15),
    )  # fmt: skip
    session.add(event)
    await session.commit()
    coordinator = tree.tg.coordinator
    await chat.say(coordinator, "/volunteers")
    assert chat.last_text(coordinator) == texts.VOLUNTEER_EVENTS_NONE
    await chat.say(coordinator, "/announce")
    await chat.say(coordinator, "Нужны наблюдатели на ВПР")
    await chat.tap(coordinator, texts.BTN_NO_FILES)
    await chat.tap(coordinator, texts.BTN_RESPONSE_VOLUNTEER)
    await chat.tap(coordinator, "15.04.2099 · ВПР · математика · 5 класс")
    as_seen = chat.texts(coordinator)[-2]
    assert as_seen.endswith("🗓 ВПР · математика · 5 класс — 15.04.2099")
    await chat.tap(coordinator, texts.BTN_SEND_NOW)
    draft = await latest(session)
    row = (await session.scalars(select(OutboxMessage))).one()
    row.status = OutboxStatus.SENT
    await session.commit()
    parent = await load_principal(session, people["parent"].id)
    await responses.volunteer(session, parent, draft.id)

    await chat.say(coordinator, texts.BTN_VOLUNTEERS)
    assert "ждут решения: 1" in chat.last_text(coordinator)
    await chat.tap(coordinator, "15.04.2099 · ВПР · математика · 5 класс")
    assert "⏳ Мама СШ 1" in chat.last_text(coordinator)
    # A coordinator of another school cannot decide on this one's volunteer.
    found = await responses.event_volunteers(
        session, await load_principal(session, tree.coordinator.id), event.id
    )
    response_id = found.volunteers[0].response_id
    other = await tg_id_of(session, people["coord2"])
    await chat.press(
        other,
        VolunteerCb(action=VolunteerAction.CONFIRM, event_id=event.id, response_id=response_id),
    )
    assert alert(chat).text == common.NO_ACCESS
    await chat.tap(coordinator, texts.BTN_CONFIRM_VOLUNTEER.format(name="Мама СШ 1"))
    assert "✅ Мама СШ 1" in chat.last_text(coordinator)
    notices = (
        await session.scalars(
            select(OutboxMessage).where(OutboxMessage.user_id == people["parent"].id)
        )
    ).all()
    assert any("Школа подтвердила" in n.payload["text"] for n in notices)
    # Pressing ✅ again is refused with the service's words.
    await chat.tap(coordinator, texts.BTN_CONFIRM_VOLUNTEER.format(name="Мама СШ 1"))
    assert alert(chat).text == "Это решение уже принято."
