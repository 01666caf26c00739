"""The acknowledgement workbook: one row per recipient reached, with their municipality,
school and whether they pressed «Ознакомлен»."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import update

from bot.domain.enums import AudienceKind, OutboxStatus, ResponseKind
from bot.exports.acks import acks_xlsx
from bot.services.access import load_principal
from bot.services.announcements import responses, sending
from bot.services.announcements.views import AckReport, Audience, Draft, SchoolAcks
from storage.models import OutboxMessage
from tests.support.factories import add_person

TZ = "Europe/Moscow"


def rows_of(data: bytes) -> list[tuple]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    sheet = book.worksheets[0]
    assert sheet.title == "Ознакомление"
    found = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return found


async def test_the_table_lists_who_acknowledged_by_municipality_and_school(session, tree):
    petrov = await add_person(session, tree.school2, name="Петров П.П.")
    sidorova = await add_person(session, tree.risky, name="Сидорова С.С.")
    await add_person(session, tree.other_school, name="Мегионский И.И.")  # not addressed
    await session.commit()
    officer = await load_principal(session, tree.officer.id)
    preview = await sending.create_draft(
        session,
        officer,
        Draft(
            tree.region.id,
            "Приказ о ВПР",
            Audience(AudienceKind.COORDINATORS_OF, (tree.muni.id,)),
            response=ResponseKind.ACK,
        ),
    )
    await sending.send(session, officer, preview.announcement_id, default_tz=TZ)
    await session.execute(update(OutboxMessage).values(status=OutboxStatus.SENT))
    await session.commit()
    for person in (petrov, sidorova):
        await responses.acknowledge(
            session, await load_principal(session, person.id), preview.announcement_id
        )

    report = await responses.ack_report(session, officer, preview.announcement_id)
    rows = rows_of(acks_xlsx(report))
    assert rows[0] == ("Муниципалитет", "Школа", "ФИО", "Ознакомлен")
    assert sorted(rows[1:]) == [
        ("Касимов", "МБОУ «СШ № 1»", "Петрова Анна", "нет"),
        ("Касимов", "МБОУ «СШ № 2»", "Петров П.П.", "ознакомлен"),
        ("Касимов", "МБОУ «СШ № 3»", "Сидорова С.С.", "ознакомлен"),
    ]


def test_those_who_did_not_come_first_in_each_school():
    report = AckReport(
        announcement_id=7,
        acknowledged=2,
        missing=1,
        by_org=(SchoolAcks(1, "Гимназия № 5", None, ("Аверина", "Борисов"), ("Яковлев",)),),
    )
    rows = rows_of(acks_xlsx(report))
    assert rows[1:] == [
        (None, "Гимназия № 5", "Яковлев", "нет"),
        (None, "Гимназия № 5", "Аверина", "ознакомлен"),
        (None, "Гимназия № 5", "Борисов", "ознакомлен"),
    ]
