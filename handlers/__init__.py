"""Router assembly: role filters, order, and the catch-all last."""

from __future__ import annotations

from aiogram import Router

from bot.channels.telegram.filters import HasRole
from bot.domain.enums import RoleKind
from handlers import announcements, common, errors, fallback, parent, reminders, settings
from handlers.coordinator import confirm as coordinator_confirm
from handlers.coordinator import events as coordinator_events
from handlers.coordinator import tasks as coordinator_tasks
from handlers.officer import announcements as officer_announcements
from handlers.officer import faq as officer_faq
from handlers.officer import hotline_settings as officer_hotline_settings
from handlers.officer import hotline_stats as officer_hotline_stats
from handlers.officer import invites as officer_invites
from handlers.officer import measures as officer_measures
from handlers.officer import orgs as officer_orgs
from handlers.officer import plans as officer_plans
from handlers.officer import reports as officer_reports
from handlers.officer import review as officer_review
from handlers.operator import build_forum_router
from handlers.operator import build_router as build_operator_router
from handlers.parent import faq as parent_faq
from handlers.parent import privacy as parent_privacy


def _for_role(role: RoleKind | tuple[RoleKind, ...], *routers: Router) -> Router:
    roles = role if isinstance(role, tuple) else (role,)
    scoped = Router(name="role." + "+".join(r.value for r in roles))
    scoped.message.filter(HasRole(*roles))
    scoped.callback_query.filter(HasRole(*roles))
    scoped.include_routers(*routers)
    return scoped


def build_routers() -> list[Router]:
    """Fresh routers for one dispatcher (a router can be attached only once)."""
    return [
        errors.build_router(),
        # Group chats get only the forum's handlers: no menu or form answers there.
        build_forum_router(),
        # /cancel in the hotline settings forms goes back to the card, not to the menu.
        _for_role(RoleKind.OFFICER, officer_hotline_settings.build_cancel_router()),
        common.build_router(),
        # Anyone an announcement reached may answer it; its author may stop or follow it up.
        announcements.build_router(),
        # Anyone may read the FAQ and /privacy, registered or not.
        parent_privacy.build_router(),
        parent_faq.build_router(),
        _for_role(RoleKind.PARENT, parent.build_router()),
        _for_role(
            RoleKind.OFFICER,
            officer_orgs.build_router(),
            officer_invites.build_router(),
            officer_review.build_router(),
            officer_reports.build_router(),
            officer_plans.build_router(),
            officer_measures.build_router(),
            officer_faq.build_router(),
            officer_hotline_stats.build_router(),
            officer_hotline_settings.build_router(),
        ),
        # Officers carry out their own office's tasks, so they share the executor screens.
        _for_role(
            (RoleKind.COORDINATOR, RoleKind.OFFICER),
            coordinator_confirm.build_router(),
            coordinator_tasks.build_router(),
            reminders.build_router(),
            officer_announcements.build_router(),
        ),
        _for_role(
            RoleKind.COORDINATOR,
            coordinator_events.build_router(),
            officer_announcements.build_volunteers_router(),
        ),
        _for_role((RoleKind.OPERATOR, RoleKind.OFFICER), build_operator_router()),
        parent.build_hotline_router(),
        settings.build_router(),
        fallback.build_router(),
    ]
