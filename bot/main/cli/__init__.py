"""Command line: run the bot and the administrative commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot import texts
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.main.cli.output import error_message

EXIT_USAGE = 2
# Never echoed back in an error message.
SECRET_SETTINGS = {"bot_token", "webhook_secret"}


EPILOG = """\
все команды:
  python -m bot [run]                    запустить бота (long polling; webhook, если задан
                                         WEBHOOK_URL)
  python -m bot migrate                  применить миграции базы данных
  python -m bot org import FILE          загрузить реестр из CSV/XLSX: название, вышестоящая,
                                         часовой пояс, риск
  python -m bot org list                 показать дерево организаций с номерами
  python -m bot invite create --role officer|coordinator --org ОРГ [--uses N] [--days N]
                                         создать приглашение и напечатать ссылку
  python -m bot invite list              все приглашения
  python -m bot invite revoke ID         отозвать приглашение по номеру
  python -m bot plan parse FILE [--period С:ПО] [--json]
                                         показать, что будет загружено, не сохраняя
  python -m bot plan import FILE --org ОРГ [--period С:ПО]
                                         загрузить план и создать задачи
  python -m bot report --org ОРГ [--xlsx FILE] [--png FILE]
                                         отчёт о выполнении планов
  python -m bot demo-data                заполнить пустую базу демонстрационными данными

ОРГ — номер из «org list», название или путь «Регион / Муниципалитет / Школа».
Настройки берутся из переменных окружения и файла .env (образец: .env.example).
Подробнее о команде: python -m bot КОМАНДА --help
"""


def build_parser() -> argparse.ArgumentParser:
    from bot.main.cli import admin, plans, reports

    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Бот напоминаний и отчётности по планам мероприятий («дорожным картам»). "
        "Без команды запускает бота.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="команда")
    commands.add_parser("run", help="запустить бота (то же, что без команды)")
    commands.add_parser("migrate", help="применить миграции базы данных")
    admin.register(commands)
    plans.register(commands)
    reports.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(settings_error_text(exc), file=sys.stderr)
        return EXIT_USAGE
    except SettingsError as exc:
        print(texts.SETTINGS_ERROR.format(lines=f"  {exc}"), file=sys.stderr)
        return EXIT_USAGE
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Migration chatter drowns the output of console commands; it stays visible on DEBUG.
    if logging.getLogger().level > logging.DEBUG:
        logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command in (None, "run"):
        if not settings.token_is_set:
            print(texts.NO_TOKEN, file=sys.stderr)
            return EXIT_USAGE
        from aiogram.exceptions import TelegramUnauthorizedError

        from bot.main.app import run
        from storage.db import DatabaseInUse

        try:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(run(settings))
        except TelegramUnauthorizedError:
            print(texts.TOKEN_REJECTED, file=sys.stderr)
            return EXIT_USAGE
        except DatabaseInUse as exc:
            print(texts.DATABASE_IN_USE.format(path=exc.path, pid=exc.pid or "?"), file=sys.stderr)
            return EXIT_USAGE
        return 0
    handler = getattr(args, "handler", None)
    if args.command == "migrate":
        from bot.main.cli.admin import migrate

        handler = migrate
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return asyncio.run(handler(settings, args)) or 0
    except DomainError as exc:
        print(error_message(exc), file=sys.stderr)
        return 1


def settings_error_text(exc: ValidationError) -> str:
    """Each wrong setting by its variable name, in Russian."""
    lines = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        template = texts.SETTINGS_PROBLEMS.get(error["type"])
        if template is None:
            problem = texts.SETTINGS_OTHER_PROBLEM.format(detail=error["msg"])
        else:
            problem = template.format(**{k: _number(v) for k, v in error.get("ctx", {}).items()})
        given = error.get("input")
        shown = field not in SECRET_SETTINGS and isinstance(given, str | int | float)
        value = texts.SETTINGS_GIVEN.format(value=given) if shown else ""
        lines.append(texts.SETTINGS_LINE.format(name=field.upper(), problem=problem, value=value))
    return texts.SETTINGS_ERROR.format(lines="\n".join(lines))


def _number(value: object) -> object:
    return int(value) if isinstance(value, float) and value.is_integer() else value
