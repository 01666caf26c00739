"""The Russian text of every domain error code; details are escaped into the text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from bot import texts
from bot.domain.errors import DomainError, ErrorCode
from bot.texts import announcements, confirmations, forum, hotline, reminders, reports
from bot.texts import hotline_settings as hset
from bot.texts.formatting import plural

C = ErrorCode

BAD_PERIOD = "Не понял период. Пример: «01.09.2023-31.08.2024». /cancel — отмена."
IMPOSSIBLE_DATE = "В {month} {year} года {days} — проверьте дату и напишите её ещё раз."
MONTHS_IN = (
    "январе", "феврале", "марте", "апреле", "мае", "июне",
    "июле", "августе", "сентябре", "октябре", "ноябре", "декабре",
)  # fmt: skip
PLAN_EXPECTED = (
    "Нужен план мероприятий: таблица со столбцами «Мероприятие», «Срок» и «Ответственный» "
    "в файле DOCX, XLSX, CSV или TXT."
)


def impossible_date(year: int, month: int, days: int) -> str:
    """«В феврале 2024 года 29 дней — проверьте дату…»."""
    return IMPOSSIBLE_DATE.format(
        month=MONTHS_IN[month - 1], year=year, days=plural(days, "день", "дня", "дней")
    )


def _impossible_date(details: Mapping[str, object]) -> str:
    try:
        return impossible_date(int(details["year"]), int(details["month"]), int(details["days"]))
    except (KeyError, TypeError, ValueError, IndexError):
        return ERRORS[C.BAD_EVENT_DATE]  # type: ignore[return-value]


ERRORS: dict[ErrorCode, str | Callable[[Mapping[str, object]], str]] = {
    C.ERROR: texts.ERROR,
    C.ACCESS_DENIED: texts.NO_ACCESS,
    C.NOT_FOUND: texts.NOT_FOUND,
    C.INVALID: "Проверьте введённые данные.",
    # invitations
    C.INVITE_UNKNOWN: "Это приглашение не найдено. Проверьте ссылку или попросите новую.",
    C.INVITE_EXPIRED: (
        "Срок действия приглашения истёк. Попросите в управлении образования новое."
    ),
    C.INVITE_USED_UP: (
        "Это приглашение уже использовано. Попросите в управлении образования новое."
    ),
    C.INVITE_REVOKED: "Это приглашение отозвано. Попросите в управлении образования новое.",
    C.BAD_INVITE_LIMITS: "Срок действия — от 1 до 365 дней, использований — от 1 до 500.",
    C.ALREADY_REVOKED: "Приглашение уже отозвано.",
    C.ROLE_ORG_MISMATCH: "Эту роль нельзя выдать в организации такого типа.",
    C.NO_SCHOOLS: "В этом муниципалитете ещё нет школ.",
    C.NO_BOT_USERNAME: "Укажите BOT_USERNAME или BOT_TOKEN, чтобы составить ссылку.",
    C.BAD_NAME: texts.NAME_INVALID,
    # the registry of organisations
    C.BAD_ORG_NAME: "Название должно быть от 2 до 300 символов.",
    C.ORG_EXISTS: "Организация с таким названием уже есть.",
    C.NO_CHILDREN_FOR_SCHOOL: "К школе нельзя добавить подчинённые организации.",
    C.BAD_TIMEZONE: "Неизвестный часовой пояс. Пример: Europe/Moscow, Asia/Irkutsk.",
    C.EMPTY_REGISTRY: "В файле нет ни одной организации.",
    C.BAD_REGISTRY_FILE: "Файл реестра повреждён или это не XLSX.",
    C.BAD_REGISTRY_ENCODING: (
        "Не удалось прочитать файл: сохраните его в UTF-8 или Windows-1251."
    ),
    C.UNKNOWN_PARENT: ("Строка {line} («{row}»): не найдена вышестоящая организация «{name}»."),
    C.AMBIGUOUS_PARENT: (
        "Строка {line} («{row}»): вышестоящих организаций с названием «{name}» несколько: "
        "{places}. Укажите путь через «/», например «{example}»."
    ),
    C.AMBIGUOUS_ORG: (
        "Организаций с названием «{name}» несколько: {places}. "
        "Укажите номер организации (python -m bot org list) или путь через «/», "
        "например «{example}»."
    ),
    C.REGISTRY_ROOT_FORBIDDEN: "«{name}»: укажите вышестоящую организацию.",
    # plan documents
    C.PLAN_EMPTY_FILE: "Файл пустой. " + PLAN_EXPECTED,
    C.PLAN_IMAGE_FILE: "Это изображение или PDF, а не таблица. " + PLAN_EXPECTED,
    C.PLAN_OLD_FORMAT: (
        "Это файл старого формата «{suffix}»: сохраните его как DOCX или XLSX. " + PLAN_EXPECTED
    ),
    C.PLAN_UNKNOWN_FORMAT: "Файлы «{suffix}» бот не читает. " + PLAN_EXPECTED,
    C.PLAN_BROKEN_FILE: (
        "Не удалось открыть файл «{name}»: он повреждён или его содержимое не совпадает "
        "с расширением. Сохраните план заново в формате DOCX или XLSX и пришлите ещё раз."
    ),
    C.PLAN_NO_TABLE: "В файле не найдена таблица мероприятий. " + PLAN_EXPECTED,
    C.PLAN_NO_MEASURES: (
        "В таблице мероприятий нет ни одной строки с мероприятием. " + PLAN_EXPECTED
    ),
    C.PLAN_PERIOD_REQUIRED: (
        "В документе не указан период плана. Укажите, на какой срок он утверждён, "
        "например «на 2023-2024 учебный год» или «в 2024 году»."
    ),
    # plans, deadlines and assessment events
    C.BAD_PERIOD: BAD_PERIOD,
    C.IMPOSSIBLE_DATE: _impossible_date,
    C.EMPTY_DEADLINE: "Срок не может быть пустым.",
    C.BAD_OFFSETS: "Напоминания можно ставить от 30 дней после срока до 90 дней до него.",
    C.BAD_EVENT_KIND: "Название процедуры — от 2 до 40 символов.",
    C.BAD_EVENT_SUBJECT: "Название предмета слишком длинное.",
    C.BAD_EVENT_GRADE: "Класс — число от 1 до 11 или «-».",
    C.BAD_EVENT_DATE: "Не понял дату. Пример: «16.04.2024».",
    C.BAD_EVENTS_ENCODING: "Не удалось прочитать файл: сохраните его в UTF-8 или Windows-1251.",
    C.BAD_EVENTS_ROWS: (
        "Строки с ошибками: {lines}. Формат строки: «процедура;предмет;класс;дата». "
        "Ничего не сохранено."
    ),
    C.EMPTY_EVENTS: "В файле нет ни одной строки с датой.",
    # confirmations and their review
    C.TASK_DONE: "Эта задача уже выполнена и снята с контроля.",
    C.ALREADY_ON_REVIEW: "Отметка по этой задаче уже на проверке.",
    C.REASON_REQUIRED: "Укажите причину.",
    C.TEXT_TOO_LONG: "Слишком длинный текст: не больше {limit} символов.",
    C.FILE_TOO_BIG: "Файл больше 20 МБ: пришлите ссылку на него.",
    C.EVIDENCE_KIND: confirmations.UNSUPPORTED,
    C.EVIDENCE_LINK: "Ссылка должна начинаться с http:// или https://.",
    C.DOCUMENT_TYPE: (
        "Такой тип файла не подходит. Принимаются " + confirmations.ACCEPTED_TYPES + "."
    ),
    C.TOO_MUCH_EVIDENCE: confirmations.TOO_MUCH_EVIDENCE,
    C.ALREADY_REVIEWED: "Эту отметку уже рассмотрели.",
    C.CONFIRMATION_OUTDATED: (
        "Эта отметка устарела: по задаче уже есть решение или более новая отметка. "
        "Откройте список «На проверке» заново."
    ),
    C.OWN_CONFIRMATION: (
        "Свою отметку нельзя принять или вернуть: её проверит другой специалист."
    ),
    C.RETURN_COMMENT_REQUIRED: confirmations.RETURN_COMMENT_INVALID,
    # deadline transfers
    C.OWN_TRANSFER: (
        "Свою просьбу о переносе срока нельзя согласовать самому: её рассмотрит другой специалист."
    ),
    C.TRANSFER_PENDING: "Просьба о переносе этого срока уже ждёт решения.",
    C.TRANSFER_DECIDED: "По этой просьбе уже принято решение.",
    C.DATE_IN_PAST: "Эта дата уже прошла. Укажите сегодняшнюю или более позднюю.",
    C.SAME_DATE: "Это и есть текущий срок. Укажите другую дату.",
    # reminders and settings
    C.TASK_CLOSED: reminders.SNOOZE_TASK_CLOSED,
    C.BAD_HOUR: texts.STALE_BUTTON,
    # the demo database
    C.DEMO_NOT_EMPTY: reports.DEMO_NOT_EMPTY,
    # the hotline
    C.HOTLINE_BANNED: hotline.BANNED,
    C.HOTLINE_TOO_FAST: hotline.TOO_FAST,
    C.HOTLINE_NO_ORG: hotline.NO_ORG,
    C.TICKET_EMPTY: hotline.TICKET_EMPTY,
    C.TICKET_CLOSED: hotline.TICKET_CLOSED_ALREADY,
    C.TICKET_NOT_CLOSED: hotline.TICKET_NOT_CLOSED,
    C.TICKET_ALREADY_VIOLATION: hotline.ALREADY_VIOLATION,
    C.NOT_AN_OPERATOR: hotline.NOT_AN_OPERATOR,
    C.AUTHOR_GONE: hotline.AUTHOR_GONE,
    C.FORUM_NOT_FORUM: forum.FORUM_NOT_FORUM,
    C.FORUM_NO_RIGHTS: forum.FORUM_NO_RIGHTS,
    C.FORUM_TAKEN: forum.FORUM_TAKEN,
    C.FORUM_NOT_BOUND: forum.FORUM_NOT_BOUND,
    C.ANNOUNCEMENT_EMPTY: "Напишите текст объявления или пришлите файл.",
    C.ANNOUNCEMENT_TOO_MANY_FILES: lambda d: (
        f"К объявлению можно приложить не больше {d.get('limit', 10)} файлов."
    ),
    C.ANNOUNCEMENT_CHOOSE_ORGS: "Выберите хотя бы один муниципалитет или школу.",
    C.ANNOUNCEMENT_EVENT_NEEDED: "Выберите оценочную процедуру, на которую нужны наблюдатели.",
    C.ANNOUNCEMENT_NO_RECIPIENTS: "В выбранной аудитории нет ни одного получателя.",
    C.ANNOUNCEMENT_NOT_DRAFT: "Это объявление уже отправлено или отменено.",
    C.ANNOUNCEMENT_FINISHED: announcements.ALREADY_FINISHED,
    C.ANNOUNCEMENT_NOT_YOURS: announcements.NOT_A_RECIPIENT,
    C.ANNOUNCEMENT_CANCELLED: announcements.ANNOUNCEMENT_CANCELLED,
    C.ANNOUNCEMENT_NO_RESPONSE: announcements.NO_RESPONSE,
    C.ANNOUNCEMENT_ALREADY_ACKED: announcements.ALREADY_ACKED,
    C.ALREADY_VOLUNTEERED: announcements.ALREADY_VOLUNTEERED,
    C.VOLUNTEER_ALREADY_DECIDED: "Это решение уже принято.",
    C.ALREADY_BANNED: hotline.ALREADY_BANNED,
    C.NOT_BANNED: hotline.NOT_BANNED,
    # the hotline's settings
    C.HOTLINE_BAD_HOURS: hset.BAD_HOURS,
    C.HOTLINE_BAD_DAYS: hset.BAD_DAYS,
    C.HOTLINE_BAD_PERIODS: hset.BAD_PERIODS,
    C.HOTLINE_PERIOD_REVERSED: hset.PERIOD_REVERSED,
    C.HOTLINE_TOO_MANY_PERIODS: hset.TOO_MANY_PERIODS,
    C.HOTLINE_BAD_ANSWER_HOURS: hset.BAD_ANSWER_HOURS,
    C.HOTLINE_BAD_ESCALATE_DAYS: hset.BAD_ESCALATE_DAYS,
    C.HOTLINE_BAD_URL: hset.BAD_URL,
    C.HOTLINE_SETTINGS_INHERITED: hset.SETTINGS_INHERITED,
}


class _Escaped(dict):
    """Details for str.format_map: escaped, and a missing one leaves no hole in the text."""

    def __missing__(self, key: str) -> str:
        return "…"


def error_text(
    error: DomainError | ErrorCode | str, details: Mapping[str, object] | None = None
) -> str:
    """What the user is told about a domain error (or a code with its details), in HTML."""
    if isinstance(error, DomainError):
        code, details = error.code, error.details
    else:
        code = ErrorCode(error)
    details = details or {}
    entry = ERRORS.get(code, ERRORS[C.INVALID])
    if callable(entry):
        return entry(details)
    return entry.format_map(_Escaped({k: escape(str(v)) for k, v in details.items()}))
