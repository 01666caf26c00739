"""What the console accepts: the commands, their arguments and the help.

Each command names its handler by module and function, imported only when the command
runs, so ``--help``, a settings error and the bot's own start never load what the other
commands need (the plan readers, the XLSX and chart builders, the registry).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Awaitable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import Settings

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

PERIOD_HELP = "период плана ГГГГ-ММ-ДД:ГГГГ-ММ-ДД, если в документе его нет или он другой"


@dataclass(frozen=True)
class Handler:
    """A console command's coroutine function, ``name`` in ``bot.main.cli.<module>``,
    imported when the command is called."""

    module: str
    name: str

    def __call__(self, settings: Settings, args: argparse.Namespace) -> Awaitable[int | None]:
        module = importlib.import_module(f"bot.main.cli.{self.module}")
        return getattr(module, self.name)(settings, args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Бот напоминаний и отчётности по планам мероприятий («дорожным картам»). "
        "Без команды запускает бота.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="команда")
    commands.add_parser("run", help="запустить бота (то же, что без команды)")
    commands.add_parser("migrate", help="применить миграции базы данных").set_defaults(
        handler=Handler("admin", "migrate")
    )
    _admin(commands)
    _plans(commands)
    _reports(commands)
    return parser


def _admin(commands: argparse._SubParsersAction) -> None:
    org = commands.add_parser("org", help="реестр муниципалитетов и школ")
    org_cmds = org.add_subparsers(dest="org_command", metavar="действие", required=True)
    imp = org_cmds.add_parser(
        "import", help="загрузить реестр из CSV/XLSX: название, вышестоящая, часовой пояс, риск"
    )
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=Handler("admin", "org_import"))
    org_cmds.add_parser("list", help="показать дерево организаций").set_defaults(
        handler=Handler("admin", "org_list")
    )

    invite = commands.add_parser("invite", help="ссылки-приглашения")
    inv_cmds = invite.add_subparsers(dest="invite_command", metavar="действие", required=True)
    create = inv_cmds.add_parser("create", help="создать приглашение и напечатать ссылку")
    create.add_argument("--role", choices=["officer", "coordinator"], required=True)
    create.add_argument("--org", required=True, help="название или номер организации")
    create.add_argument("--uses", type=int, default=1, help="сколько раз можно использовать")
    create.add_argument("--days", type=int, default=None, help="срок действия в днях")
    create.set_defaults(handler=Handler("admin", "invite_create"))
    inv_cmds.add_parser("list", help="все приглашения").set_defaults(
        handler=Handler("admin", "invite_list")
    )
    revoke = inv_cmds.add_parser("revoke", help="отозвать приглашение по номеру")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(handler=Handler("admin", "invite_revoke"))


def _plans(commands: argparse._SubParsersAction) -> None:
    plan = commands.add_parser("plan", help="планы мероприятий: просмотр и загрузка")
    plan_cmds = plan.add_subparsers(dest="plan_command", metavar="действие", required=True)
    parse = plan_cmds.add_parser("parse", help="показать, что будет загружено, не сохраняя")
    parse.add_argument("file", type=Path)
    parse.add_argument("--period", help=PERIOD_HELP)
    parse.add_argument("--json", action="store_true", help="вывести результат в JSON")
    parse.set_defaults(handler=Handler("plans", "plan_parse"))
    imp = plan_cmds.add_parser("import", help="загрузить план для организации и создать задачи")
    imp.add_argument("file", type=Path)
    imp.add_argument("--org", required=True, help="название или номер организации")
    imp.add_argument("--period", help=PERIOD_HELP)
    imp.set_defaults(handler=Handler("plans", "plan_import"))


def _reports(commands: argparse._SubParsersAction) -> None:
    report = commands.add_parser("report", help="отчёт о выполнении планов по организации")
    report.add_argument("--org", required=True, help="название или номер организации")
    report.add_argument("--xlsx", type=Path, help="записать отчёт XLSX в файл")
    report.add_argument("--png", type=Path, help="записать диаграмму PNG в файл")
    report.set_defaults(handler=Handler("reports", "report_command"))
    demo_data = commands.add_parser(
        "demo-data", help="заполнить пустую базу демонстрационными данными"
    )
    demo_data.set_defaults(handler=Handler("reports", "demo_command"))
