"""Texts of confirming tasks, officers' review and deadline transfers."""

from __future__ import annotations

from datetime import date
from html import escape

from bot.texts.formatting import format_date, format_datetime, plural

RESULT_TITLES = {
    "done": "выполнено",
    "partial": "выполнено частично",
    "not_done": "не выполнено",
}
BTN_RESULT = {
    "done": "✅ Выполнено",
    "partial": "◐ Выполнено частично",
    "not_done": "✖️ Не выполнено",
}
BTN_EVIDENCE_DONE = "Готово ➡️"
BTN_NO_EVIDENCE = "Без вложений ➡️"
BTN_CLEAR_EVIDENCE = "🗑 Убрать все вложения"
BTN_NO_COMMENT = "Без комментария"
BTN_SEND = "📨 Отправить"
BTN_EDIT = "✏️ Изменить"
BTN_CANCEL = "✖️ Отмена"
BTN_EDIT_RESULT = "Статус"
BTN_EDIT_EVIDENCE = "Вложения"
BTN_EDIT_COMMENT = "Комментарий"
BTN_BACK_TO_SUMMARY = "⬅️ К сводке"

TASK_HEAD = "<b>{title}</b>\n{org} · {plan}{number}\nСрок: {due}"
NO_DUE = "не установлен"
ASK_RESULT = "📝 <b>Отметка о выполнении</b>\n\n{task}\n\nКак выполнено мероприятие?"
ASK_REASON = (
    "Вы выбрали «{result}». Напишите причину одним сообщением: что мешает и что уже сделано."
)
ASK_RESULT_AGAIN = "Как выполнено мероприятие?"
REASON_INVALID = "Напишите причину текстом (до 1000 символов)."
ASK_EVIDENCE = (
    "Пришлите подтверждения: документы (PDF, DOCX, XLSX…), фотографии (можно альбомом), "
    "видео файлом (MP4, MOV) или ссылки на публикации на сайте.\n"
    "Файл — не больше 20 МБ; большой файл выложите в облако и пришлите ссылку.\n"
    "Когда всё отправлено, нажмите «Готово»."
)
EVIDENCE_ADDED = "📎 Добавлено: {what}. Всего вложений: {total}."
ALBUM_ADDED = "📎 Добавлен альбом: {photos}. Всего вложений: {total}."
LINKS_ADDED = "🔗 {links}. Всего вложений: {total}."
EVIDENCE_CLEARED = "Вложения убраны. Пришлите новые или нажмите «Готово»."
FILE_TOO_BIG = (
    "Файл «{name}» больше 20 МБ: бот не может принять такой файл (ограничение Telegram). "
    "Выложите его в облако или на сайт школы и пришлите ссылку."
)
UNSUPPORTED = (
    "Такое вложение не подходит. Принимаются документы, фотографии и ссылки. "
    "Видео MP4 или MOV до 20 МБ пришлите файлом («Отправить как файл»), "
    "большое — ссылкой."
)
ACCEPTED_TYPES = (
    "PDF, DOC, DOCX, ODT, RTF, TXT, таблицы XLS, XLSX, ODS, CSV, "
    "изображения JPG и PNG, архивы ZIP, RAR и 7Z, видео MP4 и MOV"
)
BAD_DOCUMENT_TYPE = (
    "Файл «{name}» не принят: такой тип файла не подходит для подтверждения. "
    "Принимаются {types}. Добавленные раньше вложения сохранены, всего их: {total}."
)
TEXT_WITHOUT_LINK = (
    "В сообщении нет ссылки. Пришлите документ, фото или ссылку (https://…), "
    "а когда закончите — нажмите «Готово»."
)
TOO_MUCH_EVIDENCE = "Больше {limit} вложений добавить нельзя. Нажмите «Готово»."
ASK_COMMENT = "Добавьте комментарий для специалиста или нажмите «Без комментария»."
COMMENT_INVALID = "Комментарий — текстом, до 2000 символов."
SUMMARY = (
    "📋 <b>Проверьте отметку</b>\n\n{task}\n\n"
    "Статус: <b>{result}</b>{reason}\n"
    "Вложения: {evidence}\n"
    "Комментарий: {comment}\n\n"
    "Всё верно?"
)
SUMMARY_REASON = "\nПричина: {reason}"
NOTHING = "нет"
CHOOSE_STEP = "Что изменить?"
SENT = "📨 Отметка отправлена на проверку. Когда специалист её рассмотрит, я сообщу."
FORM_CANCELLED = "Отметка не отправлена."

NEW_CONFIRMATION = "📥 <b>Новая отметка на проверку</b>\n{org}: {title}\nСтатус: {result}. {who}"
BTN_OPEN_REVIEW = "Открыть"
REVIEW_EMPTY = "Отметок на проверке нет. 👍"
REVIEW_LIST = "📥 <b>На проверке</b>: {count}\nВыберите отметку:"
REVIEW_ITEM_BUTTON = "{org} · {title}"
REVIEW_CARD = (
    "📥 <b>Отметка на проверке</b>\n\n{task}\n\n"
    "Статус: <b>{result}</b>{reason}\n"
    "Комментарий: {comment}\n"
    "Отправил(а): {who}, {when}\n"
    "Вложения ({count}):\n{evidence}"
)
REVIEW_DECIDED = "\n\nРешение: <b>{decision}</b>{comment}"
DECISION = {"accepted": "принято, снято с контроля", "returned": "возвращено на доработку"}
BTN_ACCEPT = "✅ Принять (снять с контроля)"
BTN_RETURN = "↩️ Вернуть"
BTN_FILES = "📎 Файлы"
BTN_TO_QUEUE = "⬅️ К списку"
ASK_RETURN_COMMENT = "Напишите, что нужно доработать. Комментарий увидит координатор."
RETURN_COMMENT_INVALID = "Напишите комментарий текстом."
ACCEPTED = "✅ Принято, задача снята с контроля."
RETURNED = "↩️ Возвращено на доработку, координатор уведомлён."
NO_FILES = "Файлов и ссылок нет."
FILES_NOT_SENT = (
    "Не удалось отправить {files}:\n{items}\n"
    "Возможно, файл удалён из Telegram; попросите координатора прислать его снова."
)
FILE_CAPTION = "{org}: {title}"

TOLD_ACCEPTED = "✅ <b>Отметка принята</b>, задача снята с контроля.\n{title}"
TOLD_RETURNED = (
    "↩️ <b>Отметка возвращена на доработку</b>\n{title}\n\nКомментарий специалиста: {comment}"
)
BTN_CONFIRM_AGAIN = "📝 Отметить снова"

ASK_NEW_DATE = (
    "📅 <b>Перенос срока</b>\n\n{task}\n\n"
    "Напишите новую дату, например «25.04.2024» или «25 апреля»."
)
DATE_INVALID = "Не понимаю дату. Напишите, например, «25.04.2024» или «25 апреля»."
ASK_TRANSFER_REASON = "Новый срок: {date}. Напишите причину переноса."
TRANSFER_SENT = "📨 Просьба о переносе срока на {date} отправлена специалисту."
NEW_TRANSFER = (
    "📅 <b>Просьба о переносе срока</b>\n{org}: {title}\n"
    "Срок: {old} → <b>{new}</b>\nПричина: {reason}\n{who}"
)
BTN_APPROVE = "✅ Согласовать"
BTN_DECLINE = "✖️ Отказать"
TRANSFER_APPROVED = "✅ Перенос согласован: новый срок {date}."
TRANSFER_DECLINED = "✖️ В переносе отказано."
TOLD_TRANSFER_APPROVED = "✅ Перенос срока согласован.\n{title}\nНовый срок: <b>{date}</b>"
TOLD_TRANSFER_DECLINED = "✖️ В переносе срока отказано, срок прежний: {date}.\n{title}"

REVIEW_TRANSFERS_WAITING = "\n\n📅 Просьб о переносе сроков ждут решения: {count}."
BTN_TRANSFERS = "📅 Переносы сроков ({count})"
BTN_TO_TRANSFERS = "📅 К переносам сроков"
BTN_TO_REVIEW = "⬅️ К отметкам"
TRANSFERS_EMPTY = "Просьб о переносе сроков нет. 👍"
TRANSFER_LIST = (
    "📅 <b>Просьбы о переносе сроков</b>: {count}{page}\n\n{items}\n\nВыберите просьбу:"
)
TRANSFER_LIST_PAGE = " · страница {page} из {pages}"
TRANSFER_LINE = "{n}. <b>{org}</b>: {title}\nСрок: {old} → <b>{new}</b>\nПричина: {reason}"
TRANSFER_ITEM_BUTTON = "{n}. {org} · {title}"
TRANSFER_STATUS = {
    "approved": "\n\nРешение: <b>перенос согласован</b>",
    "declined": "\n\nРешение: <b>в переносе отказано</b>",
}


def short(text: str | None, limit: int = 200) -> str:
    text = " ".join((text or "").split())
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


def task_head(title: str, org: str, plan: str, number: str, due) -> str:
    return TASK_HEAD.format(
        title=short(title, 300),
        org=short(org, 120),
        plan=short(plan, 120),
        number=f", п. {short(number, 20)}" if number else "",
        due=format_date(due, weekday=True) if due else NO_DUE,
    )


def files_word(n: int) -> str:
    return plural(n, "вложение", "вложения", "вложений")


def files_count(n: int) -> str:
    return plural(n, "файл", "файла", "файлов")


def photos_word(n: int) -> str:
    return plural(n, "фото", "фото", "фото")


def links_word(n: int) -> str:
    return "Добавлено ссылок: " + str(n) if n != 1 else "Добавлена ссылка"


def size_text(size: int | None) -> str:
    if not size:
        return ""
    if size >= 1024 * 1024:
        return f", {size / 1024 / 1024:.1f} МБ".replace(".", ",")
    return f", {max(1, size // 1024)} КБ"


def evidence_line(kind: str, name: str | None, url: str | None, size: int | None) -> str:
    if kind == "link":
        return f"🔗 {short(url, 300)}"
    icon = "🖼" if kind == "photo" else "📄"
    label = short(name, 100) if name else ("фото" if kind == "photo" else "документ")
    return f"{icon} {label}{size_text(size)}"


def transfer_request(
    org: str, title: str, old_due: date | None, new_due: date, reason: str, who: str
) -> str:
    """A transfer request as officers see it in the notice and on its card."""
    return NEW_TRANSFER.format(
        org=short(org, 120),
        title=short(title, 300),
        old=format_date(old_due) if old_due else NO_DUE,
        new=format_date(new_due),
        reason=short(reason, 1000),
        who=short(who, 100),
    )


def transfer_line(
    n: int, org: str, title: str, old_due: date | None, new_due: date, reason: str
) -> str:
    return TRANSFER_LINE.format(
        n=n,
        org=short(org, 120),
        title=short(title, 200),
        old=format_date(old_due) if old_due else NO_DUE,
        new=format_date(new_due),
        reason=short(reason, 300),
    )


def when(moment, tz: str) -> str:
    return format_datetime(moment, tz)
