"""Texts of reminders, officers' digests and reminder settings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

from bot.texts.formatting import days_left_text, format_date, plural

MESSAGE_LIMIT = 4096
TITLE_LIMIT = 300
LIST_LIMIT = 15

BTN_CONFIRM = "✅ Отметить выполнение"
BTN_SNOOZE = "⏰ Напомнить завтра"
BTN_ALL_TASKS = "📋 Все мои задачи"
BTN_CONFIRM_N = "✅ {n}"
BTN_SNOOZE_N = "⏰ {n}"

REMINDER_TITLE = {
    "before": "⏰ <b>Напоминание о сроке</b>",
    "due": "⏰ <b>Срок сегодня</b>",
    "overdue": "⚠️ <b>Срок прошёл</b>",
    "checkin": "🗓 <b>Промежуточная отметка</b>",
    "snooze": "⏰ <b>Напоминание</b>",
}
GROUP_TITLE = "⏰ <b>Напоминание: {count}</b>"
GROUP_MORE = "…и ещё {more}. Все задачи — по кнопке ниже."
CHECKIN_NOTE = "Мероприятие выполняется постоянно: отметьте, что сделано за месяц."
TASK_TITLE = "<b>{title}</b>"
TASK_SOURCE = "{plan}{number}"
TASK_DUE = "Срок: {due} ({deadline}) — {left}"
TASK_DUE_PLAIN = "Срок: {due} — {left}"

SNOOZED = "Хорошо, напомню {date} в {hour:02d}:00."
SNOOZE_ALREADY = "Напоминание на {date} уже запланировано."
SNOOZE_TASK_CLOSED = "Эта задача уже не в работе — напоминать не нужно."

DIGEST_TITLE = "⚠️ <b>Просроченные задачи на {date}</b>: {count}"
DIGEST_SCHOOL = "\n<b>{name}</b> — {count}"
DIGEST_LINE = "• {title} — срок {due}, {late}"
DIGEST_MORE = "\n…и ещё {more}. Подробно — в «📊 Отчёты»."
WEEKLY_TITLE = "📊 <b>Итоги недели {start} – {end}</b>"
WEEKLY_WEEK = "Выполнено за неделю: {done}\nСрок на предстоящей неделе ({start} – {end}): {due}"
WEEKLY_MORE = "…и ещё {more}. Подробно — в «📊 Отчёты»."

SETTINGS = (
    "⚙️ <b>Настройки напоминаний</b>\n\n"
    "{when}\n"
    "Тихие часы: {quiet}.\n\n"
    "Выберите час напоминаний или тихие часы:"
)
SETTINGS_HOUR = "Напоминания приходят в {hour:02d}:00 по местному времени."
SETTINGS_HOUR_MOVED = (
    "Напоминания приходят в {send:02d}:00 по местному времени: выбранный час {hour:02d}:00 "
    "попадает в тихие часы, и напоминания ждут их окончания."
)
QUIET_RANGE = "с {start:02d}:00 до {end:02d}:00"
QUIET_NONE = "нет"
SETTINGS_SAVED = "Сохранено."
BTN_HOUR = "{hour:02d}:00"
BTN_HOUR_CURRENT = "• {hour:02d}:00 •"
BTN_QUIET = "🌙 {start:02d}–{end:02d}"
BTN_QUIET_CURRENT = "• 🌙 {start:02d}–{end:02d} •"
BTN_QUIET_OFF = "🔔 Без тихих часов"
QUIET_PRESETS = ((21, 8), (22, 7), (20, 9), (0, 0))


@dataclass(frozen=True)
class ReminderItem:
    """One task as a reminder shows it."""

    task_id: int
    kind: str
    title: str
    plan: str
    number: str
    deadline_text: str
    due: date
    days_left: int


def _short(text: str, limit: int = TITLE_LIMIT) -> str:
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def tasks_word(n: int) -> str:
    return plural(n, "задача", "задачи", "задач")


def _item_lines(item: ReminderItem, number: int | None = None) -> list[str]:
    title = TASK_TITLE.format(title=_short(item.title))
    if number is not None:
        title = f"{number}. {title}"
    point = f", п. {_short(item.number, 20)}" if item.number else ""
    due = format_date(item.due, weekday=True)
    left = days_left_text(item.days_left)
    deadline = _short(item.deadline_text, 120)
    when = (
        TASK_DUE.format(due=due, deadline=deadline, left=left)
        if deadline
        else TASK_DUE_PLAIN.format(due=due, left=left)
    )
    lines = [title, TASK_SOURCE.format(plan=_short(item.plan, 120), number=point), when]
    if item.kind == "checkin":
        lines.append(CHECKIN_NOTE)
    return lines


def reminder(items: Sequence[ReminderItem]) -> str:
    """One reminder message for one or several tasks."""
    if len(items) == 1:
        return "\n".join(
            [REMINDER_TITLE.get(items[0].kind, REMINDER_TITLE["snooze"]), ""]
            + _item_lines(items[0])
        )
    parts = [GROUP_TITLE.format(count=tasks_word(len(items)))]
    shown = 0
    for number, item in enumerate(items[:LIST_LIMIT], 1):
        block = "\n".join(_item_lines(item, number))
        if len("\n\n".join([*parts, block])) + 80 > MESSAGE_LIMIT:
            break
        parts.append(block)
        shown += 1
    if shown < len(items):
        parts.append(GROUP_MORE.format(more=tasks_word(len(items) - shown)))
    return "\n\n".join(parts)


@dataclass(frozen=True)
class OverdueLine:
    school_id: int
    school: str
    title: str
    due: date
    days_late: int


def digest(lines: Sequence[OverdueLine], today: date, limit: int = 40) -> str:
    """The morning digest of an officer: overdue tasks grouped by school (lines sorted so)."""
    per_school = Counter(line.school_id for line in lines)
    text = DIGEST_TITLE.format(date=format_date(today), count=tasks_word(len(lines)))
    shown, school = 0, None
    for line in lines[:limit]:
        chunk = ""
        if line.school_id != school:
            name = _short(line.school, 150)
            chunk += "\n" + DIGEST_SCHOOL.format(
                name=name, count=tasks_word(per_school[line.school_id])
            )
        late = "просрочено на " + plural(line.days_late, "день", "дня", "дней")
        due = format_date(line.due)
        chunk += "\n" + DIGEST_LINE.format(title=_short(line.title, 150), due=due, late=late)
        if len(text) + len(chunk) + 80 > MESSAGE_LIMIT:
            break
        text += chunk
        shown, school = shown + 1, line.school_id
    if shown < len(lines):
        text += DIGEST_MORE.format(more=tasks_word(len(lines) - shown))
    return text


def weekly_head(week: tuple[date, date], done: int, coming: tuple[date, date], due: int) -> str:
    """The digest's title naming the past week, and its done and coming due counts."""
    return "\n".join(
        [
            WEEKLY_TITLE.format(start=format_date(week[0]), end=format_date(week[1])),
            WEEKLY_WEEK.format(
                done=tasks_word(done),
                start=format_date(coming[0]),
                end=format_date(coming[1]),
                due=tasks_word(due),
            ),
        ]
    )


def weekly_room(head: str, count: int) -> int:
    """The length each of ``count`` report summaries may take for the digest to fit."""
    return (MESSAGE_LIMIT - _units(head) - 2 * count) // max(count, 1)


def weekly(head: str, summaries: Sequence[str]) -> str:
    """The Monday digest: the head, then a report summary per organisation while they fit."""
    text = head
    for shown, summary in enumerate(summaries):
        more = len(summaries) - shown - 1
        reserve = _units(WEEKLY_MORE) + 40 if more else 0
        if _units(text) + 2 + _units(summary) + reserve > MESSAGE_LIMIT:
            rest = plural(len(summaries) - shown, "организация", "организации", "организаций")
            return text + "\n\n" + WEEKLY_MORE.format(more=rest)
        text += "\n\n" + summary
    return text


def _units(text: str) -> int:
    # Telegram counts message length in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2


def settings_text(
    hour: int, quiet_start: int, quiet_end: int, send_hour: int | None = None
) -> str:
    """The settings message; ``send_hour`` is when reminders really go, if not at ``hour``."""
    quiet = (
        QUIET_NONE
        if quiet_start == quiet_end
        else QUIET_RANGE.format(start=quiet_start, end=quiet_end)
    )
    when = (
        SETTINGS_HOUR.format(hour=hour)
        if send_hour is None or send_hour == hour
        else SETTINGS_HOUR_MOVED.format(send=send_hour, hour=hour)
    )
    return SETTINGS.format(when=when, quiet=quiet)
