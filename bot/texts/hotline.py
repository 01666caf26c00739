"""Texts of the hotline: the ticket form, the person's tickets, operators' cards and relays."""

from __future__ import annotations

from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.domain.enums import TicketKind, TicketStatus, TicketTopic
from bot.domain.hotline import ticket_number
from bot.texts.formatting import WEEKDAYS, plural

KIND_NAMES = {TicketKind.QUESTION: "вопрос", TicketKind.VIOLATION: "сообщение о нарушении"}
TOPIC_NAMES = {
    TicketTopic.VPR: "ВПР",
    TicketTopic.NIKO: "НИКО",
    TicketTopic.GIA: "ГИА",
    TicketTopic.REGIONAL: "региональные мониторинги",
    TicketTopic.OTHER: "другое",
}
STATUS_NAMES = {
    TicketStatus.NEW: "новое",
    TicketStatus.IN_PROGRESS: "в работе",
    TicketStatus.ANSWERED: "отвечено",
    TicketStatus.CLOSED: "закрыто",
}
STATUS_ICONS = {
    TicketStatus.NEW: "🆕",
    TicketStatus.IN_PROGRESS: "🛠",
    TicketStatus.ANSWERED: "✅",
    TicketStatus.CLOSED: "📁",
}
ANONYMOUS = "Аноним"
OPERATOR_LABEL = "Специалист"
YOU_LABEL = "Вы"
ERASED_LABEL = "Данные удалены"
NO_SCHOOL = "школа не указана"

# --- errors -------------------------------------------------------------------
BANNED = (
    "Вы больше не можете писать на горячую линию: специалисты ограничили доступ. "
    "Официальное обращение можно направить через сайт или Госуслуги управления образования."
)
TOO_FAST = "Слишком много сообщений за минуту. Подождите немного и отправьте ещё раз."
NO_ORG = "Горячая линия пока не настроена: в реестре нет ни одной организации."
TICKET_EMPTY = "Напишите, пожалуйста, ваш вопрос текстом или пришлите файл."
TICKET_CLOSED_ALREADY = "Это обращение уже закрыто."
TICKET_NOT_CLOSED = "Это обращение не закрыто."
ALREADY_VIOLATION = "Это обращение уже отмечено как сообщение о нарушении."
NOT_AN_OPERATOR = "Этот человек не отвечает на обращения этой организации."
AUTHOR_GONE = "Автор обращения удалил свои данные."
ALREADY_BANNED = "Автор этого обращения уже заблокирован."
NOT_BANNED = "Автор этого обращения не заблокирован."

# --- buttons --------------------------------------------------------------------
BTN_ASK = "✍️ Задать вопрос"
BTN_MY_TICKETS = "📨 Мои обращения"
BTN_TICKETS = "📨 Обращения"
BTN_ANSWER = "✍️ Ответить"
BTN_TAKE = "🙋 Взять себе"
BTN_CLOSE = "📁 Закрыть"
BTN_REOPEN = "↩️ Открыть снова"
BTN_HAND_OVER = "👥 Передать"
BTN_VIOLATION = "⚠️ Это нарушение"
BTN_BAN = "🚫 Заблокировать автора"
BTN_UNBAN = "✅ Разблокировать автора"
BTN_OPEN = "Открыть {number}"
BTN_FOLLOW_UP = "✍️ Уточнить"
BTN_SOLVED = "✅ Вопрос решён"
BTN_SEND = "📨 Отправить"
BTN_EDIT_TEXT = "✏️ Изменить текст"
BTN_EDIT_SCHOOL = "🏫 Изменить школу"
BTN_EDIT_ANONYMITY = "🕶 Изменить анонимность"
BTN_DONT_KNOW = "Не знаю / не о школе"
BTN_ANONYMOUS = "🕶 Анонимно"
BTN_NAMED = "👤 С моим именем"
BTN_FAQ_HELPED = "✅ Это ответ на мой вопрос"
BTN_FAQ_NOT_IT = "Нет, отправить вопрос"
BTN_DONE_FILES = "Готово"


def number_label(number: str) -> str:
    return f"Обращение {number}"


def local_time(value: datetime, tz: str) -> str:
    """«15.03.2024 (пт) 09:00» in the organisation's zone."""
    local = value.astimezone(ZoneInfo(tz))
    return f"{local:%d.%m.%Y} ({WEEKDAYS[local.weekday()]}) {local:%H:%M}"


def hours(n: int) -> str:
    return plural(n, "рабочий час", "рабочих часа", "рабочих часов")


def days(n: int) -> str:
    return plural(n, "рабочий день", "рабочих дня", "рабочих дней")


def tickets_count(n: int) -> str:
    return plural(n, "обращение", "обращения", "обращений")


q = escape
NAMELESS = "Без имени"
BTN_MORE = "📋 Подробнее"
LABEL_KIND = "Тип"
LABEL_TOPIC = "Тема"
LABEL_SCHOOL = "Школа"
LABEL_ORG = "Отвечает"
LABEL_AUTHOR = "Автор"
LABEL_CREATED = "Поступило"
LABEL_STATUS = "Состояние"
LABEL_ASSIGNEE = "Взял"
LABEL_ANSWER_DUE = "Ответить до"
AUTHOR_BLOCKED = "⚠️ Автор заблокировал бота: ответ до него не дойдёт."
AUTHOR_BANNED = "🚫 Автор заблокирован на горячей линии."
RELAY_NEW = "📨 Новое обращение"
RELAY_MORE = "✉️ Новое сообщение по обращению"
RELAY_EDITED = "✏️ Сообщение по обращению {number} изменено:"
PERSON_ANSWER = "💬 Ответ на обращение {number}:"
NO_TEXT = "<i>(без текста)</i>"


def author_text(ticket) -> str:
    """«Аноним», or the name with the @username for a named ticket."""
    if ticket.anonymous:
        return ANONYMOUS
    name = q(ticket.author_label)
    return f"{name} ({q(ticket.author_contact)})" if ticket.author_contact else name


def operator_relay(title: str, ticket, body: str) -> str:
    """The person's message as operators get it; ``body`` is already HTML."""
    school = q(ticket.school_name) if ticket.school_name else NO_SCHOOL
    head = (
        f"{title} <b>{ticket.number}</b>\n"
        f"{KIND_NAMES[ticket.kind].capitalize()} · {TOPIC_NAMES[ticket.topic]} · {school}\n"
        f"{LABEL_AUTHOR}: {author_text(ticket)}"
    )
    if ticket.author_blocked:
        head += "\n" + AUTHOR_BLOCKED
    if ticket.answer_due is not None:
        head += f"\n{LABEL_ANSWER_DUE}: {local_time(ticket.answer_due, ticket.timezone)}"
    return f"{head}\n\n{body or NO_TEXT}"


def person_relay(number: str, body: str) -> str:
    return f"{PERSON_ANSWER.format(number=number)}\n\n{body or NO_TEXT}"


def edited_relay(number: str, body: str) -> str:
    return f"{RELAY_EDITED.format(number=number)}\n\n{body or NO_TEXT}"


VIOLATION_NOTICE = (
    "⚠️ <b>Сообщение о нарушении</b> {number}\n{kind} · {topic} · {school}\nОтвечает: {org}"
)
ALBUM_MORE = "📎 Ещё файлы к обращению {number}"
SOLVED_NOTICE = "✅ Автор закрыл обращение {number}: вопрос решён."


def number_of(ticket_id: int) -> str:
    return ticket_number(ticket_id)


def violation_notice(ticket) -> str:
    return VIOLATION_NOTICE.format(
        number=ticket.number,
        kind=KIND_NAMES[ticket.kind].capitalize(),
        topic=TOPIC_NAMES[ticket.topic],
        school=q(ticket.school_name) if ticket.school_name else NO_SCHOOL,
        org=q(ticket.org_name),
    )


def album_more(number: str) -> str:
    return ALBUM_MORE.format(number=number)


def solved_notice(number: str) -> str:
    return SOLVED_NOTICE.format(number=number)


HANDED_OVER = "👥 Вам передано обращение {number}{by}.\n{kind} · {topic} · {school}"
CLOSED_NOTICE = (
    "📁 Обращение {number} закрыто. Если вопрос остался, нажмите «Уточнить» — "
    "обращение откроется снова."
)


def handed_over(ticket, from_name: str) -> str:
    return HANDED_OVER.format(
        number=ticket.number,
        by=f" от {q(from_name)}" if from_name else "",
        kind=KIND_NAMES[ticket.kind].capitalize(),
        topic=TOPIC_NAMES[ticket.topic],
        school=q(ticket.school_name) if ticket.school_name else NO_SCHOOL,
    )


def closed_notice(number: str) -> str:
    return CLOSED_NOTICE.format(number=number)


REMINDER = (
    "⏰ Обращение {number} ждёт ответа больше {hours}.\n{kind} · {topic} · {school}\n"
    "Ожидает с {since}."
)
ESCALATION = (
    "🔺 Обращение {number} без ответа больше {days} — передаём вам для контроля.\n"
    "{kind} · {topic} · {school}\nОтвечает: {org}\nОжидает с {since}."
)


def _summary(ticket) -> dict[str, str]:
    return {
        "number": ticket.number,
        "kind": KIND_NAMES[ticket.kind].capitalize(),
        "topic": TOPIC_NAMES[ticket.topic],
        "school": q(ticket.school_name) if ticket.school_name else NO_SCHOOL,
        "org": q(ticket.org_name),
        "since": local_time(ticket.waiting_since or ticket.created_at, ticket.timezone),
    }


def reminder(ticket, answer_hours: int) -> str:
    hours_text = plural(answer_hours, "рабочего часа", "рабочих часов", "рабочих часов")
    return REMINDER.format(hours=hours_text, **_summary(ticket))


def escalation(ticket, escalate_days: int) -> str:
    days_text = plural(escalate_days, "рабочего дня", "рабочих дней", "рабочих дней")
    return ESCALATION.format(days=days_text, **_summary(ticket))


BTN_INVITE_OPERATOR = "🔗 Пригласить оператора горячей линии"
