"""The registry: new organisations' zones, admins bound to every top organisation, and
parents named unambiguously (or by a path) in an imported registry."""

from __future__ import annotations

import pytest

from bot.channels.telegram.identity import admin_identities
from bot.domain.enums import OrgKind, RoleKind
from bot.domain.errors import NotFound, ValidationError
from bot.services import orgs
from bot.services.access import SYSTEM, bootstrap_admins, managed_org_ids
from bot.services.orgs import RegistryRow
from bot.texts.errors import error_text
from storage.repo import orgs as org_repo
from tests.support.factories import telegram_principal

ROOT = "Орган управления образованием"
ADMINS = admin_identities([77])


async def test_a_new_organisation_without_a_zone_shows_the_default_zone(session, tree):
    view = await orgs.add_child(session, SYSTEM, tree.region.id, "Новый район", "Asia/Irkutsk")
    assert view.kind == OrgKind.MUNICIPALITY
    assert view.timezone == "Asia/Irkutsk"
    school = await orgs.add_child(session, SYSTEM, tree.muni2.id, "Лицей № 9", "Asia/Irkutsk")
    assert school.timezone == "Asia/Yekaterinburg", "the municipality's own zone wins"


async def test_admins_get_a_root_when_the_registry_is_empty(session):
    (root_id,) = await bootstrap_admins(session, ADMINS, ROOT)
    root = await org_repo.get_org(session, root_id)
    assert root.name == ROOT and root.parent_id is None
    assert (await telegram_principal(session, 77)).org_ids(RoleKind.OFFICER) == [root_id]


async def test_a_region_imported_after_the_root_is_seen_by_the_admins(session):
    await bootstrap_admins(session, ADMINS, ROOT)
    await orgs.import_registry(
        session,
        SYSTEM,
        [
            RegistryRow("Рязанская область", "", "Europe/Moscow", False),
            RegistryRow("Касимов", "Рязанская область", None, False),
            RegistryRow("Шилово", ROOT, None, False),
        ],
    )
    # The next start binds them again; nothing is created twice.
    roots = await bootstrap_admins(session, ADMINS, ROOT)
    assert len(roots) == 2
    assert len(await bootstrap_admins(session, ADMINS, ROOT)) == 2

    admin = await telegram_principal(session, 77)
    seen = await managed_org_ids(session, admin)
    names = {org.name for org in await org_repo.list_orgs(session, sorted(seen))}
    assert names == {ROOT, "Рязанская область", "Касимов", "Шилово"}


async def _two_centrals(session) -> None:
    await orgs.import_registry(
        session,
        SYSTEM,
        [
            RegistryRow("Рязанская область", "", None, False),
            RegistryRow("Тверская область", "", None, False),
            RegistryRow("Центральный", "Рязанская область", None, False),
            RegistryRow("Центральный", "Тверская область", None, False),
        ],
    )


async def test_an_ambiguous_parent_is_refused_naming_the_row(session):
    await _two_centrals(session)
    rows = orgs.read_registry("Название;Вышестоящая\nШкола № 1;Центральный\n".encode(), "orgs.csv")
    with pytest.raises(ValidationError) as caught:
        await orgs.import_registry(session, SYSTEM, rows)
    message = error_text(caught.value)
    assert message.startswith("Строка 2 («Школа № 1»)")
    assert "Рязанская область / Центральный; Тверская область / Центральный" in message
    assert await org_repo.get_org_by_name(session, "Школа № 1", any_parent=True) is None


async def test_a_parent_defined_twice_in_the_file_is_ambiguous_wherever_it_comes(session):
    rows = [
        RegistryRow("Рязанская область", "", None, False),
        RegistryRow("Тверская область", "", None, False),
        RegistryRow("Центральный", "Рязанская область", None, False),
        RegistryRow("Школа № 1", "Центральный", None, False),
        RegistryRow("Центральный", "Тверская область", None, False),
    ]
    with pytest.raises(ValidationError) as caught:
        await orgs.import_registry(session, SYSTEM, rows)
    assert caught.value.code == "ambiguous_parent"
    assert caught.value.details["line"] == 4
    assert await org_repo.list_roots(session) == [], "nothing of the file is kept"


async def test_a_path_names_the_parent_exactly(session):
    await _two_centrals(session)
    await orgs.import_registry(
        session, SYSTEM, [RegistryRow("Школа № 1", "Тверская область / Центральный", None, True)]
    )
    school = await org_repo.get_org_by_name(session, "Школа № 1", any_parent=True)
    assert await orgs.org_path(session, school.id) == (
        "Тверская область / Центральный / Школа № 1"
    )
    # A path that leads nowhere is an unknown parent.
    with pytest.raises(ValidationError) as caught:
        await orgs.import_registry(
            session, SYSTEM, [RegistryRow("Школа № 2", "Тверская область / Южный", None, False)]
        )
    assert caught.value.code == "unknown_parent"


async def test_a_name_with_a_slash_is_still_found_whole(session):
    await orgs.import_registry(
        session,
        SYSTEM,
        [
            RegistryRow("ГО Касимов / Касимовский район", "", None, False),
            RegistryRow("Школа № 5", "ГО Касимов / Касимовский район", None, False),
        ],
    )
    school = await org_repo.get_org_by_name(session, "Школа № 5", any_parent=True)
    assert school.parent_id is not None


async def test_console_references_refuse_ambiguous_names(session):
    await _two_centrals(session)
    with pytest.raises(ValidationError) as caught:
        await orgs.find_org_id(session, "центральный")
    assert caught.value.code == "ambiguous_org"
    tver = await orgs.find_org_id(session, "Тверская область / Центральный")
    assert await orgs.org_path(session, tver) == "Тверская область / Центральный"
    assert await orgs.find_org_id(session, str(tver)) == tver
    with pytest.raises(NotFound):
        await orgs.find_org_id(session, "Северный")
