"""The plan import form: its states and what it keeps between steps."""

from __future__ import annotations

import io
import json
from datetime import date

from aiogram import Bot
from aiogram.fsm.state import State, StatesGroup

from bot.domain.plans.deadlines import PlanPeriod
from bot.domain.plans.executors import ExecutorLevel
from bot.domain.plans.models import ParsedPlan
from bot.services import plans

# The read plan rides in the form's JSON up to this size; a bigger one is downloaded and
# read again at each step instead of bloating every write of the form.
PLAN_IN_FORM_MAX = 1024 * 1024


class PlanImport(StatesGroup):
    """Preview and period before the import, then the dates of undated measures.

    One group, so that the state names kept in the FSM storage stay what they were.
    """

    preview = State()
    period = State()
    due = State()


async def download(bot: Bot, file_id: str) -> bytes:
    buffer = await bot.download(file_id, destination=io.BytesIO())
    return buffer.getvalue()


def keep_plan(data: dict, parsed: ParsedPlan) -> None:
    """Put the read plan into the form data, when it is small enough to travel there."""
    packed = parsed.to_dict()
    if len(json.dumps(packed, ensure_ascii=False).encode()) <= PLAN_IN_FORM_MAX:
        data["plan"] = packed
    else:
        data.pop("plan", None)


async def plan_of(bot: Bot, data: dict) -> ParsedPlan:
    """The plan the form is about: from the form data, or read from the file again."""
    if data.get("plan") is not None:
        return ParsedPlan.from_dict(data["plan"])
    return plans.read_plan(await download(bot, data["file_id"]), data["file_name"])


def period_of(data: dict) -> PlanPeriod | None:
    if not data.get("period"):
        return None
    start, end = data["period"]
    return PlanPeriod(date.fromisoformat(start), date.fromisoformat(end))


def overrides_of(data: dict) -> dict[int, ExecutorLevel]:
    return {int(pos): ExecutorLevel(level) for pos, level in data.get("overrides", {}).items()}


async def preview_of(bot: Bot, data: dict) -> plans.PlanPreview:
    """The preview with the period and the executors the officer chose so far."""
    preview = plans.preview_parsed(await plan_of(bot, data), period_of(data))
    return preview.with_executors(overrides_of(data))
