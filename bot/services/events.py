"""Schools' assessment events (ВПР, НИКО, …) and the relative deadlines that follow them."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import DEFAULT_TIMEZONE
from bot.domain.enums import RoleKind
from bot.domain.errors import NotFound, ValidationError
from bot.domain.plans.deadlines import ImpossibleDate, parse_typed_date
from bot.domain.tabular import csv_rows
from bot.services.access import Principal, ensure_manages
from bot.services.orgs import org_today
from bot.services.tasks import regenerate_tasks
from storage.models import AssessmentEvent
from storage.repo import audit, events, orgs, plans

_HEADER_WORDS = {"kind", "вид", "процедура", "тип"}
_EMPTY = {"", "-", "—", "нет"}


@dataclass(frozen=True)
class EventView:
    id: int
    org_id: int
    kind: str
    subject: str
    grade: int | None
    date: date


@dataclass(frozen=True)
class EventRow:
    kind: str
    subject: str
    grade: int | None
    date: date


def _view(event: AssessmentEvent) -> EventView:
    return EventView(
        event.id, event.org_id, event.kind, event.subject, event.grade, event.event_date
    )


async def ensure_school_access(session: AsyncSession, principal: Principal, org_id: int) -> None:
    """The school's coordinator, an officer above it, or the system."""
    if org_id in principal.org_ids(RoleKind.COORDINATOR):
        return
    await ensure_manages(session, principal, org_id)


def clean_kind(text: str) -> str:
    kind = " ".join(text.split())
    if not 2 <= len(kind) <= 40:
        raise ValidationError("bad_event_kind")
    return kind


def clean_subject(text: str) -> str:
    subject = " ".join(text.split())
    if subject.lower() in _EMPTY:
        return ""
    if len(subject) > 120:
        raise ValidationError("bad_event_subject")
    return subject


def parse_grade(text: str) -> int | None:
    text = text.strip().lower().removesuffix("класс").removesuffix("кл.").strip()
    if text in _EMPTY:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 11:
        raise ValidationError("bad_event_grade")
    return int(text)


def parse_event_date(text: str, today: date) -> date:
    """«15.03.2024», ISO «2024-03-15», or the Russian forms people type («15 марта», «завтра»);
    ``today`` is the school's (``org_today``)."""
    text = text.strip()
    with contextlib.suppress(ValueError):
        return date.fromisoformat(text)
    try:
        found = parse_typed_date(text, today) if text else None
    except ImpossibleDate as exc:
        raise ValidationError(
            "impossible_date", year=exc.year, month=exc.month, days=exc.days
        ) from exc
    if found is None:
        raise ValidationError("bad_event_date")
    return found


async def recompute_school(session: AsyncSession, org_id: int) -> int:
    """Recompute the school's tasks that count from its events; returns how many changed."""
    chain = [org.id for org in await orgs.ancestors(session, org_id)]
    changed = 0
    for measure, plan in await plans.list_relative_measures(session, chain):
        stats = await regenerate_tasks(session, measure, plan=plan, only_org_ids=[org_id])
        changed += stats.created + stats.changed + stats.deleted
    return changed


async def list_events(session: AsyncSession, principal: Principal, org_id: int) -> list[EventView]:
    await ensure_school_access(session, principal, org_id)
    return [_view(e) for e in await events.list_events(session, [org_id])]


async def _upsert(session: AsyncSession, org_id: int, row: EventRow) -> bool:
    """True when the event was new."""
    found = await events.get_event_by_key(session, org_id, row.kind, row.subject, row.grade)
    if found is None:
        events.add_event(
            session,
            org_id=org_id,
            kind=row.kind,
            subject=row.subject,
            grade=row.grade,
            event_date=row.date,
        )
        return True
    found.event_date = row.date
    return False


async def upsert_event(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    kind: str,
    subject: str,
    grade: int | None,
    event_date: date,
) -> EventView:
    """Add the school's event or move it to a new date; its relative tasks follow."""
    await ensure_school_access(session, principal, org_id)
    row = EventRow(clean_kind(kind), clean_subject(subject), grade, event_date)
    await _upsert(session, org_id, row)
    await session.flush()
    await recompute_school(session, org_id)
    found = await events.get_event_by_key(session, org_id, row.kind, row.subject, row.grade)
    audit.add_audit(
        session,
        principal.actor_id,
        "event.save",
        "event",
        found.id,
        org_id=org_id,
        date=event_date.isoformat(),
    )
    await session.commit()
    return _view(found)


def read_events_csv(data: bytes, today: date) -> list[EventRow]:
    """Rows ``kind;subject;grade;date``; every bad line is reported at once, by number."""
    table = csv_rows(data)
    if table is None:
        raise ValidationError("bad_events_encoding")
    rows: list[EventRow] = []
    bad: list[int] = []
    for number, cells in enumerate(table, 1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].lower() in _HEADER_WORDS:
            continue
        cells += [""] * (4 - len(cells))
        try:
            rows.append(
                EventRow(
                    clean_kind(cells[0]),
                    clean_subject(cells[1]),
                    parse_grade(cells[2]),
                    parse_event_date(cells[3], today),
                )
            )
        except ValidationError:
            bad.append(number)
    if bad:
        raise ValidationError("bad_events_rows", lines=", ".join(map(str, bad[:20])))
    if not rows:
        raise ValidationError("empty_events")
    return rows


async def import_events_csv(
    session: AsyncSession,
    principal: Principal,
    org_id: int,
    data: bytes,
    *,
    default_tz: str = DEFAULT_TIMEZONE,
) -> tuple[int, int]:
    """Load a school's events from CSV, all or nothing; returns (added, updated)."""
    await ensure_school_access(session, principal, org_id)
    rows = read_events_csv(data, await org_today(session, org_id, default_tz))
    added = updated = 0
    for row in rows:
        if await _upsert(session, org_id, row):
            added += 1
        else:
            updated += 1
        await session.flush()
    await recompute_school(session, org_id)
    audit.add_audit(
        session,
        principal.actor_id,
        "event.import",
        "org",
        org_id,
        added=added,
        updated=updated,
    )
    await session.commit()
    return added, updated


async def delete_event(session: AsyncSession, principal: Principal, event_id: int) -> None:
    """Remove an event; open tasks counted from it disappear, confirmed ones stay."""
    event = await events.get_event(session, event_id)
    if event is None:
        raise NotFound()
    org_id = event.org_id
    await ensure_school_access(session, principal, org_id)
    await events.delete_event(session, event_id)
    await session.flush()
    await recompute_school(session, org_id)
    audit.add_audit(session, principal.actor_id, "event.delete", "event", event_id)
    await session.commit()


async def get_event(session: AsyncSession, principal: Principal, event_id: int) -> EventView:
    event = await events.get_event(session, event_id)
    if event is None:
        raise NotFound()
    await ensure_school_access(session, principal, event.org_id)
    return _view(event)
