"""Coordinator: the school's open tasks, nearest first, and a task card."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot import texts
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.channels.telegram.keyboards import PAGE_SIZE
from bot.channels.telegram.keyboards import plans as kb
from bot.domain.enums import TaskStatus
from bot.services import tasks
from bot.services.access import Principal
from bot.texts import plans as ptexts
from bot.texts.formatting import format_date


def build_router() -> Router:
    router = Router(name="coordinator.tasks")
    router.message.register(cmd_tasks, Command("tasks"))
    router.message.register(cmd_tasks, F.text == texts.BTN_MY_TASKS)
    router.callback_query.register(on_list, TaskCb.filter(F.action == TaskAction.LIST))
    router.callback_query.register(on_open, TaskCb.filter(F.action == TaskAction.OPEN))
    return router


def _due(item: tasks.TaskItem) -> str:
    return format_date(item.due, weekday=True) if item.due else ptexts.TASK_NO_DUE


async def render_tasks(session: AsyncSession, principal: Principal, page: int):
    org_ids = principal.executor_org_ids
    if not org_ids:
        return ptexts.NO_SCHOOL, None
    items, total = await tasks.list_open_tasks(session, org_ids, page, PAGE_SIZE)
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages:
        page = pages - 1
        items, total = await tasks.list_open_tasks(session, org_ids, page, PAGE_SIZE)
    if not total:
        return ptexts.TASKS_EMPTY, None
    lines = [ptexts.TASKS_HEAD.format(count=total)]
    for item in items:
        status = "" if item.status == TaskStatus.OPEN else f" — {ptexts.STATUS_NAMES[item.status]}"
        lines.append(
            ptexts.TASK_LINE.format(
                due=_due(item),
                number=texts.q(item.number),
                title=texts.q(item.title[:150]),
                text=texts.q(item.deadline_text[:80]),
                status=status,
            )
        )
    lines.append(texts.PAGE.format(page=page + 1, pages=pages))
    buttons = [
        (item.id, f"{format_date(item.due) if item.due else '—'} {item.number} {item.title}")
        for item in items
    ]
    return "\n".join(lines), kb.task_list(buttons, page, pages)


async def cmd_tasks(
    message: Message, state: FSMContext, session: AsyncSession, principal: Principal
) -> None:
    await state.clear()
    text, markup = await render_tasks(session, principal, 0)
    await message.answer(text, reply_markup=markup)


async def on_list(
    callback: CallbackQuery, callback_data: TaskCb, session: AsyncSession, principal: Principal
) -> None:
    text, markup = await render_tasks(session, principal, callback_data.page)
    await callback.answer()
    await callback.message.edit_text(text, reply_markup=markup)


def render_card(item: tasks.TaskItem) -> str:
    return ptexts.TASK_CARD.format(
        number=texts.q(item.number),
        title=texts.q(item.title[:1500]),
        section=ptexts.TASK_CARD_SECTION.format(section=texts.q(item.section[:300]))
        if item.section
        else "",
        org=texts.q(item.org_name),
        due=_due(item),
        start=ptexts.TASK_CARD_START.format(start=format_date(item.start)) if item.start else "",
        text=texts.q(item.deadline_text),
        status=ptexts.STATUS_NAMES[item.status],
        result=ptexts.TASK_CARD_RESULT.format(result=texts.q(item.result[:800]))
        if item.result
        else "",
    )


async def on_open(
    callback: CallbackQuery, callback_data: TaskCb, session: AsyncSession, principal: Principal
) -> None:
    item = await tasks.get_task(session, principal, callback_data.task_id)
    actionable = item.status in (TaskStatus.OPEN, TaskStatus.RETURNED)
    await callback.answer()
    await callback.message.edit_text(
        render_card(item), reply_markup=kb.task_card(item.id, callback_data.page, actionable)
    )
