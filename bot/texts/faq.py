"""Texts of the hotline's FAQ, /privacy and the hotline statistics."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.enums import TicketKind, TicketTopic
from bot.texts.formatting import plural

TOPIC_NAMES = {
    TicketTopic.VPR: "ВПР",
    TicketTopic.NIKO: "НИКО",
    TicketTopic.GIA: "ГИА",
    TicketTopic.REGIONAL: "Региональные мониторинги",
    TicketTopic.OTHER: "Другое",
}
KIND_NAMES = {
    TicketKind.QUESTION: "Вопросы",
    TicketKind.VIOLATION: "Сообщения о нарушениях",
}

# --- the officer's FAQ --------------------------------------------------------
BTN_FAQ_MANAGE = "✏️ Частые вопросы"
BTN_HOTLINE_STATS = "📈 Горячая линия"
BTN_FAQ_ADD = "➕ Добавить вопрос"
BTN_EDIT_TOPIC = "✏️ Тема"
BTN_EDIT_QUESTION = "✏️ Вопрос"
BTN_EDIT_ANSWER = "✏️ Ответ"
BTN_EDIT_KEYWORDS = "✏️ Ключевые слова"
BTN_UP = "⬆️ Выше"
BTN_DOWN = "⬇️ Ниже"
BTN_DELETE = "🗑 Удалить"
BTN_SAVE = "✅ Сохранить"
BTN_TO_LIST = "⬅️ К списку"
FAQ_CHOOSE_ORG = "Частые вопросы какой организации открыть?"
FAQ_ADMIN_LIST = (
    "<b>Частые вопросы</b>, {org}: {count}.\n"
    "Их видят родители, а бот предлагает их до отправки похожего вопроса. "
    "Нажмите на вопрос, чтобы изменить, переместить или удалить его."
)
FAQ_ADMIN_EMPTY = (
    "<b>Частые вопросы</b>, {org}: пока ни одного.\n"
    "Добавьте первый: его увидят родители, а бот предложит его до отправки похожего вопроса."
)
FAQ_ASK_TOPIC = "Выберите тему вопроса. /cancel — отмена."
FAQ_ASK_QUESTION = "Напишите вопрос так, как его задают родители (до {limit} символов)."
FAQ_ASK_ANSWER = "Напишите ответ (до {limit} символов)."
FAQ_ASK_KEYWORDS = (
    "Напишите через запятую слова, по которым бот узнает этот вопрос, например "
    "«оценки, баллы, итоги», или нажмите «Пропустить»."
)
FAQ_TEXT_INVALID = "Пришлите, пожалуйста, текст. /cancel — отмена."
FAQ_CARD = "<b>{question}</b>\n\n{answer}\n\nТема: {topic}\nКлючевые слова: {keywords}"
FAQ_PLACE = "\nМесто в списке: {place} из {count}"
FAQ_NO_KEYWORDS = "нет"
FAQ_PREVIEW = "Проверьте, как вопрос увидят родители:\n\n{card}"
FAQ_SAVED = "Вопрос добавлен."
FAQ_UPDATED = "Изменено."
FAQ_MOVED = "Порядок изменён."
FAQ_CONFIRM_DELETE = "Удалить вопрос «{question}»? Родители больше не увидят его."
FAQ_DELETED = "Вопрос «{question}» удалён."
FAQ_ASK_NEW = {
    "question": FAQ_ASK_QUESTION,
    "answer": FAQ_ASK_ANSWER,
    "keywords": "Напишите новые ключевые слова через запятую или «-», чтобы убрать их.",
}

# --- reading the FAQ ----------------------------------------------------------
BTN_FAQ = "❓ Частые вопросы"
BTN_TOPICS = "⬅️ К темам"
FAQ_TOPICS = "<b>Частые вопросы</b>. Выберите тему:"
FAQ_EMPTY = "Частых вопросов пока нет. Вы можете задать свой вопрос на горячую линию."
FAQ_TOPIC = "<b>{topic}</b>: {count}. Выберите вопрос:"
FAQ_ANSWER = "<b>{question}</b>\n\n{answer}"
TOPIC_BUTTON = "{topic} ({count})"

# --- /privacy -----------------------------------------------------------------
PRIVACY = (
    "<b>Ваши данные</b>\n\n"
    "<b>Что хранится:</b> имя, которое вы указали или которое видно в профиле мессенджера; "
    "номер вашего чата с ботом; школа, если вы её выбрали; тексты, фото и файлы ваших "
    "обращений и ответы на них.\n"
    "<b>Зачем:</b> чтобы передать вопрос специалистам управления образованием и прислать "
    "ответ в этот чат. Анонимное обращение операторы видят без имени и контактов.\n"
    "<b>Как долго:</b> пока вы пользуетесь ботом или пока не удалите данные кнопкой ниже. "
    "После удаления остаются только обезличенные сведения для статистики: тема, вид, школа "
    "и даты обращения.\n\n"
    "Горячая линия — это консультация, а не обращение гражданина по Федеральному закону "
    "от 02.05.2006 № 59-ФЗ «О порядке рассмотрения обращений граждан Российской Федерации». "
    "Официальное обращение направляйте через {appeal}."
)
PRIVACY_STAFF = (
    "\n\nВы зарегистрированы как сотрудник: вашу учётную запись удаляет специалист "
    "управления образованием, который вас пригласил."
)
PRIVACY_NOTHING = "\n\nО вас в боте пока ничего не хранится."
BTN_ERASE = "🗑 Удалить мои данные"
BTN_YES_ERASE = "Да, удалить"
BTN_KEEP = "Нет, оставить"
CONFIRM_ERASE = (
    "Удалить ваше имя, чат и тексты ваших обращений? Ответы на открытые вопросы больше "
    "не придут. Это нельзя отменить."
)
ERASED = (
    "Ваши данные удалены ({tickets} — в статистике без имени и текста). "
    "Чтобы снова пользоваться ботом, нажмите /start."
)
ERASE_KEPT = "Хорошо, данные не удалены."

# --- statistics ---------------------------------------------------------------
STATS_CHOOSE_ORG = "Статистику какой организации показать?"
STATS_PERIOD_BUTTON = "{days} дн."
STATS = (
    "<b>Горячая линия</b>, {org}\n"
    "{start} – {end}: {tickets}.\n\n"
    "<b>По темам</b>\n{topics}\n\n"
    "<b>По видам</b>\n{kinds}\n\n"
    "<b>По школам</b>\n{schools}\n\n"
    "Сейчас не закрыто: {open}, из них без ответа дольше срока: {overdue}.\n"
    "Первый ответ в среднем (медиана): {median}, отвечено: {answered}.\n"
    "Ответ нашли в частых вопросах: {deflections}."
)
STATS_LINE = "• {name}: {count}"
STATS_NONE = "—"
STATS_NO_SCHOOL = "Школа не указана"
STATS_MORE_SCHOOLS = "• и ещё {count}"
# The workbook's sheet.
SHEET_TITLE = "Горячая линия"
SHEET_HEADER = ("Показатель", "Значение")
SHEET_SCOPE = "Охват"
SHEET_PERIOD = "Период"
SHEET_TOTAL = "Обращений за период"
SHEET_TOPIC = "Тема: {name}"
SHEET_KIND = "Вид: {name}"
SHEET_SCHOOL = "Школа: {name}"
SHEET_OPEN = "Не закрыто сейчас"
SHEET_OVERDUE = "Без ответа дольше срока"
SHEET_ANSWERED = "Отвечено за период"
SHEET_MEDIAN = "Медиана времени до первого ответа, ч"
SHEET_DEFLECTIONS = "Ответ найден в частых вопросах"


def tickets(n: int) -> str:
    return plural(n, "обращение", "обращения", "обращений")


def duration(value: timedelta | None) -> str:
    """«2 ч 05 мин», «3 дн. 4 ч», «12 мин»; a dash for none."""
    if value is None:
        return STATS_NONE
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} дн. {hours} ч"
    if hours:
        return f"{hours} ч {minutes:02d} мин"
    return f"{minutes} мин"
