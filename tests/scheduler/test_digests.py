"""Officers' morning digests of overdue tasks and the Monday summary."""

from __future__ import annotations

from datetime import date

from scheduler.digests import plan_digests
from scheduler.outbox import tick
from storage.models import OutboxStatus, TaskStatus
from tests.recording import RecordingSession, make_bot
from tests.scheduler.test_planner import Ctx, add_task, at, rows_of


async def test_one_digest_per_officer_grouped_by_school(session, session_factory, settings, tree):
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
    [regional] = recording.sent_texts(tree.officer.tg_id)
    [municipal] = recording.sent_texts(tree.muni_officer.tg_id)
    assert "4 задачи" in regional and "Мегионская задача" in regional
    assert "3 задачи" in municipal and "Мегионская задача" not in municipal
    assert "Будущее" not in regional
    school = regional.index("МБОУ «СШ № 1»</b> — 2 задачи")
    assert school < regional.index("Приказ о ВПР") < regional.index("МБОУ «СШ № 2»")
    assert "просрочено на 5 дней" in regional


async def test_nothing_overdue_means_no_message(session, settings, tree):
    await add_task(session, tree.school, date(2024, 3, 20))
    await session.commit()
    assert await plan_digests(session, at("2024-03-06 07:00"), settings) == 0
    await session.commit()
    markers = await rows_of(session, kind="digest")
    assert {r.status for r in markers} == {OutboxStatus.SKIPPED}
    assert len(markers) == 2


async def test_monday_brings_the_weekly_summary(session, session_factory, settings, tree):
    await add_task(session, tree.school, date(2024, 3, 1))
    await add_task(session, tree.school, date(2024, 3, 13))
    await session.commit()
    assert await plan_digests(session, at("2024-03-11 07:00"), settings) == 4
    await session.commit()
    recording = RecordingSession()
    await tick(Ctx(settings, session_factory, make_bot(recording)), at("2024-03-11 07:00"))
    texts = recording.sent_texts(tree.officer.tg_id)
    assert len(texts) == 2
    weekly = next(t for t in texts if "Итоги недели" in t)
    assert "Просрочено: 1 задача" in weekly and "Срок на этой неделе: 1 задача" in weekly
