"""The console: help, the missing-token exit, the registry and invitations."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli import main


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
    for command in ("migrate", "org", "invite"):
        assert command in out


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
