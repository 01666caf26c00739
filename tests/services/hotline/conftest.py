"""Hotline fixtures: a parent and an operator of each municipality of the tree."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bot.domain.enums import RoleKind
from storage.models import Role, User
from tests.support.factories import add_telegram_user


@dataclass
class People:
    parent: User
    operator: User  # of «Касимов», the tree's first municipality
    other_operator: User  # of «Мегион»
    parent_tg: int = 300
    operator_tg: int = 400
    other_operator_tg: int = 401


@pytest.fixture
async def people(session, tree) -> People:
    parent = await add_telegram_user(
        session,
        300,
        "Иванова Мария",
    )
    operator = await add_telegram_user(session, 400, "Оператор Касимов")
    other = await add_telegram_user(session, 401, "Оператор Мегион")
    session.add_all(
        [
            Role(user_id=parent.id, role=RoleKind.PARENT, org_id=None),
            Role(user_id=operator.id, role=RoleKind.OPERATOR, org_id=tree.muni.id),
            Role(user_id=other.id, role=RoleKind.OPERATOR, org_id=tree.muni2.id),
        ]
    )
    await session.commit()
    return People(parent, operator, other)
