"""Console commands: progress reports and the demo database."""

from __future__ import annotations

import argparse
import asyncio

from bot.config import Settings
from bot.domain.errors import ValidationError
from bot.exports.chart import build_chart
from bot.exports.xlsx import build_xlsx
from bot.main.cli.output import plain
from bot.services import demo
from bot.services.access import SYSTEM
from bot.services.reports import build_report
from bot.texts import reports as texts
from bot.texts.formatting import plural
from storage.base import utcnow


async def report_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.main.cli.admin import open_session, resolve_org
    from bot.texts.summary import render_overdue, render_summary

    async with open_session(settings) as session:
        org_id = await resolve_org(session, args.org)
        report = await build_report(session, SYSTEM, org_id, utcnow(), settings.default_timezone)
    # The console has no message limit: every organisation and overdue task is printed.
    print(plain(render_summary(report, limit=None, max_length=None)))
    print()
    print(plain(render_overdue(report, limit=None, max_length=None)))
    for path, build in ((args.xlsx, build_xlsx), (args.png, build_chart)):
        if path is None:
            continue
        data = await asyncio.to_thread(build, report)
        try:
            path.write_bytes(data)
        except OSError as exc:
            print(f"Не удалось записать {path}: {exc.strerror}")
            return 1
        print(texts.FILE_WRITTEN.format(path=path))
    return 0


async def demo_command(settings: Settings, args: argparse.Namespace) -> int:
    from bot.main.cli.admin import open_session

    if not demo.SEEDS_DIR.is_dir():
        print(texts.DEMO_NO_SEEDS.format(path=demo.SEEDS_DIR))
        return 1
    async with open_session(settings) as session:
        try:
            summary = await demo.load_demo(session, utcnow())
        except ValidationError as exc:
            if exc.code != "demo_not_empty":
                raise
            print(texts.DEMO_NOT_EMPTY)
            return 1
    print(
        texts.DEMO_DONE.format(
            orgs=plural(summary.orgs, "организация", "организации", "организаций"),
            plans=plural(summary.plans, "план", "плана", "планов"),
            tasks=plural(summary.tasks, "задача", "задачи", "задач"),
            people=plural(summary.people, "координатор", "координатора", "координаторов"),
            confirmations=plural(summary.confirmations, "отметка", "отметки", "отметок"),
            root=summary.root,
        )
    )
    return 0
