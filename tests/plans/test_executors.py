"""Executor levels from «Ответственный» texts."""

import pytest

from bot.domain.plans.executors import ExecutorLevel, classify_executor

L = ExecutorLevel


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Руководители ОУ", L.SCHOOLS),
        ("Руководители ОО", L.SCHOOLS),
        ("ОО", L.SCHOOLS),
        ("Общеобразовательные организации", L.SCHOOLS),
        ("школьные координаторы", L.SCHOOLS),
        ("Отдел по образованию, координаторы ОО", L.SCHOOLS),
        ("Отдел по образованию, руководители ОО", L.SCHOOLS),
        ("Отдел по образованию, ОО", L.SCHOOLS),
        ("Муниципальный и школьные координаторы ВПР, руководители РМО,", L.SCHOOLS),
        ("Отдел общего образования, МКУ «ЦРО», общеобразовательные организации", L.SCHOOLS),
        (
            "Общеобразовательные организации, имеющие необъективные признаки оценивания",
            L.RISK_SCHOOLS,
        ),
        ("ОО с признаками необъективности", L.RISK_SCHOOLS),
        ("Руководители ОУ, входящих в зону риска", L.RISK_SCHOOLS),
        ("МОУО", L.MUNICIPALITIES),
        ("муниципальные координаторы", L.MUNICIPALITIES),
        ("Муниципальные координаторы ВПР", L.MUNICIPALITIES),
        ("Отдел по образованию", L.OWNER),
        ("Отдел общего образования", L.OWNER),
        ("МКУ «ЦРО», отдел общего образования", L.OWNER),
        ("Ермакова Т.В. Седова Т.К.", L.OWNER),
        ("Скворцова Н.Г.", L.OWNER),
        ("МС СП МБОУ ДО «Доверие»", L.OWNER),
        ("Департамент образования", L.OWNER),
        ("Институт развития образования", L.OWNER),
        ("ООО «Ромашка»", L.OWNER),
        ("Отдел воспитательной работы и дополнительного образования", L.OWNER),
        ("", L.OWNER),
    ],
)
def test_classify_executor(text, level) -> None:
    assert classify_executor(text) is level


def test_seed_executors(plan_000, plan_001, plan_003) -> None:
    def levels(plan):
        return [classify_executor(m.responsible) for m in plan.measures]

    assert levels(plan_000).count(L.SCHOOLS) == 7
    assert L.SCHOOLS in levels(plan_001)
    assert levels(plan_003)[3] is L.RISK_SCHOOLS
