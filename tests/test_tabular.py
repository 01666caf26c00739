"""CSV files as people save them: encodings and delimiters."""

from __future__ import annotations

from bot.domain.tabular import csv_rows


def test_semicolons_with_uneven_rows_are_still_semicolons():
    data = "Название;Вышестоящая;Часовой пояс;Риск\nОбласть;;Europe/Moscow\nКасимов;Область\n"
    assert csv_rows(data.encode()) == [
        ["Название", "Вышестоящая", "Часовой пояс", "Риск"],
        ["Область", "", "Europe/Moscow"],
        ["Касимов", "Область"],
    ]


def test_windows_1251_and_commas():
    data = "вид,предмет,класс,дата\nВПР,математика,5,15.04.2024\n".encode("cp1251")
    assert csv_rows(data) == [
        ["вид", "предмет", "класс", "дата"],
        ["ВПР", "математика", "5", "15.04.2024"],
    ]


def test_tabs_and_a_byte_order_mark():
    data = "\ufeffвид\tдата\nНИКО\t20.10.2024\n".encode()
    assert csv_rows(data) == [["вид", "дата"], ["НИКО", "20.10.2024"]]


def test_undecodable_bytes_are_none():
    assert csv_rows(b"\x98\x98\xff") is None
