"""Organisation tree queries."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.domain.enums import OrgKind, RoleKind
from storage.models import Organization, Role


def _subtree_cte(root_ids: Sequence[int]):
    tree = (
        select(Organization.id, literal(0).label("depth"))
        .where(Organization.id.in_(root_ids))
        .cte("tree", recursive=True)
    )
    return tree.union_all(
        select(Organization.id, (tree.c.depth + 1).label("depth")).join(
            tree, Organization.parent_id == tree.c.id
        )
    )


async def subtree_ids(session: AsyncSession, root_ids: Sequence[int]) -> set[int]:
    if not root_ids:
        return set()
    tree = _subtree_cte(root_ids)
    return set((await session.scalars(select(tree.c.id))).all())


async def get_org(session: AsyncSession, org_id: int) -> Organization | None:
    return await session.get(Organization, org_id)


async def get_org_by_name(
    session: AsyncSession, name: str, parent_id: int | None = None, *, any_parent: bool = False
) -> Organization | None:
    """The first organisation of that name (see ``list_orgs_by_name``)."""
    found = await list_orgs_by_name(session, name, parent_id, any_parent=any_parent)
    return found[0] if found else None


async def list_orgs_by_name(
    session: AsyncSession, name: str, parent_id: int | None = None, *, any_parent: bool = False
) -> list[Organization]:
    """Match a name exactly, else case-insensitively (SQLite's lower() ignores Cyrillic)."""
    name = " ".join(name.split())
    query = select(Organization).order_by(Organization.id)
    if not any_parent:
        # IS takes only NULL on PostgreSQL; a parent id needs =.
        same_parent = (
            Organization.parent_id.is_(None)
            if parent_id is None
            else Organization.parent_id == parent_id
        )
        query = query.where(same_parent)
    exact = list((await session.scalars(query.where(Organization.name == name))).all())
    if exact:
        return exact
    wanted = name.casefold()
    candidates = await session.scalars(query.where(func.length(Organization.name) == len(name)))
    return [org for org in candidates if org.name.casefold() == wanted]


async def list_roots(session: AsyncSession) -> list[Organization]:
    query = select(Organization).where(Organization.parent_id.is_(None)).order_by(Organization.id)
    return list((await session.scalars(query)).all())


async def list_children(session: AsyncSession, parent_id: int) -> list[Organization]:
    query = (
        select(Organization).where(Organization.parent_id == parent_id).order_by(Organization.name)
    )
    return list((await session.scalars(query)).all())


async def list_orgs(session: AsyncSession, ids: Sequence[int] | None = None) -> list[Organization]:
    query = select(Organization).order_by(Organization.parent_id.nullsfirst(), Organization.name)
    if ids is not None:
        query = query.where(Organization.id.in_(ids))
    return list((await session.scalars(query)).all())


async def list_schools(
    session: AsyncSession, within: Sequence[int], *, risk_only: bool = False
) -> list[Organization]:
    ids = await subtree_ids(session, within)
    query = select(Organization).where(
        Organization.id.in_(ids), Organization.kind == OrgKind.SCHOOL
    )
    if risk_only:
        query = query.where(Organization.at_risk.is_(True))
    return list((await session.scalars(query.order_by(Organization.name))).all())


async def list_by_kind(
    session: AsyncSession, within: Sequence[int], kind: OrgKind
) -> list[Organization]:
    ids = await subtree_ids(session, within)
    query = select(Organization).where(Organization.id.in_(ids), Organization.kind == kind)
    return list((await session.scalars(query.order_by(Organization.name))).all())


async def list_with_parent_names(
    session: AsyncSession, kind: OrgKind
) -> list[tuple[Organization, str | None]]:
    """Every organisation of the kind with its parent's name, by name."""
    parent = aliased(Organization)
    query = (
        select(Organization, parent.name)
        .outerjoin(parent, parent.id == Organization.parent_id)
        .where(Organization.kind == kind)
        .order_by(Organization.name, Organization.id)
    )
    return [(org, parent_name) for org, parent_name in (await session.execute(query)).all()]


async def ancestors(session: AsyncSession, org_id: int) -> list[Organization]:
    """The organisation and its parents, nearest first."""
    chain: list[Organization] = []
    current = await session.get(Organization, org_id)
    while current is not None:
        chain.append(current)
        current = await session.get(Organization, current.parent_id) if current.parent_id else None
    return chain


async def count_people(session: AsyncSession, org_ids: Sequence[int]) -> dict[int, int]:
    query = (
        select(Role.org_id, func.count())
        .where(Role.org_id.in_(org_ids), Role.role == RoleKind.COORDINATOR)
        .group_by(Role.org_id)
    )
    return {org_id: count for org_id, count in (await session.execute(query)).all()}


def add_org(session: AsyncSession, **fields) -> Organization:
    org = Organization(**fields)
    session.add(org)
    return org
