"""Texts of composing an announcement, the author's list of them, the acknowledgement table
and the school's volunteers screen."""

from __future__ import annotations

from html import escape as q

from bot.domain.enums import AnnouncementStatus, AudienceKind
from bot.texts.announcements import AUDIENCE_NAMES, RESPONSE_NAMES, STATUS_NAMES
from bot.texts.formatting import format_date, format_datetime, plural

BTN_ANNOUNCE = "📢 Объявление"
BTN_MY_ANNOUNCEMENTS = "📢 Мои объявления"
BTN_VOLUNTEERS = "🙋 Наблюдатели"

# composing
ASK_ORG = "📢 <b>Новое объявление.</b> От имени какой организации отправить?"
ASK_AUDIENCE = "📢 Объявление от «{org}». Кому отправить?"
ASK_ORGS = (
    "Выберите получателей: {what}. Нажимайте на названия, чтобы отметить; "
    "напишите часть названия, чтобы найти. Отмечено: {chosen}."
)
ASK_ORGS_FOUND = "Найдено по запросу «{query}»: {n}."
ASK_ORGS_NOTHING = "По запросу «{query}» ничего не нашлось. Напишите иначе или сбросьте поиск."
ORGS_NONE = "Ниже нет ни одного муниципалитета или школы — выберите другую аудиторию."
CHOOSE_AT_LEAST_ONE = "Отметьте хотя бы один муниципалитет или школу."
ORGS_WHAT = {
    AudienceKind.COORDINATORS_OF: "координаторы школ выбранных муниципалитетов и школ",
    AudienceKind.PARENTS_OF: "родители учеников выбранных школ и муниципалитетов",
}
ASK_TEXT = (
    "✍️ Напишите текст объявления одним сообщением (до {limit} символов). "
    "Жирный шрифт, курсив и ссылки сохранятся. /cancel — отмена."
)
ASK_TEXT_AGAIN = "✍️ Напишите новый текст объявления. Аудитория, файлы и кнопка останутся прежними."
TEXT_EXPECTED = "Нужен текст объявления — напишите его сообщением. /cancel — отмена."
ASK_FILES = (
    "📎 Приложите фото или документы, если нужно (до {limit}; альбом — одним сообщением). "
    "Затем нажмите «{done}». Без файлов — «{none}»."
)
FILES_ADDED = "Приложено файлов: {n}. Пришлите ещё или нажмите «{done}»."
FILES_TOO_MANY = "К объявлению можно приложить не больше {limit} файлов; лишние не добавлены."
FILES_EXPECTED = "Пришлите фото или документ, либо нажмите «{done}» или «{none}»."
ASK_RESPONSE = "Какую кнопку добавить к объявлению?"
ASK_EVENT = "На какую оценочную процедуру нужны общественные наблюдатели?"
NO_EVENTS = (
    "В школе нет предстоящих оценочных процедур. Добавьте их в /events или выберите другую кнопку."
)
NO_RECIPIENTS_COORDINATOR = (
    "В вашей школе пока нет зарегистрированных родителей — объявление некому отправить."
)
FORM_CANCELLED = "Объявление отменено, ничего не отправлено."

BTN_DONE = "✅ Готово"
BTN_NO_FILES = "Без файлов"
BTN_RESET_SEARCH = "🔎 Сбросить поиск"
BTN_RESPONSE_NONE = "Без кнопки"
BTN_RESPONSE_ACK = "✅ «Ознакомлен»"
BTN_RESPONSE_VOLUNTEER = "🙋 Призыв в общественные наблюдатели"
AUDIENCE_BUTTONS = {
    AudienceKind.COORDINATORS: "👥 Все координаторы школ",
    AudienceKind.COORDINATORS_OF: "🏫 Координаторы выбранных школ",
    AudienceKind.RISK_SCHOOLS: "⚠️ Школы из списка риска",
    AudienceKind.OFFICERS: "🏛 Специалисты органов управления",
    AudienceKind.OPERATORS: "☎️ Операторы горячей линии",
    AudienceKind.PARENTS_OF: "👪 Родители выбранных школ",
}
ORG_CHOSEN = "✅ {name}"
ORG_WITH_PLACE = "{name} ({place})"

# the preview
PREVIEW_CARD = (
    "👀 <b>Предпросмотр.</b> Выше — объявление так, как его увидят получатели.\n"
    "Аудитория: {audience}.\n"
    "Получателей: <b>{recipients}</b>. Заблокировали бота: {blocked} (им не придёт). "
    "Без чата с ботом: {unreachable}.\n"
    "Файлов: {files}. Ответ: {response}.{event}"
)
PREVIEW_EVENT = "\nПроцедура: {event}."
PREVIEW_BUTTON = "Это предпросмотр: у получателей кнопка будет работать."
BTN_SEND_NOW = "🚀 Отправить сейчас"
BTN_SCHEDULE = "🕘 Запланировать"
BTN_EDIT_TEXT = "✏️ Изменить текст"
BTN_EDIT_AUDIENCE = "👥 Изменить аудиторию"
BTN_DISCARD = "✖️ Отмена"
SENT = "🚀 Объявление № {id} поставлено в очередь. Ход рассылки — в следующем сообщении."
SCHEDULED = "🕘 Объявление № {id} запланировано на {at} ({tz})."
ASK_SCHEDULE = (
    "Когда отправить? Напишите местную дату и время ({tz}), например «{example}». "
    "/cancel — отмена."
)
SCHEDULE_BAD = "Не понял дату и время. Пример: «{example}»."
SCHEDULE_PAST = "Это время уже прошло ({tz}: сейчас {now}). Укажите более позднее."
SCHEDULE_EXAMPLE = "15.03.2026 09:00"
STALE_PREVIEW = "Этот предпросмотр устарел. Откройте последний или начните заново: /announce."
DISCARDED = "Объявление не отправлено."

# the author's list
MY_TITLE = "📢 <b>Мои объявления</b> ({total}). Страница {page} из {pages}:"
MY_EMPTY = "Вы ещё не отправляли объявлений. Новое — /announce."
MY_LINE = "\n№ {id} · {date} · {status} · {people}\n{excerpt}"
MY_BUTTON = "№ {id} · {excerpt}"
CARD = (
    "📢 <b>Объявление № {id}</b> от {date}\n{excerpt}\n\nОтвет: {response}.{event}\n\n{progress}"
)
BTN_TO_LIST = "⬅️ К списку"
BTN_REFRESH = "🔄 Обновить"

# the acknowledgement table
ACKS_XLSX_NAME = "oznakomlenie-{id}.xlsx"
ACKS_XLSX_CAPTION = "📊 Ознакомление с объявлением № {id}: {acked} из {total}."
ACKS_SHEET = "Ознакомление"
ACKS_HEADER = ("Муниципалитет", "Школа", "ФИО", "Ознакомлен")
ACKS_YES = "ознакомлен"
ACKS_NO = "нет"

# the school's volunteers
VOLUNTEER_EVENTS = "🙋 <b>Общественные наблюдатели.</b> Процедуры, на которые был призыв:"
VOLUNTEER_EVENT_LINE = "\n• {date} — {event}: {offers}, ждут решения: {undecided}"
VOLUNTEER_EVENTS_NONE = (
    "Призывов в общественные наблюдатели ещё не было. Отправьте объявление родителям "
    "с кнопкой наблюдателя: /announce."
)
VOLUNTEER_HINT = "\n\n✅ — подтвердить, ✖️ — отказать. Человеку придёт сообщение."
BTN_VOLUNTEER_EVENT = "{date} · {event}"
BTN_CONFIRM_VOLUNTEER = "✅ {name}"
BTN_DECLINE_VOLUNTEER = "✖️ {name}"
BTN_TO_EVENTS = "⬅️ К процедурам"


def short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def audience_name(kind: AudienceKind, chosen: int = 0) -> str:
    name = AUDIENCE_NAMES[kind]
    if chosen:
        name += f" ({plural(chosen, 'организация', 'организации', 'организаций')})"
    return name


def ask_orgs(kind: AudienceKind, chosen: int, query: str, found: int) -> str:
    text = ASK_ORGS.format(what=ORGS_WHAT[kind], chosen=chosen)
    if query and found:
        text += "\n" + ASK_ORGS_FOUND.format(query=q(query), n=found)
    elif query:
        text += "\n" + ASK_ORGS_NOTHING.format(query=q(query))
    return text


def preview_card(preview, audience: str, event: str | None) -> str:
    return PREVIEW_CARD.format(
        audience=audience,
        recipients=preview.recipients,
        blocked=preview.blocked,
        unreachable=preview.unreachable,
        files=len(preview.attachments),
        response=RESPONSE_NAMES[preview.response],
        event=PREVIEW_EVENT.format(event=q(event)) if event else "",
    )


def scheduled(announcement_id: int, at, tz: str) -> str:
    return SCHEDULED.format(id=announcement_id, at=format_datetime(at, tz), tz=tz)


def people(n: int) -> str:
    return plural(n, "получатель", "получателя", "получателей")


def my_list(page) -> str:
    if not page.items:
        return MY_EMPTY
    text = MY_TITLE.format(total=page.total, page=page.page + 1, pages=page.pages)
    for item in page.items:
        text += MY_LINE.format(
            id=item.id,
            date=format_date(item.created_at.date()),
            status=STATUS_NAMES[item.status],
            people=people(item.recipients),
            excerpt=q(item.excerpt),
        )
    return text


def card(card, progress_text: str) -> str:
    item = card.item
    return CARD.format(
        id=item.id,
        date=format_datetime(item.created_at, card.progress.timezone),
        excerpt=q(item.excerpt),
        response=RESPONSE_NAMES[card.response],
        event=PREVIEW_EVENT.format(event=q(card.event_label)) if card.event_label else "",
        progress=progress_text,
    )


def running(status: AnnouncementStatus) -> bool:
    return status in (AnnouncementStatus.SCHEDULED, AnnouncementStatus.SENDING)


def volunteer_events(items) -> str:
    if not items:
        return VOLUNTEER_EVENTS_NONE
    text = VOLUNTEER_EVENTS
    for item in items:
        text += VOLUNTEER_EVENT_LINE.format(
            date=format_date(item.date),
            event=q(item.label),
            offers=plural(item.volunteers, "отклик", "отклика", "откликов"),
            undecided=item.undecided,
        )
    return text
