"""Announcements over the fake Bot API: an officer's «Ознакомлен» to chosen schools'
coordinators with who acknowledged and the reminder to the rest, a scheduled one stopped
before its time (a stop in the middle of a delivery is a known gap, marked), and a school's
call for volunteers whose volunteer it confirms."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from bot.domain.enums import AnnouncementStatus, AudienceKind, OutboxStatus, RoleKind
from bot.services import orgs
from bot.services.access import SYSTEM
from bot.services.announcements.sending import CANCELLED_REASON
from bot.services.orgs import RegistryRow
from bot.texts import announce_form as texts
from bot.texts import announcements as atexts
from storage.models import Announcement, AssessmentEvent, OutboxMessage, Role
from storage.repo import orgs as org_repo
from tests.support.e2e import ADMIN_ID, running_app
from tests.support.factories import add_telegram_user

ROOT = "Орган управления образованием"
REGISTRY = [
    RegistryRow("Касимов", ROOT, "Europe/Moscow", False),
    RegistryRow("МБОУ «СШ № 1»", "Касимов", None, False),
    RegistryRow("МБОУ «СШ № 2»", "Касимов", None, False),
    RegistryRow("МБОУ «СШ № 7»", "Касимов", None, False),
]
# No quiet hours: the bulk lane would hold the announcement at night otherwise.
AWAKE = {"quiet_start": 0, "quiet_end": 0}


async def _registry(running) -> dict[str, int]:
    async with running.app.session_factory() as session:
        await orgs.import_registry(session, SYSTEM, REGISTRY)
        return {
            row.name: (await org_repo.get_org_by_name(session, row.name, any_parent=True)).id
            for row in REGISTRY
        }


async def _people(running, *people: tuple[int, str, RoleKind, int]) -> None:
    async with running.app.session_factory() as session:
        for tg_id, name, role, org_id in people:
            user = await add_telegram_user(session, tg_id, name, **AWAKE)
            session.add(Role(user_id=user.id, role=role, org_id=org_id))
        await session.commit()


def _has(label: str):
    return lambda m: label in str(m.get("reply_markup"))


async def _compose_to_coordinators(officer, schools: list[str], text: str, response: str):
    """/announce → coordinators of the chosen schools → text → no files → response → preview."""
    choice = texts.AUDIENCE_BUTTONS[AudienceKind.COORDINATORS_OF]
    await officer.send("/announce")
    kinds = await officer.wait_message(_has(choice))
    await officer.press_button(kinds, choice)
    picker = await officer.wait_edit(_has(texts.BTN_DONE))
    for school in schools:
        # Found by its number, shown with its municipality.
        await officer.send("№ " + school.rsplit("№", 1)[-1].strip(" »"))
        label = f"{school} (Касимов)"
        picker = await officer.wait_message(_has(label))
        await officer.press_button(picker, label)
        picker = await officer.wait_edit(_has(texts.ORG_CHOSEN.format(name=label)))
    await officer.press_button(picker, texts.BTN_DONE)
    await officer.wait_message(lambda m: m["text"].startswith("✍️ Напишите текст"))
    await officer.send(text)
    files = await officer.wait_message(_has(texts.BTN_NO_FILES))
    await officer.press_button(files, texts.BTN_NO_FILES)
    kinds = await officer.wait_message(_has(response))
    await officer.press_button(kinds, response)
    return await officer.wait_message(_has(texts.BTN_SEND_NOW))


async def test_chosen_schools_acknowledge_and_the_rest_is_reminded(running):
    fake = running.fake
    ids = await _registry(running)
    people = [
        (6101, "Анна Первая", RoleKind.COORDINATOR, ids["МБОУ «СШ № 1»"]),
        (6102, "Борис Второй", RoleKind.COORDINATOR, ids["МБОУ «СШ № 2»"]),
        (6103, "Вера Вторая", RoleKind.COORDINATOR, ids["МБОУ «СШ № 2»"]),
        (6107, "Галина Седьмая", RoleKind.COORDINATOR, ids["МБОУ «СШ № 7»"]),
    ]
    await _people(running, *people)
    officer = fake.user(ADMIN_ID, "Татьяна", "Ермакова")
    anna, boris, vera, galina = (fake.user(tg, name) for tg, name, _, _ in people)

    card = await _compose_to_coordinators(
        officer,
        ["МБОУ «СШ № 1»", "МБОУ «СШ № 2»"],
        "Приказ о ВПР: ознакомьтесь",
        texts.BTN_RESPONSE_ACK,
    )
    assert "Получателей: 3." in card["text"]
    await officer.press_button(card, texts.BTN_SEND_NOW)
    progress = await officer.wait_message(lambda m: m["text"].startswith("📤 Рассылка"))
    assert atexts.BTN_CANCEL_SENDING in str(progress["reply_markup"])

    received = {}
    for person in (anna, boris, vera):
        received[person.tg_id] = await person.wait_message(
            lambda m: "Приказ о ВПР: ознакомьтесь" in m["text"], timeout=15
        )
        assert received[person.tg_id]["text"].startswith(f"📢 {ROOT}")
    # The progress message is edited until it says everything was delivered.
    await officer.wait_edit(
        lambda m: m["message_id"] == progress["message_id"] and "Доставлено: 3 из 3" in m["text"],
        timeout=15,
    )
    for person in (anna, boris):
        pressed = await person.press_button(received[person.tg_id], atexts.BTN_ACK)
        answer = await person.wait_callback_answer(pressed)
        assert answer["text"] == atexts.ACKED

    await officer.send(texts.BTN_MY_ANNOUNCEMENTS)
    listed = await officer.wait_message(lambda m: "Мои объявления" in m["text"])
    async with running.app.session_factory() as session:
        announcement = (await session.scalars(select(Announcement))).one()
    await officer.press_button(listed, f"№ {announcement.id} · Приказ о ВПР: ознакомьтесь")
    opened = await officer.wait_edit(_has(atexts.BTN_WHO_ACKED))
    await officer.press_button(opened, atexts.BTN_WHO_ACKED)
    acks = await officer.wait_message(lambda m: m["text"].startswith("📋 Ознакомление"))
    assert f"№ {announcement.id}: 2 из 3" in acks["text"]
    assert "Вера Вторая" in acks["text"] and "Анна Первая" not in acks["text"]

    pressed = await officer.press_button(opened, atexts.BTN_REMIND)
    answer = await officer.wait_callback_answer(pressed)
    assert answer["text"] == atexts.REMINDED.format(n=1)
    reminder = await vera.wait_message(
        lambda m: m["text"].startswith("🔔 Напоминание"), timeout=15
    )
    assert "Приказ о ВПР" in reminder["text"]
    async with running.app.session_factory() as session:
        reminded = (
            await session.scalars(
                select(OutboxMessage.chat_id).where(OutboxMessage.dedupe_key.like("%.remind.%"))
            )
        ).all()
    assert reminded == [str(vera.tg_id)]
    for person in (anna, boris, galina):
        assert not any(m["text"].startswith("🔔 Напоминание") for m in person.messages)
    assert not galina.messages


async def _schedule(officer, card: dict, at: str) -> dict:
    """«Запланировать» on the preview, the local time typed; returns the progress message."""
    await officer.press_button(card, texts.BTN_SCHEDULE)
    await officer.wait_message(lambda m: m["text"].startswith("Когда отправить?"))
    await officer.send(at)
    await officer.wait_message(lambda m: m["text"].startswith("🕘 Объявление"))
    return await officer.wait_message(_has(atexts.BTN_CANCEL_SENDING))


async def test_a_stopped_scheduled_announcement_never_goes_out(fake, e2e_settings):
    # Tuesday 3 March 2026, 10:00 in Moscow.
    start = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    local = start.astimezone(ZoneInfo(e2e_settings.default_timezone)) + timedelta(minutes=30)
    at = f"{local:%d.%m.%Y %H:%M}"
    with time_machine.travel(start, tick=True) as clock:
        async with running_app(fake, e2e_settings) as running:
            ids = await _registry(running)
            crowd = [
                (6200 + n, f"Координатор {n}", RoleKind.COORDINATOR, ids["МБОУ «СШ № 7»"])
                for n in range(3)
            ]
            await _people(running, *crowd)
            users = [fake.user(tg, name) for tg, name, _, _ in crowd]
            officer = fake.user(ADMIN_ID, "Татьяна", "Ермакова")
            school = ["МБОУ «СШ № 7»"]
            none = texts.BTN_RESPONSE_NONE
            card = await _compose_to_coordinators(officer, school, "Совещание отменяется", none)
            progress = await _schedule(officer, card, at)
            assert f"Отправка начнётся {at}." in progress["text"]
            pressed = await officer.press_button(progress, atexts.BTN_CANCEL_SENDING)
            answer = await officer.wait_callback_answer(pressed)
            assert answer["text"] == atexts.CANCELLED.format(n=3)
            # Another one for the same minute, left to go: it shows the clock moved enough.
            card = await _compose_to_coordinators(officer, school, "Совещание в 11:00", none)
            await _schedule(officer, card, at)
            assert not any(u.messages for u in users)

            clock.move_to(start + timedelta(minutes=31))
            for user in users:
                await user.wait_message(lambda m: "Совещание в 11:00" in m["text"], timeout=15)
            assert not any("отменяется" in m["text"] for u in users for m in u.messages)
            async with running.app.session_factory() as session:
                stopped = (
                    await session.scalars(select(Announcement).order_by(Announcement.id))
                ).first()
                rows = (
                    await session.scalars(
                        select(OutboxMessage).where(OutboxMessage.ref_id == stopped.id)
                    )
                ).all()
            assert stopped.status == AnnouncementStatus.CANCELLED
            assert [(r.status, r.last_error) for r in rows] == [
                (OutboxStatus.SKIPPED, CANCELLED_REASON)
            ] * 3


async def test_a_stop_in_the_middle_of_a_delivery_reaches_nobody_else(running):
    fake = running.fake
    ids = await _registry(running)
    crowd = [
        (6300 + n, f"Координатор {n}", RoleKind.COORDINATOR, ids["МБОУ «СШ № 7»"])
        for n in range(60)
    ]
    await _people(running, *crowd)
    users = [fake.user(tg, name) for tg, name, _, _ in crowd]
    officer = fake.user(ADMIN_ID, "Татьяна", "Ермакова")
    card = await _compose_to_coordinators(
        officer, ["МБОУ «СШ № 7»"], "Срочное совещание", texts.BTN_RESPONSE_NONE
    )
    # Slow enough to stop in the middle: the whole batch is claimed before it is sent.
    fake.set_latency("sendMessage", 0.5)
    await officer.press_button(card, texts.BTN_SEND_NOW)
    progress = await officer.wait_message(_has(atexts.BTN_CANCEL_SENDING))
    pressed = await officer.press_button(progress, atexts.BTN_CANCEL_SENDING)
    await officer.wait_callback_answer(pressed, timeout=10)

    async def settled() -> list[OutboxMessage]:
        async with running.app.session_factory() as session:
            return list((await session.scalars(select(OutboxMessage).where(
                OutboxMessage.kind == "announcement"
            ))).all())  # fmt: skip

    # Settled: the messages in flight at the stop have been answered and recorded.
    await fake.wait_for(
        lambda: all(c.result is not None or c.status != 200 for c in fake.calls_to("sendMessage")),
        10,
        "the messages in flight",
    )
    await asyncio.sleep(0.5)
    rows = await settled()
    reached = sum(bool(u.messages) for u in users)
    skipped = sum(r.status == OutboxStatus.SKIPPED for r in rows)
    # The stop reached the rows the batch had already claimed; only those in flight went.
    assert skipped > len(users) // 2
    assert reached + skipped == len(users)


async def test_a_school_calls_parents_to_observe_and_confirms_one(running):
    fake = running.fake
    ids = await _registry(running)
    school = ids["МБОУ «СШ № 1»"]
    await _people(
        running,
        (6301, "Петрова Анна", RoleKind.COORDINATOR, school),
        (6302, "Иванова Мария", RoleKind.PARENT, school),
        (6303, "Сидоров Пётр", RoleKind.PARENT, ids["МБОУ «СШ № 2»"]),
    )
    day = date.today() + timedelta(days=30)
    async with running.app.session_factory() as session:
        session.add(
            AssessmentEvent(
                org_id=school, kind="ВПР", subject="математика", grade=5, event_date=day
            )
        )
        await session.commit()
    coordinator = fake.user(6301, "Анна", "Петрова")
    parent = fake.user(6302, "Мария", "Иванова")
    stranger = fake.user(6303, "Пётр", "Сидоров")
    event_button = f"{day:%d.%m.%Y} · ВПР · математика · 5 класс"

    await coordinator.send(texts.BTN_ANNOUNCE)
    await coordinator.wait_message(lambda m: m["text"].startswith("✍️ Напишите текст"))
    await coordinator.send("Приглашаем родителей стать наблюдателями на ВПР")
    files = await coordinator.wait_message(_has(texts.BTN_NO_FILES))
    await coordinator.press_button(files, texts.BTN_NO_FILES)
    kinds = await coordinator.wait_message(_has(texts.BTN_RESPONSE_VOLUNTEER))
    await coordinator.press_button(kinds, texts.BTN_RESPONSE_VOLUNTEER)
    events = await coordinator.wait_edit(_has(event_button))
    await coordinator.press_button(events, event_button)
    card = await coordinator.wait_message(_has(texts.BTN_SEND_NOW))
    assert "Получателей: 1." in card["text"]
    await coordinator.press_button(card, texts.BTN_SEND_NOW)

    call = await parent.wait_message(lambda m: "наблюдателями" in m["text"], timeout=15)
    assert f"ВПР · математика · 5 класс — {day:%d.%m.%Y}" in call["text"]
    await parent.press_button(call, atexts.BTN_VOLUNTEER)
    await parent.wait_message(lambda m: m["text"] == atexts.VOLUNTEER_THANKS)

    await coordinator.send("/volunteers")
    listed = await coordinator.wait_message(_has(event_button))
    assert "ждут решения: 1" in listed["text"]
    await coordinator.press_button(listed, event_button)
    volunteers = await coordinator.wait_edit(lambda m: "⏳ Иванова Мария" in m["text"])
    await coordinator.press_button(
        volunteers, texts.BTN_CONFIRM_VOLUNTEER.format(name="Иванова Мария")
    )
    await coordinator.wait_edit(lambda m: "✅ Иванова Мария" in m["text"])
    told = await parent.wait_message(lambda m: "Школа подтвердила" in m["text"], timeout=15)
    assert f"{day:%d.%m.%Y}" in told["text"]
    assert not stranger.messages
