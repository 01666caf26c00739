"""Deadline texts from the seeds and DESIGN.md, hand-checked, plus fuzzing."""

import contextlib
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.plans.deadlines import (
    Deadline,
    DeadlineKind,
    ImpossibleDate,
    PlanPeriod,
    parse_deadline,
    parse_typed_date,
    parse_user_date,
)
from tests.support.seeds import SEED_000, SEED_001, SEED_003, read_seed

D = date
K = DeadlineKind
P0 = PlanPeriod(D(2020, 9, 1), D(2021, 8, 31))  # seed 000: 2020-2021 school year
A0 = D(2021, 2, 25)  # seed 000 order date
P1 = PlanPeriod(D(2024, 1, 1), D(2024, 12, 31))  # seed 001: «в 2024 году»
P3 = PlanPeriod(D(2022, 1, 1), D(2024, 12, 31))  # seed 003: «на 2022-2024 годы»
A3 = D(2022, 2, 8)
YEAR_ENDS_3 = (D(2022, 12, 31), D(2023, 12, 31), D(2024, 12, 31))

SEED_000_DEADLINES = {
    # First meeting in February, then as results arrive: continuous with the February date first.
    "февраль, далее - по мере получения результатов в ВПР": (
        K.CONTINUOUS, (D(2021, 2, 28), D(2021, 8, 31)), D(2021, 2, 1)),
    "март, ноябрь": (K.DATES, (D(2021, 3, 31), D(2021, 11, 30)), None),
    "март-сентябрь": (K.WINDOW, (D(2021, 9, 30),), D(2021, 3, 1)),
    # The window containing the order date, not the next one.
    "сентябрь - май": (K.WINDOW, (D(2021, 5, 31),), D(2020, 9, 1)),
    "март-май": (K.WINDOW, (D(2021, 5, 31),), D(2021, 3, 1)),
    "март - май": (K.WINDOW, (D(2021, 5, 31),), D(2021, 3, 1)),
    "март -май": (K.WINDOW, (D(2021, 5, 31),), D(2021, 3, 1)),
    "постоянно": (K.CONTINUOUS, (D(2021, 8, 31),), D(2020, 9, 1)),
    "По необходимости": (K.UNSPECIFIED, (), None),
    "Март": (K.DATE, (D(2021, 3, 31),), None),
}  # fmt: skip
SEED_001_DEADLINES = {
    "август 2023 – март 2024": (K.WINDOW, (D(2024, 3, 31),), D(2023, 8, 1)),
    "март - май 2024": (K.WINDOW, (D(2024, 5, 31),), D(2024, 3, 1)),
    "согласно плану - графику, приказу Отдела, приказам ОО": (K.UNSPECIFIED, (), None),
    "май 2024": (K.WINDOW, (D(2024, 5, 31),), D(2024, 5, 1)),
    "март 2024": (K.WINDOW, (D(2024, 3, 31),), D(2024, 3, 1)),
    "в течение года": (K.CONTINUOUS, (D(2024, 12, 31),), D(2024, 1, 1)),
    "август 2023": (K.WINDOW, (D(2023, 8, 31),), D(2023, 8, 1)),
    "сентябрь, декабрь 2023": (K.DATES, (D(2023, 9, 30), D(2023, 12, 31)), None),
    "апрель 2024": (K.WINDOW, (D(2024, 4, 30),), D(2024, 4, 1)),
    "в течение учебного года": (K.CONTINUOUS, (D(2024, 12, 31),), D(2024, 1, 1)),
    "декабрь 2023": (K.WINDOW, (D(2023, 12, 31),), D(2023, 12, 1)),
    "согласно плану СОИРО": (K.UNSPECIFIED, (), None),
    "Постоянно": (K.CONTINUOUS, (D(2024, 12, 31),), D(2024, 1, 1)),
    "сентябрь 2023, март 2024": (K.DATES, (D(2023, 9, 30), D(2024, 3, 31)), None),
    "по мере состоявшегося события": (K.CONTINUOUS, (D(2024, 12, 31),), D(2024, 1, 1)),
    "октябрь 2023-апрель 2024": (K.WINDOW, (D(2024, 4, 30),), D(2023, 10, 1)),
    "февраль 2024": (K.WINDOW, (D(2024, 2, 29),), D(2024, 2, 1)),
}  # fmt: skip
SEED_003_DEADLINES = {
    "2022-2024 до 31 ноября": (
        K.RECURRING, (D(2022, 11, 30), D(2023, 11, 30), D(2024, 11, 30)), P3.start),
    "До 31 декабря 2023": (K.DATE, (D(2023, 12, 31),), None),
    "2022-2024": (K.RECURRING, YEAR_ENDS_3, P3.start),
    "ежегодно": (K.RECURRING, YEAR_ENDS_3, P3.start),
    "Ежегодно": (K.RECURRING, YEAR_ENDS_3, P3.start),
    "Ежегодно Подготовка отчетов ежегодно, после проведения мониторингов (не позднее 1 месяца)": (
        K.RELATIVE, (), None),
    "На постоянной основе": (K.CONTINUOUS, (D(2024, 12, 31),), P3.start),
    "В соответствии с планом Федеральной службы по надзору в сфере образования и науки": (
        K.UNSPECIFIED, (), None),
    # Yearly, but the real dates come from the ministry: recurring and flagged for review.
    "ежегодно соответствии с планом, утвержденным Министерством просвещения Российской Федерации": (
        K.RECURRING, YEAR_ENDS_3, P3.start),
    # A year by someone else's schedule: the year as a window, flagged for review.
    "2022, по графику Минпросвещения России и Рособрнадзора": (
        K.WINDOW, (D(2022, 12, 31),), D(2022, 1, 1)),
}  # fmt: skip
REVIEWED = {
    "2022-2024 до 31 ноября",
    "ежегодно соответствии с планом, утвержденным Министерством просвещения Российской Федерации",
    "2022, по графику Минпросвещения России и Рособрнадзора",
    # A due date outside the plan period is kept as written, but an officer should look:
    "март, ноябрь",  # 000: November 2021 is after the period ends (31.08.2021)
    "март-сентябрь",  # 000: ends 30.09.2021, after the period
    "август 2023",  # 001: the plan is «в 2024 году»
    "сентябрь, декабрь 2023",
    "декабрь 2023",
    "сентябрь 2023, март 2024",
}
CASES = [
    *((text, P0, A0, *expected) for text, expected in SEED_000_DEADLINES.items()),
    *((text, P1, None, *expected) for text, expected in SEED_001_DEADLINES.items()),
    *((text, P3, A3, *expected) for text, expected in SEED_003_DEADLINES.items()),
]


@pytest.mark.parametrize(("text", "period", "anchor", "kind", "due", "start"), CASES)
def test_seed_deadline(text, period, anchor, kind, due, start) -> None:
    deadline = parse_deadline(text, period, anchor)
    assert (deadline.kind, deadline.due, deadline.start) == (kind, due, start)
    assert deadline.text == text
    assert deadline.needs_review == (text in REVIEWED)


@pytest.mark.parametrize(
    ("path", "table"),
    [
        (SEED_000, SEED_000_DEADLINES),
        (SEED_001, SEED_001_DEADLINES),
        (SEED_003, SEED_003_DEADLINES),
    ],
)
def test_table_covers_every_seed_deadline(path, table) -> None:
    assert {measure.deadline_text for measure in read_seed(path).measures} == set(table)


def test_relative_after_monitoring_keeps_offset_event_and_recurrence() -> None:
    text = (
        "Ежегодно Подготовка отчетов ежегодно, после проведения мониторингов (не позднее 1 месяца)"
    )
    deadline = parse_deadline(text, P3, A3)
    assert (deadline.offset_days, deadline.event, deadline.period) == (30, "мониторинг", "year")


def test_recurring_and_continuous_periods() -> None:
    assert parse_deadline("ежегодно", P3).period == "year"
    assert parse_deadline("постоянно", P3).period == "month"


SCHOOL_YEAR = PlanPeriod(D(2023, 9, 1), D(2024, 8, 31))
DESIGN_CASES = [
    ("до 15 августа 2019 года", K.DATE, (D(2019, 8, 15),), None),
    ("22 августа 2019 года", K.DATE, (D(2019, 8, 22),), None),
    ("В 1 квартале 2020 года", K.WINDOW, (D(2020, 3, 31),), D(2020, 1, 1)),
    ("Октябрь 2019года", K.WINDOW, (D(2019, 10, 31),), D(2019, 10, 1)),
    ("Октябрь", K.DATE, (D(2023, 10, 31),), None),
    ("Январь – февраль", K.WINDOW, (D(2024, 2, 29),), D(2024, 1, 1)),
    ("Январь—февраль", K.WINDOW, (D(2024, 2, 29),), D(2024, 1, 1)),
    ("сентябрь - май", K.WINDOW, (D(2024, 5, 31),), D(2023, 9, 1)),
    ("ноябрь, март 2024", K.DATES, (D(2023, 11, 30), D(2024, 3, 31)), None),
    ("сентябрь 2023 - май", K.WINDOW, (D(2024, 5, 31),), D(2023, 9, 1)),
    ("15.03.2024", K.DATE, (D(2024, 3, 15),), None),
    ("до 31.12.2023", K.DATE, (D(2023, 12, 31),), None),
    ("31.12", K.DATE, (D(2023, 12, 31),), None),
    ("15/03/2024", K.DATE, (D(2024, 3, 15),), None),
    ("15-03-2024", K.DATE, (D(2024, 3, 15),), None),
    ("15/03/24", K.DATE, (D(2024, 3, 15),), None),
    ("до 15/03/2024 г.", K.DATE, (D(2024, 3, 15),), None),
    ("01/09/2023-31/08/2024", K.WINDOW, (D(2024, 8, 31),), D(2023, 9, 1)),
    ("01-09-2023 - 31-08-2024", K.WINDOW, (D(2024, 8, 31),), D(2023, 9, 1)),
    ("20/05/2024, 15-06-2024", K.DATES, (D(2024, 5, 20), D(2024, 6, 15)), None),
    ("15-20 марта", K.WINDOW, (D(2024, 3, 20),), D(2024, 3, 15)),
    ("с 1 по 15 июня 2024 г.", K.WINDOW, (D(2024, 6, 15),), D(2024, 6, 1)),
    ("II квартал", K.WINDOW, (D(2024, 6, 30),), D(2024, 4, 1)),
    ("в начале мая", K.DATE, (D(2024, 5, 10),), None),
    ("в середине мая 2024 года", K.DATE, (D(2024, 5, 15),), None),
    ("в конце мая 2024 года", K.DATE, (D(2024, 5, 31),), None),
    ("в начале 2 квартала", K.DATE, (D(2024, 4, 10),), None),
    ("в конце 2023 года", K.DATE, (D(2023, 12, 31),), None),
    ("до конца 1 квартала 2024 года", K.DATE, (D(2024, 3, 31),), None),
    ("1-е полугодие 2024", K.WINDOW, (D(2024, 6, 30),), D(2024, 1, 1)),
    ("2023-2024 учебный год", K.WINDOW, (D(2024, 8, 31),), D(2023, 9, 1)),
    ("в течение 2024 года", K.WINDOW, (D(2024, 12, 31),), D(2024, 1, 1)),
    ("ЕЖЕГОДНО", K.RECURRING, (D(2024, 8, 31),), D(2023, 9, 1)),
    ("По плану работы НМС", K.UNSPECIFIED, (), None),
    ("", K.UNSPECIFIED, (), None),
]


@pytest.mark.parametrize(("text", "kind", "due", "start"), DESIGN_CASES)
def test_design_examples(text, kind, due, start) -> None:
    deadline = parse_deadline(text, SCHOOL_YEAR, D(2023, 9, 1))
    assert (deadline.kind, deadline.due, deadline.start) == (kind, due, start)


def test_quarterly_and_monthly_reports_due_on_the_tenth() -> None:
    quarterly = parse_deadline("ежеквартально", P1)
    assert quarterly.due == (D(2024, 4, 10), D(2024, 7, 10), D(2024, 10, 10), D(2025, 1, 10))
    monthly = parse_deadline("Ежемесячно", SCHOOL_YEAR)
    assert monthly.period == "month"
    assert monthly.due[0] == D(2023, 10, 10) and monthly.due[-1] == D(2024, 9, 10)
    assert len(monthly.due) == 12
    assert parse_deadline("ежемесячно до 5 числа", P1).due[0] == D(2024, 2, 5)


@pytest.mark.parametrize(
    ("text", "period", "last"),
    [
        ("ежемесячно", P1, D(2025, 1, 10)),
        ("ежеквартально", P1, D(2025, 1, 10)),
        ("Ежемесячно", SCHOOL_YEAR, D(2024, 9, 10)),
        # The last quarter is cut by the plan's end: its report is due right after it.
        ("ежеквартально", SCHOOL_YEAR, D(2024, 9, 10)),
        ("ежеполугодно", SCHOOL_YEAR, D(2024, 9, 10)),
        ("ежемесячно до 5 числа", P1, D(2025, 1, 5)),
    ],
)
def test_report_on_the_last_period_after_the_plan_is_not_a_review_case(text, period, last):
    deadline = parse_deadline(text, period)
    assert deadline.due[-1] == last
    assert not deadline.needs_review


def test_reports_long_after_the_plan_are_still_flagged():
    assert parse_deadline("март 2025, далее ежеквартально", P1).needs_review


RECURRING_CASES = [
    ("до 25 числа каждого месяца", "month", tuple(D(2024, m, 25) for m in range(1, 13))),
    ("ежемесячно до 5 числа", "month", tuple(D(2024 + m // 12, m % 12 + 1, 5) for m in range(1, 13))),
    ("ежемесячно, до 5-го числа месяца, следующего за отчетным", "month",
        tuple(D(2024 + m // 12, m % 12 + 1, 5) for m in range(1, 13))),
    ("1 раз в полугодие", "half", (D(2024, 7, 10), D(2025, 1, 10))),
    ("раз в полугодие", "half", (D(2024, 7, 10), D(2025, 1, 10))),
    ("Ежеполугодно", "half", (D(2024, 7, 10), D(2025, 1, 10))),
    ("2 раза в год", "half", (D(2024, 7, 10), D(2025, 1, 10))),
    ("1 раз в квартал", "quarter", (D(2024, 4, 10), D(2024, 7, 10), D(2024, 10, 10), D(2025, 1, 10))),
    ("каждого квартала", "quarter", (D(2024, 4, 10), D(2024, 7, 10), D(2024, 10, 10), D(2025, 1, 10))),
    ("март, далее ежеквартально", "quarter",
        (D(2024, 3, 31), D(2024, 4, 10), D(2024, 7, 10), D(2024, 10, 10), D(2025, 1, 10))),
    ("1 раз в год", "year", (D(2024, 12, 31),)),
]  # fmt: skip


@pytest.mark.parametrize(("text", "period", "due"), RECURRING_CASES)
def test_plainly_recurring_texts(text, period, due) -> None:
    deadline = parse_deadline(text, P1)
    assert (deadline.kind, deadline.period, deadline.due) == (K.RECURRING, period, due)
    assert not deadline.needs_review


def test_half_year_named_once_is_a_window_not_a_recurrence() -> None:
    assert parse_deadline("1-е полугодие 2024", P1).kind is K.WINDOW


def test_weekly_reports_on_fridays() -> None:
    weekly = parse_deadline("еженедельно", PlanPeriod(D(2024, 3, 1), D(2024, 3, 31)))
    assert weekly.due == (
        D(2024, 3, 1),
        D(2024, 3, 8),
        D(2024, 3, 15),
        D(2024, 3, 22),
        D(2024, 3, 29),
    )


def test_yearly_slices_follow_the_school_year() -> None:
    period = PlanPeriod(D(2022, 9, 1), D(2024, 8, 31))
    assert parse_deadline("ежегодно", period).due == (D(2023, 8, 31), D(2024, 8, 31))


@pytest.mark.parametrize(
    ("text", "offset", "event"),
    [
        ("За 2 недели до проведения", -14, None),
        ("за 3 дня до ВПР", -3, "ВПР"),
        ("в течение 5 рабочих дней после проведения ГИА", 5, "ГИА"),
        ("через неделю после олимпиады", 7, "олимпиада"),
        ("после проведения мониторингов (не позднее 1 месяца)", 30, "мониторинг"),
    ],
)
def test_relative(text, offset, event) -> None:
    deadline = parse_deadline(text, P1)
    assert (deadline.kind, deadline.due, deadline.offset_days, deadline.event) == (
        K.RELATIVE, (), offset, event)  # fmt: skip


def test_after_event_without_offset_needs_review() -> None:
    deadline = parse_deadline("после проведения ВПР", P1)
    assert (deadline.kind, deadline.offset_days, deadline.needs_review) == (K.RELATIVE, 0, True)


def test_impossible_date_is_clamped_for_review() -> None:
    deadline = parse_deadline("до 31 ноября 2023", P1)
    assert (deadline.kind, deadline.due, deadline.needs_review) == (
        K.DATE,
        (D(2023, 11, 30),),
        True,
    )
    assert parse_deadline("30.02.2024", P1).due == (D(2024, 2, 29),)


def test_yo_and_case_insensitive() -> None:
    assert parse_deadline("В ТЕЧЕНИЕ ГОДА", P1).kind is K.CONTINUOUS
    assert parse_deadline("ежеквартально, в течёние", P1).kind is K.RECURRING


def test_period_must_not_end_before_start() -> None:
    with pytest.raises(ValueError):
        PlanPeriod(D(2024, 1, 2), D(2024, 1, 1))


TODAY = D(2024, 5, 10)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15.03.2024", D(2024, 3, 15)),
        ("15 марта", D(2025, 3, 15)),
        ("10 мая", TODAY),
        ("до 20 апреля", D(2025, 4, 20)),
        ("в конце мая", D(2024, 5, 31)),
        ("в начале мая", D(2024, 5, 10)),
        ("в середине мая", D(2024, 5, 15)),
        ("в начале июня 2024 года", D(2024, 6, 10)),
        ("31.12", D(2024, 12, 31)),
        ("31.12.24", D(2024, 12, 31)),
        ("15/03/2024", D(2024, 3, 15)),
        ("15-03-2024", D(2024, 3, 15)),
        ("15/03/24", D(2024, 3, 15)),
        ("13/15/2024", None),
        ("2024-06-01", D(2024, 6, 1)),
        ("май 2025", D(2025, 5, 31)),
        ("завтра", D(2024, 5, 11)),
        ("март-май", None),
        ("март, май", None),
        ("постоянно", None),
        ("ежегодно", None),
        ("привет", None),
        ("", None),
    ],
)
def test_parse_user_date(text, expected) -> None:
    assert parse_user_date(text, TODAY) == expected
    assert parse_typed_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "year", "month", "days"),
    [
        ("31.02.2024", 2024, 2, 29),
        ("29.02.2023", 2023, 2, 28),
        ("31/04/2024", 2024, 4, 30),
        ("31 июня", 2024, 6, 30),
        ("до 31 ноября", 2024, 11, 30),
        ("29.02", 2025, 2, 28),  # the next February is in 2025
        ("2024-09-31", 2024, 9, 30),
    ],
)
def test_typed_impossible_dates_are_refused(text, year, month, days) -> None:
    with pytest.raises(ImpossibleDate) as caught:
        parse_typed_date(text, TODAY)
    assert (caught.value.year, caught.value.month, caught.value.days) == (year, month, days)
    assert parse_user_date(text, TODAY) == D(year, month, days)  # documents still clamp


WORDS = [
    "январь", "февраля", "март", "мая", "май", "сентябрь", "декабрь", "ноября", "31", "15", "1",
    "2019года", "2022", "2024", "9999", "1999", "-", "–", "—", ",", "до", "по", "с", "и", "квартал",
    "II", "полугодие", "ежегодно", "ежемесячно", "ежеквартально", "еженедельно", "постоянно",
    "в течение года", "за", "недели", "дней", "месяца", "после", "проведения", "ВПР", "(", ")",
    "не позднее", "согласно плану", "29.02", "31.04.2023", "00.13.2020", "числа", "учебный год",
    "ежеполугодно", "2 раза в год", "каждого месяца", "далее", "25-го", "в начале", "в середине",
    "в конце", "15/03/24", "01-09-2023",
]  # fmt: skip
periods = st.builds(
    lambda start, days: PlanPeriod(start, date.fromordinal(start.toordinal() + days)),
    st.dates(D(2000, 1, 1), D(2090, 12, 31)),
    st.integers(0, 5 * 366),
)


def _check(deadline: Deadline, period: PlanPeriod) -> None:
    assert deadline.kind in set(DeadlineKind)
    assert list(deadline.due) == sorted(deadline.due)
    assert all(D(1999, 1, 1) <= day <= D(2101, 12, 31) for day in deadline.due)
    if deadline.kind is K.DATE:
        assert len(deadline.due) == 1
    elif deadline.kind is K.DATES:
        assert len(deadline.due) >= 2
    elif deadline.kind is K.WINDOW:
        assert len(deadline.due) == 1 and deadline.start is not None
        assert deadline.start <= deadline.due[0]
    elif deadline.kind in (K.RELATIVE, K.UNSPECIFIED):
        assert deadline.due == ()
    elif deadline.kind is K.CONTINUOUS:
        assert deadline.due[-1] == period.end
    else:
        assert deadline.due and deadline.period in ("year", "half", "quarter", "month", "week")


@settings(max_examples=400, deadline=None)
@given(st.text(), periods, st.none() | st.dates(D(2000, 1, 1), D(2090, 12, 31)))
def test_any_text_parses(text, period, anchor) -> None:
    deadline = parse_deadline(text, period, anchor)
    assert deadline.text == text
    _check(deadline, period)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join), periods)
def test_date_word_combinations_parse(text, period) -> None:
    _check(parse_deadline(text, period, period.start), period)
    parse_user_date(text, period.start)
    with contextlib.suppress(ImpossibleDate):
        parse_typed_date(text, period.start)


def test_dates_outside_the_plan_period_are_kept_and_flagged():
    period = PlanPeriod(date(2024, 1, 1), date(2024, 12, 31))
    inside = parse_deadline("до 15 марта 2024 года", period)
    outside = parse_deadline("до 15 марта 2025 года", period)
    assert (inside.due, inside.needs_review) == ((date(2024, 3, 15),), False)
    assert (outside.due, outside.needs_review) == ((date(2025, 3, 15),), True)
