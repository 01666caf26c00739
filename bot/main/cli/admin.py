"""Console commands: migrations, the organisation registry and invitations."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.telegram.identity import admin_identities
from bot.channels.telegram.links import invite_link
from bot.config import Settings
from bot.domain.enums import RoleKind
from bot.domain.errors import ValidationError
from bot.services import invites, orgs
from bot.services.access import SYSTEM, bootstrap_admins
from bot.texts.formatting import format_date
from storage.base import utcnow
from storage.db import create_engine, create_session_factory
from storage.migrate import upgrade


@asynccontextmanager
async def open_session(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A migrated database and one session for a console command."""
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            yield session
    finally:
        await engine.dispose()


async def migrate(settings: Settings, args: argparse.Namespace) -> int:
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()
    print("Миграции применены.")
    return 0


async def org_import(settings: Settings, args: argparse.Namespace) -> int:
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"Не удалось прочитать {args.file}: {exc.strerror}")
        return 1
    rows = orgs.read_registry(data, args.file.name)
    async with open_session(settings) as session:
        added, updated = await orgs.import_registry(session, SYSTEM, rows)
        # A region imported as a new top organisation is the admins' at once, not at restart.
        await bootstrap_admins(
            session, admin_identities(settings.admin_ids), settings.root_org_name
        )
    print(f"Добавлено организаций: {added}, обновлено: {updated}.")
    return 0


async def org_list(settings: Settings, args: argparse.Namespace) -> int:
    async with open_session(settings) as session:
        found = await orgs.list_all(session, SYSTEM)
        by_parent: dict[int | None, list] = {}
        for org in found:
            by_parent.setdefault(org.parent_id, []).append(org)

        def walk(parent_id: int | None, depth: int) -> None:
            for org in by_parent.get(parent_id, []):
                flags = (" [риск]" if org.at_risk else "") + (
                    f" [{org.timezone}]" if org.timezone else ""
                )
                print(f"{'  ' * depth}{org.id:>5}  {org.name}{flags}")
                walk(org.id, depth + 1)

        walk(None, 0)
    if not found:
        print("Организаций пока нет. Загрузите реестр: python -m bot org import FILE")
    return 0


async def resolve_org(session: AsyncSession, ref: str) -> int:
    return await orgs.find_org_id(session, ref)


async def bot_username(settings: Settings) -> str:
    if settings.bot_username:
        return settings.bot_username.lstrip("@")
    if not settings.token_is_set:
        raise ValidationError("no_bot_username")
    from bot.main.app import build_bot

    bot = build_bot(settings)
    try:
        return (await bot.me()).username
    finally:
        await bot.session.close()


async def invite_create(settings: Settings, args: argparse.Namespace) -> int:
    username = await bot_username(settings)
    async with open_session(settings) as session:
        org_id = await resolve_org(session, args.org)
        invite = await invites.create_invite(
            session,
            SYSTEM,
            org_id,
            RoleKind(args.role),
            ttl_days=args.days or settings.invite_ttl_days,
            max_uses=args.uses,
        )
    print(invite_link(username, invite.token))
    expires = format_date(invite.expires_on(settings.default_timezone))
    print(f"Организация: {invite.org_name}; действует до {expires}")
    return 0


async def invite_list(settings: Settings, args: argparse.Namespace) -> int:
    now = utcnow()
    async with open_session(settings) as session:
        items = await invites.list_invites(session, SYSTEM)
    for item in items:
        expires = format_date(item.expires_on(settings.default_timezone))
        print(
            f"{item.id:>5}  {item.state(now):<8} {item.role.value:<11} "
            f"{item.uses}/{item.max_uses}  до {expires}  {item.org_name}"
        )
    if not items:
        print("Приглашений нет.")
    return 0


async def invite_revoke(settings: Settings, args: argparse.Namespace) -> int:
    async with open_session(settings) as session:
        await invites.revoke_invite(session, SYSTEM, args.id)
    print("Приглашение отозвано.")
    return 0
