"""Invitations: tokens, expiry, use limits, revocation and subtree access."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import pytest
import time_machine
from openpyxl import load_workbook

from bot.channels.telegram.identity import telegram_identity
from bot.channels.telegram.links import invite_link
from bot.domain.enums import RoleKind
from bot.domain.errors import AccessDenied, InviteError, ValidationError
from bot.exports.invites import invites_csv, invites_xlsx
from bot.services import invites
from bot.services.access import load_principal
from storage.base import utcnow
from storage.repo.audit import list_audit
from tests.support.factories import telegram_principal


async def test_token_is_long_random_and_redeems_once(session, tree):
    officer = await load_principal(session, tree.officer.id)
    invite = await invites.create_invite(
        session, officer, tree.school2.id, RoleKind.COORDINATOR, ttl_days=7
    )
    other = await invites.create_invite(
        session, officer, tree.school2.id, RoleKind.COORDINATOR, ttl_days=7
    )
    assert invite.token != other.token
    assert len(invite.token) >= 32  # 24 random bytes, base64url

    principal, view = await invites.redeem_invite(
        session, invite.token, telegram_identity(555, "iv"), "Иванова И.И."
    )
    assert principal.org_ids(RoleKind.COORDINATOR) == [tree.school2.id]
    assert view.org_name == tree.school2.name

    with pytest.raises(InviteError) as err:
        await invites.redeem_invite(
            session, invite.token, telegram_identity(556), "Другой Человек"
        )
    assert err.value.code == "used_up"
    assert await telegram_principal(session, 556) is None
    assert [e.action for e in await list_audit(session, "invite")][-1] == "invite.redeem"


async def test_expired_revoked_and_forged_tokens_are_refused(session, tree):
    officer = await load_principal(session, tree.officer.id)
    expiring = await invites.create_invite(
        session, officer, tree.school.id, RoleKind.COORDINATOR, ttl_days=1
    )
    revoked = await invites.create_invite(
        session, officer, tree.school.id, RoleKind.COORDINATOR, ttl_days=1
    )
    await invites.revoke_invite(session, officer, revoked.id)

    with time_machine.travel(utcnow() + timedelta(days=2), tick=False):
        with pytest.raises(InviteError) as err:
            await invites.check_invite(session, expiring.token)
        assert err.value.code == "expired"
    for token, code in [(revoked.token, "revoked"), ("x" * 32, "unknown"), ("short", "unknown")]:
        with pytest.raises(InviteError) as err:
            await invites.redeem_invite(session, token, telegram_identity(777), "Кто-то Там")
        assert err.value.code == code
    assert await telegram_principal(session, 777) is None


async def test_officer_cannot_invite_outside_subtree(session, tree):
    muni_officer = await load_principal(session, tree.muni_officer.id)
    with pytest.raises(AccessDenied):
        await invites.create_invite(
            session, muni_officer, tree.other_school.id, RoleKind.COORDINATOR, ttl_days=3
        )
    with pytest.raises(ValidationError):
        await invites.create_invite(
            session, muni_officer, tree.school.id, RoleKind.OFFICER, ttl_days=3
        )


async def test_bulk_invites_for_schools_export(session, tree):
    officer = await load_principal(session, tree.muni_officer.id)
    created = await invites.invites_for_schools(session, officer, tree.muni.id, ttl_days=10)
    assert sorted(i.org_name for i in created) == sorted(
        [tree.school.name, tree.school2.name, tree.risky.name]
    )
    book = load_workbook(
        __import__("io").BytesIO(invites_xlsx(created, partial(invite_link, "rb")))
    )
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("Организация", "Ссылка-приглашение", "Действует до")
    assert {r[1] for r in rows[1:]} == {f"https://t.me/rb?start={i.token}" for i in created}
    csv_text = invites_csv(created, partial(invite_link, "rb")).decode("utf-8-sig")
    assert tree.risky.name in csv_text and csv_text.count("https://t.me/rb?start=") == 3
