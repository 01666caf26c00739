"""Keyboards of plan import, plan cards, coordinators' tasks and assessment events."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot import texts
from bot.channels.telegram.callbacks.plans import (
    DueAction,
    DueCb,
    EventAction,
    EventCb,
    ImportAction,
    ImportCb,
    MeasureAction,
    MeasureCb,
    PlanAction,
    PlanCb,
)
from bot.channels.telegram.callbacks.tasks import TaskAction, TaskCb
from bot.channels.telegram.keyboards import add_pager
from bot.domain.plans.executors import ExecutorLevel
from bot.texts import plans as ptexts


def _row(builder: InlineKeyboardBuilder, text: str, data) -> None:
    builder.row(InlineKeyboardButton(text=text, callback_data=data.pack()))


def import_preview() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _row(builder, ptexts.BTN_IMPORT, ImportCb(action=ImportAction.CONFIRM))
    builder.row(
        InlineKeyboardButton(
            text=ptexts.BTN_PERIOD, callback_data=ImportCb(action=ImportAction.PERIOD).pack()
        ),
        InlineKeyboardButton(
            text=ptexts.BTN_EXECUTORS, callback_data=ImportCb(action=ImportAction.EXECUTORS).pack()
        ),
    )
    _row(builder, texts.BTN_CANCEL, ImportCb(action=ImportAction.CANCEL))
    return builder.as_markup()


def import_cancel() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _row(builder, texts.BTN_CANCEL, ImportCb(action=ImportAction.CANCEL))
    return builder.as_markup()


def executor_list(
    items: Sequence[tuple[int, str, str, str]], page: int, pages: int
) -> InlineKeyboardMarkup:
    """One button per measure cycling its executor level, and a row to set it for all."""
    builder = InlineKeyboardBuilder()
    for position, number, title, level in items:
        label = ptexts.EXECUTOR_BUTTON.format(
            number=number, title=title[:30], level=ptexts.EXECUTOR_SHORT[level]
        )
        _row(builder, label, ImportCb(action=ImportAction.CYCLE, position=position, page=page))
    add_pager(builder, page, pages, lambda p: ImportCb(action=ImportAction.EXECUTORS, page=p))
    builder.row(
        *(
            InlineKeyboardButton(
                text=ptexts.BTN_ALL.format(name=ptexts.EXECUTOR_SHORT[level]),
                callback_data=ImportCb(
                    action=ImportAction.ALL, level=level.value, page=page
                ).pack(),
            )
            for level in ExecutorLevel
        ),
        width=2,
    )
    _row(builder, ptexts.BTN_TO_PREVIEW, ImportCb(action=ImportAction.PREVIEW))
    return builder.as_markup()


def due_skip(measure_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _row(builder, ptexts.BTN_SKIP, DueCb(action=DueAction.SKIP, measure_id=measure_id))
    return builder.as_markup()


def plan_list(items: Sequence[tuple[int, str]], page: int, pages: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for plan_id, label in items:
        _row(builder, label[:64], PlanCb(action=PlanAction.OPEN, plan_id=plan_id))
    add_pager(builder, page, pages, lambda p: PlanCb(action=PlanAction.LIST, page=p))
    return builder.as_markup()


def plan_card(
    plan_id: int,
    page: int,
    pages: int,
    undated: int,
    measures: Sequence[tuple[int, str]] = (),
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    buttons = [
        InlineKeyboardButton(
            text=ptexts.MEASURE_BUTTON.format(number=number or "—")[:32],
            callback_data=MeasureCb(
                action=MeasureAction.OPEN, measure_id=measure_id, page=page
            ).pack(),
        )
        for measure_id, number in measures
    ]
    for start in range(0, len(buttons), 4):
        builder.row(*buttons[start : start + 4])
    add_pager(
        builder, page, pages, lambda p: PlanCb(action=PlanAction.OPEN, plan_id=plan_id, page=p)
    )
    if undated:
        _row(
            builder,
            ptexts.BTN_SET_DATES.format(count=undated),
            PlanCb(action=PlanAction.DATES, plan_id=plan_id),
        )
    _row(builder, ptexts.BTN_OFFSETS, PlanCb(action=PlanAction.OFFSETS, plan_id=plan_id))
    _row(builder, ptexts.BTN_PLANS_BACK, PlanCb(action=PlanAction.LIST))
    return builder.as_markup()


def offset_presets(plan_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, preset in enumerate(ptexts.OFFSET_PRESETS):
        _row(
            builder,
            ptexts.offsets_text(preset),
            PlanCb(action=PlanAction.SET_OFFSETS, plan_id=plan_id, preset=index),
        )
    _row(builder, ptexts.BTN_BACK_TO_PLAN, PlanCb(action=PlanAction.OPEN, plan_id=plan_id))
    return builder.as_markup()


def measure_card(measure_id: int, plan_id: int, page: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _row(
        builder,
        ptexts.BTN_EDIT_DEADLINE,
        MeasureCb(action=MeasureAction.EDIT, measure_id=measure_id, page=page),
    )
    _row(
        builder,
        ptexts.BTN_BACK_TO_PLAN_PAGE,
        PlanCb(action=PlanAction.OPEN, plan_id=plan_id, page=page),
    )
    return builder.as_markup()


def task_list(items: Sequence[tuple[int, str]], page: int, pages: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for task_id, label in items:
        _row(builder, label[:64], TaskCb(action=TaskAction.OPEN, task_id=task_id, page=page))
    add_pager(builder, page, pages, lambda p: TaskCb(action=TaskAction.LIST, page=p))
    return builder.as_markup()


def task_card(task_id: int, page: int, actionable: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if actionable:
        _row(builder, ptexts.BTN_CONFIRM_TASK, TaskCb(action=TaskAction.CONFIRM, task_id=task_id))
        _row(
            builder, ptexts.BTN_TRANSFER_TASK, TaskCb(action=TaskAction.TRANSFER, task_id=task_id)
        )
    _row(builder, ptexts.BTN_TASKS_BACK, TaskCb(action=TaskAction.LIST, page=page))
    return builder.as_markup()


def events_menu(items: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for event_id, label in items:
        _row(
            builder,
            ptexts.BTN_DELETE_EVENT.format(text=label[:50]),
            EventCb(action=EventAction.ASK_DELETE, event_id=event_id),
        )
    builder.row(
        InlineKeyboardButton(
            text=ptexts.BTN_ADD_EVENT, callback_data=EventCb(action=EventAction.ADD).pack()
        ),
        InlineKeyboardButton(
            text=ptexts.BTN_EVENTS_CSV, callback_data=EventCb(action=EventAction.CSV).pack()
        ),
    )
    return builder.as_markup()


def event_kinds() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in ptexts.EVENT_KINDS:
        builder.button(text=kind, callback_data=EventCb(action=EventAction.KIND, kind=kind))
    builder.adjust(2)
    return builder.as_markup()


def confirm_event_delete(event_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=ptexts.BTN_YES_DELETE,
        callback_data=EventCb(action=EventAction.DELETE, event_id=event_id),
    )
    builder.button(text=texts.BTN_CANCEL, callback_data=EventCb(action=EventAction.LIST))
    return builder.as_markup()
