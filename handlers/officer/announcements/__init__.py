"""Announcements of officers and coordinators: the form (/announce), its preview and
sending, the author's list (/announcements), and the school's volunteers (/volunteers)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from bot.channels.telegram.callbacks.announce_form import (
    ComposeCb,
    ComposeStep,
    DraftAction,
    DraftCb,
    MineAction,
    MineCb,
    VolunteerAction,
    VolunteerCb,
)
from bot.channels.telegram.callbacks.announcements import AnnouncementAction, AnnouncementCb
from bot.texts import announce_form as texts
from handlers.officer.announcements import audience, compose, draft, mine, volunteers
from handlers.officer.announcements.form import AnnounceForm


def _step(step: ComposeStep):
    return ComposeCb.filter(F.step == step)


def build_router() -> Router:
    """For officers and coordinators."""
    router = Router(name="announcements.form")
    router.message.register(audience.cmd_announce, Command("announce"))
    router.message.register(audience.cmd_announce, F.text == texts.BTN_ANNOUNCE)
    router.message.register(mine.cmd_announcements, Command("announcements"))
    router.message.register(mine.cmd_announcements, F.text == texts.BTN_MY_ANNOUNCEMENTS)

    callbacks = router.callback_query
    form = AnnounceForm
    callbacks.register(
        compose.on_cancel, StateFilter(*form.__all_states__), _step(ComposeStep.CANCEL)
    )
    callbacks.register(audience.on_org, form.org, _step(ComposeStep.ORG))
    callbacks.register(audience.on_kind, form.audience, _step(ComposeStep.KIND))
    callbacks.register(audience.on_toggle, form.orgs, _step(ComposeStep.TOGGLE))
    callbacks.register(audience.on_page, form.orgs, _step(ComposeStep.PAGE))
    callbacks.register(audience.on_reset, form.orgs, _step(ComposeStep.RESET))
    callbacks.register(audience.on_orgs_done, form.orgs, _step(ComposeStep.ORGS_DONE))
    callbacks.register(compose.on_files_done, form.files, _step(ComposeStep.FILES_DONE))
    callbacks.register(compose.on_files_done, form.files, _step(ComposeStep.NO_FILES))
    callbacks.register(compose.on_response, form.response, _step(ComposeStep.RESPONSE))
    callbacks.register(compose.on_event, form.event, _step(ComposeStep.EVENT))

    router.message.register(audience.orgs_query_entered, form.orgs, F.text)
    router.message.register(compose.text_entered, form.text, F.text)
    router.message.register(compose.text_invalid, form.text)
    router.message.register(compose.files_entered, form.files, F.photo | F.document)
    router.message.register(compose.files_invalid, form.files)
    router.message.register(draft.schedule_entered, form.schedule, F.text)
    router.message.register(draft.schedule_invalid, form.schedule)
    for step in (form.org, form.audience, form.orgs, form.response, form.event, form.preview):
        router.message.register(compose.step_invalid, step)

    # The preview's buttons work whatever the form is doing: they name their draft.
    actions = {
        DraftAction.SEND: draft.on_send,
        DraftAction.SCHEDULE: draft.on_schedule,
        DraftAction.EDIT_TEXT: draft.on_edit_text,
        DraftAction.EDIT_AUDIENCE: draft.on_edit_audience,
        DraftAction.DISCARD: draft.on_discard,
        DraftAction.PREVIEW_BUTTON: draft.on_preview_button,
    }
    for action, handler in actions.items():
        callbacks.register(handler, DraftCb.filter(F.action == action))
    callbacks.register(mine.on_page, MineCb.filter(F.action == MineAction.PAGE))
    callbacks.register(mine.on_open, MineCb.filter(F.action == MineAction.OPEN))
    callbacks.register(
        mine.on_acks_xlsx, AnnouncementCb.filter(F.action == AnnouncementAction.ACKS_XLSX)
    )
    return router


def build_volunteers_router() -> Router:
    """For coordinators: their school's volunteers."""
    router = Router(name="announcements.volunteers")
    router.message.register(volunteers.cmd_volunteers, Command("volunteers"))
    router.message.register(volunteers.cmd_volunteers, F.text == texts.BTN_VOLUNTEERS)
    callbacks = router.callback_query
    callbacks.register(
        volunteers.on_events, VolunteerCb.filter(F.action == VolunteerAction.EVENTS)
    )
    callbacks.register(volunteers.on_event, VolunteerCb.filter(F.action == VolunteerAction.EVENT))
    callbacks.register(
        volunteers.on_decide,
        VolunteerCb.filter(F.action.in_({VolunteerAction.CONFIRM, VolunteerAction.DECLINE})),
    )
    return router
