"""The console: help, the missing-token exit, the registry and invitations."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
import time_machine

from bot.domain.enums import RoleKind
from bot.main.cli import main
from bot.services.orgs import org_names
from storage.db import create_engine, create_session_factory
from tests.support.factories import telegram_principal


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BOT_USERNAME", "roadmap_test_bot")
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    return tmp_path


def test_help_lists_administrative_commands():
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in (
        "python -m bot migrate",
        "python -m bot org import FILE",
        "python -m bot org list",
        "python -m bot invite create --role officer|coordinator --org ОРГ",
        "python -m bot invite list",
        "python -m bot invite revoke ID",
        "python -m bot plan parse FILE",
        "python -m bot plan import FILE --org ОРГ",
        "python -m bot report --org ОРГ",
        "python -m bot demo-data",
    ):
        assert command in out, command


def test_help_epilog_matches_the_parser():
    """Every command the epilog names exists, and every command is named there."""
    from bot.main.cli import EPILOG, build_parser

    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    named = {
        tuple(line.split()[3:5])
        for line in EPILOG.splitlines()
        if line.strip().startswith("python -m bot ")
    }
    for name, sub in commands.items():
        nested = sub._subparsers._group_actions[0].choices if sub._subparsers else {}
        if nested:
            for action in nested:
                assert any(n[:2] == (name, action) for n in named), f"{name} {action}"
        else:
            assert any(n[0].strip("[]") == name for n in named), name


def test_missing_token_exits_with_code_2_and_russian_message(env):
    result = subprocess.run(
        [sys.executable, "-m", "bot"], capture_output=True, text=True, cwd=env, check=False
    )
    assert result.returncode == 2
    assert "Не задан токен бота" in result.stderr
    assert "Traceback" not in result.stderr


def test_placeholder_token_is_refused(env, monkeypatch, capsys):
    monkeypatch.setenv("BOT_TOKEN", "123456:replace-me")
    assert main([]) == 2
    assert "BOT_TOKEN" in capsys.readouterr().err


def test_registry_import_list_and_invitations(env, capsys):
    registry = env / "orgs.csv"
    registry.write_text(
        "Название;Вышестоящая;Часовой пояс;Риск\n"
        "МБОУ «СШ № 3»;Касимов;;да\n"
        "Рязанская область;;Europe/Moscow;\n"
        "Касимов;Рязанская область;;\n",
        encoding="utf-8",
    )
    assert main(["org", "import", str(registry)]) == 0
    assert "Добавлено организаций: 3" in capsys.readouterr().out

    assert main(["org", "list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert [line.strip().split("  ", 1)[1] for line in listing] == [
        "Рязанская область [Europe/Moscow]",
        "Касимов",
        "МБОУ «СШ № 3» [риск]",
    ]

    assert main(["invite", "create", "--role", "coordinator", "--org", "МБОУ «СШ № 3»"]) == 0
    link = capsys.readouterr().out.splitlines()[0]
    assert link.startswith("https://t.me/roadmap_test_bot?start=")
    assert len(link.split("start=")[1]) >= 32

    assert main(["invite", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert "active" in line and "coordinator" in line and "0/1" in line
    invite_id = line.split()[0]
    assert main(["invite", "revoke", invite_id]) == 0
    capsys.readouterr()
    assert main(["invite", "list"]) == 0
    assert "revoked" in capsys.readouterr().out

    # An officer cannot be invited to a school.
    assert main(["invite", "create", "--role", "officer", "--org", "МБОУ «СШ № 3»"]) == 1
    assert "нельзя выдать" in capsys.readouterr().err


def test_unknown_parent_in_registry_is_explained(env, capsys):
    registry = env / "orgs.csv"
    registry.write_text("Школа № 1;Нет такого\n", encoding="utf-8")
    assert main(["org", "import", str(registry)]) == 1
    assert "Нет такого" in capsys.readouterr().err


def test_unknown_log_level_is_explained_in_russian(env, monkeypatch, capsys):
    monkeypatch.setenv("LOG_LEVEL", "bogus")
    assert main(["org", "list"]) == 2
    err = capsys.readouterr().err
    assert "LOG_LEVEL" in err and "bogus" in err and "DEBUG, INFO" in err
    assert "validation error" not in err


def test_log_level_is_case_insensitive(env, monkeypatch, capsys):
    monkeypatch.setenv("LOG_LEVEL", "warning")
    assert main(["org", "list"]) == 0


def test_malformed_token_exits_with_code_2_and_is_not_echoed(env):
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        capture_output=True,
        text=True,
        cwd=env,
        env={**os.environ, "BOT_TOKEN": "abc:def-secret"},
        check=False,
    )
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr and "число:секрет" in result.stderr
    assert "Traceback" not in result.stderr
    assert "def-secret" not in result.stderr


@pytest.mark.parametrize("token", ["abc:def", "123456", "123456:", "12 34:secret", ":secret"])
def test_token_format_is_checked(env, monkeypatch, capsys, token):
    monkeypatch.setenv("BOT_TOKEN", token)
    assert main([]) == 2
    assert "BOT_TOKEN: неверный формат" in capsys.readouterr().err


def test_every_wrong_setting_is_named_in_russian(env, monkeypatch, capsys):
    monkeypatch.setenv("REMINDER_HOUR", "25")
    monkeypatch.setenv("TICK_SECONDS", "-1")
    monkeypatch.setenv("ADMIN_IDS", "1, x")
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    assert main(["org", "list"]) == 2
    err = capsys.readouterr().err
    assert "REMINDER_HOUR: должно быть не больше 23 (указано: «25»)" in err
    assert "TICK_SECONDS: должно быть больше 0 " in err
    assert "ADMIN_IDS: нужны числовые Telegram id" in err
    assert "DEFAULT_TIMEZONE: неизвестный часовой пояс" in err


def test_imported_region_is_bound_to_the_admins(env, monkeypatch, capsys):
    monkeypatch.setenv("ADMIN_IDS", "77")
    registry = env / "orgs.csv"
    registry.write_text(
        "Рязанская область;;Europe/Moscow\nКасимов;Рязанская область;\n", encoding="utf-8"
    )
    assert main(["org", "import", str(registry)]) == 0

    async def officer_orgs() -> list[str]:
        engine = create_engine(f"sqlite+aiosqlite:///{env / 'cli.sqlite3'}")
        try:
            async with create_session_factory(engine)() as session:
                admin = await telegram_principal(session, 77)
                return await org_names(session, admin.org_ids(RoleKind.OFFICER))
        finally:
            await engine.dispose()

    assert asyncio.run(officer_orgs()) == ["Рязанская область"]


def test_ambiguous_organisation_names_are_refused_with_the_way_out(env, capsys):
    registry = env / "orgs.csv"
    registry.write_text(
        "Рязанская область;\nТверская область;\n"
        "Центральный;Рязанская область\nЦентральный;Тверская область\n"
        "Школа № 1;Центральный\n",
        encoding="utf-8",
    )
    assert main(["org", "import", str(registry)]) == 1
    err = capsys.readouterr().err
    assert "Строка 5 («Школа № 1»)" in err and "Тверская область / Центральный" in err

    registry.write_text(
        registry.read_text().replace(
            "Школа № 1;Центральный", "Школа № 1;Тверская область / Центральный"
        )
    )
    assert main(["org", "import", str(registry)]) == 0
    capsys.readouterr()
    assert main(["invite", "create", "--role", "officer", "--org", "Центральный"]) == 1
    assert "Организаций с названием «Центральный» несколько" in capsys.readouterr().err
    assert (
        main(["invite", "create", "--role", "officer", "--org", "Тверская область / Центральный"])
        == 0
    )


def test_invitation_expiry_is_printed_in_the_schools_time(env, capsys):
    registry = env / "orgs.csv"
    registry.write_text(
        "Камчатский край;;Asia/Kamchatka;\nЕлизово;Камчатский край;;\nСОШ № 1;Елизово;;\n",
        encoding="utf-8",
    )
    assert main(["org", "import", str(registry)]) == 0
    capsys.readouterr()
    # 23:30 UTC on the 10th is already 11:30 on the 11th on Kamchatka.
    with time_machine.travel(datetime(2024, 3, 10, 23, 30, tzinfo=UTC), tick=False):
        created = main(
            ["invite", "create", "--role", "coordinator", "--org", "СОШ № 1", "--days", "3"]
        )
        assert created == 0
        assert "действует до 14.03.2024" in capsys.readouterr().out
        assert main(["invite", "list"]) == 0
        assert "до 14.03.2024" in capsys.readouterr().out
