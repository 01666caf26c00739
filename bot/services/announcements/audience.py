"""Who an audience is: people inside the sender's subtree, never outside it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.enums import AudienceKind, OrgKind, RoleKind
from bot.domain.errors import AccessDenied, ValidationError
from bot.services.access import Principal
from bot.services.announcements.views import Audience
from storage.repo import announcements as repo
from storage.repo import orgs

# What each kind takes a choice of organisations for.
CHOICE_KINDS = (AudienceKind.COORDINATORS_OF, AudienceKind.PARENTS_OF)


def may_send_from(principal: Principal, org_id: int) -> bool:
    """Officers send from their organisation; a coordinator from their school, to its
    parents only."""
    return principal.is_system or org_id in (
        principal.org_ids(RoleKind.OFFICER) + principal.org_ids(RoleKind.COORDINATOR)
    )


def kinds_for(principal: Principal, org_id: int) -> list[AudienceKind]:
    """The audiences the person may address from the organisation."""
    if principal.is_system or org_id in principal.org_ids(RoleKind.OFFICER):
        return list(AudienceKind)
    if org_id in principal.org_ids(RoleKind.COORDINATOR):
        return [AudienceKind.PARENTS_OF]
    return []


async def recipients(
    session: AsyncSession, principal: Principal, org_id: int, audience: Audience
) -> list[int]:
    """The user ids the audience means, the author left out; raises AccessDenied for an
    audience outside the sender's subtree or rights."""
    if audience.kind not in kinds_for(principal, org_id):
        raise AccessDenied()
    subtree = sorted(await orgs.subtree_ids(session, [org_id]))
    chosen = list(audience.org_ids)
    if not set(chosen) <= set(subtree):
        raise AccessDenied()
    if audience.kind in CHOICE_KINDS and not chosen:
        if audience.kind == AudienceKind.PARENTS_OF and await _is_school(session, org_id):
            chosen = [org_id]
        else:
            raise ValidationError("announcement_choose_orgs")
    if audience.kind == AudienceKind.COORDINATORS:
        found = await repo.holders(session, RoleKind.COORDINATOR, subtree)
    elif audience.kind == AudienceKind.COORDINATORS_OF:
        within = sorted(await orgs.subtree_ids(session, chosen))
        found = await repo.holders(session, RoleKind.COORDINATOR, within)
    elif audience.kind == AudienceKind.RISK_SCHOOLS:
        risky = await repo.risk_schools(session, subtree)
        found = await repo.holders(session, RoleKind.COORDINATOR, risky) if risky else []
    elif audience.kind == AudienceKind.OFFICERS:
        found = await repo.holders(session, RoleKind.OFFICER, subtree)
    elif audience.kind == AudienceKind.OPERATORS:
        found = await repo.holders(session, RoleKind.OPERATOR, subtree)
    else:
        within = sorted(await orgs.subtree_ids(session, chosen))
        found = await repo.parents_of(session, within)
    return [user_id for user_id in found if user_id != principal.user_id or principal.is_system]


async def _is_school(session: AsyncSession, org_id: int) -> bool:
    org = await orgs.get_org(session, org_id)
    return org is not None and org.kind == OrgKind.SCHOOL
