"""The ticket form: kind → topic → school → anonymity → text and files → summary → send."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.attachments import attachments_of
from bot.channels.telegram.callbacks.hotline import AskCb, AskStep
from bot.channels.telegram.identity import identity_of
from bot.channels.telegram.keyboards import hotline as keyboards
from bot.config import Settings
from bot.domain.enums import TicketKind, TicketTopic
from bot.domain.errors import HotlineBanned
from bot.domain.messages import Attachment
from bot.services import access, orgs
from bot.services.access import Principal
from bot.services.hotline import faq, routing, tickets
from bot.services.hotline.views import MessageSource, TicketDraft
from bot.texts import hotline as texts
from bot.texts.errors import error_text

MAX_PREFILL = 3500


class AskForm(StatesGroup):
    kind = State()
    topic = State()
    school = State()
    anonymity = State()
    text = State()
    summary = State()


def build_router() -> Router:
    router = Router(name="parent.ask")
    router.message.register(cmd_ask, Command("ask"))
    router.message.register(cmd_ask, F.text == texts.BTN_ASK)
    router.message.register(school_query_entered, AskForm.school, F.text)
    router.message.register(ask_text_entered, AskForm.text, F.text | F.caption | F.photo)
    router.message.register(
        ask_text_entered, AskForm.text, F.document | F.voice | F.video | F.audio
    )
    router.message.register(ask_text_sticker, AskForm.text, F.sticker | F.animation)
    router.message.register(ask_text_invalid, AskForm.text)
    router.callback_query.register(on_step, AskCb.filter())
    return router


async def _refused(message: Message, exc: HotlineBanned) -> None:
    # A banned person is told once; later attempts get no answer.
    if not exc.details.get("told"):
        await message.answer(error_text(exc))


async def start_form(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal | None,
    prefill: dict | None = None,
) -> None:
    """Open the form; ``prefill`` carries a text or files sent before it was opened."""
    if principal is None:
        user = message.from_user
        principal = await access.touch_account(session, identity_of(user), user.full_name)
    try:
        await tickets.ensure_may_ask(session, principal)
    except HotlineBanned as exc:
        await state.clear()
        await _refused(message, exc)
        return
    await state.clear()
    await state.set_state(AskForm.kind)
    await state.update_data(**(prefill or {}))
    await message.answer(texts.ASK_KIND, reply_markup=keyboards.ask_kind())


async def cmd_ask(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    await start_form(message, state, session, principal)


def prefill_of(message: Message) -> dict:
    """What a message sent outside the form brings into it."""
    text = message.html_text if (message.text or message.caption) else ""
    return {
        "text": text[:MAX_PREFILL],
        "files": [_dict(a) for a in attachments_of(message)],
        "source": [str(message.chat.id), message.message_id],
    }


def _dict(item: Attachment) -> dict:
    return {"kind": item.kind, "file_ref": item.file_ref, "name": item.name}


async def _ask_school(message: Message, state: FSMContext) -> None:
    await state.set_state(AskForm.school)
    await message.answer(
        texts.ASK_SCHOOL.format(dont_know=texts.BTN_DONT_KNOW),
        reply_markup=keyboards.ask_school([]),
    )


async def _ask_anonymity(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    violation = data.get("kind") == TicketKind.VIOLATION
    await state.set_state(AskForm.anonymity)
    text = texts.ASK_ANONYMITY_VIOLATION if violation else texts.ASK_ANONYMITY
    await message.answer(text, reply_markup=keyboards.ask_anonymity(violation))


async def _ask_text(message: Message, state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_state(AskForm.text)
    await message.answer(
        texts.ASK_TEXT.format(done=texts.BTN_DONE_FILES),
        reply_markup=keyboards.ask_text(bool(data.get("text") or data.get("files"))),
    )


async def _summary(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    data = await state.get_data()
    await state.set_state(AskForm.summary)
    school_id = data.get("school_id") or None
    org_id = await routing.ticket_org_id(session, school_id)
    # The FAQ engineer's suggestions: entries matching the words of the question.
    found = await faq.suggest(session, org_id, data.get("text", ""))
    text = texts.SUMMARY.format(
        kind=texts.KIND_NAMES[TicketKind(data["kind"])].capitalize(),
        topic=texts.TOPIC_NAMES[TicketTopic(data["topic"])],
        school=texts.q(data.get("school_name") or texts.NO_SCHOOL),
        anonymity=texts.SUMMARY_ANONYMOUS if data.get("anonymous") else texts.SUMMARY_NAMED,
        files=len(data.get("files", [])),
        text=data.get("text") or texts.NO_TEXT,
    )
    if found:
        text += texts.FAQ_TITLE
        for n, item in enumerate(found, 1):
            text += f"\n\n<b>{n}. {texts.q(item.question)}</b>\n{texts.q(item.answer)}"
    await state.update_data(org_id=org_id)
    await message.answer(text[:4096], reply_markup=keyboards.ask_summary([f.id for f in found]))


async def school_query_entered(message: Message, session: AsyncSession) -> None:
    found = await orgs.search_schools(session, message.text)
    if not found:
        await message.answer(
            texts.SCHOOL_NOT_FOUND.format(
                query=texts.q(message.text[:100]), dont_know=texts.BTN_DONT_KNOW
            ),
            reply_markup=keyboards.ask_school([]),
        )
        return
    await message.answer(
        texts.SCHOOL_CHOOSE,
        reply_markup=keyboards.ask_school([(s.id, s.name, s.place) for s in found]),
    )


async def ask_text_entered(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal | None
) -> None:
    data = await state.get_data()
    added = message.html_text if (message.text or message.caption) else ""
    text = "\n\n".join(part for part in (data.get("text", ""), added) if part)
    if len(text) > tickets.LIMIT.max_chars:
        await message.answer(error_text("text_too_long", {"limit": tickets.LIMIT.max_chars}))
        return
    files = [*data.get("files", []), *(_dict(a) for a in attachments_of(message))]
    if len(files) > tickets.MAX_ATTACHMENTS:
        await message.answer(error_text("too_much_evidence", {"limit": tickets.MAX_ATTACHMENTS}))
        return
    group = message.media_group_id
    await state.update_data(
        text=text,
        files=files,
        group=group,
        source=[str(message.chat.id), message.message_id],
    )
    if group and data.get("group") == group:
        return  # the rest of an album: one answer for the whole of it
    if files:
        await message.answer(
            texts.ADDED.format(done=texts.BTN_DONE_FILES), reply_markup=keyboards.ask_text(True)
        )
        return
    await _summary(message, state, session, principal)


async def ask_text_sticker(message: Message) -> None:
    await message.answer(texts.STICKER)


async def ask_text_invalid(message: Message) -> None:
    await message.answer(texts.TEXT_INVALID)


async def on_step(
    callback: CallbackQuery,
    callback_data: AskCb,
    state: FSMContext,
    session: AsyncSession,
    principal: Principal | None,
    settings: Settings,
) -> None:
    current = await state.get_state()
    if current is None or not current.startswith(AskForm.__name__):
        await callback.answer(texts.FORM_STALE, show_alert=True)
        return
    message = callback.message
    step, value = callback_data.step, callback_data.value
    data = await state.get_data()
    await callback.answer()
    if step == AskStep.CANCEL:
        await state.clear()
        await message.answer(texts.FORM_CANCELLED)
    elif step == AskStep.BACK:
        await _back(message, state, session, principal, current)
    elif step == AskStep.KIND and value in set(TicketKind):
        await state.update_data(kind=value)
        await state.set_state(AskForm.topic)
        await message.answer(texts.ASK_TOPIC, reply_markup=keyboards.ask_topic())
    elif step == AskStep.TOPIC and value in set(TicketTopic):
        await state.update_data(topic=value)
        await _ask_school(message, state)
    elif step == AskStep.SCHOOL and value.isdigit():
        name = await routing.school_name(session, int(value)) if value != "0" else None
        await state.update_data(school_id=int(value) if name else None, school_name=name)
        if data.get("edit"):
            await _summary(message, state, session, principal)
        else:
            await _ask_anonymity(message, state)
    elif step == AskStep.ANONYMITY and value in ("0", "1"):
        await state.update_data(anonymous=value == "1")
        if data.get("edit") or data.get("text") or data.get("files"):
            await _summary(message, state, session, principal)
        else:
            await _ask_text(message, state)
    elif step == AskStep.DONE and (data.get("text") or data.get("files")):
        await _summary(message, state, session, principal)
    elif step == AskStep.EDIT_TEXT:
        await state.update_data(text="", files=[], group=None, edit=True)
        await _ask_text(message, state)
    elif step == AskStep.EDIT_SCHOOL:
        await state.update_data(edit=True)
        await _ask_school(message, state)
    elif step == AskStep.EDIT_ANONYMITY:
        await state.update_data(edit=True)
        await _ask_anonymity(message, state)
    elif step == AskStep.FAQ and value.isdigit() and current == AskForm.summary.state:
        await faq.count_deflection(session, int(value), data.get("org_id") or None)
        await state.clear()
        await message.answer(texts.FAQ_HELPED)
    elif step == AskStep.SEND and current == AskForm.summary.state:
        await _send(message, state, session, principal, settings, data)
    else:
        await message.answer(texts.FORM_STALE)


async def _back(message, state, session, principal, current: str) -> None:
    if current == AskForm.topic.state:
        await state.set_state(AskForm.kind)
        await message.answer(texts.ASK_KIND, reply_markup=keyboards.ask_kind())
    elif current == AskForm.school.state:
        await state.set_state(AskForm.topic)
        await message.answer(texts.ASK_TOPIC, reply_markup=keyboards.ask_topic())
    elif current == AskForm.anonymity.state:
        await _ask_school(message, state)
    elif current in (AskForm.text.state, AskForm.summary.state):
        await _ask_anonymity(message, state)
    else:
        await state.set_state(AskForm.kind)
        await message.answer(texts.ASK_KIND, reply_markup=keyboards.ask_kind())


async def _send(message, state, session, principal, settings: Settings, data: dict) -> None:
    if principal is None:
        await state.clear()
        await message.answer(texts.FORM_STALE)
        return
    source = data.get("source")
    draft = TicketDraft(
        kind=TicketKind(data["kind"]),
        topic=TicketTopic(data["topic"]),
        school_id=data.get("school_id"),
        anonymous=bool(data.get("anonymous")),
        text=data.get("text", ""),
        attachments=tuple(Attachment(**f) for f in data.get("files", [])),
        media_group_id=data.get("group"),
        source=MessageSource("telegram", source[0], int(source[1])) if source else None,
    )
    try:
        receipt = await tickets.open_ticket(
            session, principal, draft, default_tz=settings.default_timezone
        )
    except HotlineBanned as exc:
        await state.clear()
        await _refused(message, exc)
        return
    await state.clear()
    await message.answer(texts.receipt_text(receipt))
