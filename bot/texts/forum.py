"""Texts of the hotline's forum chat: topic titles, cards, and the binding commands."""

from __future__ import annotations

from html import escape as q

from bot.domain.enums import TicketKind, TicketStatus
from bot.texts.hotline import STATUS_NAMES, TOPIC_NAMES, conversation

# Telegram cuts a topic's name at 128 characters.
TITLE_LIMIT = 128
VIOLATION_MARK = "⚠️ нарушение"

FORUM_NOT_FORUM = (
    "Здесь нельзя вести горячую линию: нужна супергруппа с включёнными темами. "
    "Включите темы в настройках группы и отправьте /hotline_here ещё раз."
)
FORUM_NO_RIGHTS = (
    "Сделайте бота администратором группы с правом «Управление темами» и отправьте "
    "/hotline_here ещё раз."
)
FORUM_TAKEN = "Эта группа уже принимает обращения другой организации."
FORUM_NOT_BOUND = "Эта группа не принимает обращения горячей линии."
NOT_OFFICER_HERE = (
    "Подключить группу к горячей линии может специалист управления образования, "
    "зарегистрированный в боте."
)
CHOOSE_ORG = "Обращения какой организации принимать в этой группе?"
BOUND = (
    "✅ Группа подключена к горячей линии: <b>{org}</b>.\n"
    "Каждое новое обращение станет отдельной темой. Напишите в теме — ответ получит автор "
    "обращения. Команды в теме: /take — взять себе, /close — закрыть, /reopen — открыть "
    "снова, /violation — это нарушение.\n"
    "Отключить: /hotline_off."
)
UNBOUND = (
    "Группа отключена от горячей линии: <b>{org}</b>. Обращения снова приходят операторам в "
    "личные сообщения."
)
NOT_OPERATOR = (
    "Ответ не отправлен: вы не оператор горячей линии этой организации. Попросите "
    "приглашение оператора у специалиста управления образования."
)
HISTORY = "🗂 <b>Переписка по обращению до этой темы:</b>\n\n{body}"
TAKEN = "🙋 Обращение взял(а): {name}"
CLOSED = "📁 Обращение закрыто{by}."
REOPENED = "↩️ Обращение открыто снова{by}."
ANSWERED = "💬 Ответ{by} отправлен автору:\n\n{body}"
HANDED_OVER = "👥 Обращение передано: {name}"
VIOLATION = "⚠️ Обращение отмечено как сообщение о нарушении{by}."
UNKNOWN_COMMAND = "В теме обращения работают команды /take, /close, /reopen и /violation."


def title(number: str, kind: TicketKind, topic, status: TicketStatus) -> str:
    """«№ 000123 · ВПР · новое»; a violation report says so first. Never a name."""
    parts = [number]
    if kind == TicketKind.VIOLATION:
        parts.append(VIOLATION_MARK)
    parts += [TOPIC_NAMES[topic], STATUS_NAMES[status]]
    return " · ".join(parts)[:TITLE_LIMIT]


def bound(org: str) -> str:
    return BOUND.format(org=q(org))


def unbound(org: str) -> str:
    return UNBOUND.format(org=q(org))


def _by(name: str | None) -> str:
    return f" ({q(name)})" if name else ""


def answered(name: str | None, body: str) -> str:
    """An answer given outside the topic; ``body`` is already HTML."""
    return ANSWERED.format(by=_by(name), body=body)


def taken(name: str) -> str:
    return TAKEN.format(name=q(name))


def handed_over(name: str) -> str:
    return HANDED_OVER.format(name=q(name))


def closed(name: str | None) -> str:
    return CLOSED.format(by=_by(name))


def reopened(name: str | None) -> str:
    return REOPENED.format(by=_by(name))


def violation(name: str | None) -> str:
    return VIOLATION.format(by=_by(name))


def history(messages) -> str:
    return HISTORY.format(body=conversation(messages))


# The topic icon of each state, as an emoji of Telegram's topic icon set.
ICONS = {
    TicketStatus.NEW.value: "❓",
    TicketStatus.IN_PROGRESS.value: "🔥",
    TicketStatus.ANSWERED.value: "💡",
    TicketStatus.CLOSED.value: "✅",
    "violation": "❗️",
}
