"""The announcement form's states and data, the prompts shared by its steps, the preview."""

from __future__ import annotations

from html import escape as q
from typing import Any

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram import render
from bot.channels.telegram.keyboards import announcements as kb
from bot.domain.enums import AudienceKind, ResponseKind
from bot.domain.errors import ErrorCode, ValidationError
from bot.domain.messages import (
    Action,
    ActionKind,
    Address,
    Attachment,
    Button,
    Channel,
    OutgoingMessage,
)
from bot.services.access import Principal
from bot.services.announcements import audience, sending
from bot.services.announcements.views import Audience, Draft, Preview
from bot.texts import announce_form as texts
from bot.texts.errors import error_text

FILE_PREFIX = "file."
ORG_PREFIX = "org."
ALBUM_PREFIX = "album."
RESPONSE_ACTIONS = {
    ResponseKind.ACK: ActionKind.ACK_ANNOUNCEMENT,
    ResponseKind.VOLUNTEER: ActionKind.VOLUNTEER_ANNOUNCEMENT,
}


class AnnounceForm(StatesGroup):
    org = State()
    audience = State()
    orgs = State()
    text = State()
    files = State()
    response = State()
    event = State()
    preview = State()
    schedule = State()


# The form's data: org_id, school (sending from a school), kind, «org.<id>»: True for each
# chosen organisation, query and page of the choice, text, «file.<id>»: an attachment,
# response, event_id, draft_id of the preview shown, editing («text» or «audience»).


def chosen_of(data: dict[str, Any]) -> list[int]:
    return sorted(
        int(k[len(ORG_PREFIX) :]) for k, v in data.items() if k.startswith(ORG_PREFIX) and v
    )


def files_of(data: dict[str, Any]) -> list[Attachment]:
    stored = [v for k, v in data.items() if k.startswith(FILE_PREFIX) and isinstance(v, dict)]
    stored.sort(key=lambda v: v.get("n", 0))
    return [Attachment(v["kind"], v["file_ref"], v.get("name")) for v in stored]


def draft_of(data: dict[str, Any]) -> Draft:
    kind = AudienceKind(data["kind"])
    chosen = tuple(chosen_of(data)) if kind in audience.CHOICE_KINDS else ()
    response = ResponseKind(data.get("response") or ResponseKind.NONE)
    return Draft(
        org_id=data["org_id"],
        text=data.get("text", ""),
        audience=Audience(kind, chosen),
        attachments=tuple(files_of(data)),
        response=response,
        event_id=data.get("event_id") if response == ResponseKind.VOLUNTEER else None,
    )


def fixed_audience(principal: Principal, data: dict[str, Any]) -> bool:
    """A coordinator writes to their school's parents only: there is nothing to choose."""
    kinds = audience.kinds_for(principal, data["org_id"])
    return bool(data.get("school")) and kinds == [AudienceKind.PARENTS_OF]


async def ask_audience(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    data = await state.get_data()
    if fixed_audience(principal, data):
        await state.update_data(kind=AudienceKind.PARENTS_OF.value)
        await after_audience(message, state, session, principal, bot)
        return
    await state.set_state(AnnounceForm.audience)
    await message.answer(
        texts.ASK_AUDIENCE.format(org=q(data.get("org_name", ""))),
        reply_markup=kb.audience_kinds(audience.kinds_for(principal, data["org_id"])),
    )


async def after_audience(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    data = await state.get_data()
    if data.get("editing"):
        await show_preview(message, state, session, principal, bot)
        return
    await state.set_state(AnnounceForm.text)
    await message.answer(texts.ASK_TEXT.format(limit=sending.MAX_TEXT))


async def ask_files(message: Message, state: FSMContext) -> None:
    await state.set_state(AnnounceForm.files)
    await message.answer(
        texts.ASK_FILES.format(
            limit=sending.MAX_FILES, done=texts.BTN_DONE, none=texts.BTN_NO_FILES
        ),
        reply_markup=kb.files(False),
    )


async def ask_response(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_state(AnnounceForm.response)
    await message.answer(texts.ASK_RESPONSE, reply_markup=kb.responses(bool(data.get("school"))))


def _preview_calls(chat_id: int, preview: Preview) -> list:
    """The Bot API calls that show the message as recipients get it; its button is inert."""
    buttons: tuple[tuple[Button, ...], ...] = ()
    if preview.response in RESPONSE_ACTIONS:
        action = Action(RESPONSE_ACTIONS[preview.response], preview.announcement_id)
        # Rendered where the real button goes, then replaced by the inert one.
        buttons = ((Button("", action),),)
    message = OutgoingMessage(text=preview.text, buttons=buttons, attachments=preview.attachments)
    inert = kb.preview_button(preview)
    found = []
    for call in render.calls(Address(Channel.TELEGRAM, str(chat_id)), message):
        if getattr(call, "reply_markup", None) is not None:
            call = call.model_copy(update={"reply_markup": inert})
        found.append(call)
    return found


async def show_preview(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal,
    bot: Bot,
) -> None:
    """Store the draft, show it as recipients will see it, and the card to send it."""
    data = await state.get_data()
    draft = draft_of(data)
    try:
        preview = await sending.create_draft(session, principal, draft)
    except ValidationError as exc:
        if exc.code != ErrorCode.ANNOUNCEMENT_NO_RECIPIENTS:
            raise
        if fixed_audience(principal, data):
            await state.clear()
            await message.answer(texts.NO_RECIPIENTS_COORDINATOR)
            return
        await message.answer(error_text(exc))
        await state.update_data(editing="audience")
        await ask_audience(message, state, session, principal, bot)
        return
    for call in _preview_calls(message.chat.id, preview):
        await bot(call)
    await state.set_state(AnnounceForm.preview)
    await state.update_data(draft_id=preview.announcement_id, editing=None)
    editable = not fixed_audience(principal, data)
    await message.answer(
        texts.preview_card(
            preview,
            texts.audience_name(draft.audience.kind, len(draft.audience.org_ids)),
            preview.event_label,
        ),
        reply_markup=kb.preview_card(preview.announcement_id, editable),
    )
