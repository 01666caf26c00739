"""Routers for hotline operators in private chat."""

from __future__ import annotations

from aiogram import Router

from handlers.operator import tickets


def build_router() -> Router:
    router = Router(name="operator")
    router.include_router(tickets.build_router())
    return router
