"""Plan upload, preview, import, dates, plan cards, coordinators' tasks and events in chat."""

from __future__ import annotations

from datetime import date

from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetFile, SendMessage
from sqlalchemy import select

from bot import texts
from bot.channels.telegram.callbacks.plans import (
    EventAction,
    EventCb,
    ImportAction,
    ImportCb,
    PlanAction,
    PlanCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.domain.plans.deadlines import PlanPeriod
from bot.domain.plans.executors import ExecutorLevel
from bot.services import events as event_service
from bot.services import plans as plan_service
from bot.services.access import SYSTEM
from bot.texts import plans as ptexts
from bot.texts.errors import error_text
from handlers.officer.plans import form as plan_form
from storage.models import AssessmentEvent, Measure, Plan, Task
from tests.support.chat import buttons_of
from tests.support.factories import add_telegram_user
from tests.support.recording import RecordingSession
from tests.support.seeds import SEED_001, VPR_PLAN


def _read(path) -> bytes:
    return path.read_bytes()


async def test_upload_preview_confirm_and_dates(chat, tree, session):
    officer = tree.tg.officer
    recording = await chat.upload(officer, _read(SEED_001), "plan.txt")
    preview = recording.last(SendMessage)
    assert "Мероприятий: 24." in preview.text
    assert "• в период: 10" in preview.text and "• без даты: 2" in preview.text
    assert "• все школы: 18" in preview.text and "• орган — владелец плана: 6" in preview.text
    assert "«согласно плану СОИРО»" in preview.text
    assert "Период: 01.01.2024 – 31.12.2024" in preview.text
    labels = [text for text, _ in buttons_of(preview)]
    assert labels == [
        ptexts.BTN_IMPORT,
        ptexts.BTN_PERIOD,
        ptexts.BTN_EXECUTORS,
        texts.BTN_CANCEL,
    ]

    await chat.press(officer, ImportCb(action=ImportAction.CONFIRM))
    edited = recording.edited_texts()
    assert "Загружаю план: 10 из 24…" in edited and "Загружаю план: 20 из 24…" in edited
    assert any(text.startswith("План загружен") and "Задач: " in text for text in edited)
    ask = recording.last(SendMessage)
    assert "Мероприятие 1 из 2 без даты" in ask.text
    assert "согласно плану - графику" in ask.text
    plan = (await session.scalars(select(Plan))).one()
    assert plan.org_id == tree.region.id

    await chat.say(officer, "в понедельник")
    assert recording.last(SendMessage).text == ptexts.BAD_DUE
    # A typed day the month does not have is refused, not quietly moved to the 29th.
    await chat.say(officer, "31.02.2024")
    assert recording.last(SendMessage).text == (
        "В феврале 2024 года 29 дней — проверьте дату и напишите её ещё раз."
    )
    await chat.say(officer, "15.03.2024")
    sent = recording.sent_texts()
    assert sent[-2].startswith("Срок 15.03.2024 (пт): 4 задачи")
    assert "Мероприятие 2 из 2 без даты" in sent[-1]
    skip = buttons_of(recording.last(SendMessage))[0][1]
    await chat.press(officer, skip)
    assert recording.last(SendMessage).text == ptexts.DUES_DONE

    query = select(Measure).where(Measure.number == "1.3.")
    measure = (await session.scalars(query.execution_options(populate_existing=True))).one()
    assert (measure.deadline_kind, measure.deadline["due"]) == ("date", ["2024-03-15"])


async def test_refused_files_are_explained(chat, tree, session):
    officer = tree.tg.officer
    recording = await chat.upload(officer, b"%PDF-1.4", "plan.pdf")
    assert recording.last(SendMessage).text == ptexts.BAD_FILE_TYPE.format(suffix=".pdf")
    await chat.upload(officer, b"x", "big.docx", file_size=25 * 1024 * 1024)
    assert recording.last(SendMessage).text == ptexts.FILE_TOO_BIG
    await chat.upload(officer, b"PK\x03\x04broken", "plan.docx")
    text = recording.last(SendMessage).text
    assert text.startswith("Не получилось прочитать план из «plan.docx».")
    assert (await session.scalars(select(Plan))).all() == []


async def test_period_asked_when_the_document_has_none(chat, tree, session):
    officer = tree.tg.officer
    content = "№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\tмарт\tОО\n".encode()
    recording = await chat.upload(officer, content, "plan.tsv")
    assert recording.last(SendMessage).text == ptexts.ASK_PERIOD
    await chat.say(officer, "весной")
    assert recording.last(SendMessage).text == ptexts.BAD_PERIOD
    await chat.say(officer, "01.09.2023-31.08.2024")
    preview = recording.last(SendMessage).text
    assert "Период: 01.09.2023 – 31.08.2024 (указан вами)" in preview
    await chat.press(officer, ImportCb(action=ImportAction.CONFIRM))
    plan = (await session.scalars(select(Plan))).one()
    assert (plan.period_start, plan.period_end) == (date(2023, 9, 1), date(2024, 8, 31))
    # The state survives in the database until confirmation, then is cleared.
    await chat.press(officer, ImportCb(action=ImportAction.CONFIRM))
    assert recording.last(AnswerCallbackQuery).text == ptexts.IMPORT_EXPIRED


async def test_period_typed_with_slashes(chat, tree, session):
    officer = tree.tg.officer
    content = "№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\t15/03/24\tОО\n".encode()
    recording = await chat.upload(officer, content, "plan.tsv")
    await chat.say(officer, "01/09/2023-31/09/2024")
    assert recording.last(SendMessage).text.startswith("В сентябре 2024 года 30 дней")
    await chat.say(officer, "01/09/2023-31/08/2024")
    assert "Период: 01.09.2023 – 31.08.2024 (указан вами)" in recording.last(SendMessage).text
    await chat.press(officer, ImportCb(action=ImportAction.CONFIRM))
    measure = (await session.scalars(select(Measure))).one()
    assert (measure.deadline_kind, measure.deadline["due"]) == ("date", ["2024-03-15"])


async def test_executor_override_and_cancel(chat, tree, session):
    officer = tree.tg.officer
    recording = await chat.upload(officer, _read(VPR_PLAN), "vpr.txt")
    await chat.press(officer, ImportCb(action=ImportAction.EXECUTORS))
    listing = recording.last(EditMessageText)
    assert listing.text.startswith("Кто выполняет мероприятия")
    first = buttons_of(listing)[0]
    assert first[0].startswith("1 Анализ результатов ВПР → 🏫 Школы")
    await chat.press(officer, first[1])  # schools -> risk schools
    assert buttons_of(recording.last(EditMessageText))[0][0].endswith("⚠️ Риск")
    await chat.press(officer, ImportCb(action=ImportAction.PREVIEW))
    assert "• школы группы риска: 2" in recording.last(EditMessageText).text
    await chat.press(officer, ImportCb(action=ImportAction.CONFIRM))
    levels = dict((await session.execute(select(Measure.number, Measure.executor_level))).all())
    assert levels["1"] == "risk_schools" and levels["5"] == "schools"

    await chat.upload(officer, _read(VPR_PLAN), "vpr.txt")
    await chat.press(officer, ImportCb(action=ImportAction.ALL, level="owner"))
    assert all(
        label.endswith("🏛 Управление")
        for label, data in buttons_of(recording.last(EditMessageText))
        if data.startswith("pi:cyc")
    )
    await chat.press(officer, ImportCb(action=ImportAction.CANCEL))
    assert recording.last(EditMessageText).text == ptexts.IMPORT_CANCELLED
    assert levels == dict(
        (await session.execute(select(Measure.number, Measure.executor_level))).all()
    )


async def test_plans_list_card_and_forged_plan(chat, tree, session):
    regional = await plan_service.import_plan(
        session, SYSTEM, tree.region.id, _read(SEED_001), SEED_001.name
    )
    officer = tree.tg.officer
    recording = await chat.say(officer, texts.BTN_PLANS)
    listing = recording.last(SendMessage)
    assert listing.text.startswith("Планы мероприятий (1).")
    await chat.press(officer, buttons_of(listing)[0][1])
    card = recording.last(EditMessageText)
    assert "Мероприятий: 24, без даты: 2" in card.text
    assert "выполнено 0 из" in card.text and "Страница 1 из 3" in card.text
    labels = [text for text, _ in buttons_of(card)]
    assert ptexts.BTN_SET_DATES.format(count=2) in labels
    await chat.press(officer, PlanCb(action=PlanAction.DATES, plan_id=regional.plan_id))
    assert "Мероприятие 1 из 2 без даты" in recording.last(SendMessage).text
    await chat.say(officer, "/cancel")
    assert texts.CANCELLED in recording.sent_texts()
    await chat.say(officer, "15.03.2024")  # no longer asked: not taken as a date
    assert recording.last(SendMessage).text == texts.UNKNOWN_COMMAND

    # A municipal officer forging the regional plan's id is refused.
    await chat.press(
        tree.tg.muni_officer, PlanCb(action=PlanAction.OPEN, plan_id=regional.plan_id)
    )
    answer = recording.last(AnswerCallbackQuery)
    assert answer.text == texts.NO_ACCESS and answer.show_alert


async def test_coordinator_tasks_and_forged_task(chat, tree, session):
    await plan_service.import_plan(session, SYSTEM, tree.muni.id, _read(SEED_001), SEED_001.name)
    coordinator = tree.tg.coordinator
    recording = await chat.say(coordinator, "/tasks")
    listing = recording.last(SendMessage)
    assert listing.text.startswith("Открытые задачи: 17.")
    assert "<b>31.08.2023 (чт)</b>" in listing.text
    assert "срок по плану: «август 2023»" in listing.text
    buttons = buttons_of(listing)
    assert buttons[-1][1] == TaskCb(action=TaskAction.LIST, page=1).pack()
    await chat.press(coordinator, buttons[-1][1])
    assert "Страница 2 из 3" in recording.last(EditMessageText).text

    await chat.press(coordinator, buttons[0][1])
    card = recording.last(EditMessageText)
    assert "Срок: <b>31.08.2023 (чт)</b>" in card.text and "Статус: в работе" in card.text
    task_id = int(buttons[0][1].split(":")[2])
    assert [data for _, data in buttons_of(card)][:2] == [
        TaskCb(action=TaskAction.CONFIRM, task_id=task_id).pack(),
        TaskCb(action=TaskAction.TRANSFER, task_id=task_id).pack(),
    ]

    query = select(Task.id).where(Task.org_id == tree.school2.id).limit(1)
    foreign = (await session.scalars(query)).one()
    await chat.press(coordinator, TaskCb(action=TaskAction.OPEN, task_id=foreign))
    answer = recording.last(AnswerCallbackQuery)
    assert answer.text == texts.NO_ACCESS and answer.show_alert


async def test_coordinator_events_form(chat, tree, session):
    await plan_service.import_plan(session, SYSTEM, tree.muni.id, _read(VPR_PLAN), VPR_PLAN.name)
    coordinator = tree.tg.coordinator
    recording = await chat.say(coordinator, texts.BTN_EVENTS)
    assert recording.last(SendMessage).text == ptexts.EVENTS_EMPTY
    await chat.press(coordinator, EventCb(action=EventAction.ADD))
    await chat.press(coordinator, EventCb(action=EventAction.KIND, kind="ВПР"))
    await chat.say(coordinator, "математика")
    await chat.say(coordinator, "15")
    assert recording.last(SendMessage).text == error_text("bad_event_grade")
    await chat.say(coordinator, "5")
    await chat.say(coordinator, "31.04.2024")
    assert recording.last(SendMessage).text == (
        "В апреле 2024 года 30 дней — проверьте дату и напишите её ещё раз."
    )
    await chat.say(coordinator, "16.04.2024")
    sent = recording.sent_texts()
    assert sent[-2].startswith("Сохранено: 16.04.2024 (вт) — ВПР, математика, 5 класс.")
    assert "• 16.04.2024 (вт) — ВПР, математика, 5 класс" in sent[-1]
    due = (await session.scalars(select(Task.due_date).where(Task.org_id == tree.school.id))).all()
    assert date(2024, 4, 2) in due


async def test_coordinator_events_csv_and_delete(chat, tree, session):
    await plan_service.import_plan(session, SYSTEM, tree.muni.id, _read(VPR_PLAN), VPR_PLAN.name)
    coordinator = tree.tg.coordinator
    await event_service.upsert_event(
        session, SYSTEM, tree.school.id, "ВПР", "математика", 5, date(2024, 4, 16)
    )
    recording = await chat.press(coordinator, EventCb(action=EventAction.CSV))
    assert recording.last(SendMessage).text == ptexts.ASK_EVENTS_CSV
    await chat.upload(coordinator, "ВПР;история;6;когда-то\n".encode(), "dates.csv")
    assert "Строки с ошибками: 1." in recording.last(SendMessage).text
    await chat.upload(
        coordinator, "НИКО;;;15.03.2024\nВПР;математика;5;18.04.2024\n".encode(), "d.csv"
    )
    assert recording.sent_texts()[-2] == ptexts.EVENTS_IMPORTED.format(added=1, updated=1)

    other = await event_service.upsert_event(
        session, SYSTEM, tree.school2.id, "ВПР", "", 4, date(2024, 4, 10)
    )
    await chat.press(coordinator, EventCb(action=EventAction.ASK_DELETE, event_id=other.id))
    assert recording.last(AnswerCallbackQuery).text == texts.NO_ACCESS
    await chat.press(coordinator, EventCb(action=EventAction.DELETE, event_id=other.id))
    assert recording.last(AnswerCallbackQuery).text == texts.NO_ACCESS

    own = (
        await session.scalars(
            select(AssessmentEvent.id).where(
                AssessmentEvent.org_id == tree.school.id, AssessmentEvent.kind == "НИКО"
            )
        )
    ).one()
    await chat.press(coordinator, EventCb(action=EventAction.ASK_DELETE, event_id=own))
    assert recording.last(EditMessageText).text.startswith("Удалить дату «15.03.2024 (пт) — НИКО»")
    await chat.press(coordinator, EventCb(action=EventAction.DELETE, event_id=own))
    assert recording.last(EditMessageText).text.startswith(ptexts.EVENT_DELETED)
    left = (await session.scalars(select(AssessmentEvent.org_id))).all()
    assert sorted(left) == sorted([tree.school.id, tree.school2.id])


async def test_officer_chooses_when_reminders_go_out(chat, session, tree):
    result = await plan_service.import_plan(
        session, SYSTEM, tree.muni.id, SEED_001.read_bytes(), SEED_001.name
    )
    officer = tree.tg.muni_officer
    card = await chat.press(officer, PlanCb(action=PlanAction.OPEN, plan_id=result.plan_id))
    assert (ptexts.BTN_OFFSETS, f"pl:of:{result.plan_id}:0:0") in buttons_of(
        card.last(EditMessageText)
    )
    screen = await chat.press(officer, PlanCb(action=PlanAction.OFFSETS, plan_id=result.plan_id))
    shown = screen.last(EditMessageText)
    assert "за 7 дней, за 1 день, в день срока, через 1 день после" in shown.text
    labels = [text for text, _ in buttons_of(shown)]
    assert "за 14 дней, за 7 дней, за 1 день, в день срока, через 1 день после" in labels

    done = await chat.press(
        officer, PlanCb(action=PlanAction.SET_OFFSETS, plan_id=result.plan_id, preset=2)
    )
    answers = done.of_type(AnswerCallbackQuery)
    assert answers[-1].text.startswith("Готово: напоминания за 3 дня")
    assert len({a.callback_query_id for a in answers}) == len(answers)  # each press answered once
    plan = await session.get(Plan, result.plan_id, populate_existing=True)
    assert plan.reminder_offsets == [3, 1, 0, -1]

    # A forged preset number is refused and changes nothing.
    forged = await chat.press(
        officer, PlanCb(action=PlanAction.SET_OFFSETS, plan_id=result.plan_id, preset=99)
    )
    assert forged.last(AnswerCallbackQuery).text == texts.STALE_BUTTON


async def test_officer_changes_a_measure_deadline_and_tasks_follow(chat, session, tree):
    from bot.channels.telegram.callbacks.plans import MeasureAction, MeasureCb

    result = await plan_service.import_plan(
        session, SYSTEM, tree.muni.id, SEED_001.read_bytes(), SEED_001.name
    )
    measure = (
        await session.scalars(
            select(Measure).where(Measure.plan_id == result.plan_id, Measure.number == "1.5.")
        )
    ).one()
    officer = tree.tg.muni_officer
    card = await chat.press(officer, PlanCb(action=PlanAction.OPEN, plan_id=result.plan_id))
    assert ("✏️ 1.5.", f"ms:op:{measure.id}:0") in buttons_of(card.last(EditMessageText))

    opened = await chat.press(officer, MeasureCb(action=MeasureAction.OPEN, measure_id=measure.id))
    shown = opened.last(EditMessageText).text
    assert "Срок в документе: «март 2024» — в период" in shown and "31.03.2024" in shown

    await chat.press(officer, MeasureCb(action=MeasureAction.EDIT, measure_id=measure.id))
    recording = await chat.say(officer, "до 31 апреля 2024 года")
    assert recording.sent_texts(officer)[-1] == ptexts.impossible_date(2024, 4, 30)
    recording = await chat.say(officer, "сентябрь, декабрь 2024")
    changed, card_text = recording.sent_texts(officer)[-2:]
    assert changed.startswith("Срок изменён. Задач по мероприятию: 2")
    assert "«сентябрь, декабрь 2024» — к нескольким датам" in card_text
    tasks = (
        await session.scalars(
            select(Task)
            .where(Task.measure_id == measure.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    assert sorted(t.due_date for t in tasks) == [date(2024, 9, 30), date(2024, 12, 31)]
    assert not any(t.planned for t in tasks)

    # An officer of another municipality cannot open it, even with a forged button.
    from bot.domain.enums import RoleKind
    from storage.models import Role

    stranger = await add_telegram_user(session, 4444, "Чужой")
    session.add(Role(user_id=stranger.id, role=RoleKind.OFFICER, org_id=tree.muni2.id))
    await session.commit()
    forged = await chat.press(4444, MeasureCb(action=MeasureAction.EDIT, measure_id=measure.id))
    assert forged.last(AnswerCallbackQuery).text == texts.NO_ACCESS


def _stored(measures) -> list[tuple]:
    return [
        (m.number, m.title, m.deadline_kind, m.deadline, m.executor_level, m.needs_review)
        for m in sorted(measures, key=lambda m: m.position)
    ]


async def _walk_the_preview(chat, officer: int) -> RecordingSession:
    """Upload the ВПР plan, make the first measure a risk schools' one, change the period,
    go back to the preview and import."""
    recording = await chat.upload(officer, _read(VPR_PLAN), "vpr.txt")
    await chat.press(officer, ImportCb(action=ImportAction.EXECUTORS))
    await chat.press(officer, buttons_of(recording.last(EditMessageText))[0][1])
    await chat.press(officer, ImportCb(action=ImportAction.PREVIEW))
    assert "• школы группы риска: 2" in recording.last(EditMessageText).text
    await chat.press(officer, ImportCb(action=ImportAction.PERIOD))
    await chat.say(officer, "2024-2025")
    assert "Период: 01.09.2024 – 31.08.2025 (указан вами)" in recording.last(SendMessage).text
    await chat.press(officer, ImportCb(action=ImportAction.CONFIRM))
    return recording


async def _as_read_from_the_file(session, tree) -> list[tuple]:
    """The same choices imported straight from the document, as the import did before."""
    period = PlanPeriod(date(2024, 9, 1), date(2025, 8, 31))
    first = plan_service.preview_plan(_read(VPR_PLAN), "vpr.txt", period).measures[0]
    result = await plan_service.import_plan(
        session,
        SYSTEM,
        tree.muni.id,
        _read(VPR_PLAN),
        "vpr.txt",
        period,
        {first.position: ExecutorLevel.RISK_SCHOOLS},
    )
    query = select(Measure).where(Measure.plan_id == result.plan_id)
    return _stored((await session.scalars(query)).all())


async def test_the_preview_steps_and_the_import_never_download_the_plan_again(chat, tree, session):
    recording = await _walk_the_preview(chat, tree.tg.officer)
    assert len(recording.of_type(GetFile)) == 1
    assert any(text.startswith("План загружен") for text in recording.edited_texts())
    plan = (await session.scalars(select(Plan))).one()
    imported = _stored((await session.scalars(select(Measure))).all())
    assert imported[0][4] == "risk_schools" and plan.period_start == date(2024, 9, 1)
    assert imported == await _as_read_from_the_file(session, tree)


async def test_a_plan_too_big_for_the_form_is_read_from_the_file_at_each_step(
    chat, tree, session, monkeypatch
):
    monkeypatch.setattr(plan_form, "PLAN_IN_FORM_MAX", 0)
    recording = await _walk_the_preview(chat, tree.tg.officer)
    # The upload, the preview after the executors, the one after the period, the import.
    assert len(recording.of_type(GetFile)) == 4
    imported = _stored((await session.scalars(select(Measure))).all())
    assert imported == await _as_read_from_the_file(session, tree)
