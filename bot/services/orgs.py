"""Registry of municipalities and schools, and the people registered in them."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rapidfuzz import fuzz, process, utils
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, RoleKind
from bot.domain.errors import DomainError, NotFound, ValidationError
from bot.domain.reminders import local_today
from bot.domain.tabular import csv_rows
from bot.services import reminders
from bot.services.access import Principal, ensure_manages, load_principal, managed_org_ids
from storage.base import utcnow
from storage.models import Organization
from storage.repo import audit, orgs, users
from storage.repo import reminders as zones_repo

CHILD_KIND = {OrgKind.REGION: OrgKind.MUNICIPALITY, OrgKind.MUNICIPALITY: OrgKind.SCHOOL}
PATH_SEPARATOR = "/"
SCHOOL_MATCHES = 8
# WRatio from 0 to 100; below this a school has too little in common with the query.
MATCH_CUTOFF = 60
_NUMBER = re.compile(r"\d+")
_TRUE = {"1", "да", "yes", "true", "+", "y", "д", "риск"}


class Ambiguous(Exception):
    """More than one organisation answers to a name; ``paths`` tells them apart."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__(paths)
        self.paths = paths


@dataclass(frozen=True)
class OrgView:
    id: int
    name: str
    kind: OrgKind
    parent_id: int | None
    timezone: str
    at_risk: bool


@dataclass(frozen=True)
class RegistryRow:
    name: str
    parent: str
    timezone: str | None
    at_risk: bool
    line: int = 0


@dataclass(frozen=True)
class SchoolChoice:
    id: int
    name: str
    place: str | None


@dataclass(frozen=True)
class PersonView:
    role_id: int
    user_id: int
    full_name: str
    org_id: int
    org_name: str
    role: RoleKind
    is_active: bool


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError("bad_timezone", value=name) from exc
    return name


async def inherited_timezone(session: AsyncSession, org_id: int) -> str | None:
    """The organisation's own zone, else the nearest ancestor's; None when none has one."""
    for org in await orgs.ancestors(session, org_id):
        if org.timezone:
            return org.timezone
    return None


async def effective_timezone(session: AsyncSession, org_id: int, default: str) -> str:
    """The organisation's own zone, else the nearest ancestor's, else the default."""
    return await inherited_timezone(session, org_id) or default


async def org_today(
    session: AsyncSession, org_id: int, default_tz: str, now: datetime | None = None
) -> date:
    """Today's date where the organisation is: the one every «today» of a use case means."""
    return local_today(now or utcnow(), await effective_timezone(session, org_id, default_tz))


async def org_todays(
    session: AsyncSession, org_ids: Iterable[int], default_tz: str, now: datetime | None = None
) -> dict[int, date]:
    """``org_today`` of many organisations at once."""
    moment = now or utcnow()
    zones = await zones_repo.org_zones(session, org_ids, default_tz)
    return {org_id: local_today(moment, tz) for org_id, tz in zones.items()}


async def view_org(session: AsyncSession, org: Organization, default_tz: str) -> OrgView:
    return OrgView(
        id=org.id,
        name=org.name,
        kind=org.kind,
        parent_id=org.parent_id,
        timezone=await effective_timezone(session, org.id, default_tz),
        at_risk=org.at_risk,
    )


async def get_org(
    session: AsyncSession, principal: Principal, org_id: int, default_tz: str
) -> OrgView:
    org = await orgs.get_org(session, org_id)
    if org is None:
        raise NotFound()
    await ensure_manages(session, principal, org_id)
    return await view_org(session, org, default_tz)


async def list_children(
    session: AsyncSession, principal: Principal, org_id: int, default_tz: str
) -> list[OrgView]:
    await ensure_manages(session, principal, org_id)
    return [
        await view_org(session, o, default_tz) for o in await orgs.list_children(session, org_id)
    ]


async def officer_roots(
    session: AsyncSession, principal: Principal, default_tz: str
) -> list[OrgView]:
    """The organisations an officer is bound to (the tops of what they see)."""
    found = await orgs.list_orgs(session, principal.org_ids(RoleKind.OFFICER))
    return [await view_org(session, o, default_tz) for o in found]


async def list_all(session: AsyncSession, principal: Principal) -> list[Organization]:
    if principal.is_system:
        return await orgs.list_orgs(session)
    return await orgs.list_orgs(session, sorted(await managed_org_ids(session, principal)))


async def add_child(
    session: AsyncSession,
    principal: Principal,
    parent_id: int,
    name: str,
    default_tz: str,
    *,
    timezone: str | None = None,
    at_risk: bool = False,
) -> OrgView:
    """Add a municipality under a region or a school under a municipality."""
    await ensure_manages(session, principal, parent_id)
    parent = await orgs.get_org(session, parent_id)
    if parent is None:
        raise NotFound()
    kind = CHILD_KIND.get(parent.kind)
    name = " ".join(name.split())
    if kind is None:
        raise ValidationError("no_children_for_school")
    if not 2 <= len(name) <= 300:
        raise ValidationError("bad_org_name")
    if await orgs.get_org_by_name(session, name, parent_id) is not None:
        raise ValidationError("org_exists", name=name)
    org = orgs.add_org(
        session,
        name=name,
        kind=kind,
        parent_id=parent_id,
        timezone=check_timezone(timezone) if timezone else None,
        at_risk=at_risk,
    )
    await session.flush()
    audit.add_audit(session, principal.actor_id, "org.add", "org", org.id, name=name)
    await session.commit()
    return await view_org(session, org, default_tz)


def read_registry(data: bytes, filename: str) -> list[RegistryRow]:
    """Rows of a registry file: name, parent, time zone, risk-list flag (CSV or XLSX)."""
    table = _xlsx_rows(data) if filename.lower().endswith(".xlsx") else _csv_rows(data)
    rows: list[RegistryRow] = []
    header_skipped = False
    for line, cells in enumerate(table, start=1):
        cells = [str(c or "").strip() for c in cells] + ["", "", "", ""]
        name, parent, tz, risk = cells[:4]
        if not header_skipped and name.lower() in {"name", "название", "наименование"}:
            header_skipped = True
            continue
        if not name:
            continue
        rows.append(RegistryRow(name, parent, tz or None, risk.lower() in _TRUE, line))
    if not rows:
        raise ValidationError("empty_registry")
    return rows


def _csv_rows(data: bytes) -> list[list[str]]:
    rows = csv_rows(data)
    if rows is None:
        raise ValidationError("bad_registry_encoding")
    return rows


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ValidationError("bad_registry_file") from exc
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return rows


async def find_org(session: AsyncSession, ref: str) -> Organization | None:
    """The organisation named ``ref``, or reached by a path «Регион / Муниципалитет / Школа».

    Raises ``Ambiguous`` when more than one organisation answers to it.
    """
    found = await orgs.list_orgs_by_name(session, ref, any_parent=True)
    parts = [part for part in (p.strip() for p in ref.split(PATH_SEPARATOR)) if part]
    # A name may itself contain the separator, so a path is tried only when nothing matched.
    if not found and len(parts) > 1:
        found = await orgs.list_orgs_by_name(session, parts[0], any_parent=True)
        for part in parts[1:]:
            found = [
                child
                for parent in found
                for child in await orgs.list_orgs_by_name(session, part, parent.id)
            ]
    if len(found) > 1:
        raise Ambiguous([await org_path(session, org.id) for org in found])
    return found[0] if found else None


async def org_path(session: AsyncSession, org_id: int) -> str:
    chain = await orgs.ancestors(session, org_id)
    return f" {PATH_SEPARATOR} ".join(org.name for org in reversed(chain))


async def find_org_id(session: AsyncSession, ref: str) -> int:
    """An organisation by number, name or path, for the console; refuses an ambiguous name."""
    if ref.isdigit() and await orgs.get_org(session, int(ref)) is not None:
        return int(ref)
    try:
        org = await find_org(session, ref)
    except Ambiguous as exc:
        raise ValidationError(
            "ambiguous_org", name=ref, places="; ".join(exc.paths), example=exc.paths[0]
        ) from exc
    if org is None:
        raise NotFound()
    return org.id


async def import_registry(
    session: AsyncSession, principal: Principal, rows: list[RegistryRow]
) -> tuple[int, int]:
    """Create or update organisations by name under their parents; returns (added, updated)."""
    rows = [row if row.line else replace(row, line=n) for n, row in enumerate(rows, start=1)]
    try:
        added, updated = await _import_rows(session, principal, rows)
        # A parent found while its namesake was still further down the file is ambiguous too.
        for row in rows:
            if row.parent:
                await _registry_parent(session, row)
    except DomainError:
        await session.rollback()
        raise
    audit.add_audit(
        session,
        principal.actor_id,
        "org.import",
        "org",
        None,
        added=added,
        updated=updated,
    )
    await session.commit()
    return added, updated


async def _registry_parent(session: AsyncSession, row: RegistryRow) -> Organization | None:
    try:
        return await find_org(session, row.parent)
    except Ambiguous as exc:
        raise ValidationError(
            "ambiguous_parent",
            line=row.line,
            row=row.name,
            name=row.parent,
            places="; ".join(exc.paths),
            example=exc.paths[0],
        ) from exc


async def _import_rows(
    session: AsyncSession, principal: Principal, rows: list[RegistryRow]
) -> tuple[int, int]:
    added = updated = 0
    pending = list(rows)
    # Parents may come after their children in the file, so resolve in passes.
    while pending:
        progress = False
        later: list[RegistryRow] = []
        for row in pending:
            parent = None
            if row.parent:
                parent = await _registry_parent(session, row)
                if parent is None:
                    later.append(row)
                    continue
                await ensure_manages(session, principal, parent.id)
            elif not principal.is_system:
                raise ValidationError("registry_root_forbidden", name=row.name)
            tz = check_timezone(row.timezone) if row.timezone else None
            existing = await orgs.get_org_by_name(session, row.name, parent.id if parent else None)
            if existing is not None:
                existing.timezone = tz or existing.timezone
                existing.at_risk = row.at_risk
                updated += 1
            else:
                kind = CHILD_KIND.get(parent.kind) if parent else OrgKind.REGION
                if kind is None:
                    raise ValidationError("no_children_for_school")
                orgs.add_org(
                    session,
                    name=row.name,
                    kind=kind,
                    parent_id=parent.id if parent else None,
                    timezone=tz,
                    at_risk=row.at_risk,
                )
                added += 1
            await session.flush()
            progress = True
        if not progress:
            row = later[0]
            raise ValidationError("unknown_parent", line=row.line, row=row.name, name=row.parent)
        pending = later
    return added, updated


async def list_people(
    session: AsyncSession, principal: Principal, org_id: int
) -> list[PersonView]:
    """Everyone registered in the organisation's subtree."""
    await ensure_manages(session, principal, org_id)
    ids = await orgs.subtree_ids(session, [org_id])
    return [
        PersonView(
            role_id=role.id,
            user_id=user.id,
            full_name=user.full_name,
            org_id=org.id,
            org_name=org.name,
            role=role.role,
            is_active=user.is_active,
        )
        for role, user, org in await users.list_people(session, sorted(ids))
        # A parent's school is theirs to tell the hotline, not a registration to list.
        if role.role != RoleKind.PARENT
    ]


@dataclass(frozen=True)
class RemovedPerson:
    """Who lost the coordinator role, and the role they keep (whose commands they get)."""

    name: str
    user_id: int | None
    main_role: RoleKind | None


async def remove_coordinator(
    session: AsyncSession, principal: Principal, role_id: int
) -> RemovedPerson:
    """Take the coordinator role away; says who lost it and what role they keep.

    Nobody is told in a message: the person's pending reminders go in the same commit, and
    the channel gives them the command menu of the role they keep.
    """
    role = await users.get_role_by_id(session, role_id)
    if role is None or role.role != RoleKind.COORDINATOR or role.org_id is None:
        raise NotFound()
    await ensure_manages(session, principal, role.org_id)
    user = await users.get_user(session, role.user_id)
    await users.delete_role(session, role_id)
    await reminders.executors_changed(session, role.org_id, removed_user_id=role.user_id)
    audit.add_audit(
        session,
        principal.actor_id,
        "role.remove",
        "user",
        role.user_id,
        org_id=role.org_id,
        role=role.role.value,
    )
    await session.commit()
    if user is None:
        return RemovedPerson("", None, None)
    left = await load_principal(session, user.id)
    return RemovedPerson(user.full_name, user.id, left.main_role if left else None)


async def search_schools(
    session: AsyncSession, text: str, limit: int = SCHOOL_MATCHES
) -> list[SchoolChoice]:
    """Schools whose name with the municipality is most like ``text``, best first."""
    if not utils.default_process(text):
        return []
    schools = await orgs.list_with_parent_names(session, OrgKind.SCHOOL)
    labels = {org.id: f"{org.name} {place or ''}" for org, place in schools}
    by_id = {org.id: (org, place) for org, place in schools}
    # «школа 15» is not «школа 1»: every number typed must be a number of the school.
    numbers = set(_NUMBER.findall(text))
    found: list[SchoolChoice] = []
    for _, _, org_id in process.extract(
        text,
        labels,
        scorer=fuzz.WRatio,
        processor=utils.default_process,
        limit=None,
        score_cutoff=MATCH_CUTOFF,
    ):
        if numbers - set(_NUMBER.findall(labels[org_id])):
            continue
        org, place = by_id[org_id]
        found.append(SchoolChoice(org.id, org.name, place))
        if len(found) == limit:
            break
    return found


async def org_names(session: AsyncSession, ids: list[int]) -> list[str]:
    return [org.name for org in await orgs.list_orgs(session, ids)] if ids else []
