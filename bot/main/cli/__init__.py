"""Command line: run the bot and the administrative commands."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from pydantic_settings import SettingsError

from bot import texts
from bot.config import Settings
from bot.domain.errors import DomainError
from bot.main.cli.output import error_message
from bot.main.cli.parser import EPILOG, build_parser

__all__ = ["EPILOG", "build_parser", "main", "settings_error_text"]

EXIT_USAGE = 2
# Never echoed back in an error message.
SECRET_SETTINGS = {"bot_token", "webhook_secret"}


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
        from storage.db import DatabaseInUse, lock_single_process

        try:
            # Taken before the bot's code is loaded, which takes seconds: a second process on
            # the same SQLite file is refused at once.
            process_lock = lock_single_process(settings.database_url)
        except DatabaseInUse as exc:
            print(texts.DATABASE_IN_USE.format(path=exc.path, pid=exc.pid or "?"), file=sys.stderr)
            return EXIT_USAGE
        # The bot's modules leave a few hundred thousand objects that live as long as the
        # process; collecting garbage while they load, and in every full round afterwards,
        # would only walk them over and over. Frozen, the collector leaves them alone.
        gc.disable()
        try:
            from aiogram.exceptions import TelegramUnauthorizedError

            from bot.main.app import run
        finally:
            gc.freeze()
            gc.enable()

        try:
            with contextlib.suppress(KeyboardInterrupt):
                asyncio.run(run(settings, process_lock))
        except TelegramUnauthorizedError:
            print(texts.TOKEN_REJECTED, file=sys.stderr)
            return EXIT_USAGE
        return 0
    handler = getattr(args, "handler", None)
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
