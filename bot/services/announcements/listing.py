"""What the composing and follow-up screens list: organisations to send from and to, the
school's assessments for a volunteer call, the author's announcements, calls with volunteers."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import OrgKind, ResponseKind, RoleKind
from bot.domain.errors import AccessDenied
from bot.services.access import Principal, managed_org_ids
from bot.services.announcements import audience as audiences
from bot.services.announcements import sending
from bot.services.announcements.views import AnnouncementItem, AnnouncementPage, Progress
from bot.services.orgs import org_today
from bot.texts import announcements as texts
from storage.models import Announcement
from storage.repo import announcements as repo
from storage.repo import events, orgs

PAGE_SIZE = 8
# The author's list is read whole and filtered here; a repository filter by author would
# let the database page it.
MAX_LISTED = 1000
EXCERPT = 60
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class OrgOption:
    id: int
    name: str
    kind: OrgKind
    place: str | None  # the parent's name


@dataclass(frozen=True)
class EventChoice:
    id: int
    label: str
    date: date


@dataclass(frozen=True)
class AnnouncementCard:
    item: AnnouncementItem
    response: ResponseKind
    event_label: str | None
    progress: Progress


@dataclass(frozen=True)
class VolunteerEvent:
    """A school's assessment that had a volunteer call, with how many offered."""

    event_id: int
    label: str
    date: date
    volunteers: int
    undecided: int


async def sender_orgs(session: AsyncSession, principal: Principal) -> list[OrgOption]:
    """The organisations the person may send from: an officer's offices, a coordinator's
    school."""
    ids = list(
        dict.fromkeys(
            principal.org_ids(RoleKind.OFFICER) + principal.org_ids(RoleKind.COORDINATOR)
        )
    )
    found = await orgs.list_orgs(session, ids) if ids else []
    return [OrgOption(o.id, o.name, o.kind, None) for o in found]


async def audience_orgs(
    session: AsyncSession, principal: Principal, org_id: int, query: str = ""
) -> list[OrgOption]:
    """Municipalities and schools below the sender's organisation, those whose name (with
    the parent's) holds every word of ``query``; municipalities first."""
    if not audiences.may_send_from(principal, org_id):
        raise AccessDenied()
    subtree = await orgs.subtree_ids(session, [org_id])
    rows = await orgs.list_orgs(session, sorted(subtree))
    names = {o.id: o.name for o in rows}
    words = query.casefold().split()
    found = []
    for org in rows:
        if org.id == org_id or org.kind not in (OrgKind.MUNICIPALITY, OrgKind.SCHOOL):
            continue
        place = names.get(org.parent_id) if org.parent_id != org_id else None
        label = f"{org.name} {place or ''}".casefold()
        if all(word in label for word in words):
            found.append(OrgOption(org.id, org.name, org.kind, place))
    found.sort(key=lambda o: (o.kind != OrgKind.MUNICIPALITY, o.place or "", o.name))
    return found


async def call_events(
    session: AsyncSession, principal: Principal, org_id: int, *, default_tz: str
) -> list[EventChoice]:
    """The school's assessments from today on, for a call for volunteers sent from it."""
    if not audiences.may_send_from(principal, org_id):
        raise AccessDenied()
    org = await orgs.get_org(session, org_id)
    if org is None or org.kind != OrgKind.SCHOOL:
        return []
    today = await org_today(session, org_id, default_tz)
    return [
        EventChoice(e.id, texts.event_label(e.kind, e.subject, e.grade), e.event_date)
        for e in await events.list_events(session, [org_id])
        if e.event_date >= today
    ]


def excerpt(text: str, limit: int = EXCERPT) -> str:
    """The first words of an announcement's HTML as plain text."""
    plain = " ".join(html.unescape(_TAG.sub("", text)).split())
    return plain if len(plain) <= limit else plain[: limit - 1].rstrip() + "…"


def _item(row: Announcement) -> AnnouncementItem:
    return AnnouncementItem(
        row.id, row.status, row.created_at, excerpt(row.text) or "📎", row.recipients
    )


async def list_announcements(
    session: AsyncSession, principal: Principal, page: int = 0, size: int = PAGE_SIZE
) -> AnnouncementPage:
    """The announcements the person wrote or, as an officer, manages, newest first."""
    managed = await managed_org_ids(session, principal) if principal.is_officer else set()
    ids = sorted(managed | set(principal.org_ids(RoleKind.COORDINATOR)))
    rows, _ = await repo.list_announcements(session, ids, 0, MAX_LISTED) if ids else ([], 0)
    mine = [r for r in rows if r.author_id == principal.user_id or r.org_id in managed]
    pages = max(1, -(-len(mine) // size))
    page = min(max(page, 0), pages - 1)
    chunk = mine[page * size : (page + 1) * size]
    return AnnouncementPage(tuple(_item(r) for r in chunk), page, pages, len(mine))


async def card(
    session: AsyncSession, principal: Principal, announcement_id: int, *, default_tz: str
) -> AnnouncementCard:
    """One announcement of the author's list with where its delivery stands."""
    row = await sending.own_announcement(session, principal, announcement_id)
    state = await sending.progress(session, principal, row.id, default_tz=default_tz)
    label = None
    if row.event_id:
        event = await events.get_event(session, row.event_id)
        if event is not None:
            label = texts.event_label(event.kind, event.subject, event.grade)
    return AnnouncementCard(_item(row), row.response, label, state)


async def volunteer_events(session: AsyncSession, principal: Principal) -> list[VolunteerEvent]:
    """The coordinator's school's assessments that had a call for volunteers."""
    found = []
    for event in await events.list_events(session, principal.org_ids(RoleKind.COORDINATOR)):
        calls = await repo.volunteer_calls(session, event.id)
        if not calls:
            continue
        offers = [
            r
            for r in await repo.list_responses(session, calls)
            if r.kind == ResponseKind.VOLUNTEER
        ]
        found.append(
            VolunteerEvent(
                event.id,
                texts.event_label(event.kind, event.subject, event.grade),
                event.event_date,
                len(offers),
                sum(r.decision is None for r in offers),
            )
        )
    return found
