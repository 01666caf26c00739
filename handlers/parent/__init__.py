"""Routers for parents and other hotline users."""

from __future__ import annotations

from aiogram import Router

from handlers.parent import ask, school, tickets


def build_router() -> Router:
    router = Router(name="parent")
    router.include_router(school.build_router())
    return router


def build_hotline_router() -> Router:
    """The ticket form and «Мои обращения»: open to anyone registered or not."""
    router = Router(name="hotline.person")
    router.include_routers(ask.build_router(), tickets.build_router())
    return router
