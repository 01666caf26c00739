"""What officers and coordinators are told when a confirmation or a transfer changes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.domain.messages import Action, ActionKind, Button, OutgoingMessage, single
from bot.texts import confirmations as texts
from bot.texts.formatting import format_date

if TYPE_CHECKING:
    from bot.services.confirmations import ConfirmationView
    from bot.services.transfers import TransferView


def confirmation_submitted(view: ConfirmationView) -> OutgoingMessage:
    """To the officers: a new report waits for review, with the button that opens it."""
    text = texts.NEW_CONFIRMATION.format(
        org=texts.short(view.task.org_name, 120),
        title=texts.short(view.task.title, 300),
        result=texts.RESULT_TITLES[view.result.value],
        who=texts.short(view.submitted_by, 100),
    )
    return OutgoingMessage(text, single(texts.BTN_OPEN_REVIEW, ActionKind.OPEN_REVIEW, view.id))


def confirmation_accepted(view: ConfirmationView) -> OutgoingMessage:
    """To the school's coordinators: the task is closed."""
    return OutgoingMessage(texts.TOLD_ACCEPTED.format(title=texts.short(view.task.title, 300)))


def confirmation_returned(view: ConfirmationView) -> OutgoingMessage:
    """To the school's coordinators: the officer's comment and the way to report again."""
    text = texts.TOLD_RETURNED.format(
        title=texts.short(view.task.title, 300),
        comment=texts.short(view.review_comment, 2000),
    )
    return OutgoingMessage(
        text, single(texts.BTN_CONFIRM_AGAIN, ActionKind.CONFIRM_TASK, view.task.id)
    )


def transfer_requested(view: TransferView) -> OutgoingMessage:
    """To the officers: the request with the approve and decline buttons."""
    text = texts.transfer_request(
        view.task.org_name,
        view.task.title,
        view.old_due,
        view.new_due,
        view.reason,
        view.requested_by,
    )
    decision = (
        Button(texts.BTN_APPROVE, Action(ActionKind.APPROVE_TRANSFER, view.id)),
        Button(texts.BTN_DECLINE, Action(ActionKind.DECLINE_TRANSFER, view.id)),
    )
    return OutgoingMessage(text, (decision,))


def transfer_decided(view: TransferView, approved: bool) -> OutgoingMessage:
    """To the school's coordinators: the new deadline, or the old one that stays."""
    title = texts.short(view.task.title, 300)
    if approved:
        return OutgoingMessage(
            texts.TOLD_TRANSFER_APPROVED.format(title=title, date=format_date(view.new_due))
        )
    old = format_date(view.old_due) if view.old_due else texts.NO_DUE
    return OutgoingMessage(texts.TOLD_TRANSFER_DECLINED.format(title=title, date=old))
