"""Reminder use cases: snoozing a reminder, and each user's reminder hour and quiet hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from bot.domain.errors import AccessDenied, NotFound, ValidationError
from bot.domain.messages import Lane, Ref, RefType
from bot.domain.reminders import OPEN_STATUSES, REMINDER_KINDS, Timing, snooze_row
from storage.repo import outbox as outbox_repo
from storage.repo import reminders as repo
from storage.repo import users as users_repo
from storage.repo.addresses import private_addresses

HOURS = range(24)
# Deliveries that failed this recently are tried again when the recipient comes back.
WELCOME_BACK_WINDOW = timedelta(days=7)


@dataclass(frozen=True)
class Snoozed:
    day: date
    hour: int
    created: bool


@dataclass(frozen=True)
class ReminderSettings:
    hour: int
    quiet_start: int
    quiet_end: int
    # The hour reminders really go at: the chosen one, or the end of the quiet hours it is in.
    send_hour: int


async def snooze(
    session: AsyncSession, user_id: int, task_id: int, now: datetime, settings: Settings
) -> Snoozed:
    """Queue a one-off reminder of the task for tomorrow morning, recipient-local."""
    if not await repo.user_may_see_task(session, user_id, task_id):
        raise AccessDenied()
    task = (await repo.task_infos(session, [task_id])).get(task_id)
    user = await users_repo.get_user(session, user_id)
    address = (await private_addresses(session, [user_id])).get(user_id)
    if task is None or user is None or address is None:
        raise NotFound()
    if task.status not in OPEN_STATUSES:
        raise ValidationError("task_closed")
    tz = (await repo.org_zones(session, [task.org_id], settings.default_timezone))[task.org_id]
    timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
    row = {
        **snooze_row(task_id, user_id, now, tz, timing),
        **outbox_repo.envelope(address, Lane.REMINDER, Ref(RefType.TASK, task_id)),
    }
    created = await outbox_repo.add_messages(session, [row]) > 0
    await session.commit()
    return Snoozed(date.fromisoformat(row["payload"]["date"]), timing.send_hour, created)


async def get_settings(
    session: AsyncSession, user_id: int, settings: Settings
) -> ReminderSettings:
    user = await users_repo.get_user(session, user_id)
    if user is None:
        raise NotFound()
    await session.refresh(user)
    timing = Timing.of(settings, user.reminder_hour, user.quiet_start, user.quiet_end)
    return ReminderSettings(timing.hour, timing.quiet_start, timing.quiet_end, timing.send_hour)


async def update_settings(
    session: AsyncSession,
    user_id: int,
    settings: Settings,
    *,
    hour: int | None = None,
    quiet: tuple[int, int] | None = None,
) -> ReminderSettings:
    """Store the user's hour or quiet hours and replan the reminders they receive."""
    values: dict[str, int] = {}
    if hour is not None:
        if hour not in HOURS:
            raise ValidationError("bad_hour")
        values["reminder_hour"] = hour
    if quiet is not None:
        if not all(h in HOURS for h in quiet):
            raise ValidationError("bad_hour")
        values["quiet_start"], values["quiet_end"] = quiet
    if values:
        await repo.set_user_settings(session, user_id, **values)
        await repo.unplan_tasks_of_orgs(session, await repo.role_org_ids(session, user_id))
        await session.commit()
    return await get_settings(session, user_id, settings)


async def executors_changed(
    session: AsyncSession, org_id: int, *, removed_user_id: int | None = None
) -> None:
    """Someone joined or left the organisation's executors: its reminders are planned anew.

    The caller commits.
    """
    if removed_user_id is not None:
        await repo.drop_recipient(session, removed_user_id, org_id)
    await repo.unplan_tasks_of_orgs(session, [org_id])


async def welcome_back(session: AsyncSession, user_id: int, now: datetime) -> None:
    """The user unblocked the bot: recent notices go out again and reminders are replanned.

    The caller commits.
    """
    await outbox_repo.reopen_failed_of_user(
        session, user_id, now - WELCOME_BACK_WINDOW, now, replanned_kinds=REMINDER_KINDS
    )
    await repo.unplan_tasks_of_orgs(session, await repo.role_org_ids(session, user_id))
