"""Texts of the reports menu in chat and on the console."""

from __future__ import annotations

BTN_SUMMARY = "📋 Сводка"
BTN_OVERDUE = "⚠️ Просрочено"
BTN_XLSX = "📊 XLSX"
BTN_CHART = "📈 График"
MENU = "📊 <b>Отчёты</b>: {org}\nЧто подготовить?"
CHOOSE_SCOPE = "📊 <b>Отчёты</b>\nПо какой организации?"
PREPARING = "⏳ Готовлю отчёт…"
READY = "✅ Отчёт готов."
XLSX_CAPTION = "Отчёт: {org}, {date}"
CHART_CAPTION = "Выполнение по организациям: {org}, {date}"
XLSX_NAME = "report-{date}.xlsx"
CHART_NAME = "chart-{date}.png"

DEMO_NOT_EMPTY = (
    "База данных не пуста: демонстрационные данные загружаются только в пустую базу. "
    "Укажите другую DATABASE_URL, например sqlite+aiosqlite:///data/demo.sqlite3."
)
DEMO_DONE = (
    "Демонстрационные данные загружены: {orgs}, {plans}, {tasks}, {people}, {confirmations}.\n"
    'Попробуйте: python -m bot report --org "{root}" --xlsx report.xlsx --png chart.png'
)
DEMO_NO_SEEDS = "Не найдены файлы планов для демонстрации: {path}"
FILE_WRITTEN = "Записан файл: {path}"
