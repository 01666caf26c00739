"""Officers see the hotline of their subtree in numbers, and nothing of who asked."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from bot.domain.enums import TicketKind, TicketStatus, TicketTopic
from bot.domain.errors import AccessDenied
from bot.domain.hotline import WorkSchedule
from bot.domain.reports import Report
from bot.exports.xlsx import build_xlsx
from bot.services.hotline import faq, stats
from storage.models import FaqEntry, HotlineSettings
from tests.support.factories import telegram_principal
from tests.support.hotline import MORNING, add_parent, add_ticket

START = MORNING - timedelta(days=30)
NOW = MORNING + timedelta(hours=12)


async def _tickets(session, tree):
    parent = await add_parent(session, name="Сидорова Ольга Петровна")
    await add_ticket(
        session,
        tree.muni.id,
        user=parent,
        school_id=tree.school.id,
        answer_after=timedelta(hours=2),
    )
    await add_ticket(
        session,
        tree.muni.id,
        school_id=tree.school.id,
        topic=TicketTopic.GIA,
        answer_after=timedelta(hours=4),
        status=TicketStatus.CLOSED,
    )
    # An anonymous violation report, still waiting (12 hours: past the 8-hour deadline).
    await add_ticket(
        session,
        tree.muni.id,
        user=parent,
        school_id=tree.school2.id,
        kind=TicketKind.VIOLATION,
        anonymous=True,
        text="Учитель подсказывал на ВПР — Сидорова",
    )
    # Waiting two hours only, after working hours (20:00 Moscow), no school.
    await add_ticket(session, tree.muni.id, created_at=NOW - timedelta(hours=2))
    # Another municipality, and one before the period.
    await add_ticket(session, tree.muni2.id, school_id=tree.other_school.id)
    await add_ticket(session, tree.muni.id, created_at=START - timedelta(days=1), waiting=False)


async def test_stats_count_by_topic_kind_and_school(session, tree):
    await _tickets(session, tree)
    officer = await telegram_principal(session, tree.tg.muni_officer)
    result = await stats.hotline_stats(session, officer, tree.muni.id, START, NOW, NOW)
    assert result.total == 4
    assert result.by_topic == ((TicketTopic.VPR, 3), (TicketTopic.GIA, 1))
    assert result.by_kind == ((TicketKind.QUESTION, 3), (TicketKind.VIOLATION, 1))
    assert [(s.name, s.tickets) for s in result.by_school] == [
        ("МБОУ «СШ № 1»", 2),
        ("МБОУ «СШ № 2»", 1),
        ("", 1),
    ]
    # Open now: the two answered but not closed one, the report, the fresh one, the old one.
    assert result.open == 4
    assert result.overdue == 1
    assert result.answered == 2
    assert result.median_first_answer == timedelta(hours=3)


async def test_the_region_sees_every_municipality_and_its_own_deadline(session, tree):
    await _tickets(session, tree)
    session.add(HotlineSettings(org_id=tree.region.id, answer_hours=1))
    await session.commit()
    officer = await telegram_principal(session, tree.tg.officer)
    result = await stats.hotline_stats(session, officer, tree.region.id, START, NOW, NOW)
    assert result.total == 5
    # With a one-hour deadline the other municipality's ticket is late too; the one that came
    # at 20:00 Moscow is not: no working hour has passed since.
    assert result.overdue == 2


async def test_anonymous_tickets_reveal_nothing(session, tree):
    await _tickets(session, tree)
    officer = await telegram_principal(session, tree.tg.muni_officer)
    result = await stats.hotline_stats(session, officer, tree.muni.id, START, NOW, NOW)
    shown = repr(asdict(result))
    for secret in ("Сидорова", "Ольга", "подсказывал", "300"):
        assert secret not in shown


async def test_deflections_of_the_period_are_counted(session, tree):
    officer = await telegram_principal(session, tree.tg.muni_officer)
    entry = FaqEntry(org_id=tree.muni.id, topic=TicketTopic.VPR, question="В?", answer="О.")
    session.add(entry)
    await session.commit()
    await faq.count_deflection(session, entry.id, tree.school.id)
    await faq.count_deflection(session, entry.id, tree.other_school.id)
    end = MORNING + timedelta(days=3650)
    result = await stats.hotline_stats(session, officer, tree.muni.id, START, end, end)
    assert result.deflections == 1
    assert result.median_first_answer is None


async def test_an_officer_of_another_municipality_is_refused(session, tree):
    officer = await telegram_principal(session, tree.tg.muni_officer)
    with pytest.raises(AccessDenied):
        await stats.hotline_stats(session, officer, tree.muni2.id, START, NOW, NOW)


def test_overdue_counts_working_hours_not_the_clock():
    week = WorkSchedule(tz="Europe/Moscow")
    # Tuesday 10:00 Moscow: eight working hours end at 18:00 the same day.
    assert stats.is_overdue(MORNING, week, 8, MORNING + timedelta(hours=8, seconds=1))
    assert not stats.is_overdue(MORNING, week, 8, MORNING + timedelta(hours=8))
    assert not stats.is_overdue(None, week, 8, MORNING)
    # Friday 17:00 Moscow: by Monday 08:00 only one working hour has passed.
    friday = datetime(2026, 3, 13, 14, 0, tzinfo=UTC)
    monday = datetime(2026, 3, 16, 5, 0, tzinfo=UTC)
    assert not stats.is_overdue(friday, week, 8, monday)
    # The eighth hour ends on Monday at 16:00 Moscow (13:00 UTC).
    assert not stats.is_overdue(friday, week, 8, monday + timedelta(hours=8))
    assert stats.is_overdue(friday, week, 8, monday + timedelta(hours=8, minutes=1))


async def test_the_workbook_has_a_hotline_sheet_with_the_numbers(session, tree):
    await _tickets(session, tree)
    officer = await telegram_principal(session, tree.tg.muni_officer)
    report, result = await stats.report_with_hotline(
        session, officer, tree.muni.id, NOW, "Europe/Moscow"
    )
    book = load_workbook(BytesIO(build_xlsx(report, result)))
    assert book.sheetnames[-1] == "Горячая линия"
    values = {row[0]: row[1] for row in book["Горячая линия"].iter_rows(values_only=True)}
    assert values["Обращений за период"] == 4
    assert values["Тема: ВПР"] == 3 and values["Тема: ГИА"] == 1
    assert values["Вид: Сообщения о нарушениях"] == 1
    assert values["Школа: МБОУ «СШ № 1»"] == 2
    assert values["Школа: Школа не указана"] == 1
    assert values["Без ответа дольше срока"] == 1
    assert values["Медиана времени до первого ответа, ч"] == 3
    assert values["Ответ найден в частых вопросах"] == 0
    assert "Горячая линия" not in load_workbook(BytesIO(build_xlsx(report))).sheetnames


def test_school_names_stay_text_in_the_sheet():
    result = stats.HotlineStats(
        scope="=1+1",
        start=MORNING,
        end=NOW,
        total=1,
        by_topic=(),
        by_kind=(),
        by_school=(stats.SchoolCount("=cmd|' /C calc'!A0", 1),),
        open=0,
        overdue=0,
        answered=0,
        median_first_answer=None,
        deflections=0,
    )
    report = Report(title="Т", generated_at=NOW, scope="=1+1", orgs=[], tasks=[])
    sheet = load_workbook(BytesIO(build_xlsx(report, result)))["Горячая линия"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert "Школа: =cmd|' /C calc'!A0" in [cell.value for cell in cells]
