"""FAQ of an organisation's hotline: entries, browsing by topic, suggestions before a ticket."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import RoleKind, TicketTopic
from bot.domain.errors import NotFound, ValidationError
from bot.services.access import Principal, ensure_manages
from storage.models import FaqEntry
from storage.repo import audit, orgs
from storage.repo import faq as repo

MAX_QUESTION = 300
MAX_ANSWER = 3000
MAX_KEYWORDS = 300
# Two words are the same word when this similar: «результаты» and «результатов».
WORD_MATCH = 80
# An entry is suggested when this share of the question's words (or of the entry's) match.
MIN_SCORE = 0.5
_WORD = re.compile(r"\w+")
_STOP_WORDS = """а без будет будут бы был была были в вам вас ваш во вот все всё где да для до его ее её
    если есть еще ещё же за здесь и из или им их к как какая какие какой каких ко когда кто ли
    либо мне можно мой моя мы на нам нас наш не нет ни но ну о об однако он она они оно от очень
    по под после почему при про с со так такое там тем то тоже только ту тут у уже чем что чтобы
    эта эти это этот я зачем сколько нужно надо меня мои"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


class FaqField(StrEnum):
    TOPIC = "topic"
    QUESTION = "question"
    ANSWER = "answer"
    KEYWORDS = "keywords"


@dataclass(frozen=True)
class FaqSuggestion:
    id: int
    question: str
    answer: str


@dataclass(frozen=True)
class FaqEntryView:
    id: int
    org_id: int
    topic: TicketTopic
    question: str
    answer: str
    keywords: str
    position: int


@dataclass(frozen=True)
class FaqDraft:
    topic: TicketTopic
    question: str
    answer: str
    keywords: str = ""


def _view(entry: FaqEntry) -> FaqEntryView:
    return FaqEntryView(
        id=entry.id,
        org_id=entry.org_id,
        topic=entry.topic,
        question=entry.question,
        answer=entry.answer,
        keywords=entry.keywords,
        position=entry.position,
    )


def clean_field(field: FaqField, value: str) -> str:
    """The text of a field as stored; raises ValidationError when it is empty or too long."""
    text = " ".join(value.split()) if field != FaqField.ANSWER else value.strip()
    limit = {
        FaqField.QUESTION: MAX_QUESTION,
        FaqField.ANSWER: MAX_ANSWER,
        FaqField.KEYWORDS: MAX_KEYWORDS,
    }.get(field, MAX_QUESTION)
    if len(text) > limit:
        raise ValidationError("text_too_long", limit=limit)
    if not text and field != FaqField.KEYWORDS:
        raise ValidationError()
    return text


def home_org(principal: Principal) -> int | None:
    """The organisation whose FAQ a person reads: a parent's school, a member's organisation;
    None (every entry) for a parent without a school."""
    for role in (RoleKind.PARENT, RoleKind.COORDINATOR, RoleKind.OPERATOR, RoleKind.OFFICER):
        ids = principal.org_ids(role)
        if ids:
            return ids[0]
    return None


async def _visible_org_ids(session: AsyncSession, org_id: int | None) -> list[int] | None:
    """The organisation and those above it; None (all) without one."""
    if org_id is None:
        return None
    return [org.id for org in await orgs.ancestors(session, org_id)]


async def _managed_entry(session: AsyncSession, principal: Principal, entry_id: int) -> FaqEntry:
    entry = await repo.get_entry(session, entry_id)
    if entry is None:
        raise NotFound()
    # Checked before anything of the entry is shown, so a forged id learns nothing.
    await ensure_manages(session, principal, entry.org_id)
    return entry


async def list_managed(
    session: AsyncSession, principal: Principal, org_id: int
) -> list[FaqEntryView]:
    """The organisation's own entries, in their order, for an officer who manages it."""
    await ensure_manages(session, principal, org_id)
    return [_view(e) for e in await repo.list_entries(session, [org_id])]


async def get_managed(session: AsyncSession, principal: Principal, entry_id: int) -> FaqEntryView:
    return _view(await _managed_entry(session, principal, entry_id))


async def managed_place(
    session: AsyncSession, principal: Principal, entry_id: int
) -> tuple[FaqEntryView, int, int]:
    """The entry with its place in the organisation's list and the list's length."""
    entry = await _managed_entry(session, principal, entry_id)
    ids = [e.id for e in await repo.list_entries(session, [entry.org_id])]
    return _view(entry), ids.index(entry.id) + 1, len(ids)


async def add_entry(
    session: AsyncSession, principal: Principal, org_id: int, draft: FaqDraft
) -> FaqEntryView:
    """Add an entry at the end of the organisation's FAQ."""
    await ensure_manages(session, principal, org_id)
    if await orgs.get_org(session, org_id) is None:
        raise NotFound()
    entry = repo.add_entry(
        session,
        org_id=org_id,
        topic=TicketTopic(draft.topic),
        question=clean_field(FaqField.QUESTION, draft.question),
        answer=clean_field(FaqField.ANSWER, draft.answer),
        keywords=clean_field(FaqField.KEYWORDS, draft.keywords),
        position=await repo.next_position(session, org_id),
    )
    await session.flush()
    audit.add_audit(session, principal.actor_id, "faq.add", "faq", entry.id, org_id=org_id)
    await session.commit()
    return _view(entry)


async def edit_entry(
    session: AsyncSession, principal: Principal, entry_id: int, field: FaqField, value: str
) -> FaqEntryView:
    """Change one field of an entry; the topic takes a TicketTopic value."""
    entry = await _managed_entry(session, principal, entry_id)
    if field == FaqField.TOPIC:
        try:
            entry.topic = TicketTopic(value)
        except ValueError:
            raise ValidationError() from None
    else:
        setattr(entry, field.value, clean_field(field, value))
    audit.add_audit(session, principal.actor_id, "faq.edit", "faq", entry.id, field=field.value)
    await session.commit()
    return _view(entry)


async def delete_entry(session: AsyncSession, principal: Principal, entry_id: int) -> str:
    """Delete an entry; returns its question. Its deflections stay counted."""
    entry = await _managed_entry(session, principal, entry_id)
    question = entry.question
    await repo.delete_entry(session, entry)
    audit.add_audit(
        session, principal.actor_id, "faq.delete", "faq", entry_id, org_id=entry.org_id
    )
    await session.commit()
    return question


async def move_entry(
    session: AsyncSession, principal: Principal, entry_id: int, up: bool
) -> list[FaqEntryView]:
    """Swap the entry with its neighbour above (or below); returns the new order."""
    entry = await _managed_entry(session, principal, entry_id)
    entries = await repo.list_entries(session, [entry.org_id])
    index = next(i for i, e in enumerate(entries) if e.id == entry.id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(entries):
        entries[index], entries[other] = entries[other], entries[index]
        # Renumbering all keeps the order strict even after positions collided.
        for position, item in enumerate(entries, start=1):
            item.position = position
        audit.add_audit(session, principal.actor_id, "faq.move", "faq", entry.id, up=up)
        await session.commit()
    return [_view(e) for e in entries]


async def list_topics(session: AsyncSession, org_id: int | None) -> list[tuple[TicketTopic, int]]:
    """Topics that have entries a person of ``org_id`` sees, with their counts."""
    entries = await repo.list_entries(session, await _visible_org_ids(session, org_id))
    counts = {topic: 0 for topic in TicketTopic}
    for entry in entries:
        counts[entry.topic] += 1
    return [(topic, n) for topic, n in counts.items() if n]


async def list_by_topic(
    session: AsyncSession, org_id: int | None, topic: TicketTopic
) -> list[FaqEntryView]:
    """Entries of the topic a person of ``org_id`` sees: their organisations up the tree
    (every organisation's when None), the nearest organisation first."""
    visible = await _visible_org_ids(session, org_id)
    entries = await repo.list_entries(session, visible, topic)
    if visible is not None:
        rank = {org: i for i, org in enumerate(visible)}
        entries.sort(key=lambda e: (rank[e.org_id], e.position, e.id))
    return [_view(e) for e in entries]


async def read_entry(session: AsyncSession, org_id: int | None, entry_id: int) -> FaqEntryView:
    """An entry a person of ``org_id`` may read; another organisation's is NotFound."""
    entry = await repo.get_entry(session, entry_id)
    visible = await _visible_org_ids(session, org_id)
    if entry is None or (visible is not None and entry.org_id not in visible):
        raise NotFound()
    return _view(entry)


def normalise(text: str) -> list[str]:
    """The words that carry meaning: lower case, «ё» as «е», without stop words."""
    words = _WORD.findall(text.lower().replace("ё", "е"))
    return [w for w in words if w not in STOP_WORDS and (len(w) > 1 or w.isdigit())]


def _matched(words: list[str], others: list[str]) -> int:
    """How many of ``words`` have a similar word among ``others``."""
    if not others:
        return 0
    count = 0
    for word in words:
        best = process.extractOne(word, others, scorer=fuzz.ratio)
        if best is not None and (best[1] >= WORD_MATCH or _same_stem(word, best[0])):
            count += 1
    return count


def _same_stem(a: str, b: str) -> bool:
    # Russian endings change a word more than the ratio forgives in short words:
    # «проверка» and «проверяют» share «провер».
    stem = min(len(a), len(b), 6)
    return stem >= 5 and a[:stem] == b[:stem]


def score(text: str, question: str, keywords: str = "") -> float:
    """How well the entry answers the text, 0…1: the share of the text's words found in the
    entry's question and keywords, or of the question's words found in the text."""
    words = normalise(text)
    if not words:
        return 0.0
    asked = normalise(question)
    entry_words = asked + normalise(keywords)
    by_text = _matched(words, entry_words) / len(words)
    by_entry = _matched(asked, words) / len(asked) if len(asked) >= 2 else 0.0
    return max(by_text, by_entry)


async def suggest(
    session: AsyncSession, org_id: int | None, text: str, limit: int = 3
) -> list[FaqSuggestion]:
    """Up to ``limit`` FAQ entries of the organisation (and above) matching the text."""
    entries = await repo.list_entries(session, await _visible_org_ids(session, org_id))
    scored = []
    for entry in entries:
        value = score(text, entry.question, entry.keywords)
        if value >= MIN_SCORE:
            tie = fuzz.token_set_ratio(
                " ".join(normalise(text)), " ".join(normalise(entry.question))
            )
            scored.append((value, tie, -entry.position, entry))
    scored.sort(key=lambda item: item[:3], reverse=True)
    return [FaqSuggestion(e.id, e.question, e.answer) for *_, e in scored[:limit]]


async def count_deflection(session: AsyncSession, faq_id: int, org_id: int | None) -> None:
    """Count that the entry answered a person's question, who then sent no ticket."""
    entry = await repo.get_entry(session, faq_id)
    if entry is None and org_id is None:
        raise NotFound()
    repo.add_deflection(session, entry.id if entry else None, org_id or entry.org_id)
    await session.commit()
