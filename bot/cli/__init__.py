"""Command line: run the bot and the administrative commands."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError as SettingsError

from bot.config import Settings
from bot.services.errors import DomainError

EXIT_USAGE = 2
NO_TOKEN = (
    "Не задан токен бота. Укажите BOT_TOKEN в переменных окружения или в файле .env "
    "(токен выдаёт @BotFather), затем запустите снова."
)


def build_parser() -> argparse.ArgumentParser:
    from bot.cli import admin, plans, reports

    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Бот напоминаний и отчётности по планам мероприятий («дорожным картам»). "
        "Без команды запускает бота (long polling).",
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
    except SettingsError as exc:
        print(f"Ошибка в настройках: {exc}", file=sys.stderr)
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
            print(NO_TOKEN, file=sys.stderr)
            return EXIT_USAGE
        from bot.app import run

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(run(settings))
        return 0
    handler = getattr(args, "handler", None)
    if args.command == "migrate":
        from bot.cli.admin import migrate

        handler = migrate
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return asyncio.run(handler(settings, args)) or 0
    except DomainError as exc:
        from handlers.errors import domain_text

        print(_plain(domain_text(exc)), file=sys.stderr)
        return 1


def _plain(html_text: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))
