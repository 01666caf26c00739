"""Texts of the hotline: the ticket form, the person's tickets, operators' cards and relays."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.enums import TicketKind, TicketStatus, TicketTopic
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
