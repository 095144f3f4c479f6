import math
import re

import pytest

from lms.credentials import (
    CONSONANTS,
    DIGITS,
    INVITE_CODE_ALPHABET,
    PASSWORD_ENTROPY_BITS,
    VOWELS,
    generate_invite_code,
    generate_password,
    login_base,
    login_candidates,
    normalise_invite_code,
    transliterate,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Щукин", "shchukin"),
        ("Юлия", "iulia"),
        ("Ёлкин", "elkin"),
        ("Соловьёв", "solovev"),
        ("Мария", "maria"),
        ("Дарья", "daria"),
        ("Жуков", "zhukov"),
        ("Хачатурян", "khachaturian"),
        ("Цой", "tsoi"),
        ("Подъячев", "podieiachev"),
        ("Эльвира", "elvira"),
        ("Дмитрий", "dmitrii"),
        ("Быстрова", "bystrova"),
        ("Анна-Мария Ли", "anna-maria li"),
        ("Ґалина Їжакевич Євгенія Іванна", "galina izhakevich evgenia ivanna"),
        ("Ўладзімір", "uladzimir"),
        ("John O'Neil 2", "john oneil 2"),
        ("José Müller", "jose muller"),
        ("张伟 🙂", " "),
    ],
)
def test_transliterate(text, expected):
    assert transliterate(text) == expected


def test_transliterate_covers_the_whole_russian_alphabet():
    result = transliterate("абвгдеёжзийклмнопрстуфхцчшщъыьэюя")
    assert result == "abvgdeezhziiklmnoprstufkhtschshshchieyeiuia"


@pytest.mark.parametrize(
    ("last", "first", "expected"),
    [
        ("Иванова", "Мария", "ivanova.maria"),
        ("Салтыков-Щедрин", "Михаил", "saltykovshchedrin.mikhail"),
        ("  Ли ", " Анна Мария ", "li.annamaria"),
        ("Иванова", "", "ivanova"),
        ("", "Мария", "maria"),
        ("张", "伟", "pupil"),
        ("🙂", "", "pupil"),
        ("Иванова", "伟", "ivanova"),
    ],
)
def test_login_base(last, first, expected):
    assert login_base(last, first) == expected


def test_login_base_cuts_first_name_before_last_name():
    # 19 + 1 + 10 characters fit exactly; one more and the first name gives way.
    assert login_base("Константинопольская", "Александра") == "konstantinopolskaia.aleksandra"
    assert login_base("Константинопольская", "Христофора") == "konstantinopolskaia.khristofor"
    assert login_base("А" * 25, "Б" * 10) == "a" * 25 + ".bbbb"
    # A last name that alone is too long keeps one letter of the first name.
    assert login_base("Щ" * 20, "Мария") == "shch" * 7 + ".m"
    assert login_base("Щ" * 20, "") == ("shch" * 8)[:30]


@pytest.mark.parametrize(
    ("last", "first"),
    [
        ("Константинопольская-Щедрина", "Александра-Христофоровна"),
        ("-.Ли.-", "..Ян"),
        ("Ы" * 100, "Ъ" * 100),
        ("", "Щ" * 50),
        ("Д'Артаньян", "Шарль"),
    ],
)
def test_login_base_shape(last, first):
    login = login_base(last, first)
    assert 1 <= len(login) <= 30
    assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)?", login)


def test_login_candidates():
    assert login_candidates("ivanova.maria") == [
        "ivanova.maria",
        *(f"ivanova.maria{n}" for n in range(2, 10)),
    ]
    assert login_candidates("pupil", 3) == ["pupil", "pupil2", "pupil3"]
    assert login_candidates("pupil", 1) == ["pupil"]
    assert login_candidates("pupil", 0) == []


PASSWORD_SHAPE = re.compile(
    "-".join([f"[{CONSONANTS}][{VOWELS}]" * 2 + f"[{CONSONANTS}]"] * 2) + f"-[{DIGITS}]{{4}}"
)


def test_password_entropy_is_at_least_40_bits():
    word = len(CONSONANTS) ** 3 * len(VOWELS) ** 2
    expected = math.log2(word**2 * len(DIGITS) ** 4)
    assert pytest.approx(expected) == PASSWORD_ENTROPY_BITS
    assert expected >= 40
    # Nothing on a printed card may be confused with another character.
    assert not set("il1o0") & set(CONSONANTS + VOWELS + DIGITS)


def test_passwords_have_the_shape_and_do_not_repeat():
    passwords = [generate_password() for _ in range(1000)]
    for password in passwords:
        assert PASSWORD_SHAPE.fullmatch(password), password
        assert len(password) == 16
        for rude in ("suka", "dura", "muda"):
            assert rude not in password
    assert len(set(passwords)) == 1000
    # Every letter and digit of the alphabets turns up: the choice is not skewed.
    used = set("".join(passwords))
    assert set(CONSONANTS + VOWELS + DIGITS + "-") == used


def test_invite_codes():
    codes = [generate_invite_code() for _ in range(1000)]
    for code in codes:
        assert len(code) == 8
        assert set(code) <= set(INVITE_CODE_ALPHABET)
    assert len(set(codes)) == 1000
    assert set("".join(codes)) == set(INVITE_CODE_ALPHABET)
    assert not set("IL O01") & set(INVITE_CODE_ALPHABET)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KM7P-RC2X", "KM7PRC2X"),
        (" km7p rc2x\n", "KM7PRC2X"),
        ("km7p–rc2x", "KM7PRC2X"),
        ("КМ7Р-RС2Х", "KM7PRC2X"),  # Cyrillic К, М, Р, С, Х typed with the Russian layout
        ("", ""),
        ("A" * 32, "A" * 32),
        ("A" * 33, ""),
        ("Q-" * 20, ""),
    ],
)
def test_normalise_invite_code(text, expected):
    assert normalise_invite_code(text) == expected


def test_generated_code_survives_normalisation():
    code = generate_invite_code()
    spaced = f"{code[:4].lower()} - {code[4:]}"
    assert normalise_invite_code(spaced) == code
