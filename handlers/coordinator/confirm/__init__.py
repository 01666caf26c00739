"""Coordinator: confirming a task with evidence, and asking for a deadline transfer."""

from __future__ import annotations

from aiogram import Router

from handlers.coordinator.confirm import evidence, form, transfer


def build_router() -> Router:
    router = Router(name="coordinator.confirm")
    router.include_routers(form.build_router(), evidence.build_router(), transfer.build_router())
    return router
