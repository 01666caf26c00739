"""The plan console commands: preview as a table or JSON, refusals, import for an org."""

from __future__ import annotations

import json

import pytest

from bot.domain.plans.documents import read_plan
from bot.domain.plans.export import analyse_plan, to_json
from bot.main.cli import main
from tests.support.seeds import SEED_001, SEED_003


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("BOT_USERNAME", "roadmap_test_bot")
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    return tmp_path


def test_parse_prints_a_table(env, capsys):
    assert main(["plan", "parse", str(SEED_001)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("План мероприятий «дорожная карта»")
    assert "Период: 01.01.2024 – 31.12.2024" in out
    assert "30.09.2023, 31.12.2023" in out  # 2.3 «сентябрь, декабрь 2023»
    assert "«согласно плану СОИРО» — без даты" in out
    assert "Мероприятий: 24" in out
    assert "Без даты (нужно указать срок): 2" in out
    assert not (env / "cli.sqlite3").exists()  # nothing saved


def test_parse_json_is_exactly_the_export(env, capsys):
    assert main(["plan", "parse", str(SEED_003), "--json"]) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "\\u04" not in out
    expected = to_json(analyse_plan(read_plan(SEED_003.read_bytes(), SEED_003.name)))
    assert json.loads(out) == expected
    assert expected["measures"][0]["deadline"]["due"] == [
        "2022-11-30",
        "2023-11-30",
        "2024-11-30",
    ]


def test_parse_with_a_period(env, capsys):
    args = ["plan", "parse", str(SEED_001), "--json", "--period", "2023-09-01:2024-08-31"]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["plan"]["period"] == {"start": "2023-09-01", "end": "2024-08-31"}
    assert main(["plan", "parse", str(SEED_001), "--period", "весной"]) == 1
    assert "Неверный период «весной»" in capsys.readouterr().err


def test_unreadable_files_exit_1_with_a_russian_message(env, capsys):
    assert main(["plan", "parse", str(env / "нет.docx")]) == 1
    assert "Файл не найден" in capsys.readouterr().err
    picture = env / "plan.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 50)
    assert main(["plan", "parse", str(picture)]) == 1
    err = capsys.readouterr().err
    assert "изображение" in err and "Traceback" not in err
    no_period = env / "plan.txt"
    no_period.write_text("№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\tмарт\tОО\n")
    assert main(["plan", "parse", str(no_period)]) == 1
    assert "--period" in capsys.readouterr().err
    assert main(["plan", "parse", str(no_period), "--period", "2024-01-01:2024-12-31"]) == 0


def test_import_for_an_org_and_again(env, capsys):
    registry = env / "orgs.csv"
    registry.write_text(
        "Название;Вышестоящая;Часовой пояс;Риск\n"
        "Смоленская область;;Europe/Moscow;\n"
        "Холм-Жирковский район;Смоленская область;;\n"
        "МБОУ Игоревская СШ;Холм-Жирковский район;;\n"
        "МБОУ Тупиковская СШ;Холм-Жирковский район;;да\n",
        encoding="utf-8",
    )
    assert main(["org", "import", str(registry)]) == 0
    capsys.readouterr()
    assert main(["plan", "import", str(SEED_001), "--org", "Холм-Жирковский район"]) == 0
    out = capsys.readouterr().out
    assert "Загружен новый план № 1." in out
    # 17 occurrences for each of 2 schools, 7 for the office.
    assert "Мероприятий: 24 (новых 24, изменено 0, удалено 0); задач: 41." in out
    assert "Без даты: 2" in out

    assert main(["plan", "import", str(SEED_001), "--org", "2"]) == 0
    assert "План обновлён № 1." in capsys.readouterr().out

    assert main(["plan", "import", str(SEED_001), "--org", "Нет такой"]) == 1
    assert "Не найдено" in capsys.readouterr().err
