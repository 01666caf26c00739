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


def header_card(ticket) -> str:
    """The ticket's card for operators; never a name for an anonymous ticket."""
    school = q(ticket.school_name) if ticket.school_name else NO_SCHOOL
    lines = [
        f"{STATUS_ICONS[ticket.status]} <b>{number_label(ticket.number)}</b>",
        f"{LABEL_KIND}: {KIND_NAMES[ticket.kind]}",
        f"{LABEL_TOPIC}: {TOPIC_NAMES[ticket.topic]}",
        f"{LABEL_SCHOOL}: {school}",
        f"{LABEL_ORG}: {q(ticket.org_name)}",
        f"{LABEL_AUTHOR}: {author_text(ticket)}",
        f"{LABEL_CREATED}: {local_time(ticket.created_at, ticket.timezone)}",
        f"{LABEL_STATUS}: {STATUS_NAMES[ticket.status]}",
    ]
    if ticket.assignee_name:
        lines.append(f"{LABEL_ASSIGNEE}: {q(ticket.assignee_name)}")
    if ticket.answer_due is not None:
        lines.append(f"{LABEL_ANSWER_DUE}: {local_time(ticket.answer_due, ticket.timezone)}")
    if ticket.author_blocked:
        lines.append(AUTHOR_BLOCKED)
    if ticket.author_banned:
        lines.append(AUTHOR_BANNED)
    return "\n".join(lines)


# Telegram takes 4096 characters in a message; the conversation is cut from the start.
CARD_LIMIT = 3800


def conversation(messages) -> str:
    """The latest messages of a ticket that fit, oldest first; texts are already HTML."""
    parts: list[str] = []
    size = 0
    for item in reversed(messages):
        files = f" 📎{len(item.attachments)}" if item.attachments else ""
        edited = " (изменено)" if item.edited_at else ""
        part = f"<b>{q(item.author_label)}</b>{files}{edited}:\n{item.text or NO_TEXT}"
        if size + len(part) > CARD_LIMIT and parts:
            parts.append("…")
            break
        if len(part) > CARD_LIMIT:
            part = f"<b>{q(item.author_label)}</b>: {LONG_MESSAGE}"
        parts.append(part)
        size += len(part)
    return "\n\n".join(reversed(parts))


def card_text(ticket) -> str:
    body = conversation(ticket.messages)
    return f"{header_card(ticket)}\n\n{body}" if body else header_card(ticket)


def queue_text(page) -> str:
    lines = [QUEUE_TITLE.format(count=tickets_count(page.total))]
    for t in page.items:
        school = q(t.school_name) if t.school_name else NO_SCHOOL
        due = f", до {local_time(t.answer_due, t.timezone)}" if t.answer_due else ""
        lines.append(
            f"{STATUS_ICONS[t.status]} {t.number} · {TOPIC_NAMES[t.topic]} · {school}{due}"
        )
    if page.pages > 1:
        lines.append(f"Страница {page.page + 1} из {page.pages}")
    return "\n".join(lines)


def my_list_text(page) -> str:
    lines = [MY_TITLE]
    for t in page.items:
        lines.append(
            f"{STATUS_ICONS[t.status]} {t.number} · {KIND_NAMES[t.kind]} · "
            f"{TOPIC_NAMES[t.topic]} — {STATUS_NAMES[t.status]}"
        )
    if page.pages > 1:
        lines.append(f"Страница {page.page + 1} из {page.pages}")
    return "\n".join(lines)


def my_ticket_text(ticket) -> str:
    school = q(ticket.school_name) if ticket.school_name else NO_SCHOOL
    head = (
        f"{STATUS_ICONS[ticket.status]} <b>{number_label(ticket.number)}</b> — "
        f"{STATUS_NAMES[ticket.status]}\n"
        f"{KIND_NAMES[ticket.kind].capitalize()} · {TOPIC_NAMES[ticket.topic]} · {school}"
    )
    if ticket.answer_due is not None:
        head += f"\n{ANSWER_EXPECTED.format(at=local_time(ticket.answer_due, ticket.timezone))}"
    body = conversation(ticket.messages)
    return f"{head}\n\n{body}" if body else head


def receipt_text(receipt) -> str:
    lines = [RECEIVED.format(number=receipt.ticket.number)]
    if receipt.answer_due is not None:
        lines.append(ANSWER_EXPECTED.format(at=local_time(receipt.answer_due, receipt.timezone)))
    if not receipt.open_now:
        if receipt.opens_at is not None:
            lines.append(CLOSED_NOW.format(at=local_time(receipt.opens_at, receipt.timezone)))
        else:
            lines.append(CLOSED_FOR_NOW)
    lines.append(RECEIVED_FOOTER)
    return "\n".join(lines)


LONG_MESSAGE = "<i>(длинное сообщение — полностью в переписке)</i>"
QUEUE_EMPTY = "Открытых обращений нет."
QUEUE_TITLE = "📨 Открытые обращения: {count}"
MY_TITLE = "📨 Ваши обращения:"
MY_EMPTY = "У вас пока нет обращений. Чтобы задать вопрос, нажмите «Задать вопрос»."
ASK_ANSWER = (
    "Напишите ответ на обращение {number}: текст, фото или документ. "
    "Он будет отправлен автору от имени горячей линии. /cancel — отмена."
)
ANSWER_SENT = "Ответ отправлен автору обращения."
ANSWER_INVALID = "Пришлите ответ текстом, фото или документом. /cancel — отмена."
TAKEN = "Обращение теперь ваше."
NO_HANDOVER = "Других операторов в этой организации нет."
CHOOSE_HANDOVER = "Кому передать обращение?"
HANDED = "Обращение передано."
CLOSED = "Обращение закрыто."
REOPENED = "Обращение открыто снова."
MARKED = "Отмечено как нарушение; специалисты управления уведомлены."
CONFIRM_BAN = (
    "Заблокировать автора обращения {number}? Он больше не сможет писать на горячую линию."
)
BTN_YES_BAN = "Да, заблокировать"
BANNED_DONE = "Автор заблокирован."
UNBANNED_DONE = "Автор разблокирован."
RECEIVED = "✅ Обращение <b>{number}</b> принято."
ANSWER_EXPECTED = "Ответ ожидается до {at} (по времени управления образования)."
CLOSED_NOW = "Сейчас специалисты не работают; они начнут отвечать {at}."
CLOSED_FOR_NOW = "Сейчас горячая линия не работает; специалисты ответят, когда она откроется."
RECEIVED_FOOTER = "Ответ придёт в этот чат. Ваши обращения — в «Мои обращения»."
ASK_KIND = "✍️ <b>Вопрос на горячую линию</b>\nЧто вы хотите отправить?"
ASK_TOPIC = "Выберите тему:"
ASK_SCHOOL = (
    "О какой школе речь? Напишите часть её названия или номер — или нажмите «{dont_know}»."
)
SCHOOL_NOT_FOUND = "Школа «{query}» не найдена. Напишите иначе или нажмите «{dont_know}»."
SCHOOL_CHOOSE = "Выберите школу:"
ASK_ANONYMITY = "Отправить анонимно? Тогда специалисты не увидят ни вашего имени, ни аккаунта."
ASK_ANONYMITY_VIOLATION = (
    "Сообщения о нарушениях рекомендуем отправлять анонимно: специалисты не увидят "
    "ни вашего имени, ни аккаунта."
)
ASK_TEXT = (
    "Опишите вопрос одним сообщением. Можно приложить фото, документы или голосовое "
    "сообщение; затем нажмите «{done}»."
)
ADDED = "Добавлено. Пришлите ещё или нажмите «{done}»."
TEXT_INVALID = "Пришлите текст, фото, документ или голосовое сообщение."
STICKER = "Стикеры и анимации не передаются специалистам — опишите, пожалуйста, словами."
# What the bot cannot copy to the other side is passed on in words.
DESCRIBED = "<i>[{what}]</i>"
DESCRIBE_STICKER = "стикер {emoji}"
DESCRIBE_ANIMATION = "GIF-анимация"
DESCRIBE_VIDEO_NOTE = "видеосообщение (кружок), {seconds} с"
DESCRIBE_LOCATION = "геопозиция: {latitude:.5f}, {longitude:.5f}"
DESCRIBE_VENUE = "место: {title}, {address}"
DESCRIBE_CONTACT = "контакт: {name}, {phone}"
DESCRIBE_POLL = "опрос «{question}»: {options}"
DESCRIBE_DICE = "{emoji} (выпало {value})"


def described(what: str) -> str:
    """Words in place of what could not be copied; ``what`` is already escaped."""
    return DESCRIBED.format(what=what)


SUMMARY = (
    "<b>Проверьте обращение</b>\n{kind} · {topic}\nШкола: {school}\n{anonymity}\n"
    "Файлов: {files}\n\n{text}"
)
SUMMARY_ANONYMOUS = "🕶 Анонимно"
SUMMARY_NAMED = "👤 С вашим именем"
FAQ_TITLE = "\n\n<b>Возможно, ответ уже есть:</b>"
FAQ_HELPED = "Рады, что ответ нашёлся! Если появятся вопросы — пишите."
FORM_CANCELLED = "Обращение не отправлено."
FORM_STALE = "Эта форма уже закрыта. Начните заново: «Задать вопрос»."
FOLLOW_UP_ASK = (
    "Напишите, что добавить к обращению {number}: текст, фото, документ или голосовое. "
    "/cancel — выйти."
)
FOLLOW_UP_SENT = "Добавлено к обращению {number}. Можно написать ещё или нажать /cancel."
SOLVED_DONE = "Спасибо! Обращение {number} закрыто."
