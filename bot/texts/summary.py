"""Telegram HTML texts of a report: the summary and the overdue list."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from babel.numbers import format_decimal

from bot.domain.reports import OrgProgress, Report, TaskLine, TaskState
from bot.texts.formatting import format_date, plural

MESSAGE_LIMIT = 4096
# Room for the «…и ещё N …» line, so it never pushes a message over the limit.
TAIL_RESERVE = 64
NAME_LIMIT = 120
MEASURE_LIMIT = 200
# Organisations per list in chat; beyond that the XLSX report is the better read.
CHAT_LIMIT = 40

SUMMARY_ORGS = "<b>По организациям</b> (сначала с просрочкой):"
SUMMARY_MUNICIPALITIES = "<b>Итоги по муниципалитетам</b> (задачи управления и его школ):"
NO_ORGS = "Организаций в отчёте нет."
MORE_IN_XLSX = " — все они есть в отчёте XLSX"
OVERDUE_TITLE = "<b>Просроченные задачи</b>"
NO_OVERDUE = "Просроченных задач нет."
CLOSED_TITLE = "Снято с контроля"
REVIEW_NOTE = {
    TaskState.ON_REVIEW: " · на проверке",
    TaskState.RETURNED: " · возвращено на доработку",
}
# Replaces «Готовлю отчёт…» in chat when a file report could not be built.
PREPARING_FAILED = "⚠️ Не удалось подготовить отчёт. Попробуйте ещё раз чуть позже."


def render_summary(
    report: Report, limit: int | None = 30, max_length: int | None = MESSAGE_LIMIT
) -> str:
    """Return the report summary, worst first: municipal subtotals, then organisations.

    ``limit`` caps the lines of each list and ``max_length`` the whole text (Telegram's
    message limit by default); None lifts either, as the console does.
    """
    head, sections = _summary(report, limit)
    text = head
    for n, (title, blocks, total, tail) in enumerate(sections):
        room = max_length
        if max_length is not None and n + 1 < len(sections):
            # Keep room for the next list's title and «…и ещё» line after this one.
            room = max_length - _units(sections[n + 1][0]) - 2 - TAIL_RESERVE
        text = _fit(text + "\n\n" + title, blocks, total, tail, room)
    return text


def render_summary_parts(
    report: Report, limit: int | None = CHAT_LIMIT, max_length: int = MESSAGE_LIMIT
) -> list[str]:
    """The summary for chat split into messages of at most ``max_length``.

    Each list shows up to ``limit`` organisations, worst first; the rest are counted in the
    last line, since the XLSX report lists every one.
    """
    head, sections = _summary(report, limit)
    units = [head]
    for title, blocks, total, tail in sections:
        first, *rest = blocks or [""]
        # A list's title never ends a message without the first line under it.
        units += ["\n" + title + "\n" + first, *rest]
        if len(blocks) < total:
            units.append(tail(total - len(blocks)) + MORE_IN_XLSX)
    parts = [units[0]]
    for unit in units[1:]:
        if _units(parts[-1]) + 1 + _units(unit) > max_length:
            parts.append(unit.lstrip("\n"))
        else:
            parts[-1] += "\n" + unit
    return parts


def _summary(
    report: Report, limit: int | None
) -> tuple[str, list[tuple[str, list[str], int, Callable[[int], str]]]]:
    """The summary's head and its lists: (title, blocks shown, how many in all, tail)."""
    totals = report.totals
    head = [
        *_heading(report),
        "",
        "Всего: " + plural(totals.total, "задача", "задачи", "задач"),
        _counts(totals),
        *([f"{CLOSED_TITLE}: {_closed(totals)}"] if totals.closed else []),
        "Исполнительская дисциплина: " + _discipline(totals),
    ]
    if not report.orgs:
        return "\n".join([*head, "", NO_ORGS]), []
    sections = []
    if report.municipalities:
        munis = sorted(report.municipalities, key=_worst_first)
        sections.append(
            (
                SUMMARY_MUNICIPALITIES,
                [_org_block(m) for m in munis[:limit]],
                len(munis),
                lambda n: (
                    "…и ещё " + plural(n, "муниципалитет", "муниципалитета", "муниципалитетов")
                ),
            )
        )
    orgs = sorted(report.orgs, key=_worst_first)
    sections.append(
        (
            SUMMARY_ORGS,
            [_org_block(org) for org in orgs[:limit]],
            len(orgs),
            lambda n: "…и ещё " + plural(n, "организация", "организации", "организаций"),
        )
    )
    return "\n".join(head), sections


def render_overdue(
    report: Report, limit: int | None = 30, max_length: int | None = MESSAGE_LIMIT
) -> str:
    """Return the overdue tasks, most overdue first; ``limit`` and ``max_length`` as above."""
    tasks = report.overdue
    if not tasks:
        return "\n".join([OVERDUE_TITLE, *_heading(report), "", NO_OVERDUE])
    head = [
        f"{OVERDUE_TITLE}: " + plural(len(tasks), "задача", "задачи", "задач"),
        *_heading(report),
    ]
    return _fit(
        "\n".join(head),
        ["\n" + _task_lines(task) for task in tasks[:limit]],
        len(tasks),
        lambda n: "\n…и ещё " + plural(n, "задача", "задачи", "задач"),
        max_length,
    )


def _heading(report: Report) -> list[str]:
    moment = report.generated_at
    lines = [f"<b>{_short(report.title, NAME_LIMIT)}</b>"]
    if report.scope:
        lines.append(_short(report.scope, NAME_LIMIT))
    lines.append(f"Сформирован {format_date(moment.date())} в {moment:%H:%M}")
    return lines


def _counts(org: OrgProgress) -> str:
    return (
        f"выполнено {org.done} · на проверке {org.on_review} · "
        f"в работе {org.open} · просрочено {org.overdue}"
    )


def _closed(org: OrgProgress) -> str:
    """«не выполнено 1 · частично 2», only the parts that occur."""
    parts = (("не выполнено", org.closed_not_done), ("частично", org.closed_partial))
    return " · ".join(f"{title} {count}" for title, count in parts if count)


def _discipline(org: OrgProgress) -> str:
    if org.discipline is None:
        return "сроки ещё не наступили"
    return f"{_percent(org.discipline)} ({org.done_on_time} из {org.due} в срок)"


def _org_block(org: OrgProgress) -> str:
    """Three short lines a phone shows without wrapping much, after an empty one."""
    name = f"<b>{_short(org.name, NAME_LIMIT)}</b>"
    if org.parent:
        name += f" ({_short(org.parent, NAME_LIMIT)})"
    discipline = (
        "сроки ещё не наступили"
        if org.discipline is None
        else f"дисциплина {_percent(org.discipline)} ({org.done_on_time} из {org.due})"
    )
    lines = [
        f"\n• {name}: {plural(org.total, 'задача', 'задачи', 'задач')}",
        f"выполнено {org.done} · на проверке {org.on_review} · в работе {org.open}",
        f"просрочено {org.overdue} · {discipline}",
    ]
    if org.closed:
        lines.append(f"{CLOSED_TITLE.lower()}: {_closed(org)}")
    return "\n".join(lines)


def _task_lines(task: TaskLine) -> str:
    org = f"<b>{_short(task.org, NAME_LIMIT)}</b>"
    if task.parent:
        org += f" ({_short(task.parent, NAME_LIMIT)})"
    point = f"п. {_short(task.number, 20)} " if task.number else ""
    due = format_date(task.due, weekday=True) if task.due else ""
    deadline = _short(task.deadline_text, NAME_LIMIT)
    when = f"{due} ({deadline})" if due and deadline else due or deadline
    late = "просрочено на " + plural(task.overdue_days, "день", "дня", "дней")
    return (
        f"• {org}\n"
        f"{_short(task.plan, NAME_LIMIT)}, {point}{_short(task.measure, MEASURE_LIMIT)}\n"
        f"Срок: {when}, {late}{REVIEW_NOTE.get(task.state, '')}"
    )


def _fit(
    text: str, lines: list[str], total: int, tail: Callable[[int], str], max_length: int | None
) -> str:
    """Append the lines that fit in ``max_length``, then «…и ещё N» for the rest."""
    shown = 0
    for line in lines:
        if max_length is not None and _units(text) + 1 + _units(line) + TAIL_RESERVE > max_length:
            break
        text += "\n" + line
        shown += 1
    if shown < total:
        text += "\n" + tail(total - shown)
    return text


def _worst_first(org: OrgProgress) -> tuple[int, float, str]:
    discipline = 101.0 if org.discipline is None else org.discipline
    return (-org.overdue, discipline, org.name)


def _percent(value: float) -> str:
    return format_decimal(round(value, 1), format="0.#", locale="ru") + "\u00a0%"


def _short(text: str, limit: int) -> str:
    # Cut before escaping, so an entity like &amp; is never split.
    text = " ".join(text.split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def _units(text: str) -> int:
    # Telegram counts message length in UTF-16 code units.
    return len(text.encode("utf-16-le")) // 2
