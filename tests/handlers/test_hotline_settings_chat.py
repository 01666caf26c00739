"""The officer's hotline settings card in chat: each form and toggle, wrong input re-asked,
/cancel back to the card, bringing back the settings above, and strangers refused."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.methods import AnswerCallbackQuery, SendMessage
from sqlalchemy import func, select

from bot import texts as common
from bot.channels.telegram.callbacks.hotline_settings import (
    HotlineSettingsAction,
    HotlineSettingsCb,
)
from bot.domain.enums import OrgKind, RoleKind
from bot.services.hotline import common as hotline_common
from bot.services.hotline import routing
from bot.services.hotline.settings import effective_settings
from bot.texts import hotline_settings as texts
from storage.models import AuditEntry, HotlineOptOut, HotlineSettings, Organization, Role
from tests.support.chat import ChatDriver
from tests.support.factories import add_person, tg_id_of
from tests.support.hotline import add_ticket

TZ = "Europe/Moscow"
A = HotlineSettingsAction


async def own_row(session, org_id: int) -> HotlineSettings | None:
    query = select(HotlineSettings).where(HotlineSettings.org_id == org_id)
    return (await session.scalars(query.execution_options(populate_existing=True))).first()


async def count(session, model) -> int:
    return await session.scalar(select(func.count()).select_from(model))


def labels(chat: ChatDriver, user: int) -> list[str]:
    return [label for label, _ in chat.last_buttons(user)]


def last_alert(chat: ChatDriver) -> AnswerCallbackQuery:
    return chat.recording.last(AnswerCallbackQuery)


async def test_an_officer_sees_the_card_and_changes_the_hours(chat, tree, session):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")
    card = chat.last_text(officer)
    for line in (
        "<b>Настройки горячей линии</b>, Касимов",
        "Горячая линия: включена",
        "Часы: пн–пт, 09:00–18:00 (Europe/Moscow)",
        "Периоды: всегда",
        "Срок ответа: 8 рабочих часов",
        "Передача вышестоящим: через 3 рабочих дня",
        "Вы отвечаете на обращения: да",
        texts.SOURCE_DEFAULTS,
    ):
        assert line in card, line
    assert texts.BTN_RESET not in labels(chat, officer)

    await chat.tap(officer, texts.BTN_HOURS)
    assert "Сейчас: 09:00–18:00" in chat.last_text(officer)
    for wrong in ("18-9", "9:30-18:00", "с утра до вечера"):
        await chat.say(officer, wrong)
        assert chat.last_text(officer) == texts.RE_ASK.format(error=texts.BAD_HOURS)
    await chat.document(officer, "часы.pdf")
    assert chat.last_text(officer) == texts.TEXT_EXPECTED
    assert await own_row(session, tree.muni.id) is None

    await chat.say(officer, "10:00-17:00")
    saved = chat.last_text(officer)
    assert saved.startswith(texts.SAVED) and "Часы: пн–пт, 10:00–17:00" in saved
    assert texts.SOURCE_OWN in saved
    assert await chat.state(officer).get_state() is None
    row = await own_row(session, tree.muni.id)
    assert (row.work_start, row.work_end) == (10, 17)


async def test_new_hours_move_a_waiting_questions_deadline(chat, tree, session):
    ticket = await add_ticket(session, tree.muni.id, school_id=tree.school.id)
    await session.commit()
    answer, _, _ = await hotline_common.deadlines(session, ticket, default_tz=TZ)
    # Tuesday 10:00 in Moscow and 8 working hours of 9-18: 18:00 the same day.
    assert answer == datetime(2026, 3, 3, 15, 0, tzinfo=UTC)

    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")
    await chat.tap(officer, texts.BTN_HOURS)
    await chat.say(officer, "10-17")
    # 10-17 on Tuesday (7 hours), then one more hour on Wednesday: 11:00.
    answer, _, _ = await hotline_common.deadlines(session, ticket, default_tz=TZ)
    assert answer == datetime(2026, 3, 4, 8, 0, tzinfo=UTC)


async def test_days_are_chosen_with_toggles_and_saved_with_done(chat, tree, session):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")
    await chat.tap(officer, texts.BTN_DAYS)
    assert chat.last_text(officer) == texts.ASK_DAYS.format(org="Касимов")
    assert labels(chat, officer)[:7] == ["✅ пн", "✅ вт", "✅ ср", "✅ чт", "✅ пт", "сб", "вс"]
    await chat.tap(officer, "✅ пт")
    await chat.tap(officer, "сб")
    assert labels(chat, officer)[4:7] == ["пт", "✅ сб", "вс"]
    # Nothing is saved until «Готово».
    assert await own_row(session, tree.muni.id) is None

    await chat.tap(officer, texts.BTN_DONE)
    assert "Часы: пн–чт, сб, 09:00–18:00" in chat.last_text(officer)
    assert (await own_row(session, tree.muni.id)).work_days == [0, 1, 2, 3, 5]

    await chat.tap(officer, texts.BTN_DAYS)
    for day in ("✅ пн", "✅ вт", "✅ ср", "✅ чт", "✅ сб"):
        await chat.tap(officer, day)
    await chat.tap(officer, texts.BTN_DONE)
    alert = last_alert(chat)
    assert alert.show_alert and alert.text == texts.BAD_DAYS
    assert (await own_row(session, tree.muni.id)).work_days == [0, 1, 2, 3, 5]


async def test_periods_deadlines_and_the_link_are_typed_and_checked(chat, tree, session):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")

    await chat.tap(officer, texts.BTN_PERIODS)
    await chat.say(officer, "31.05.2026-01.03.2026")
    assert "В периоде «31.05.2026-01.03.2026» начало позже конца." in chat.last_text(officer)
    await chat.say(officer, "весной")
    assert texts.BAD_PERIODS in chat.last_text(officer)
    await chat.say(officer, "01.03.2026-31.05.2026, 01.09.2026-30.09.2026")
    assert "Периоды: 01.03.2026–31.05.2026, 01.09.2026–30.09.2026" in chat.last_text(officer)

    await chat.tap(officer, texts.BTN_ANSWER)
    assert "Сейчас: 8 рабочих часов" in chat.last_text(officer)
    for wrong in ("0", "241", "восемь"):
        await chat.say(officer, wrong)
        assert texts.BAD_ANSWER_HOURS in chat.last_text(officer)
    await chat.say(officer, "12")
    assert "Срок ответа: 12 рабочих часов" in chat.last_text(officer)

    await chat.tap(officer, texts.BTN_ESCALATE)
    await chat.say(officer, "61")
    assert texts.BAD_ESCALATE_DAYS in chat.last_text(officer)
    await chat.say(officer, "1")
    assert "Передача вышестоящим: через 1 рабочий день" in chat.last_text(officer)

    await chat.tap(officer, texts.BTN_APPEAL)
    await chat.say(officer, "javascript:alert(1)")
    assert texts.BAD_URL in chat.last_text(officer)
    await chat.say(officer, "https://kasimov.example.ru/appeal?a=1&b=<2>")
    assert (
        "Официальные обращения: https://kasimov.example.ru/appeal?a=1&amp;b=&lt;2&gt;"
        in chat.last_text(officer)
    )

    row = await own_row(session, tree.muni.id)
    assert row.periods == [["2026-03-01", "2026-05-31"], ["2026-09-01", "2026-09-30"]]
    assert (row.answer_hours, row.escalate_days) == (12, 1)
    assert row.appeal_url == "https://kasimov.example.ru/appeal?a=1&b=<2>"
    current = await effective_settings(session, tree.muni.id, default_tz=TZ)
    assert (current.answer_hours, current.escalate_days) == (12, 1)

    await chat.tap(officer, texts.BTN_APPEAL)
    await chat.say(officer, "-")
    assert f"Официальные обращения: {texts.APPEAL_NONE}" in chat.last_text(officer)
    await chat.tap(officer, texts.BTN_PERIODS)
    await chat.say(officer, "всегда")
    assert "Периоды: всегда" in chat.last_text(officer)
    actions = (await session.scalars(select(AuditEntry.action))).all()
    assert actions == ["hotline.settings"] * 6


async def test_cancel_goes_back_to_the_card_and_changes_nothing(chat, tree, session):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")
    await chat.tap(officer, texts.BTN_ESCALATE)
    await chat.say(officer, "/cancel")
    shown = chat.last_text(officer)
    assert shown.startswith(common.CANCELLED)
    assert "Передача вышестоящим: через 3 рабочих дня" in shown
    assert texts.BTN_ESCALATE in labels(chat, officer)
    assert await chat.state(officer).get_state() is None
    await chat.say(officer, "5")
    assert await own_row(session, tree.muni.id) is None

    # «К настройкам» under the question leaves the form too.
    await chat.tap(officer, texts.BTN_ANSWER)
    await chat.tap(officer, texts.BTN_TO_CARD)
    assert await chat.state(officer).get_state() is None
    assert "Срок ответа: 8 рабочих часов" in chat.last_text(officer)


async def test_the_line_and_the_officers_own_answering_are_toggled(chat, tree, session):
    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")
    off = dict(chat.last_buttons(officer))[texts.BTN_TURN_OFF]
    await chat.tap(officer, texts.BTN_TURN_OFF)
    assert last_alert(chat).text == texts.TURNED_OFF
    assert "Горячая линия: выключена" in chat.last_text(officer)
    assert texts.BTN_TURN_ON in labels(chat, officer)
    assert (await own_row(session, tree.muni.id)).enabled is False
    # The old button, pressed again, asks for the same state: the line stays off.
    await chat.press(officer, off)
    assert (await own_row(session, tree.muni.id)).enabled is False
    await chat.tap(officer, texts.BTN_TURN_ON)
    assert (await own_row(session, tree.muni.id)).enabled is True

    await chat.tap(officer, texts.BTN_OPT_OUT)
    assert last_alert(chat).text == texts.OPTED_OUT
    assert "Вы отвечаете на обращения: нет" in chat.last_text(officer)
    assert tree.muni_officer.id not in await routing.operators_of(session, tree.muni.id)
    await chat.tap(officer, texts.BTN_OPT_IN)
    assert "Вы отвечаете на обращения: да" in chat.last_text(officer)
    assert await count(session, HotlineOptOut) == 0
    assert tree.muni_officer.id in await routing.operators_of(session, tree.muni.id)


async def test_the_settings_above_come_back_after_a_confirmation(chat, tree, session):
    session.add_all(
        [
            HotlineSettings(org_id=tree.region.id, answer_hours=4),
            HotlineSettings(org_id=tree.muni.id, answer_hours=20),
        ]
    )
    await session.commit()
    officer = tree.tg.muni_officer
    await chat.say(officer, "/hotline_settings")
    assert texts.SOURCE_OWN in chat.last_text(officer)
    await chat.tap(officer, texts.BTN_RESET)
    confirm = chat.last_text(officer)
    assert "Касимов" in confirm and "(Министерство образования)" in confirm
    await chat.tap(officer, common.BTN_CANCEL)
    assert "Срок ответа: 20 рабочих часов" in chat.last_text(officer)
    assert await own_row(session, tree.muni.id) is not None

    await chat.tap(officer, texts.BTN_RESET)
    await chat.tap(officer, texts.BTN_YES_RESET)
    assert last_alert(chat).text == texts.RESET_DONE
    card = chat.last_text(officer)
    assert "Срок ответа: 4 рабочих часа" in card
    assert texts.SOURCE_INHERITED.format(org="Министерство образования") in card
    assert texts.BTN_RESET not in labels(chat, officer)
    assert await own_row(session, tree.muni.id) is None


async def test_another_municipalitys_officer_and_a_coordinator_are_refused(chat, tree, session):
    stranger = await add_person(session, tree.muni2, RoleKind.OFFICER, name="Мегион")
    await session.commit()
    buttons = [
        HotlineSettingsCb(action=A.OPEN, org_id=tree.muni.id),
        HotlineSettingsCb(action=A.ENABLE, org_id=tree.muni.id, value=0),
        HotlineSettingsCb(action=A.HOURS, org_id=tree.muni.id),
        HotlineSettingsCb(action=A.DAYS, org_id=tree.muni.id),
        HotlineSettingsCb(action=A.DAYS_DONE, org_id=tree.muni.id, value=1),
        HotlineSettingsCb(action=A.OPT_OUT, org_id=tree.muni.id, value=1),
        HotlineSettingsCb(action=A.ASK_RESET, org_id=tree.muni.id),
        HotlineSettingsCb(action=A.RESET, org_id=tree.muni.id),
    ]
    people = {
        await tg_id_of(session, stranger): common.NO_ACCESS,
        # The region's officer answers for the region, not for the municipality's settings.
        tree.tg.officer: common.NO_ACCESS,
        tree.tg.coordinator: common.STALE_BUTTON,
    }
    for user, refusal in people.items():
        for data in buttons:
            await chat.press(user, data)
            alert = last_alert(chat)
            assert (alert.text, alert.show_alert) == (refusal, True), (user, data)
            assert await chat.state(user).get_state() is None
        assert not chat.recording.edited_texts(user)
    assert chat.recording.of_type(SendMessage) == []
    assert await own_row(session, tree.muni.id) is None
    assert await count(session, HotlineOptOut) == 0
    assert await count(session, AuditEntry) == 0

    await chat.say(tree.tg.coordinator, "/hotline_settings")
    assert chat.last_text(tree.tg.coordinator) == common.UNKNOWN_COMMAND


async def test_an_officer_of_many_organisations_chooses_one_page_by_page(chat, tree, session):
    extra = [
        Organization(name=f"Район {n:02d}", kind=OrgKind.MUNICIPALITY, parent_id=tree.region.id)
        for n in range(10)
    ]
    session.add_all(extra)
    await session.flush()
    session.add_all(
        Role(user_id=tree.muni_officer.id, role=RoleKind.OFFICER, org_id=org.id) for org in extra
    )
    await session.commit()
    officer = tree.tg.muni_officer
    await chat.say(officer, texts.BTN_HOTLINE_SETTINGS)
    assert chat.last_text(officer) == texts.CHOOSE_ORG
    first = labels(chat, officer)
    assert len(first) == 8 + 2 and first[-2:] == ["1/2", common.BTN_NEXT]
    await chat.tap(officer, common.BTN_NEXT)
    second = labels(chat, officer)
    # The municipality they had first, then the ten new ones: three on the second page.
    assert second[:4] == ["Район 07", "Район 08", "Район 09", common.BTN_PREV]

    await chat.tap(officer, "Район 09")
    assert "<b>Настройки горячей линии</b>, Район 09" in chat.last_text(officer)
    await chat.tap(officer, texts.BTN_ANSWER)
    await chat.say(officer, "2")
    assert (await own_row(session, extra[9].id)).answer_hours == 2
    assert await own_row(session, tree.muni.id) is None
    await chat.tap(officer, texts.BTN_TO_ORGS)
    assert chat.last_text(officer) == texts.CHOOSE_ORG


async def test_the_officers_menu_has_the_settings_button(chat, tree):
    await chat.say(tree.tg.muni_officer, "/menu")
    markup = chat.recording.last(SendMessage).reply_markup
    assert texts.BTN_HOTLINE_SETTINGS in [b.text for row in markup.keyboard for b in row]
