"""Texts of plan import, plan cards, coordinators' tasks and assessment events."""

from __future__ import annotations

# The plan forms re-ask with these; the plan handlers still take error_text from here.
from bot.texts.errors import BAD_PERIOD as BAD_PERIOD
from bot.texts.errors import error_text as error_text
from bot.texts.errors import impossible_date as impossible_date
from bot.texts.formatting import plural

KIND_NAMES = {
    "date": "к дате",
    "dates": "к нескольким датам",
    "window": "в период",
    "recurring": "периодически",
    "relative": "от даты оценочной процедуры",
    "continuous": "постоянно",
    "unspecified": "без даты",
}
EXECUTOR_NAMES = {
    "schools": "все школы",
    "risk_schools": "школы группы риска",
    "municipalities": "муниципалитеты",
    "owner": "орган — владелец плана",
}
EXECUTOR_SHORT = {
    "schools": "🏫 Школы",
    "risk_schools": "⚠️ Риск",
    "municipalities": "🏢 МОУО",
    "owner": "🏛 Управление",
}
STATUS_NAMES = {
    "open": "в работе",
    "on_review": "на проверке",
    "done": "выполнено",
    "returned": "возвращено на доработку",
}

# --- import -----------------------------------------------------------------
ASK_DOCUMENT = (
    "Пришлите файл плана мероприятий (DOCX, XLSX, CSV или TXT) — я покажу, что будет "
    "загружено, и попрошу подтвердить."
)
BAD_FILE_TYPE = (
    "Файлы «{suffix}» я не читаю. Пришлите план в DOCX, XLSX, CSV или TXT; "
    "документ Word 97–2003 (.doc) сохраните как DOCX."
)
FILE_TOO_BIG = (
    "Файл больше 20 МБ — Telegram не даёт ботам скачивать такие. Уменьшите файл "
    "(например, сохраните только таблицу плана) и пришлите снова."
)
READING = "Читаю файл «{name}»…"
NOT_A_PLAN = "Не получилось прочитать план из «{name}».\n{reason}"
ASK_PERIOD = (
    "На какой срок утверждён план? Напишите период, например «01.09.2023-31.08.2024» "
    "или «2023-2024» для учебного года. /cancel — отмена."
)
PREVIEW = (
    "<b>{title}</b>\n"
    "{approved}Период: {start} – {end}{period_source}\n\n"
    "Мероприятий: {total}.\n"
    "<b>Сроки:</b>\n{kinds}\n"
    "<b>Исполнители:</b>\n{executors}\n"
    "{needs_date}{needs_review}\n"
    "Загрузить план и создать задачи?"
)
PREVIEW_APPROVED = "Утверждён {date}. "
PREVIEW_FROM_OFFICER = " (указан вами)"
PREVIEW_LINE = "• {name}: {count}"
PREVIEW_NEEDS_DATE = "\n❗ Без даты ({count}) — после загрузки я попрошу указать сроки:\n{items}\n"
PREVIEW_NEEDS_DATE_ITEM = "• {number} {title} — «{text}»"
PREVIEW_NEEDS_REVIEW = (
    "\nℹ️ Проверьте сроки: {count} (дата исправлена, выходит за период плана "
    "или зависит от чужого плана)."
)
BTN_IMPORT = "✅ Загрузить"
BTN_PERIOD = "📅 Изменить период"
BTN_EXECUTORS = "👥 Исполнители"
BTN_TO_PREVIEW = "⬅️ К предпросмотру"
EXECUTORS_HEAD = (
    "Кто выполняет мероприятия. Нажмите на мероприятие, чтобы сменить исполнителя, "
    "или выберите исполнителя сразу для всех.\n{page}"
)
BTN_ALL = "Всем: {name}"
EXECUTOR_BUTTON = "{number} {title} → {level}"
PROGRESS = "Загружаю план: {done} из {total}…"
IMPORTED = (
    "План загружен: <b>{title}</b>.\n"
    "Мероприятий: {measures} (новых {created}, изменено {updated}, удалено {removed}). "
    "Задач: {tasks}."
)
IMPORT_GONE = "Файл больше недоступен. Пришлите план ещё раз."
IMPORT_EXPIRED = "Этот предпросмотр устарел. Пришлите файл плана ещё раз."
IMPORT_CANCELLED = "Загрузка отменена, ничего не сохранено."

# --- dates for measures -----------------------------------------------------
ASK_DUE = (
    "Мероприятие {index} из {total} без даты:\n<b>{number} {title}</b>\n"
    "В документе: «{text}»\n\nНапишите срок, например «15.03.2024», «до 20 апреля» или "
    "«в конце мая». /cancel — закончить."
)
BAD_DUE = "Не понял дату. Пример: «15.03.2024» или «до 20 апреля». Или нажмите «Пропустить»."
DUE_SET = "Срок {date}: {tasks}."
DUES_DONE = "Все мероприятия без даты пройдены."
BTN_SKIP = "Пропустить"

# --- one measure ------------------------------------------------------------
MEASURE_CARD = (
    "<b>{number} {title}</b>\n{section}Ответственный: {responsible}\n"
    "Исполнители: {executor}\nСрок в документе: «{text}» — {kind}{dates}{review}"
)
MEASURE_SECTION = "Раздел: {section}\n"
MEASURE_DATES = "\nСроки: {dates}"
MEASURE_REVIEW = "\n⚠️ Срок стоит проверить: в тексте была неточность."
MEASURE_BUTTON = "✏️ {number}"
BTN_EDIT_DEADLINE = "✏️ Изменить срок"
BTN_BACK_TO_PLAN_PAGE = "⬅️ К плану"
ASK_DEADLINE = (
    "Сейчас: «{text}».\nНапишите новый срок так, как его записали бы в плане: "
    "«до 20 апреля 2024 года», «март-май», «ежеквартально», «постоянно», "
    "«За 2 недели до проведения». /cancel — отмена."
)
DEADLINE_CHANGED = (
    "Срок изменён. Задач по мероприятию: {total} (новых {created}, изменено {changed}, "
    "снято {deleted}); напоминания пересчитаны."
)
DEADLINE_INVALID = "Напишите срок текстом, например «до 20 апреля 2024 года»."

# --- plans ------------------------------------------------------------------
PLANS_EMPTY = "Планов пока нет. " + ASK_DOCUMENT
PLANS_HEAD = "Планы мероприятий ({count}). Чтобы загрузить новый, пришлите файл.\n{page}"
PLAN_BUTTON = "{title} ({org})"
PLAN_CARD = "<b>{title}</b>\n{org}, {start} – {end}\nМероприятий: {measures}{needs_date}\n\n{lines}\n{page}"
PLAN_NEEDS_DATE = ", без даты: {count}"
PLAN_LINE = "{mark} {number} {title}\n    {text}: {progress}"
PLAN_LINE_PROGRESS = "выполнено {done} из {total}{review}{overdue}"
PLAN_LINE_REVIEW = ", на проверке {count}"
PLAN_LINE_OVERDUE = ", просрочено {count}"
PLAN_LINE_NO_TASKS = "задач нет"
BTN_SET_DATES = "📅 Указать сроки ({count})"
BTN_PLANS_BACK = "⬅️ К планам"
BTN_OFFSETS = "⏰ Когда напоминать"
BTN_BACK_TO_PLAN = "⬅️ К плану"
OFFSETS_SCREEN = (
    "Когда напоминать исполнителям плана «{title}»:\n<b>{current}</b>\n\n"
    "Выберите другой вариант — напоминания всех задач плана будут пересчитаны."
)
OFFSETS_SAVED = "Готово: напоминания {current}."
# The planner's own default, shown when the plan has no setting of its own.
OFFSET_PRESETS = ((7, 1, 0, -1), (14, 7, 1, 0, -1), (3, 1, 0, -1), (1, 0, -1), (0, -1))


def offsets_text(offsets: tuple[int, ...]) -> str:
    """«за 7 дней, за 1 день, в день срока, через 1 день после»."""
    parts = []
    for day in sorted(offsets, reverse=True):
        if day > 0:
            parts.append("за " + plural(day, "день", "дня", "дней"))
        elif day == 0:
            parts.append("в день срока")
        else:
            parts.append("через " + plural(-day, "день", "дня", "дней") + " после")
    return ", ".join(parts)


# --- tasks ------------------------------------------------------------------
TASKS_EMPTY = "Открытых задач нет. 🎉"
TASKS_HEAD = "Открытые задачи: {count}. Ближайшие сверху.\n"
TASK_LINE = "<b>{due}</b> — {number} {title}\n    срок по плану: «{text}»{status}"
TASK_NO_DUE = "без даты"
TASK_CARD = (
    "<b>{number} {title}</b>\n{section}{org}\n\n"
    "Срок: <b>{due}</b>{start}\nПо плану: «{text}»\nСтатус: {status}{result}"
)
TASK_CARD_SECTION = "Раздел: {section}\n"
TASK_CARD_START = " (начало {start})"
TASK_CARD_RESULT = "\nОжидаемый результат: {result}"
BTN_CONFIRM_TASK = "✅ Отметить выполнение"
BTN_TRANSFER_TASK = "📅 Перенести срок"
BTN_TASKS_BACK = "⬅️ К задачам"
NO_SCHOOL = "Вы не прикреплены ни к одной школе."

# --- assessment events ------------------------------------------------------
EVENTS_HEAD = "Даты оценочных процедур, {org}:\n{lines}"
EVENTS_EMPTY = (
    "Даты оценочных процедур ещё не внесены. От них считаются сроки вроде «за 2 недели до ВПР»."
)
EVENT_LINE = "• {date} — {kind}{subject}{grade}"
EVENT_GRADE = ", {grade} класс"
BTN_ADD_EVENT = "➕ Добавить дату"
BTN_EVENTS_CSV = "📎 Загрузить CSV"
BTN_DELETE_EVENT = "🗑 {text}"
BTN_YES_DELETE = "Да, удалить"
ASK_EVENT_KIND = "Какая процедура? Выберите или напишите название. /cancel — отмена."
ASK_EVENT_SUBJECT = "Предмет? Например «математика». Если предмета нет, напишите «-»."
ASK_EVENT_GRADE = "Класс (число от 1 до 11)? Если не важен, напишите «-»."
ASK_EVENT_DATE = "Дата проведения? Например «16.04.2024» или «16 апреля»."
EVENT_SAVED = "Сохранено: {line}. Сроки задач пересчитаны."
CONFIRM_EVENT_DELETE = (
    "Удалить дату «{line}»? Задачи, которые от неё считаются, будут пересчитаны."
)
EVENT_DELETED = "Дата удалена, сроки пересчитаны."
ASK_EVENTS_CSV = (
    "Пришлите CSV-файл: в каждой строке «процедура;предмет;класс;дата», например\n"
    "<code>ВПР;математика;5;16.04.2024</code>\n/cancel — отмена."
)
EVENTS_IMPORTED = "Загружено: новых {added}, обновлено {updated}. Сроки задач пересчитаны."
EVENTS_CSV_TOO_BIG = "Файл слишком большой для списка дат: пришлите CSV до 1 МБ."
EVENT_KINDS = ("ВПР", "НИКО", "ГИА", "Региональный мониторинг")


def tasks_count(n: int) -> str:
    return plural(n, "задача", "задачи", "задач")


def measures_count(n: int) -> str:
    return plural(n, "мероприятие", "мероприятия", "мероприятий")
