"""Console commands for plans: preview a document and import it for an organisation."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.config import Settings
from bot.domain.errors import ValidationError
from bot.domain.plans.export import to_json
from bot.domain.plans.models import PlanFormatError
from bot.domain.reminders import local_today
from bot.main.cli.admin import open_session, resolve_org
from bot.main.cli.output import error_message
from bot.services import plans
from bot.services.access import SYSTEM
from bot.texts import plans as texts
from bot.texts.formatting import format_date
from storage.base import utcnow


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _load(args: argparse.Namespace, default_tz: str):
    """The file's bytes and the period, or the message explaining why not."""
    try:
        data = args.file.read_bytes()
    except FileNotFoundError:
        return None, None, f"Файл не найден: {args.file}."
    except IsADirectoryError:
        return None, None, f"{args.file} — это папка, а нужен файл плана."
    except OSError as exc:
        return None, None, f"Не удалось прочитать файл {args.file}: {exc.strerror or exc}."
    try:
        today = local_today(utcnow(), default_tz)
        period = plans.parse_period(args.period, today) if args.period else None
    except ValidationError:
        return None, None, f"Неверный период «{args.period}»: нужно ГГГГ-ММ-ДД:ГГГГ-ММ-ДД."
    return data, period, None


def _refusal(path: Path, exc: PlanFormatError) -> str:
    hint = (
        " Укажите его: --period ГГГГ-ММ-ДД:ГГГГ-ММ-ДД."
        if isinstance(exc, plans.PeriodRequired)
        else ""
    )
    return f"{path}: {error_message(exc)}{hint}"


def _print_table(preview: plans.PlanPreview) -> None:
    print(preview.title)
    if preview.approved:
        print(f"Утверждён: {format_date(preview.approved)}")
    print(f"Период: {format_date(preview.period.start)} – {format_date(preview.period.end)}")
    print()
    print(f"{'№':<7} {'срок':<28} {'исполнитель':<20} мероприятие")
    for m in preview.measures:
        due = ", ".join(format_date(d) for d in m.due) or texts.KIND_NAMES[m.kind]
        flag = " (!)" if m.needs_review else ""
        print(
            f"{m.number[:7]:<7} {(due + flag)[:28]:<28} {texts.EXECUTOR_NAMES[m.executor]:<20} "
            f"{m.title[:70]}"
        )
        print(f"{'':<7} «{m.deadline_text[:90]}» — {texts.KIND_NAMES[m.kind]}")
    print()
    print(f"Мероприятий: {len(preview.measures)}")
    for kind, count in preview.by_kind.items():
        print(f"  {texts.KIND_NAMES[kind]}: {count}")
    for level, count in preview.by_executor.items():
        print(f"  исполнители — {texts.EXECUTOR_NAMES[level]}: {count}")
    if preview.needs_date:
        print(f"Без даты (нужно указать срок): {len(preview.needs_date)}")
    if preview.needs_review:
        print(f"Проверить срок: {preview.needs_review} (помечены (!))")


async def plan_parse(settings: Settings, args: argparse.Namespace) -> int:
    data, period, error = _load(args, settings.default_timezone)
    if error:
        return _fail(error)
    try:
        preview = plans.preview_plan(data, args.file.name, period)
    except PlanFormatError as exc:
        return _fail(_refusal(args.file, exc))
    if args.json:
        print(json.dumps(to_json(preview.analysis), ensure_ascii=False))
    else:
        _print_table(preview)
    return 0


async def plan_import(settings: Settings, args: argparse.Namespace) -> int:
    data, period, error = _load(args, settings.default_timezone)
    if error:
        return _fail(error)
    async with open_session(settings) as session:
        org_id = await resolve_org(session, args.org)
        try:
            result = await plans.import_plan(session, SYSTEM, org_id, data, args.file.name, period)
        except PlanFormatError as exc:
            return _fail(_refusal(args.file, exc))
    action = "Загружен новый план" if result.plan_created else "План обновлён"
    print(f"{action} № {result.plan_id}.")
    print(
        f"Мероприятий: {result.measures} (новых {result.created}, изменено {result.updated}, "
        f"удалено {result.removed}); задач: {result.tasks}."
    )
    if result.needs_date:
        print(f"Без даты: {len(result.needs_date)} — укажите сроки в боте («📄 Планы»).")
    return 0
