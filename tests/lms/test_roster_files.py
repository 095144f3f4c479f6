import codecs
import csv
import datetime
import io
import random
import time
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from lms.roster_files import (
    COLUMN_KEYS,
    RawRow,
    RosterFileError,
    neutralise_cell,
    read_roster,
    write_csv,
    write_xlsx,
)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _english():
    """The messages are asserted in English."""
    with translation.override("en"):
        yield


def read(data: bytes, filename: str = "class.csv", *, max_bytes: int = MB, max_rows: int = 500):
    return read_roster(data, filename, max_bytes=max_bytes, max_rows=max_rows)


def cells(last: str, first: str, *, login: str = "", email: str = "") -> dict[str, str]:
    return {"last_name": last, "first_name": first, "login": login, "email": email}


def names(rows: list[RawRow]) -> list[tuple[int, str, str]]:
    return [(row.line, row.cells["last_name"], row.cells["first_name"]) for row in rows]


def xlsx_bytes(rows: list[list[object]], *, start_row: int = 1) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            if value is not None:
                sheet.cell(row=start_row + offset, column=column, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def raises(data: bytes, filename: str = "class.csv", **limits) -> str:
    with pytest.raises(RosterFileError) as info:
        read(data, filename, **limits)
    message = str(info.value)
    assert message
    return message


ROSTER = "Фамилия;Имя;Логин;E-mail\nИванова;Мария;;maria@example.ru\nЩукин;Пётр;petya;\n"


# --- Encodings and delimiters ------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + ROSTER.encode(),
        ROSTER.encode(),
        ROSTER.encode("cp1251"),
        ROSTER.replace("\n", "\r\n").encode("cp1251"),
        ROSTER.encode("utf-16"),  # Excel's "Unicode text" export
    ],
    ids=["utf8-bom", "utf8", "cp1251", "cp1251-crlf", "utf16"],
)
def test_reads_common_encodings(data):
    rows = read(data)
    assert rows == [
        RawRow(2, cells("Иванова", "Мария", email="maria@example.ru")),
        RawRow(3, cells("Щукин", "Пётр", login="petya")),
    ]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_sniffs_delimiter(delimiter):
    text = delimiter.join(["Фамилия", "Имя", "Класс"]) + "\n"
    text += delimiter.join(["Иванова", "Мария", "5А"]) + "\n"
    assert names(read(text.encode())) == [(2, "Иванова", "Мария")]


def test_delimiter_inside_quotes_does_not_count():
    # The header has two quoted commas but only two real ";".
    text = '"Примечание, важно, очень";Фамилия;Имя\nx;Иванова;Мария\n'
    assert names(read(text.encode())) == [(2, "Иванова", "Мария")]


def test_excel_sep_line_is_honoured():
    text = "sep=,\r\nФамилия,Имя\r\nИванова,Мария\r\n"
    assert names(read(text.encode())) == [(3, "Иванова", "Мария")]


def test_quoted_fields_with_delimiter_and_newline_keep_line_numbers():
    text = (
        "Фамилия;Имя;Примечание\n"
        'Иванова;Мария;"аллергия; орехи\nи мёд"\n'
        '"Петров;Водкин";"Кузьма\n\nСергеевич";\n'
        "Сидоров;Иван;\n"
    )
    rows = read(text.encode())
    assert names(rows) == [
        (2, "Иванова", "Мария"),
        (4, "Петров;Водкин", "Кузьма\n\nСергеевич"),
        (7, "Сидоров", "Иван"),
    ]


def test_blank_rows_are_skipped_with_true_line_numbers():
    text = "\n\n;;\nФамилия;Имя;№\n\n  ; \nИванова;Мария;1\n;;2\n\nПетров;Пётр;3\n;;\n"
    assert names(read(text.encode())) == [(7, "Иванова", "Мария"), (10, "Петров", "Пётр")]


def test_title_rows_above_the_header_are_skipped():
    text = "Список 5 «А» класса;;\n\nФамилия;Имя;\nИванова;Мария;\n"
    assert names(read(text.encode())) == [(4, "Иванова", "Мария")]


def test_header_only_gives_no_rows():
    assert read("Фамилия;Имя\n".encode()) == []


# --- Headers -----------------------------------------------------------------------------------


def test_full_name_column_is_split():
    text = "№;ФИО;Класс\n1;Иванова Мария Сергеевна;5А\n2;  Щукин   Пётр ;5А\n3;Сидоров;5А\n"
    assert names(read(text.encode())) == [
        (2, "Иванова", "Мария"),
        (3, "Щукин", "Пётр"),
        (4, "Сидоров", ""),
    ]


def test_full_name_in_english_and_with_dots():
    assert names(read(b"Full Name\nIvanova Maria\n")) == [(2, "Ivanova", "Maria")]
    assert names(read("Ф.И.О.;x\nИванова Мария;1\n".encode())) == [(2, "Иванова", "Мария")]


def test_header_aliases_ignore_case_yo_and_spacing():
    text = " ФАМИЛИЯ ;first_name;УЧЁТНАЯ ЗАПИСЬ;Электронная  почта\nИванова;Мария;masha;m@x.ru\n"
    assert read(text.encode()) == [
        RawRow(2, cells("Иванова", "Мария", login="masha", email="m@x.ru"))
    ]
    text = "Surname,Name,Username,e-mail\nIvanova,Maria,masha,m@x.ru\n"
    assert read(text.encode())[0].cells == {
        "last_name": "Ivanova",
        "first_name": "Maria",
        "login": "masha",
        "email": "m@x.ru",
    }


def test_unknown_columns_are_ignored_and_cells_have_every_key():
    text = "Класс;Имя;Дата рождения;Фамилия;Отчество\n5А;Мария;2014-05-03;Иванова;Сергеевна\n"
    rows = read(text.encode())
    assert rows == [
        RawRow(2, {"last_name": "Иванова", "first_name": "Мария", "login": "", "email": ""})
    ]
    assert tuple(rows[0].cells) == COLUMN_KEYS


def test_short_rows_give_empty_cells():
    rows = read("Фамилия;Имя;Логин\nИванова\n".encode())
    assert rows[0].cells == {"last_name": "Иванова", "first_name": "", "login": "", "email": ""}


def test_missing_required_column_is_named_with_found_headers():
    message = raises("Фамилия;Класс;Телефон\nИванова;5А;1\n".encode())
    assert "First name" in message
    assert "Last name" not in message
    assert "Фамилия" in message and "Класс" in message and "Телефон" in message


def test_no_recognised_header_at_all():
    message = raises("Ученик;Класс\nИванова Мария;5А\n".encode())
    assert "Last name" in message and "First name" in message and "Ученик" in message


# --- Whole-file problems -----------------------------------------------------------------------


def big_csv(count: int) -> bytes:
    lines = ["Фамилия;Имя;Логин"] + [f"Фамилия{n};Имя{n};login{n}" for n in range(count)]
    return "\r\n".join(lines).encode("cp1251")


def test_too_many_rows_is_refused_with_the_count():
    message = raises(big_csv(10_000), max_bytes=10 * MB, max_rows=1000)
    assert "10000" in message and "1000" in message


def test_ten_thousand_rows_are_read_quickly():
    data = big_csv(10_000)
    started = time.perf_counter()
    rows = read(data, max_bytes=10 * MB, max_rows=20_000)
    elapsed = time.perf_counter() - started
    assert len(rows) == 10_000
    assert rows[-1] == RawRow(10_001, cells("Фамилия9999", "Имя9999", login="login9999"))
    assert elapsed < 1.0


def test_oversized_file():
    message = raises(ROSTER.encode(), max_bytes=20)
    assert "larger" in message


@pytest.mark.parametrize("data", [b"", b"  \r\n\n", codecs.BOM_UTF8, b";;\n;\n"])
def test_empty_file(data):
    assert "empty" in raises(data)


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(5000),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + random.Random(2).randbytes(200),
        b"%PDF-1.4\n" + bytes(range(1, 32)) * 10,
    ],
    ids=["random", "png", "control-chars"],
)
@pytest.mark.parametrize("filename", ["class.csv", "class.txt", "class.png", "class"])
def test_binary_garbage(data, filename):
    raises(data, filename)


def test_neither_utf8_nor_cp1251():
    # 0x98 is the one byte Windows-1251 leaves undefined.
    message = raises("Фамилия;Имя\n".encode("cp1251") + b"\x98\n")
    assert "Windows-1251" in message


def test_legacy_xls_is_explained():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    assert "97-2003" in raises(ole, "class.xls")
    assert "97-2003" in raises(b"whatever", "CLASS.XLS")


def test_unclosed_quote_or_huge_field_is_a_roster_error():
    raises(b"\xd0\xa4;Name\n" + b'"' + b"x" * 200_000 + b"\n", max_bytes=MB)


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_values_and_row_numbers():
    data = xlsx_bytes(
        [
            ["Список 5А", None, None],
            [None, None, None],
            ["Фамилия", "Имя", "Логин", "Дата рождения"],
            ["Иванова", "Мария", 12.0, datetime.datetime(2014, 5, 3)],
            [None, None, None],
            ["  Щукин ", "Пётр", 12.5, None],
            ["Сидоров", 7, None, datetime.datetime(2014, 5, 3, 8, 30)],
        ],
        start_row=2,
    )
    rows = read(data, "Класс 5А.XLSX")
    assert rows == [
        RawRow(5, {"last_name": "Иванова", "first_name": "Мария", "login": "12", "email": ""}),
        RawRow(7, {"last_name": "Щукин", "first_name": "Пётр", "login": "12.5", "email": ""}),
        RawRow(8, {"last_name": "Сидоров", "first_name": "7", "login": "", "email": ""}),
    ]


def test_xlsx_dates_become_iso_strings():
    data = xlsx_bytes(
        [
            ["Фамилия", "Имя", "Логин", "E-mail"],
            ["A", "B", datetime.datetime(2014, 5, 3), datetime.datetime(2014, 5, 3, 8, 30)],
        ]
    )
    assert read(data, "a.xlsx")[0].cells["login"] == "2014-05-03"
    assert read(data, "a.xlsx")[0].cells["email"] == "2014-05-03T08:30:00"


def test_xlsx_uses_first_sheet_and_ignores_declared_dimensions():
    workbook = Workbook()
    first = workbook.active
    first.append(["ФИО"])
    first.append(["Иванова Мария"])
    first["XFD1048576"].font = Font(bold=True)  # styled but empty far corner
    workbook.create_sheet("Другой").append(["Фамилия", "Имя"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.perf_counter()
    assert names(read(buffer.getvalue(), "a.xlsx")) == [(2, "Иванова", "Мария")]
    assert time.perf_counter() - started < 2.0


def test_xlsx_that_is_not_a_zip():
    message = raises(ROSTER.encode(), "class.xlsx")
    assert "XLSX" in message


def test_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "привет")
    assert "XLSX" in raises(buffer.getvalue(), "class.xlsx")


def test_truncated_xlsx():
    data = xlsx_bytes([["Фамилия", "Имя"], ["Иванова", "Мария"]])
    raises(data[: len(data) // 2], "class.xlsx")


def test_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", bytes(6 * MB))
    data = buffer.getvalue()
    assert len(data) < 100_000
    # 50 x 100 KB = 5 MB may be unpacked; the member declares 6 MB.
    message = raises(data, "bomb.xlsx", max_bytes=100_000)
    assert "unpacked" in message
    # With a larger allowance the guard lets it through, and openpyxl then fails politely.
    assert "unpacked" not in raises(data, "bomb.xlsx", max_bytes=MB)


def test_xlsx_too_many_rows():
    data = xlsx_bytes([["Фамилия", "Имя"]] + [[f"Ф{n}", f"И{n}"] for n in range(30)])
    assert "30" in raises(data, "a.xlsx", max_rows=20)
    assert len(read(data, "a.xlsx", max_rows=30)) == 30


def test_xlsx_empty_workbook():
    assert "empty" in raises(xlsx_bytes([]), "a.xlsx")


# --- Formula injection -------------------------------------------------------------------------

HYPERLINK = '=HYPERLINK("http://x","y")'


def test_formula_is_read_as_plain_text():
    text = f'Фамилия;Имя\n"{HYPERLINK.replace(chr(34), chr(34) * 2)}";Мария\n'
    assert read(text.encode())[0].cells["last_name"] == HYPERLINK

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Фамилия", "Имя"])
    sheet.append(["x", "Мария"])
    sheet["A2"].value = HYPERLINK
    sheet["A2"].data_type = "s"  # text that looks like a formula, as in a tampered file
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read(buffer.getvalue(), "a.xlsx")[0].cells["last_name"] == HYPERLINK


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+7 916 000-00-00", "'+7 916 000-00-00"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("＝1+1", "'＝1+1"),
        ("Иванова", "Иванова"),
        ("ivanova.maria", "ivanova.maria"),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("'quoted", "'quoted"),
        ("", ""),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_write_csv_is_excel_friendly_and_neutralised():
    data = write_csv(["Фамилия", "Пароль"], [[HYPERLINK, "ramok-kelud-4827"], ["Иванова", "-x;y"]])
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.split("\r\n")[0] == "Фамилия;Пароль"
    assert text.split("\r\n")[1].startswith('"\'=HYPERLINK(""http://x"",""y"")";')
    assert text.endswith("\r\n")
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed == [
        ["Фамилия", "Пароль"],
        ["'" + HYPERLINK, "ramok-kelud-4827"],
        ["Иванова", "'-x;y"],
    ]


def test_written_csv_can_be_read_back():
    data = write_csv(["Фамилия", "Имя", "Логин"], [["Иванова", "Мария; Анна", "masha"]])
    assert read(data)[0].cells["first_name"] == "Мария; Анна"


def test_write_xlsx_cells_are_text_and_neutralised():
    data = write_xlsx(
        ["Фамилия", "Логин"],
        [[HYPERLINK, "ivanova.maria"], ["Петров\x01", "=1+1"]],
        sheet_title="5 «А»: логины/пароли [2025] * очень длинное название",
    )
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    assert len(sheet.title) <= 31
    assert not set("[]:*?/\\") & set(sheet.title)
    assert sheet.title.startswith("5 «А»_ логины_пароли _2025_")
    assert sheet["A1"].value == "Фамилия" and sheet["A1"].font.bold
    assert not sheet["A2"].font.bold
    for ref, value in [("A2", "'" + HYPERLINK), ("B3", "'=1+1"), ("A3", "Петров")]:
        assert sheet[ref].value == value
        assert sheet[ref].data_type == "s"


@pytest.mark.parametrize(("title", "expected"), [("", "Sheet"), ("'?'", "_"), ("Лист 1", "Лист 1")])
def test_write_xlsx_odd_titles(title, expected):
    data = write_xlsx(["a"], [], sheet_title=title)
    assert load_workbook(io.BytesIO(data)).active.title == expected
