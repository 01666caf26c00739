"""The evidence step of the confirmation: documents, photos, albums and links."""

from __future__ import annotations

import asyncio
import hashlib
import re

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.callbacks.confirmations import ConfirmAction, ConfirmCb
from bot.channels.telegram.keyboards import confirmations as kb
from bot.domain.errors import ValidationError
from bot.services import confirmations as svc
from bot.services.access import Principal
from bot.services.confirmations import EvidenceItem
from bot.texts import confirmations as texts
from bot.texts.errors import error_text
from handlers.coordinator.confirm.common import (
    EVIDENCE_PREFIX,
    ConfirmForm,
    evidence_of,
    show_summary,
    stored,
)

# Telegram delivers an album as separate messages within a moment of each other; the album
# is acknowledged once no new part has come for this long.
ALBUM_WAIT = 1.0
ALBUM_PREFIX = "album."
URL_RE = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def build_router() -> Router:
    router = Router(name="coordinator.confirm.evidence")
    router.callback_query.register(
        on_evidence_done,
        ConfirmCb.filter(F.action == ConfirmAction.EVIDENCE_DONE),
        ConfirmForm.evidence,
    )
    router.callback_query.register(
        on_clear_evidence, ConfirmCb.filter(F.action == ConfirmAction.CLEAR), ConfirmForm.evidence
    )
    router.message.register(confirm_evidence_entered, ConfirmForm.evidence)
    return router


def _links(message: Message) -> list[str]:
    text = message.text or message.caption or ""
    entities = message.entities or message.caption_entities or []
    found: list[str] = []
    for entity in entities:
        if entity.type == "text_link" and entity.url:
            found.append(entity.url)
        elif entity.type == "url":
            url = entity.extract_from(text)
            found.append(url if "://" in url else "https://" + url)
    found += URL_RE.findall(text)
    unique: list[str] = []
    for url in found:
        url = url.rstrip(".,;)")
        if url not in unique:
            unique.append(url)
    return unique


def _files(message: Message) -> list[EvidenceItem] | None:
    """Files of the message, [] when it has none, None when it holds something unsupported."""
    if message.document is not None:
        doc = message.document
        return [
            EvidenceItem(
                kind="document",
                file_id=doc.file_id,
                file_unique_id=doc.file_unique_id,
                name=doc.file_name,
                mime_type=doc.mime_type,
                size=doc.file_size,
            )
        ]
    if message.photo:
        # Telegram sends several sizes of one photo; the last is the largest.
        photo = message.photo[-1]
        return [
            EvidenceItem(
                kind="photo",
                file_id=photo.file_id,
                file_unique_id=photo.file_unique_id,
                mime_type="image/jpeg",
                size=photo.file_size,
            )
        ]
    if message.text is not None:
        return []
    return None


def _refusal(items: list[EvidenceItem], total: int) -> str | None:
    """Why the message's files cannot be taken, or None."""
    for item in items:
        name = texts.short(item.name or "")
        if item.size is not None and item.size > svc.MAX_FILE_SIZE:
            return texts.FILE_TOO_BIG.format(name=name)
        if item.kind == "document" and not svc.document_allowed(item.name, item.mime_type):
            return texts.BAD_DOCUMENT_TYPE.format(
                name=name, types=texts.ACCEPTED_TYPES, total=total
            )
        try:
            svc.check_evidence(item)
        except ValidationError as exc:
            return error_text(exc)
    if total + len(items) > svc.MAX_EVIDENCE:
        return texts.TOO_MUCH_EVIDENCE.format(limit=svc.MAX_EVIDENCE)
    return None


def _key(item: EvidenceItem) -> str:
    return EVIDENCE_PREFIX + (
        item.file_unique_id or hashlib.sha1(item.url.encode()).hexdigest()[:16]
    )


async def confirm_evidence_entered(message: Message, state: FSMContext) -> None:
    files = _files(message)
    if files is None:
        await message.answer(texts.UNSUPPORTED)
        return
    links = _links(message)
    if not files and not links:
        await message.answer(texts.TEXT_WITHOUT_LINK)
        return
    items = files + [EvidenceItem(kind="link", url=url) for url in links]
    refusal = _refusal(items, len(evidence_of(await state.get_data())))
    if refusal:
        await message.answer(refusal)
        return
    group = message.media_group_id
    update = {
        _key(item): {**item.to_dict(), "n": message.message_id, "g": group} for item in items
    }
    # The storage merges atomically, so album parts arriving at once never overwrite each other.
    data = await state.update_data(update)
    if len(evidence_of(data)) > svc.MAX_EVIDENCE:
        # Parts arriving together all passed the limit check; the ones past it step back.
        await state.update_data(dict.fromkeys(update))
        await message.answer(texts.TOO_MUCH_EVIDENCE.format(limit=svc.MAX_EVIDENCE))
        return
    if group:
        await _acknowledge_album(message, state, group)
        return
    what = ", ".join(texts.evidence_line(i.kind, i.name, i.url, i.size) for i in items)
    await message.answer(
        texts.EVIDENCE_ADDED.format(what=what, total=len(evidence_of(data))),
        reply_markup=kb.evidence(True, bool(data.get("editing"))),
    )


async def _acknowledge_album(message: Message, state: FSMContext, group: str) -> None:
    """One answer per album, from the part that is still the latest after a quiet moment."""
    key = ALBUM_PREFIX + group
    await state.update_data({key: message.message_id})
    await asyncio.sleep(ALBUM_WAIT)
    if await state.get_state() != ConfirmForm.evidence.state:
        return
    data = await state.get_data()
    if data.get(key) != message.message_id:
        return  # a later part came meanwhile and answers for the album
    members = [v for v in stored(data).values() if v.get("g") == group]
    await message.answer(
        texts.ALBUM_ADDED.format(
            photos=texts.files_word(len(members)), total=len(evidence_of(data))
        ),
        reply_markup=kb.evidence(True, bool(data.get("editing"))),
    )


async def on_clear_evidence(callback: CallbackQuery, state: FSMContext) -> None:
    data = await state.get_data()
    kept = {k: v for k, v in data.items() if not k.startswith((EVIDENCE_PREFIX, ALBUM_PREFIX))}
    await state.set_data(kept)
    await callback.answer()
    await callback.message.edit_text(texts.EVIDENCE_CLEARED, reply_markup=kb.evidence(False, True))


async def on_evidence_done(
    callback: CallbackQuery, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    await callback.answer()
    await callback.message.edit_reply_markup(reply_markup=None)
    if data.get("editing"):
        await show_summary(callback.message, state, session, principal)
        return
    await state.set_state(ConfirmForm.comment)
    await callback.message.answer(texts.ASK_COMMENT, reply_markup=kb.no_comment())
