"""Every user-facing string of the bot (Russian, HTML parse mode); features add submodules."""

from __future__ import annotations

from html import escape

from bot.texts.formatting import plural

# Handlers escape user input with texts.q.
q = escape

# --- common -----------------------------------------------------------------
GREETING = (
    "Здравствуйте! Я помогаю школам и органам управления образованием выполнять "
    "планы мероприятий («дорожные карты»): напоминаю о сроках, принимаю отчёты "
    "и собираю сводки.\n\nКто вы?"
)
BTN_I_AM_PARENT = "👪 Я родитель"
BTN_I_HAVE_INVITE = "🔗 У меня есть приглашение"
ASK_INVITE = "Пришлите ссылку-приглашение, которую вы получили от управления образованием."
WELCOME_BACK = "С возвращением, {name}!"
ASK_NAME = (
    "Приглашение действительно: <b>{role}</b>, {org}.\n\n"
    "Как к вам обращаться? Напишите фамилию, имя и отчество или нажмите кнопку."
)
BTN_USE_TG_NAME = "Использовать «{name}»"
NAME_INVALID = "Имя должно быть от 2 до 200 символов. Напишите, пожалуйста, ещё раз."
REGISTERED = "Готово, {name}! Вы зарегистрированы: <b>{role}</b>, {org}."
PARENT_REGISTERED = (
    "Спасибо! Здесь можно будет задать вопрос на горячую линию и получить ответ в этом чате."
)
ASK_PARENT_SCHOOL = (
    "В какой школе учится ваш ребёнок? Напишите часть названия или номер, например "
    "«гимназия 2» или «СОШ 14 Касимов». Так на ваши вопросы ответят быстрее. "
    "Школу можно не указывать."
)
PARENT_SCHOOL_CHOOSE = "Выберите школу или напишите название иначе:"
PARENT_SCHOOL_NOT_FOUND = (
    "Не нашёл школу по запросу «{query}». Попробуйте иначе: номер школы и населённый пункт."
)
PARENT_SCHOOL_INVALID = "Напишите название школы текстом или нажмите «Пропустить»."
PARENT_SCHOOL_SAVED = "Школа сохранена: {name}. Изменить её можно командой /school."
PARENT_SCHOOL_SKIPPED = "Хорошо. Указать школу можно позже командой /school."
BTN_SKIP = "Пропустить"
SCHOOL_CHOICE = "{name} — {place}"
CANCELLED = "Действие отменено."
NOTHING_TO_CANCEL = "Отменять нечего."
HELP_TITLE = "Команды бота:"
HELP_FOOTER = "Кнопки меню ведут туда же; /cancel выходит из любой формы."


def help_text(commands: list[tuple[str, str]]) -> str:
    """The /help answer: the commands of the user's role with their descriptions."""
    lines = [f"/{command} — {description.lower()}" for command, description in commands]
    return "\n".join([HELP_TITLE, *lines, "", HELP_FOOTER])


UNKNOWN_COMMAND = "Не понимаю эту команду. Откройте /menu."
NO_ACCESS = "У вас нет доступа к этому действию."
STALE_BUTTON = "Эта кнопка устарела или недоступна вам. Откройте /menu."
UNEXPECTED_IN_FORM = "Ожидаю другой ответ. Чтобы выйти из формы, нажмите /cancel."
NOT_FOUND = "Не найдено: возможно, запись уже удалена."
TOO_FAST = "Слишком много сообщений подряд. Подождите несколько секунд."
ERROR = "Что-то пошло не так. Мы уже разбираемся; попробуйте ещё раз чуть позже."
NOT_REGISTERED = "Вы ещё не зарегистрированы. Нажмите /start."

ROLE_NAMES = {
    "officer": "специалист управления",
    "coordinator": "школьный координатор",
    "parent": "родитель",
    "operator": "оператор горячей линии",
}
ORG_KIND_NAMES = {"region": "регион", "municipality": "муниципалитет", "school": "школа"}
ORG_KIND_ACCUSATIVE = {"municipality": "муниципалитет", "school": "школу"}

# --- menus ------------------------------------------------------------------
MENU_OFFICER = "Главное меню специалиста, {org}."
MENU_COORDINATOR = "Главное меню координатора, {org}."
MENU_PARENT = (
    "Главное меню. Задайте вопрос на горячую линию управления образования "
    "или посмотрите свои обращения."
)
MENU_OPERATOR = "Главное меню оператора горячей линии, {org}."
BTN_ORGS = "🏢 Организации"
BTN_INVITES = "🔗 Приглашения"
BTN_PEOPLE = "👥 Кто зарегистрирован"
BTN_PLANS = "📄 Планы"
BTN_REPORTS = "📊 Отчёты"
BTN_REVIEW = "📥 На проверке"
BTN_MY_TASKS = "📋 Мои задачи"
BTN_EVENTS = "🗓 Даты оценочных процедур"
BTN_SETTINGS = "⚙️ Настройки"
BTN_BACK = "⬅️ Назад"
BTN_CANCEL = "✖️ Отмена"
BTN_YES_REMOVE = "Да, удалить"
BTN_YES_REVOKE = "Да, отозвать"
BTN_PREV = "◀️"
BTN_NEXT = "▶️"

# --- organisations ----------------------------------------------------------
ORG_CARD = (
    "<b>{name}</b>\n{kind}, часовой пояс {tz}{risk}\n"
    "Подчинённых организаций: {children}. Координаторов: {people}."
)
ORG_AT_RISK = "\n⚠️ В списке школ с признаками необъективности"
ORG_LIST_EMPTY = "Подчинённых организаций пока нет."
BTN_CHILDREN = "📂 Подчинённые"
BTN_ADD_CHILD = "➕ Добавить {kind}"
BTN_INVITE_COORDINATOR = "🔗 Пригласить координатора"
BTN_INVITE_OFFICER = "🔗 Пригласить специалиста"
BTN_EXPORT_CSV = "📄 Ссылки для всех школ (CSV)"
BTN_EXPORT_XLSX = "📊 Ссылки для всех школ (XLSX)"
BTN_ORG_PEOPLE = "👥 Зарегистрированные"
ASK_CHILD_NAME = "Введите название: {kind} в «{parent}». /cancel — отмена."
CHILD_ADDED = "Добавлено: <b>{name}</b>."
INVITE_CREATED = (
    "Приглашение для роли «{role}», {org}:\n{link}\n\n"
    "Действует до {expires}, {uses}. Перешлите ссылку адресату."
)
INVITES_EXPORTED = "Ссылки-приглашения для {count}, действуют до {expires}."
INVITE_LIST_EMPTY = "Действующих приглашений нет."
INVITE_LINE = "• {org} — {role}, до {expires}, использовано {used} из {max}"
BTN_REVOKE = "Отозвать: {org}"
CONFIRM_REVOKE = "Отозвать приглашение для «{org}»? Ссылка перестанет работать."
INVITE_REVOKED = "Приглашение отозвано."
PEOPLE_EMPTY = "В этой организации пока никто не зарегистрирован."
PEOPLE_LINE = "• {name} — {role}, {org}{inactive}"
PERSON_INACTIVE = " (заблокировал бота)"
BTN_REMOVE_PERSON = "Удалить: {name}"
CONFIRM_REMOVE = "Удалить координатора {name} ({org})? Напоминания ему больше не придут."
PERSON_REMOVED = "Координатор {name} удалён."
PAGE = "Страница {page} из {pages}"

# --- console ----------------------------------------------------------------
NO_TOKEN = (
    "Не задан токен бота. Укажите BOT_TOKEN в переменных окружения или в файле .env "
    "(токен выдаёт @BotFather), затем запустите снова."
)
TOKEN_REJECTED = (
    "Telegram не принял токен бота (BOT_TOKEN): он отозван или набран с ошибкой. "
    "Возьмите действующий токен у @BotFather и запустите снова."
)
DATABASE_IN_USE = (
    "База {path} уже занята другим процессом бота (PID {pid}). SQLite обслуживает только один "
    "процесс: остановите первый или, чтобы запускать несколько, перейдите на PostgreSQL "
    "(DATABASE_URL=postgresql+asyncpg://…)."
)
SETTINGS_ERROR = "Ошибка в настройках (переменные окружения или файл .env):\n{lines}\n" + (
    "Исправьте и запустите снова."
)
SETTINGS_LINE = "  {name}: {problem}{value}"
SETTINGS_GIVEN = " (указано: «{value}»)"
SETTINGS_PROBLEMS = {
    "bot_token_format": (
        "неверный формат токена; нужен вид «число:секрет», например 123456789:AAH…, "
        "как его выдаёт @BotFather"
    ),
    "log_level": "неизвестный уровень журнала; допустимо: DEBUG, INFO, WARNING, ERROR, CRITICAL",
    "timezone": "неизвестный часовой пояс; пример: Europe/Moscow, Asia/Irkutsk",
    "admin_ids": "нужны числовые Telegram id через запятую",
    "int_parsing": "нужно целое число",
    "int_from_float": "нужно целое число",
    "float_parsing": "нужно число",
    "bool_parsing": "нужно true или false",
    "greater_than_equal": "должно быть не меньше {ge}",
    "greater_than": "должно быть больше {gt}",
    "less_than_equal": "должно быть не больше {le}",
    "less_than": "должно быть меньше {lt}",
}
SETTINGS_OTHER_PROBLEM = "недопустимое значение ({detail})"


def invite_uses(n: int) -> str:
    return plural(n, "использование", "использования", "использований")


def for_schools(n: int) -> str:
    return plural(n, "школы", "школ", "школ")
