"""Reading the seed plans: counts, sections, page-break continuations, metadata."""

import json
from datetime import date

import pytest

from bot.domain.plans.deadlines import PlanPeriod
from bot.domain.plans.documents import read_plan
from bot.domain.plans.models import ParsedPlan
from bot.domain.plans.table import clean


def test_seed_000_measures_and_sections(plan_000) -> None:
    assert len(plan_000.measures) == 15
    assert [m.position for m in plan_000.measures] == list(range(1, 16))
    assert [m.number for m in plan_000.measures] == [
        "1", "2", "3", "4", "1", "2", "3", "4", "1", "2", "3", "4", "1", "2", "4"]  # fmt: skip
    sections = list(dict.fromkeys(m.section for m in plan_000.measures))
    assert sections == [
        "Мероприятия, предусматривающие анализ причин необъективности результатов оценочных "
        "процедур в каждой ОУ",
        "Проведение информационно-разъяснительной работы, формирование позитивного отношения "
        "к объективной оценке",
        "Контроль за организацией и проведением процедур оценки качества образования "
        "на муниципальном уровне",
        "Проведение профилактической работы по предупреждению необъективности образовательных "
        "результатов",
    ]
    assert [sum(m.section == s for m in plan_000.measures) for s in sections] == [4, 4, 4, 3]
    first = plan_000.measures[0]
    assert first.title == "Собеседования с руководителями ОУ с признаками необъективности ВПР"
    assert first.deadline_text == "февраль, далее - по мере получения результатов в ВПР"
    assert first.responsible == "Ермакова Т.В. Седова Т.К."
    assert (first.document, first.result) == (None, None)


def test_seed_000_metadata(plan_000) -> None:
    assert plan_000.title == (
        "План мероприятий по повышению объективности оценки образовательных результатов"
    )
    assert plan_000.approved == date(2021, 2, 25)
    assert plan_000.approved_by.startswith("Управление образования и молодежной политики")
    assert plan_000.period == PlanPeriod(date(2020, 9, 1), date(2021, 8, 31))


def test_seed_001_measures(plan_001) -> None:
    numbers = [m.number for m in plan_001.measures]
    assert len(numbers) == 24
    assert numbers[:8] == [f"1.{i}." for i in range(1, 9)]
    assert numbers[8:18] == [f"2.{i}." for i in range(1, 11)]
    assert numbers[18:] == ["31.", "3.2.", "3.3.", "3.4.", "3.5.", "3.6."]


def test_seed_001_sections_combine_with_problem_rows(plan_001) -> None:
    by_number = {m.number: m for m in plan_001.measures}
    assert by_number["1.1."].section == (
        "1. Объективность оценки качества подготовки обучающихся / "
        "Проблема: Низкая объективность оценки качества подготовки обучающихся"
    )
    assert by_number["2.10."].section == (
        "2. Сбалансированность системы оценки качества подготовки обучающихся / "
        "Проблема: Избыточное количество оценочных процедур"
    )
    assert by_number["31."].section.endswith(
        "/ Проблема: негативное отношение к объективной оценке"
    )


def test_seed_001_continuations_merge_by_column(plan_001) -> None:
    by_number = {m.number: m for m in plan_001.measures}
    first = by_number["1.1."]
    assert first.title.startswith("Инструктивно-методическое обеспечение проведения оценочной")
    assert first.title.endswith("- обсуждение результатов ВПР профессиональным сообществом.")
    assert "<p>" not in first.title and "<ul" not in first.title
    assert first.deadline_text == "август 2023 – март 2024"
    assert first.result.endswith("педагогические советы в ОО, родительские собрания.")
    assert first.result.startswith("Готовность участников образовательных отношений к проведению")
    assert "</p>" not in first.result
    third = by_number["3.4."]
    assert third.title == (
        "Организация деятельности РМО, педагогов-психологов по формированию позитивного "
        "отношения участников образовательных отношений к оценочным процедурам"
    )
    assert third.result == (
        "Формирование позитивного отношения участников образовательных отношений к оценочным "
        "процедурам оценки качества образования, создание комфортного психологического климата "
        "в период подготовки и проведения оценочных процедур"
    )
    assert third.deadline_text == "октябрь 2023-апрель 2024"
    assert by_number["1.8."].result is None


def test_seed_001_metadata(plan_001) -> None:
    assert plan_001.title.startswith(
        "План мероприятий «дорожная карта» по обеспечению объективности"
    )
    assert plan_001.title.endswith("«Холм-Жирковский район» Смоленской области в 2024 году")
    assert plan_001.approved is None
    assert plan_001.period == PlanPeriod(date(2024, 1, 1), date(2024, 12, 31))


def test_seed_003_measures_and_columns(plan_003) -> None:
    numbers = [m.number for m in plan_003.measures]
    assert len(numbers) == 26
    assert numbers == [
        *(f"1.{i}." for i in range(1, 7)),
        *(f"2.{i}." for i in range(1, 9)),
        *(f"3.{i}." for i in range(1, 12)),
        "4.1.",
    ]
    first = plan_003.measures[0]
    assert first.section == "1. Нормативно-правовое обеспечение"
    assert first.responsible == "Отдел общего образования"
    assert first.document == "Локальные акты"
    assert first.deadline_text == "2022-2024 до 31 ноября"
    assert plan_003.measures[-1].section == (
        "4. Анализ эффективности проведения мероприятий, принятых мер и управленческих решений"
    )


MERGED_003 = {
    "1.4.": {
        "title": "Разработка правовых актов в общеобразовательных организациях по повышению "
        "объективности проведения и оценивания ВПР",
        "responsible": "Общеобразовательные организации, имеющие необъективные признаки оценивания",
        "deadline_text": "2022-2024",
        "result": "Приказ, реализация мероприятий. Выход общеобразовательных организаций, имеющие "
        "необъективные результаты оценивания ВПР в эффективный режим функционирования",
    },
    "2.1.": {
        "result": "Подготовлены инструктивные и методические по проведению мониторингов оценки "
        "качества подготовки обучающихся, подготовлены выводы и предложения для принятия "
        "управленческих решений, составлены рекомендации",
    },
    "2.4.": {
        "result": "Подготовлены типовые рекомендации по повышению качества подготовки "
        "обучающихся, показавших уровень образовательных результатов ниже базового, внедрены "
        "в практическую деятельность общеобразовательных организаций",
    },
    "3.2.": {
        "result": "Разработаны показатели обеспечения объективности оценивания образовательных "
        "результатов для самодиагностики, проведение самодиагностики, подготовлены рекомендации "
        "для общеобразовательных организаций, имеющих признаки необъективности оценивания "
        "результатов всероссийских проверочных работ",
    },
    "3.7.": {
        "deadline_text": "ежегодно соответствии с планом, утвержденным Министерством просвещения "
        "Российской Федерации",
        "result": "Участие обучающихся общеобразовательных организаций в НИКО. Получение и анализ "
        "результатов в общеобразовательных результатов. Принятие управленческих решений",
    },
    "3.10.": {
        "responsible": "Отдел общего образования, общеобразовательные организации",
        "result": "Проведен мониторинг уровня сформированности разных видов компетенций в рамках "
        "функциональной грамотности, осуществлен анализ, подготовлены выводы и предложения для "
        "принятия управленческих решений, составлены рекомендации",
    },
    "4.1.": {
        "title": "Формирование предложений для включения в «дорожную карту» по совершенствованию "
        "и развитию региональной оценки качества подготовки обучающихся общеобразовательных "
        "организаций",
        "result": "Сформированы предложения для включения в «дорожную карту» по совершенствованию "
        "и развитию региональной системы оценки качества подготовки обучающихся "
        "общеобразовательных организаций",
    },
}


@pytest.mark.parametrize(("number", "fields"), MERGED_003.items())
def test_seed_003_continuations(plan_003, number, fields) -> None:
    measure = next(m for m in plan_003.measures if m.number == number)
    assert {name: getattr(measure, name) for name in fields} == fields


def test_seed_003_ignores_trailing_separator_line(plan_003) -> None:
    assert all(not m.number.startswith("--") for m in plan_003.measures)
    assert plan_003.measures[-1].number == "4.1."


def test_seed_003_metadata(plan_003) -> None:
    assert plan_003.title == (
        "План мероприятий («дорожная карта») по совершенствованию и развитию муниципальной "
        "системы оценки качества подготовки обучающихся в городе Мегионе на 2022-2024 годы"
    )
    assert plan_003.approved == date(2022, 2, 8)
    assert plan_003.approved_by == "Департамент образования"
    assert plan_003.period == PlanPeriod(date(2022, 1, 1), date(2024, 12, 31))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('<p>Текст</p> <ul style="list-style-type: none"><li>пункт</li></ul>', "Текст пункт"),
        ("**Жирный**  и&nbsp;пробелы &laquo;в&raquo;\n\tстроке", "Жирный и пробелы «в» строке"),
        ("<i>курсив</i>", "курсив"),
        ("оценка <5 баллов", "оценка <5 баллов"),
        (None, ""),
    ],
)
def test_clean(raw, expected) -> None:
    assert clean(raw) == expected


def test_school_year_and_calendar_periods_in_titles() -> None:
    text = (
        "План мероприятий на 2023-2024 учебный год\n\n"
        "№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\tоктябрь\tОО\n"
    )
    plan = read_plan(text.encode(), "plan.txt")
    assert plan.period == PlanPeriod(date(2023, 9, 1), date(2024, 8, 31))
    assert plan.title == "План мероприятий на 2023-2024 учебный год"


def test_columns_in_any_order_and_unnumbered_rows() -> None:
    text = (
        "Ответственный\tСроки исполнения\tНаименование мероприятия\n"
        "МОУО\tмарт\tСовещание\n"
        "\t\tс директорами\n"
        "Руководители ОО\tапрель\tПроверка сайтов\n"
    )
    plan = read_plan(text.encode("cp1251"), "plan.tsv")
    assert [(m.number, m.title, m.responsible, m.deadline_text) for m in plan.measures] == [
        ("", "Совещание с директорами", "МОУО", "март"),
        ("", "Проверка сайтов", "Руководители ОО", "апрель"),
    ]
    assert plan.period is None
    assert plan.title == "plan"


def test_approval_date_written_with_slashes() -> None:
    text = (
        "ПРИКАЗ\nот 25/02/2021 № 72\nПлан мероприятий на 2020-2021 учебный год\n\n"
        "№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\t15/03/2021\tОО\n"
    )
    plan = read_plan(text.encode(), "plan.txt")
    assert plan.approved == date(2021, 2, 25)
    assert plan.measures[0].deadline_text == "15/03/2021"


def _measures(text: str):
    return read_plan(text.encode(), "plan.tsv").measures


def test_capitalised_page_break_continuation_joins_its_measure() -> None:
    measures = _measures(
        "№\tМероприятие\tСрок\tОтветственный\tРезультат\n"
        "1.1.\tПроведение диагностических работ:\tмарт 2024\tРуководители ОО\tАналитическая\n"
        "\tВПР по математике в 5-8 классах\t\t\tсправка\n"
        "1.2.\tСовещание\tапрель 2024\tОтдел образования\t\n"
        "\tНИКО по истории\t\t\t\n"
    )
    assert [(m.number, m.title, m.deadline_text, m.result) for m in measures] == [
        (
            "1.1.",
            "Проведение диагностических работ: ВПР по математике в 5-8 классах",
            "март 2024",
            "Аналитическая справка",
        ),
        ("1.2.", "Совещание НИКО по истории", "апрель 2024", None),
    ]


def test_continuation_keeps_a_cell_merged_over_both_rows_once() -> None:
    (measure,) = _measures(
        "№\tМероприятие\tСрок\tОтветственный\n"
        "1\tАнализ результатов\tмай 2024\tРуководители ОО\n"
        "\tВПР и НИКО\tмай 2024\tРуководители ОО\n"
    )
    assert (measure.title, measure.deadline_text, measure.responsible) == (
        "Анализ результатов ВПР и НИКО",
        "май 2024",
        "Руководители ОО",
    )


def test_section_written_in_the_measure_column_of_a_numbered_plan() -> None:
    measures = _measures(
        "№\tМероприятие\tСрок\tОтветственный\n"
        "1\tСовещание\tмарт 2024\tОО\n"
        "\tРаздел 2. Контроль\t\t\n"
        "1\tПроверка сайтов\tапрель 2024\tОО\n"
        "\tII. Анализ\t\t\n"
        "1\tОтчёт\tмай 2024\tОО\n"
    )
    assert [(m.title, m.section) for m in measures] == [
        ("Совещание", None),
        ("Проверка сайтов", "Раздел 2. Контроль"),
        ("Отчёт", "II. Анализ"),
    ]


def test_unnumbered_plan_keeps_capitalised_rows_as_measures() -> None:
    measures = _measures(
        "№\tМероприятие\tСрок\tОтветственный\n"
        "\tСовещание\tмарт 2024\tОО\n"
        "\tс директорами\t\t\n"
        "\tПроверка сайтов\tапрель 2024\tОО\n"
    )
    assert [m.title for m in measures] == ["Совещание с директорами", "Проверка сайтов"]


@pytest.mark.parametrize("name", ["plan_000", "plan_001", "plan_003"])
def test_a_read_plan_survives_the_json_of_a_form(name, request) -> None:
    parsed = request.getfixturevalue(name)
    packed = json.loads(json.dumps(parsed.to_dict(), ensure_ascii=False))
    assert ParsedPlan.from_dict(packed) == parsed


def test_a_plan_without_period_or_approval_survives_the_json_of_a_form() -> None:
    content = "№\tМероприятие\tСрок\tОтветственный\n1\tСовещание\tмарт\tОО\n".encode()
    parsed = read_plan(content, "plan.tsv")
    assert (parsed.period, parsed.approved) == (None, None)
    assert ParsedPlan.from_dict(json.loads(json.dumps(parsed.to_dict()))) == parsed
