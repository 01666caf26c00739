"""Texts of the officer's hotline settings: the card, its buttons, forms and confirmations."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from typing import Any

from bot.domain.hotline_settings import ANSWER_HOURS, ESCALATE_DAYS, MAX_PERIODS
from bot.texts.formatting import WEEKDAYS, format_date, plural

BTN_HOTLINE_SETTINGS = "🛠 Настройки линии"
BTN_TURN_ON = "▶️ Включить линию"
BTN_TURN_OFF = "⏸ Выключить линию"
BTN_HOURS = "🕘 Часы работы"
BTN_DAYS = "📅 Дни"
BTN_PERIODS = "🗓 Периоды"
BTN_ANSWER = "⏱ Срок ответа"
BTN_ESCALATE = "⬆️ Эскалация"
BTN_APPEAL = "🔗 Ссылка для официальных обращений"
BTN_OPT_OUT = "🙅 Я не отвечаю на обращения"
BTN_OPT_IN = "🙋 Я отвечаю на обращения"
BTN_RESET = "↩️ Вернуть настройки вышестоящей"
BTN_RESET_DEFAULTS = "↩️ Вернуть настройки по умолчанию"
BTN_YES_RESET = "Да, вернуть"
BTN_DONE = "✅ Готово"
BTN_TO_CARD = "⬅️ К настройкам"
BTN_TO_ORGS = "⬅️ К организациям"
DAY_ON = "✅ {day}"

CHOOSE_ORG = "Настройки горячей линии какой организации открыть?"
TITLE = "<b>Настройки горячей линии</b>, {org}"
LINE_ON = "Горячая линия: включена"
LINE_OFF = "Горячая линия: выключена — специалисты не на работе, сроки ответа не идут"
HOURS = "Часы: {days}, {start}–{end} ({tz})"
PERIODS = "Периоды: {periods}"
ALWAYS = "всегда"
ANSWER = "Срок ответа: {hours}"
ESCALATE = "Передача вышестоящим: через {days}"
APPEAL = "Официальные обращения: {url}"
APPEAL_NONE = "не указана, /privacy показывает ссылку по умолчанию"
ANSWERING = "Вы отвечаете на обращения: {answer}"
YES = "да"
NO = "нет"
SOURCE_OWN = "Это собственные настройки организации."
SOURCE_INHERITED = (
    "Настройки взяты у вышестоящей организации: {org}. "
    "Любое изменение здесь сделает их собственными."
)
SOURCE_DEFAULTS = (
    "Действуют настройки по умолчанию. Любое изменение здесь сделает их собственными."
)

ASK_HOURS = (
    "Напишите часы работы специалистов, например «9-18» или «09:00-18:00» "
    "(время {tz}, целые часы). Сейчас: {current}.\n/cancel — вернуться к настройкам."
)
ASK_PERIODS = (
    "Напишите через запятую периоды, когда горячая линия работает, например "
    "«01.03.2026-31.05.2026, 01.09.2026-30.09.2026», или «всегда», если круглый год. "
    "Сейчас: {current}.\n/cancel — вернуться к настройкам."
)
ASK_ANSWER = (
    "Через сколько рабочих часов без ответа напомнить специалистам? "
    "Число от {low} до {high}. Сейчас: {current}.\n/cancel — вернуться к настройкам."
)
ASK_ESCALATE = (
    "Через сколько рабочих дней без ответа передать вопрос вышестоящей организации? "
    "Число от {low} до {high}. Сейчас: {current}.\n/cancel — вернуться к настройкам."
)
ASK_APPEAL = (
    "Пришлите ссылку, по которой родители подают официальное обращение (59-ФЗ), например "
    "«https://edu.example.ru/appeal». Её показывает /privacy. Сейчас: {current}.\n"
    "«-» — убрать ссылку, /cancel — вернуться к настройкам."
)
ASK_DAYS = "Рабочие дни горячей линии, {org}. Отметьте дни и нажмите «Готово»."
TEXT_EXPECTED = "Пришлите ответ текстом. /cancel — вернуться к настройкам."
RE_ASK = "{error}\n/cancel — вернуться к настройкам."
SAVED = "Сохранено."
TURNED_ON = "Горячая линия включена."
TURNED_OFF = "Горячая линия выключена."
OPTED_OUT = "Обращения этой организации вам больше не приходят."
OPTED_IN = "Вы снова отвечаете на обращения этой организации."
CONFIRM_RESET = (
    "{org}: вернуть настройки вышестоящей организации ({source})? "
    "Собственные часы, дни, периоды, сроки и ссылка будут забыты."
)
CONFIRM_RESET_DEFAULTS = (
    "{org}: вернуть настройки по умолчанию? "
    "Собственные часы, дни, периоды, сроки и ссылка будут забыты."
)
RESET_KEEPS_FORUM = " Форум горячей линии останется привязан."
RESET_DONE = "Настройки вернулись."

# texts of the error codes of these settings
BAD_HOURS = (
    "Не понял часы работы. Напишите начало и конец целыми часами, например «9-18» или "
    "«09:00-18:00»: начало раньше конца, от 0 до 24."
)
BAD_DAYS = "Отметьте хотя бы один рабочий день."
BAD_PERIODS = (
    "Не понял периоды. Пример: «01.03.2026-31.05.2026, 01.09.2026-30.09.2026» "
    "или «всегда», если линия работает круглый год."
)
PERIOD_REVERSED = "В периоде «{period}» начало позже конца."
TOO_MANY_PERIODS = f"Не больше {MAX_PERIODS} периодов."
BAD_ANSWER_HOURS = (
    f"Срок ответа — целое число рабочих часов от {ANSWER_HOURS[0]} до {ANSWER_HOURS[1]}."
)
BAD_ESCALATE_DAYS = (
    f"Передача вышестоящим — целое число рабочих дней от {ESCALATE_DAYS[0]} до {ESCALATE_DAYS[1]}."
)
BAD_URL = (
    "Ссылка должна начинаться с http:// или https://, например «https://edu.example.ru/appeal». "
    "Чтобы убрать ссылку, напишите «-»."
)
SETTINGS_INHERITED = "Собственных настроек нет: они и так берутся у вышестоящей организации."


def hour(value: int) -> str:
    return f"{value:02d}:00"


def days_text(days: Sequence[int]) -> str:
    """«пн–пт», «пн, ср, пт» or «пн–ср, сб»: runs of three and more days as a range."""
    runs: list[list[int]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS[run[0]]}–{WEEKDAYS[run[-1]]}")
        else:
            parts.extend(WEEKDAYS[day] for day in run)
    return ", ".join(parts)


def periods_text(periods: Sequence[Sequence[str]]) -> str:
    """«всегда», or «01.03.2026–31.05.2026, 01.09.2026–30.09.2026» from ISO pairs."""
    if not periods:
        return ALWAYS
    return ", ".join(
        f"{format_date(date.fromisoformat(start))}–{format_date(date.fromisoformat(end))}"
        for start, end in periods
    )


def working_hours(count: int) -> str:
    return plural(count, "рабочий час", "рабочих часа", "рабочих часов")


def working_days(count: int) -> str:
    return plural(count, "рабочий день", "рабочих дня", "рабочих дней")


def hours_range(settings: Any) -> str:
    return f"{hour(settings.work_start)}–{hour(settings.work_end)}"


def appeal_text(url: str | None) -> str:
    return escape(url) if url else APPEAL_NONE


def source_text(view: Any) -> str:
    if view.own:
        return SOURCE_OWN
    if view.source_org_name is not None:
        return SOURCE_INHERITED.format(org=escape(view.source_org_name))
    return SOURCE_DEFAULTS


def card(view: Any) -> str:
    """The card of a ``HotlineSettingsView``; every name and the link escaped."""
    s = view.settings
    lines = [
        TITLE.format(org=escape(view.org_name)),
        "",
        LINE_ON if s.enabled else LINE_OFF,
        HOURS.format(
            days=days_text(s.work_days),
            start=hour(s.work_start),
            end=hour(s.work_end),
            tz=escape(s.timezone),
        ),
        PERIODS.format(periods=periods_text(s.periods)),
        ANSWER.format(hours=working_hours(s.answer_hours)),
        ESCALATE.format(days=working_days(s.escalate_days)),
        APPEAL.format(url=appeal_text(s.appeal_url)),
        ANSWERING.format(answer=NO if view.opted_out else YES),
        "",
        source_text(view),
    ]
    return "\n".join(lines)


def confirm_reset(view: Any) -> str:
    org = escape(view.org_name)
    if view.parent_name is None:
        text = CONFIRM_RESET_DEFAULTS.format(org=org)
    else:
        text = CONFIRM_RESET.format(org=org, source=escape(view.parent_name))
    return text + (RESET_KEEPS_FORUM if view.forum_bound else "")


def ask(field: str, settings: Any) -> str:
    """The form's question for a field of ``update_hotline_settings``, with its value now."""
    if field == "work_hours":
        return ASK_HOURS.format(tz=escape(settings.timezone), current=hours_range(settings))
    if field == "periods":
        return ASK_PERIODS.format(current=periods_text(settings.periods))
    if field == "answer_hours":
        low, high = ANSWER_HOURS
        return ASK_ANSWER.format(low=low, high=high, current=working_hours(settings.answer_hours))
    if field == "escalate_days":
        low, high = ESCALATE_DAYS
        return ASK_ESCALATE.format(
            low=low, high=high, current=working_days(settings.escalate_days)
        )
    return ASK_APPEAL.format(current=appeal_text(settings.appeal_url))
