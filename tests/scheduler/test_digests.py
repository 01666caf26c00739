"""Officers' morning digests of overdue tasks and the weekly summary."""

from __future__ import annotations

from datetime import date

from bot.domain.enums import ConfirmationResult, OutboxStatus, RoleKind, TaskStatus
from bot.domain.messages import Address, Lane
from scheduler.digests import plan_digests
from scheduler.outbox import tick
from storage.models import Role
from storage.repo import outbox as outbox_repo
from storage.repo.addresses import private_addresses
from tests.support.clock import at
from tests.support.factories import add_school, add_task
from tests.support.outbox import Ctx, rows_of
from tests.support.recording import RecordingSession, make_bot


async def summaries_sent_on_monday(session, tree, week: str = "2024-W10") -> None:
    """The week's summaries went out on Monday, as a running bot sends them."""
    officers = (tree.officer, tree.muni_officer)
    addresses = await private_addresses(session, [officer.id for officer in officers])
    await outbox_repo.add_messages(
        session,
        [
            {
                "dedupe_key": f"weekly:{officer.id}:{week}",
                "user_id": officer.id,
                "kind": "weekly",
                "due_at": at("2024-03-04 06:00"),
                "status": OutboxStatus.SENT,
                **outbox_repo.envelope(addresses[officer.id], Lane.DIGEST),
            }
            for officer in officers
        ],
    )


async def test_one_digest_per_officer_grouped_by_school(session, session_factory, settings, tree):
    await summaries_sent_on_monday(session, tree)
    for title in ("Приказ о ВПР", "План-график"):
        await add_task(session, tree.school, date(2024, 3, 1), title=title)
    await add_task(session, tree.school2, date(2024, 3, 4), title="Анализ результатов")
    await add_task(session, tree.other_school, date(2024, 3, 4), title="Мегионская задача")
    await add_task(session, tree.school, date(2024, 3, 5), status=TaskStatus.DONE)
    await add_task(session, tree.school, date(2024, 3, 20), title="Будущее")
    await session.commit()

    # 05:00 UTC: 08:00 in Moscow (too early) and 10:00 in Yekaterinburg.
    assert await plan_digests(session, at("2024-03-06 05:00"), settings) == 0
    await session.commit()
    assert await plan_digests(session, at("2024-03-06 06:10"), settings) == 2
    await session.commit()
    assert await plan_digests(session, at("2024-03-06 06:25"), settings) == 0
    await session.commit()

    recording = RecordingSession()
    result = await tick(
        Ctx(settings, session_factory, make_bot(recording)), at("2024-03-06 06:30")
    )
    assert result.sent == 2
    [regional] = recording.sent_texts(tree.tg.officer)
    [municipal] = recording.sent_texts(tree.tg.muni_officer)
    assert "4 задачи" in regional and "Мегионская задача" in regional
    assert "3 задачи" in municipal and "Мегионская задача" not in municipal
    assert "Будущее" not in regional
    school = regional.index("МБОУ «СШ № 1»</b> — 2 задачи")
    assert school < regional.index("Приказ о ВПР") < regional.index("МБОУ «СШ № 2»")
    assert "просрочено на 5 дней" in regional


async def test_nothing_overdue_means_no_message(session, settings, tree):
    await summaries_sent_on_monday(session, tree)
    await add_task(session, tree.school, date(2024, 3, 20))
    await session.commit()
    assert await plan_digests(session, at("2024-03-06 07:00"), settings) == 0
    await session.commit()
    markers = await rows_of(session, kind="digest")
    assert {r.status for r in markers} == {OutboxStatus.SKIPPED}
    assert len(markers) == 2


async def test_monday_brings_the_weekly_summary(session, session_factory, settings, tree):
    await add_task(session, tree.school, date(2024, 3, 1), title="Просроченная")
    await add_task(session, tree.school, date(2024, 3, 13), title="На этой неделе")
    closed = {
        # Last Monday 00:30 in Moscow: inside the past week.
        "Рано утром": (at("2024-03-03 21:30"), None),
        "В среду": (at("2024-03-06 10:00"), None),
        # Today 01:00 in Moscow: already the new week.
        "Сегодня ночью": (at("2024-03-10 22:00"), None),
        "Не выполнено": (at("2024-03-05 10:00"), ConfirmationResult.NOT_DONE),
    }
    for title, (done_at, outcome) in closed.items():
        task = await add_task(session, tree.school, date(2024, 3, 8), title=title)
        task.status, task.done_at, task.outcome = TaskStatus.DONE, done_at, outcome
    await session.commit()
    assert await plan_digests(session, at("2024-03-11 07:00"), settings) == 4
    await session.commit()
    recording = RecordingSession()
    await tick(Ctx(settings, session_factory, make_bot(recording)), at("2024-03-11 07:00"))
    texts = recording.sent_texts(tree.tg.officer)
    assert len(texts) == 2
    weekly = next(t for t in texts if "Итоги недели" in t)
    # Monday 11 March: the past week is 4–10 March, the coming one 11–17 March.
    assert weekly.startswith("📊 <b>Итоги недели 04.03.2024 – 10.03.2024</b>\n")
    assert "Выполнено за неделю: 2 задачи" in weekly
    assert "Срок на предстоящей неделе (11.03.2024 – 17.03.2024): 1 задача" in weekly
    # The same summary as the report in chat, for the officer's organisation.
    assert "<b>Исполнение планов мероприятий</b>\nМинистерство образования" in weekly
    assert "Всего: 6 задач" in weekly
    assert "выполнено 3 · на проверке 0 · в работе 2 · просрочено 1" in weekly
    assert "Снято с контроля: не выполнено 1" in weekly
    assert "Исполнительская дисциплина:" in weekly
    assert "<b>Итоги по муниципалитетам</b>" in weekly
    [municipal] = [t for t in recording.sent_texts(tree.tg.muni_officer) if "Итоги недели" in t]
    assert "<b>Исполнение планов мероприятий</b>\nКасимов" in municipal


async def test_weekly_summary_per_organisation_fits_one_message(session, settings, tree):
    # The municipal officer also serves Megion; the regional one also holds a role in Kasimov,
    # which lies inside the region and must not be summarised twice.
    session.add(Role(user_id=tree.muni_officer.id, role=RoleKind.OFFICER, org_id=tree.muni2.id))
    session.add(Role(user_id=tree.officer.id, role=RoleKind.OFFICER, org_id=tree.muni.id))
    long_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {}»"
    for i in range(120):
        school = await add_school(session, tree.muni2 if i % 2 else tree.muni, long_name.format(i))
        await add_task(session, school, date(2024, 3, 1))
    await session.commit()
    await plan_digests(session, at("2024-03-11 07:00"), settings)
    await session.commit()
    weekly = {row.user_id: row.payload["text"] for row in await rows_of(session, kind="weekly")}
    for text in weekly.values():
        assert len(text.encode("utf-16-le")) // 2 <= 4096
        assert "…и ещё" in text
    regional, municipal = weekly[tree.officer.id], weekly[tree.muni_officer.id]
    assert regional.count("<b>Исполнение планов мероприятий</b>") == 1
    assert "Всего: 120 задач" in regional
    assert municipal.count("<b>Исполнение планов мероприятий</b>") == 2
    assert "\nКасимов\n" in municipal and "\nМегион\n" in municipal


async def test_no_weekly_summary_without_tasks(session, settings, tree):
    await plan_digests(session, at("2024-03-11 07:00"), settings)
    await session.commit()
    weekly = await rows_of(session, kind="weekly")
    assert len(weekly) == 2 and {r.status for r in weekly} == {OutboxStatus.SKIPPED}


async def test_a_bot_down_all_monday_sends_the_weekly_summary_once_on_tuesday(
    session, settings, tree
):
    await add_task(session, tree.school, date(2024, 3, 1), title="Просроченная")
    await add_task(session, tree.school, date(2024, 3, 15), title="На этой неделе")
    await session.commit()
    for moment in ("2024-03-12 07:00", "2024-03-12 12:00", "2024-03-14 07:00"):
        await plan_digests(session, at(moment), settings)
        await session.commit()
    weekly = await rows_of(session, kind="weekly", user_id=tree.officer.id)
    assert [r.dedupe_key for r in weekly] == [f"weekly:{tree.officer.id}:2024-W11"]
    # Sent on Tuesday 12 March: the past week is still 4–10 March, the rest of this one ahead.
    text = weekly[0].payload["text"]
    assert text.startswith("📊 <b>Итоги недели 04.03.2024 – 10.03.2024</b>\n")
    assert "Срок на предстоящей неделе (12.03.2024 – 17.03.2024): 1 задача" in text

    await plan_digests(session, at("2024-03-18 07:00"), settings)
    await session.commit()
    weekly = await rows_of(session, kind="weekly", user_id=tree.officer.id)
    assert [r.dedupe_key.rsplit(":", 1)[1] for r in weekly] == ["2024-W11", "2024-W12"]


async def test_a_summary_sent_under_the_old_monday_key_is_not_sent_again(session, settings, tree):
    await add_task(session, tree.school, date(2024, 3, 1))
    await session.commit()
    old = {
        "dedupe_key": f"weekly:{tree.officer.id}:2024-03-11",
        "user_id": tree.officer.id,
        "kind": "weekly",
        "due_at": at("2024-03-11 07:00"),
        "status": OutboxStatus.SENT,
        **outbox_repo.envelope(Address("telegram", str(tree.tg.officer)), Lane.DIGEST),
    }
    await outbox_repo.add_messages(session, [old])
    await session.commit()
    await plan_digests(session, at("2024-03-12 07:00"), settings)
    await session.commit()
    assert len(await rows_of(session, kind="weekly", user_id=tree.officer.id)) == 1
