"""Confirm with a document and an album, return, confirm again, accept, then reports — over HTTP."""

from __future__ import annotations

import asyncio
import struct
from datetime import date, datetime, timedelta
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.channels.telegram.callbacks.confirmations import ReviewAction, ReviewCb
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.enums import ConfirmationResult, RoleKind, TaskStatus
from bot.services import orgs
from bot.services.access import SYSTEM
from bot.services.orgs import RegistryRow
from bot.texts import confirmations as texts
from bot.texts import reports as report_texts
from storage.base import utcnow
from storage.models import Measure, Plan, Role, Task
from storage.repo import orgs as org_repo
from tests.support.e2e import ADMIN_ID
from tests.support.factories import add_telegram_user

ROOT = "Орган управления образованием"
REGISTRY = [
    RegistryRow("Касимов", ROOT, "Europe/Moscow", False),
    RegistryRow("Мегион", ROOT, "Asia/Yekaterinburg", False),
    RegistryRow("МБОУ «СШ № 1»", "Касимов", None, False),
    RegistryRow("МБОУ «СШ № 2»", "Касимов", None, True),
    RegistryRow("СОШ № 4", "Мегион", None, False),
]
ANNA, BORIS, OUTSIDER = 555, 556, 9100
PDF = b"%PDF-1.4\n% test order\n"
# The flood guard allows 8 updates per window; people pause between steps, the test does too.
# The window is the bot's 2 s shortened to half a second, so the pauses are a quarter as long.
FLOOD_WINDOW = 0.5
HUMAN_PAUSE = FLOOD_WINDOW + 0.1


@pytest.fixture
def e2e_settings(e2e_settings):
    return e2e_settings.model_copy(update={"flood_window": FLOOD_WINDOW})


async def _setup(running) -> dict[str, int]:
    async with running.app.session_factory() as session:
        await orgs.import_registry(session, SYSTEM, REGISTRY)
        ids = {
            name: (await org_repo.get_org_by_name(session, name, any_parent=True)).id
            for name in ("Касимов", "Мегион", "МБОУ «СШ № 1»", "МБОУ «СШ № 2»")
        }
        people = [
            (ANNA, "Петрова Анна", RoleKind.COORDINATOR, ids["МБОУ «СШ № 1»"]),
            (BORIS, "Борисов Борис", RoleKind.COORDINATOR, ids["МБОУ «СШ № 2»"]),
            (OUTSIDER, "Мегионова Ольга", RoleKind.OFFICER, ids["Мегион"]),
        ]
        for tg_id, name, role, org_id in people:
            # Anna's reminders go out at local midnight with no quiet hours, so today's one is
            # due whatever the wall clock says when the test runs.
            quiet = {"reminder_hour": 0, "quiet_start": 0, "quiet_end": 0} if tg_id == ANNA else {}
            user = await add_telegram_user(session, tg_id, name, **quiet)
            session.add(Role(user_id=user.id, role=role, org_id=org_id))
        plan = Plan(
            org_id=ids["Касимов"],
            title="Дорожная карта ВПР",
            period_start=date(2024, 9, 1),
            period_end=date(2025, 8, 31),
        )
        session.add(plan)
        await session.flush()
        measure = Measure(
            plan_id=plan.id,
            position=1,
            number="1.3.",
            title="Приказ о проведении ВПР и назначении организаторов",
            executor_level="school",
            deadline_text="до 15 марта",
            deadline_kind="date",
        )
        late = Measure(
            plan_id=plan.id,
            position=2,
            number="2.1.",
            title="Анализ результатов",
            executor_level="school",
            deadline_text="март",
            deadline_kind="date",
        )
        session.add_all([measure, late])
        await session.flush()
        # Due tomorrow in Moscow: the «1 day before» reminder is due today.
        due = datetime.now(ZoneInfo("Europe/Moscow")).date() + timedelta(days=1)
        own = Task(measure_id=measure.id, org_id=ids["МБОУ «СШ № 1»"], occurrence="", due_date=due)
        foreign = Task(
            measure_id=measure.id,
            org_id=ids["МБОУ «СШ № 2»"],
            occurrence="",
            due_date=due + timedelta(days=4),
        )
        overdue = Task(
            measure_id=late.id,
            org_id=ids["МБОУ «СШ № 2»"],
            occurrence="",
            due_date=utcnow().date() - timedelta(days=3),
        )
        session.add_all([own, foreign, overdue])
        await session.commit()
        return {"own": own.id, "foreign": foreign.id, **ids}


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


async def _confirm_form_to_summary(user, start: dict) -> None:
    await user.press_button(start, texts.BTN_RESULT["done"])
    await user.wait_message(lambda m: m.get("text", "").startswith("Пришлите подтверждения"))
    await user.upload("приказ.pdf", PDF, mime_type="application/pdf")
    added = await user.wait_message(lambda m: m.get("text", "").startswith("📎 Добавлено"))
    assert "приказ.pdf" in added["text"] and "Всего вложений: 1" in added["text"]
    await user.upload_photo(b"\xff\xd8photo-one", media_group_id="album-1")
    await user.upload_photo(b"\xff\xd8photo-two", media_group_id="album-1")
    album = await user.wait_message(lambda m: m.get("text", "").startswith("📎 Добавлен альбом"))
    assert "2 вложения" in album["text"] and "Всего вложений: 3" in album["text"]
    await asyncio.sleep(HUMAN_PAUSE)
    await user.press_button(album, texts.BTN_EVIDENCE_DONE)
    ask = await user.wait_message(lambda m: m.get("text", "") == texts.ASK_COMMENT)
    # One acknowledgement per album, not one per photo.
    assert sum(m.get("text", "").startswith("📎 Добавлен альбом") for m in user.messages) == 1
    await user.send("Приказ подписан, фото стенда")
    summary = await user.wait_message(lambda m: "Проверьте отметку" in m.get("text", ""))
    assert "выполнено" in summary["text"] and "приказ.pdf" in summary["text"]
    assert ask is not None
    await user.press_button(summary, texts.BTN_SEND)
    await user.wait_message(lambda m: m.get("text", "") == texts.SENT)


async def test_confirm_return_confirm_accept_and_reports(running):
    ids = await _setup(running)
    fake = running.fake
    anna = fake.user(ANNA, "Анна", "Петрова")
    officer = fake.user(ADMIN_ID, "Татьяна", "Ермакова")

    reminder = await anna.wait_message(
        lambda m: "Приказ о проведении ВПР" in m.get("text", ""), timeout=10
    )
    assert "срок завтра" in reminder["text"] and "до 15 марта" in reminder["text"]
    await anna.press_button(reminder, "✅ Отметить выполнение")
    start = await anna.wait_message(lambda m: "Отметка о выполнении" in m.get("text", ""))
    assert "Приказ о проведении ВПР" in start["text"]
    await _confirm_form_to_summary(anna, start)

    note = await officer.wait_message(lambda m: "Новая отметка" in m.get("text", ""))
    assert "МБОУ «СШ № 1»" in note["text"]
    await officer.press_button(note, texts.BTN_OPEN_REVIEW)
    card = await officer.wait_edit(lambda m: "Отметка на проверке" in m.get("text", ""))
    assert "Вложения (3)" in card["text"] and "Петрова Анна" in card["text"]
    await officer.press_button(card, texts.BTN_FILES)
    await fake.wait_for(lambda: len(fake.sent_photos(ADMIN_ID)) == 2, 5, "photos re-sent")
    assert fake.sent_documents(ADMIN_ID) == [("приказ.pdf", PDF)]
    assert sorted(fake.sent_photos(ADMIN_ID)) == [b"\xff\xd8photo-one", b"\xff\xd8photo-two"]

    await asyncio.sleep(HUMAN_PAUSE)
    await officer.press_button(card, texts.BTN_RETURN)
    await officer.wait_message(lambda m: m.get("text", "") == texts.ASK_RETURN_COMMENT)
    await officer.send("Нет подписи директора")
    await officer.wait_message(lambda m: m.get("text", "") == texts.RETURNED)
    told = await anna.wait_message(lambda m: "возвращена на доработку" in m.get("text", ""))
    assert "Нет подписи директора" in told["text"]
    async with running.app.session_factory() as session:
        assert (await session.get(Task, ids["own"])).status == TaskStatus.RETURNED

    await asyncio.sleep(HUMAN_PAUSE)
    await anna.press_button(told, texts.BTN_CONFIRM_AGAIN)
    again = await anna.wait_message(lambda m: "Отметка о выполнении" in m.get("text", ""))
    await anna.press_button(again, texts.BTN_RESULT["partial"])
    await anna.wait_message(lambda m: m.get("text", "").startswith("Вы выбрали"))
    await anna.send("Директор подпишет после отпуска")
    ask = await anna.wait_message(lambda m: m.get("text", "").startswith("Пришлите подтверждения"))
    await anna.send("Публикация: https://school1.ru/vpr/prikaz")
    await anna.wait_message(
        lambda m: m.get("text", "").startswith("🔗") or "Добавлено" in m.get("text", "")
    )
    await asyncio.sleep(HUMAN_PAUSE)
    await anna.press_button(ask, texts.BTN_NO_EVIDENCE)
    no_comment = await anna.wait_message(lambda m: m.get("text", "") == texts.ASK_COMMENT)
    await anna.press_button(no_comment, texts.BTN_NO_COMMENT)
    summary = await anna.wait_message(lambda m: "Проверьте отметку" in m.get("text", ""))
    assert "school1.ru/vpr/prikaz" in summary["text"] and "после отпуска" in summary["text"]
    await anna.press_button(summary, texts.BTN_SEND)
    await anna.wait_message(lambda m: m.get("text", "") == texts.SENT)

    note = await officer.wait_message(lambda m: "Новая отметка" in m.get("text", ""))
    await officer.press_button(note, texts.BTN_OPEN_REVIEW)
    card = await officer.wait_edit(lambda m: "выполнено частично" in m.get("text", ""))
    await officer.press_button(card, texts.BTN_ACCEPT)
    decided = await officer.wait_edit(lambda m: "снято с контроля" in m.get("text", ""))
    assert texts.BTN_ACCEPT not in str(decided.get("reply_markup"))
    await anna.wait_message(lambda m: "Отметка принята" in m.get("text", ""))
    async with running.app.session_factory() as session:
        task = await session.get(Task, ids["own"])
        assert task.status == TaskStatus.DONE and task.done_at is not None
        assert task.outcome == ConfirmationResult.PARTIAL

    await asyncio.sleep(HUMAN_PAUSE)
    await officer.send("/report")
    menu = await officer.wait_message(lambda m: "Отчёты" in m.get("text", ""))
    await officer.press_button(menu, report_texts.BTN_SUMMARY)
    # The progress note comes first and the summary takes its place.
    await officer.wait_message(lambda m: m.get("text", "") == report_texts.PREPARING)
    summary = await officer.wait_edit(lambda m: "Исполнительская дисциплина" in m.get("text", ""))
    assert "МБОУ «СШ № 2»" in summary["text"]
    # Accepting «выполнено частично» takes the task off control, but it is not done.
    assert "выполнено 0 · на проверке 0" in summary["text"]
    assert "Снято с контроля: частично 1" in summary["text"]
    assert "Итоги по муниципалитетам" in summary["text"]
    await officer.press_button(menu, report_texts.BTN_XLSX)
    await officer.wait_message(lambda m: m.get("text", "") == report_texts.PREPARING)
    await officer.wait_edit(lambda m: m.get("text") == report_texts.READY)
    name, content = next(
        (n, c) for n, c in fake.sent_documents(ADMIN_ID) if n.startswith("report-")
    )
    book = load_workbook(BytesIO(content))
    rows = {r[0]: r for r in book["Сводка"].iter_rows(min_row=2, values_only=True) if r[0]}
    # Name, municipality, total, done, closed partial, closed not done, on review, open, overdue.
    assert rows["МБОУ «СШ № 1»"][1:9] == ("Касимов", 1, 0, 1, 0, 0, 0, 0)
    assert rows["МБОУ «СШ № 2»"][1:9] == ("Касимов", 2, 0, 0, 0, 0, 2, 1)
    assert rows["Итого"][2:5] == (3, 0, 1)
    assert rows["Итого: Касимов"][2:5] == (3, 0, 1)
    tasks = list(book["Задачи"].iter_rows(min_row=2, values_only=True))
    closed = next(r for r in tasks if r[0] == "МБОУ «СШ № 1»")
    assert closed[7] == "Снято с контроля: частично" and closed[11] == "1 ссылка"
    assert closed[12] == "частично"
    assert closed[13] == "Причина: Директор подпишет после отпуска"
    assert closed[15] == "https://school1.ru/vpr/prikaz"
    assert [r[4] for r in book["Просрочено"].iter_rows(min_row=2, values_only=True)] == [
        "Анализ результатов"
    ]

    await officer.press_button(menu, report_texts.BTN_CHART)
    await fake.wait_for(lambda: len(fake.sent_photos(ADMIN_ID)) == 3, 10, "the chart")
    width, height = _png_size(fake.sent_photos(ADMIN_ID)[-1])
    assert 800 <= width <= 2000 and 300 <= height <= 2000


async def test_forged_and_cross_school_callbacks_are_refused(running):
    ids = await _setup(running)
    fake = running.fake
    anna = fake.user(ANNA, "Анна", "Петрова")
    boris = fake.user(BORIS, "Борис")
    outsider = fake.user(OUTSIDER, "Ольга")

    await anna.send("/menu")
    menu = await anna.wait_message()
    forged = await anna.press(
        menu, TaskCb(action=TaskAction.CONFIRM, task_id=ids["foreign"]).pack()
    )
    assert (await anna.wait_callback_answer(forged))[
        "text"
    ] == "У вас нет доступа к этому действию."
    missing = await anna.press(menu, TaskCb(action=TaskAction.TRANSFER, task_id=99999).pack())
    assert "Не найдено" in (await anna.wait_callback_answer(missing))["text"]

    # Boris confirms his own task; the review item is then probed by the wrong people.
    await boris.send("/menu")
    bmenu = await boris.wait_message()
    await boris.press(bmenu, TaskCb(action=TaskAction.CONFIRM, task_id=ids["foreign"]).pack())
    start = await boris.wait_message(lambda m: "Отметка о выполнении" in m.get("text", ""))
    await boris.press_button(start, texts.BTN_RESULT["not_done"])
    await boris.wait_message(lambda m: m.get("text", "").startswith("Вы выбрали"))
    await boris.send("Нет учителя информатики")
    ask = await boris.wait_message(
        lambda m: m.get("text", "").startswith("Пришлите подтверждения")
    )
    await boris.send("просто текст")
    await boris.wait_message(lambda m: m.get("text", "") == texts.TEXT_WITHOUT_LINK)
    await asyncio.sleep(HUMAN_PAUSE)
    await boris.press_button(ask, texts.BTN_NO_EVIDENCE)
    await boris.press_button(
        await boris.wait_message(lambda m: m.get("text", "") == texts.ASK_COMMENT),
        texts.BTN_NO_COMMENT,
    )
    summary = await boris.wait_message(lambda m: "Проверьте отметку" in m.get("text", ""))
    await boris.press_button(summary, texts.BTN_SEND)
    await boris.wait_message(lambda m: m.get("text", "") == texts.SENT)
    # The stale summary button cannot send the same confirmation twice.
    again = await boris.press(summary, "cf:send:")
    assert (await boris.wait_callback_answer(again))["text"]

    open_item = ReviewCb(action=ReviewAction.OPEN, item_id=1).pack()
    accept_item = ReviewCb(action=ReviewAction.ACCEPT, item_id=1).pack()
    await outsider.send("/review")
    empty = await outsider.wait_message()
    assert empty["text"] == texts.REVIEW_EMPTY
    for data in (open_item, accept_item):
        answer = await outsider.wait_callback_answer(await outsider.press(empty, data))
        assert answer["text"] == "У вас нет доступа к этому действию."
    # A coordinator does not even reach the officer's router.
    answer = await anna.wait_callback_answer(await anna.press(menu, accept_item))
    assert "устарела" in answer["text"]
    await asyncio.sleep(0.2)
    async with running.app.session_factory() as session:
        task = await session.get(Task, ids["foreign"])
        assert task.status == TaskStatus.ON_REVIEW
