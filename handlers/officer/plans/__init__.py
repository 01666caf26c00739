"""Officer's plans: import a document, set missing dates, see plans and their progress."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from bot import texts
from bot.channels.telegram.callbacks.plans import (
    DueAction,
    DueCb,
    ImportAction,
    ImportCb,
    PlanAction,
    PlanCb,
)
from handlers.officer.plans import dates, importing, listing, preview
from handlers.officer.plans.form import PlanImport


def build_router() -> Router:
    """One router for the three features, in this order: /plans leaves a form first."""
    router = Router(name="officer.plans")
    router.message.register(listing.cmd_plans, Command("plans"))
    router.message.register(listing.cmd_plans, F.text == texts.BTN_PLANS)
    router.message.register(
        importing.on_document, F.document, StateFilter(None, *PlanImport.__states__)
    )
    on_preview = (PlanImport.preview,)
    router.callback_query.register(
        importing.on_confirm, *on_preview, ImportCb.filter(F.action == ImportAction.CONFIRM)
    )
    router.callback_query.register(
        importing.on_ask_period, *on_preview, ImportCb.filter(F.action == ImportAction.PERIOD)
    )
    router.callback_query.register(
        preview.on_executors, *on_preview, ImportCb.filter(F.action == ImportAction.EXECUTORS)
    )
    router.callback_query.register(
        preview.on_cycle, *on_preview, ImportCb.filter(F.action == ImportAction.CYCLE)
    )
    router.callback_query.register(
        preview.on_all, *on_preview, ImportCb.filter(F.action == ImportAction.ALL)
    )
    router.callback_query.register(
        preview.on_back_to_preview,
        *on_preview,
        ImportCb.filter(F.action == ImportAction.PREVIEW),
    )
    router.callback_query.register(
        importing.on_cancel_import,
        StateFilter(PlanImport.preview, PlanImport.period),
        ImportCb.filter(F.action == ImportAction.CANCEL),
    )
    router.callback_query.register(importing.on_stale_import, ImportCb.filter())
    router.message.register(importing.period_entered, PlanImport.period, F.text)
    router.message.register(importing.period_invalid, PlanImport.period)
    router.message.register(dates.due_entered, PlanImport.due, F.text)
    router.message.register(dates.due_invalid, PlanImport.due)
    router.callback_query.register(
        dates.on_skip_due, PlanImport.due, DueCb.filter(F.action == DueAction.SKIP)
    )
    router.callback_query.register(
        listing.on_plan_list, PlanCb.filter(F.action == PlanAction.LIST)
    )
    router.callback_query.register(
        listing.on_plan_open, PlanCb.filter(F.action == PlanAction.OPEN)
    )
    router.callback_query.register(
        dates.on_plan_dates, PlanCb.filter(F.action == PlanAction.DATES)
    )
    router.callback_query.register(
        listing.on_offsets, PlanCb.filter(F.action == PlanAction.OFFSETS)
    )
    router.callback_query.register(
        listing.on_set_offsets, PlanCb.filter(F.action == PlanAction.SET_OFFSETS)
    )
    return router
