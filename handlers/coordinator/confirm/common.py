"""The confirmation and transfer forms, and the helpers the confirmation steps share."""

from __future__ import annotations

from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.keyboards import confirmations as kb
from bot.services import confirmations as svc
from bot.services.access import Principal
from bot.services.confirmations import EvidenceItem, TaskBrief
from bot.texts import confirmations as texts

# Each evidence item has its own key in the form data, so parts of an album stored at once
# merge instead of overwriting one list; a refused late part leaves None in its key.
EVIDENCE_PREFIX = "ev."


class ConfirmForm(StatesGroup):
    result = State()
    reason = State()
    evidence = State()
    comment = State()
    summary = State()


class TransferForm(StatesGroup):
    new_date = State()
    reason = State()


def head(task: TaskBrief) -> str:
    return texts.task_head(task.title, task.org_name, task.plan, task.number, task.due)


def stored(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The evidence entries of the form data by key."""
    return {k: v for k, v in data.items() if k.startswith(EVIDENCE_PREFIX) and isinstance(v, dict)}


def evidence_of(data: dict[str, Any]) -> list[EvidenceItem]:
    items = sorted(stored(data).values(), key=lambda v: (v.get("n", 0), v.get("url") or ""))
    return [EvidenceItem.from_dict(item) for item in items]


async def ask_evidence(message: Message, data: dict[str, Any]) -> None:
    await message.answer(
        texts.ASK_EVIDENCE,
        reply_markup=kb.evidence(bool(evidence_of(data)), bool(data.get("editing"))),
    )


async def show_summary(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    data = await state.get_data()
    task = await svc.task_to_confirm(session, principal, data["task_id"])
    lines = [texts.evidence_line(i.kind, i.name, i.url, i.size) for i in evidence_of(data)]
    reason = data.get("reason")
    await state.set_state(ConfirmForm.summary)
    await message.answer(
        texts.SUMMARY.format(
            task=head(task),
            result=texts.RESULT_TITLES[data["result"]],
            reason=texts.SUMMARY_REASON.format(reason=texts.short(reason, 1000)) if reason else "",
            evidence=("\n" + "\n".join(lines)) if lines else texts.NOTHING,
            comment=texts.short(data.get("comment"), 2000) or texts.NOTHING,
        ),
        reply_markup=kb.summary(),
    )
