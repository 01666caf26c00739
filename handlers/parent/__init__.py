"""Routers for parents and other hotline users."""

from __future__ import annotations

from aiogram import Router

from handlers.parent import school


def build_router() -> Router:
    router = Router(name="parent")
    router.include_router(school.build_router())
    return router
