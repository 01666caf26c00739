"""Console: the report command with its files, and the demo database loaded once."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from bot.main.cli import main


def test_demo_data_then_report(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'demo.sqlite3'}")
    monkeypatch.setenv("BOT_TOKEN", "")
    assert main(["demo-data"]) == 0
    loaded = capsys.readouterr().out
    assert "Демонстрационные данные загружены: 15 организаций, 4 плана" in loaded

    assert main(["demo-data"]) == 1
    assert "База данных не пуста" in capsys.readouterr().out

    xlsx, png = tmp_path / "r.xlsx", tmp_path / "c.png"
    code = main(
        [
            "report",
            "--org",
            "Министерство образования (демо)",
            "--xlsx",
            str(xlsx),
            "--png",
            str(png),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "Исполнительская дисциплина:" in out and "<b>" not in out
    assert "МБОУ «СШ № 3» (Касимов)" in out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    book = load_workbook(BytesIO(xlsx.read_bytes()))
    summary = list(book["Сводка"].iter_rows(min_row=2, values_only=True))
    names = {row[0] for row in summary}
    assert {"МАОУ «Гимназия № 1»", "МБОУ «Лицей № 1»", "Итого"} <= names
    totals = next(row for row in summary if row[0] == "Итого")
    # Done, closed partial, closed not done, on review, in work.
    assert totals[2] == sum(totals[3:8]) > 0
    assert "Итого: Мегион" in names
    states = {row[7] for row in book["Задачи"].iter_rows(min_row=2, values_only=True)}
    assert states == {
        "Выполнено",
        "На проверке",
        "В работе",
        "Возвращено на доработку",
        "Снято с контроля: частично",
        "Снято с контроля: не выполнено",
    }
    # The console prints every overdue task and organisation, past Telegram's 4096 characters.
    overdue = book["Просрочено"].max_row - 1
    assert overdue > 10 and len(out) > 4096
    assert out.count("просрочено на ") == overdue
    assert "…и ещё" not in out
    assert "Итоги по муниципалитетам" in out


def test_report_for_unknown_org(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.sqlite3'}")
    assert main(["report", "--org", "Нет такой"]) == 1
    assert "Не найдено" in capsys.readouterr().err
