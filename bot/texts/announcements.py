"""Texts of announcements: the message recipients get, the author's preview, progress and
report, responses and volunteers."""

from __future__ import annotations

from html import escape as q

from bot.domain.enums import AnnouncementStatus, AudienceKind, ResponseKind, VolunteerDecision
from bot.texts.formatting import format_date, format_datetime, plural

HEADER = "📢 <b>{org}</b>\n\n"
EVENT_LINE = "\n\n🗓 {event}"
BTN_ACK = "✅ Ознакомлен"
BTN_VOLUNTEER = "🙋 Готов быть общественным наблюдателем"
BTN_CANCEL_SENDING = "⛔️ Остановить рассылку"
BTN_REMIND = "🔔 Напомнить неознакомленным"
BTN_WHO_ACKED = "📋 Кто ознакомлен"
BTN_ACKS_XLSX = "📊 Ознакомление (XLSX)"

AUDIENCE_NAMES = {
    AudienceKind.COORDINATORS: "все координаторы школ",
    AudienceKind.COORDINATORS_OF: "координаторы выбранных муниципалитетов и школ",
    AudienceKind.RISK_SCHOOLS: "координаторы школ из списка риска",
    AudienceKind.OFFICERS: "специалисты органов управления образованием",
    AudienceKind.OPERATORS: "операторы горячей линии",
    AudienceKind.PARENTS_OF: "родители выбранной школы или муниципалитета",
}
RESPONSE_NAMES = {
    ResponseKind.NONE: "без кнопки ответа",
    ResponseKind.ACK: "с кнопкой «Ознакомлен»",
    ResponseKind.VOLUNTEER: "с призывом стать общественным наблюдателем",
}
STATUS_NAMES = {
    AnnouncementStatus.DRAFT: "черновик",
    AnnouncementStatus.SCHEDULED: "запланировано",
    AnnouncementStatus.SENDING: "отправляется",
    AnnouncementStatus.DONE: "отправлено",
    AnnouncementStatus.CANCELLED: "остановлено",
}

PREVIEW = (
    "👀 <b>Так увидят объявление получатели</b> (ниже).\n"
    "Получателей: <b>{recipients}</b>{blocked}{unreachable}.\n"
    "Ответ: {response}."
)
PREVIEW_BLOCKED = ", из них заблокировали бота: {n} (им не придёт)"
PREVIEW_UNREACHABLE = ", без чата с ботом: {n}"
PROGRESS = (
    "📤 Рассылка объявления № {id}: {status}.\n"
    "Доставлено: {delivered} из {recipients}. Заблокировали бота: {blocked}. "
    "Ошибки: {failed}. В очереди: {pending}."
)
PROGRESS_SCHEDULED = "\nОтправка начнётся {at}."
PROGRESS_NOT_SENT = "\nНе отправлено после остановки: {n}."
PROGRESS_RESPONSES = "\nОтветили: {n}."
REPORT = "🏁 <b>Рассылка объявления № {id} завершена.</b>\n{body}"
FAILURE_LINE = "\n• {reason}: {n}"
CANCELLED = "Рассылка остановлена. Не отправлено: {n}."
ALREADY_FINISHED = "Эта рассылка уже завершена."

ACKED = "Спасибо, отмечено: вы ознакомлены."
ALREADY_ACKED = "Вы уже отметили, что ознакомлены."
NOT_A_RECIPIENT = "Это объявление было адресовано не вам."
ANNOUNCEMENT_CANCELLED = "Это объявление отозвано отправителем."
VOLUNTEER_THANKS = (
    "Спасибо! Школа получила ваше предложение стать общественным наблюдателем и свяжется "
    "с вами. Перед процедурой бот напомнит."
)
ALREADY_VOLUNTEERED = "Вы уже откликнулись на это объявление."
NO_RESPONSE = "У этого объявления нет кнопки ответа."
REMIND = "🔔 Напоминание: пожалуйста, ознакомьтесь с объявлением и нажмите «Ознакомлен»."
REMINDED = "Напоминание отправлено: {n}."
NOBODY_TO_REMIND = "Все получатели уже ознакомились."

ACK_TITLE = "📋 Ознакомление с объявлением № {id}: {acked} из {total}."
ACK_ORG = "\n\n<b>{org}</b>{parent}: {acked} из {total}"
ACK_MISSING = "\nНе ознакомлены: {names}"
ACK_LIMIT = 3800

VOLUNTEER_LIST = "🙋 Общественные наблюдатели — {event}, {date}:"
VOLUNTEER_LINE = "\n{mark} {name}"
VOLUNTEER_NONE = "Пока никто не откликнулся."
VOLUNTEER_MARKS = {None: "⏳", VolunteerDecision.CONFIRMED: "✅", VolunteerDecision.DECLINED: "✖️"}
VOLUNTEER_CONFIRMED = (
    "✅ Школа подтвердила: вы общественный наблюдатель — {event}, {date}. Накануне бот напомнит."
)
VOLUNTEER_DECLINED = "Школа благодарит за отклик — {event}, {date}: наблюдателей уже достаточно."
VOLUNTEER_REMINDER = "🔔 Завтра — {event}. Вы общественный наблюдатель; школа ждёт вас."


def recipient_text(org_name: str, text: str, event: str | None) -> str:
    """The announcement as recipients get it; ``text`` is already HTML."""
    body = HEADER.format(org=q(org_name)) + text
    return body + EVENT_LINE.format(event=q(event)) if event else body


def people(n: int) -> str:
    return plural(n, "получатель", "получателя", "получателей")


def preview(recipients: int, blocked: int, unreachable: int, response: ResponseKind) -> str:
    return PREVIEW.format(
        recipients=recipients,
        blocked=PREVIEW_BLOCKED.format(n=blocked) if blocked else "",
        unreachable=PREVIEW_UNREACHABLE.format(n=unreachable) if unreachable else "",
        response=RESPONSE_NAMES[response],
    )


def progress(p) -> str:
    text = PROGRESS.format(
        id=p.announcement_id,
        status=STATUS_NAMES[p.status],
        delivered=p.delivered,
        recipients=p.recipients,
        blocked=p.blocked,
        failed=p.failed,
        pending=p.pending,
    )
    if p.status == AnnouncementStatus.SCHEDULED and p.scheduled_at is not None:
        text += PROGRESS_SCHEDULED.format(at=format_datetime(p.scheduled_at, p.timezone))
    if p.not_sent:
        text += PROGRESS_NOT_SENT.format(n=p.not_sent)
    if p.responses:
        text += PROGRESS_RESPONSES.format(n=p.responses)
    return text


def report(p) -> str:
    body = progress(p)
    for reason, n in p.failures:
        body += FAILURE_LINE.format(reason=q(reason), n=n)
    return REPORT.format(id=p.announcement_id, body=body)


def ack_report(report) -> str:
    """Who acknowledged, by organisation, cut to fit one message."""
    text = ACK_TITLE.format(
        id=report.announcement_id,
        acked=report.acknowledged,
        total=report.acknowledged + report.missing,
    )
    for org in report.by_org:
        part = ACK_ORG.format(
            org=q(org.org_name),
            parent=f" ({q(org.parent_name)})" if org.parent_name else "",
            acked=len(org.acknowledged),
            total=len(org.acknowledged) + len(org.missing),
        )
        if org.missing:
            part += ACK_MISSING.format(names=", ".join(q(n) for n in org.missing))
        if len(text) + len(part) > ACK_LIMIT:
            return text + "\n\n…"
        text += part
    return text


def event_label(kind: str, subject: str, grade: int | None) -> str:
    parts = [kind, subject, f"{grade} класс" if grade else ""]
    return " · ".join(p for p in parts if p)


def volunteers(event: str, day, items) -> str:
    text = VOLUNTEER_LIST.format(event=q(event), date=format_date(day))
    if not items:
        return text + "\n" + VOLUNTEER_NONE
    for item in items:
        text += VOLUNTEER_LINE.format(mark=VOLUNTEER_MARKS[item.decision], name=q(item.name))
    return text


def volunteer_confirmed(event: str, day) -> str:
    return VOLUNTEER_CONFIRMED.format(event=q(event), date=format_date(day))


def volunteer_declined(event: str, day) -> str:
    return VOLUNTEER_DECLINED.format(event=q(event), date=format_date(day))


def volunteer_reminder(event: str) -> str:
    return VOLUNTEER_REMINDER.format(event=q(event))
