"""Routers for hotline operators: private chat, and the forum chat of a hotline."""

from __future__ import annotations

from aiogram import Router

from handlers.operator import forum, tickets


def build_router() -> Router:
    router = Router(name="operator")
    router.include_router(tickets.build_router())
    return router


def build_forum_router() -> Router:
    """Every message in a group chat: the hotline's forum, or nothing."""
    return forum.build_router()
