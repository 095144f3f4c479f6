"""Output comparison (assessments/programming/compare.py): plain functions, no database."""

import time

import pytest
from django.utils.translation import override

from assessments.programming.compare import compare, decode_output, first_difference
from assessments.programming.spec import Comparison, Verdict

EXACT, TRAILING, TOKENS, FLOAT = (
    Comparison.EXACT,
    Comparison.TRAILING,
    Comparison.TOKENS,
    Comparison.FLOAT,
)
OK, WA, PE = Verdict.OK, Verdict.WA, Verdict.PE


# --- decode_output ------------------------------------------------------------------------------


def test_utf8_is_read_as_utf8():
    assert decode_output("Привет, мир\n".encode()) == "Привет, мир\n"


def test_a_utf8_bom_is_dropped():
    assert decode_output(b"\xef\xbb\xbf" + "ответ 5".encode()) == "ответ 5"


def test_bytes_that_are_not_utf8_are_read_as_cp1251():
    assert decode_output("Привет\r\n".encode("cp1251")) == "Привет\n"


def test_bytes_that_are_neither_never_raise():
    # 0x98 is the one byte cp1251 leaves undefined; 0xff alone is invalid UTF-8.
    assert decode_output(b"5\x98\xff") == "5\ufffd\ufffd"


@pytest.mark.parametrize(
    ("data", "text"),
    [(b"1\r\n2\r\n", "1\n2\n"), (b"1\r2\r", "1\n2\n"), (b"1\r\r\n2", "1\n\n2"), (b"", "")],
)
def test_newlines_become_lf(data, text):
    assert decode_output(data) == text


# --- compare: EXACT -----------------------------------------------------------------------------


def test_exact_equal_is_ok():
    assert compare("1 2\n3\n", "1 2\n3\n", EXACT) == OK


@pytest.mark.parametrize(("output", "answer"), [("5", "5\n"), ("5\n", "5"), ("5\n\n", "5\n")])
def test_exact_forgives_one_missing_or_extra_final_newline(output, answer):
    assert compare(output, answer, EXACT) == OK


def test_exact_two_extra_final_newlines_are_a_presentation_error():
    assert compare("5\n\n\n", "5\n", EXACT) == PE


@pytest.mark.parametrize("output", ["1  2\n", "1\n2\n", "1 2 \n", " 1 2\n", "1\t2"])
def test_exact_same_tokens_laid_out_differently_is_pe(output):
    assert compare(output, "1 2\n", EXACT) == PE


def test_exact_different_tokens_is_wa():
    assert compare("1 3\n", "1 2\n", EXACT) == WA


def test_exact_crlf_in_either_side_does_not_matter():
    assert compare("1\r\n2\r\n", "1\n2\n", EXACT) == OK
    assert compare("1\n2\n", "1\r\n2\r\n", EXACT) == OK


# --- compare: TRAILING (the default) ------------------------------------------------------------


@pytest.mark.parametrize(
    "output",
    ["1 2\n3\n", "1 2   \n3\t\n", "1 2\n3", "1 2\n3\n\n\n", "1 2 \t \n3 \n \n\t\n", "1 2\r\n3\r\n"],
)
def test_trailing_ignores_line_ends_and_final_blank_lines(output):
    assert compare(output, "1 2\n3\n", TRAILING) == OK


def test_trailing_answer_is_normalised_the_same_way():
    assert compare("1 2\n3", "1 2  \n3 \n\n", TRAILING) == OK


@pytest.mark.parametrize("output", ["1  2\n3\n", " 1 2\n3\n", "\n1 2\n3\n", "1 2 3\n", "1\n\n2\n3"])
def test_trailing_other_whitespace_is_pe(output):
    assert compare(output, "1 2\n3\n", TRAILING) == PE


def test_trailing_wrong_tokens_are_wa():
    assert compare("1 2\n4\n", "1 2\n3\n", TRAILING) == WA
    assert compare("1 2\n", "1 2\n3\n", TRAILING) == WA


def test_trailing_other_unicode_spaces_at_line_end_are_not_ignored():
    # Only spaces and tabs are trailing whitespace; a no-break space makes it a layout matter.
    assert compare("5\u00a0\n", "5\n", TRAILING) == PE


# --- empty and whitespace-only outputs ----------------------------------------------------------


@pytest.mark.parametrize("mode", [EXACT, TRAILING, TOKENS, FLOAT])
def test_empty_output_for_an_empty_answer_is_ok(mode):
    assert compare("", "", mode) == OK


@pytest.mark.parametrize("mode", [EXACT, TRAILING, TOKENS, FLOAT])
def test_empty_output_for_a_non_empty_answer_is_wa(mode):
    assert compare("", "5\n", mode) == WA


@pytest.mark.parametrize(
    ("mode", "verdict"), [(EXACT, PE), (TRAILING, OK), (TOKENS, OK), (FLOAT, OK)]
)
def test_whitespace_only_output_for_an_empty_answer(mode, verdict):
    assert compare("  \n\t\n\n", "", mode) == verdict


@pytest.mark.parametrize(("mode", "verdict"), [(EXACT, PE), (TRAILING, OK), (TOKENS, OK)])
def test_whitespace_only_lines(mode, verdict):
    assert compare("  \n \n", "\n\n", mode) == verdict
    assert compare("1\n \n2", "1\n\n2", mode) == verdict


# --- compare: TOKENS ----------------------------------------------------------------------------


def test_tokens_ignores_all_layout():
    assert compare("  1\n\n2\t3  ", "1 2 3\n", TOKENS) == OK


def test_tokens_never_pe():
    assert compare("1 2 4", "1 2 3", TOKENS) == WA
    assert compare("1 2", "1 2 3", TOKENS) == WA


def test_tokens_are_compared_exactly():
    assert compare("1.0", "1", TOKENS) == WA
    assert compare("Yes", "YES", TOKENS) == WA


# --- compare: FLOAT -----------------------------------------------------------------------------


def test_float_absolute_tolerance_exactly_at_the_edge_is_ok():
    # 0.100001 - 0.1 is 1.000000000001e-06 in binary floats: decided in decimals instead.
    assert compare("0.100001", "0.1", FLOAT, 1e-6) == OK
    assert compare("0.099999", "0.1", FLOAT, 1e-6) == OK
    assert compare("0.1000011", "0.1", FLOAT, 1e-6) == WA


def test_float_relative_tolerance_exactly_at_the_edge_is_ok():
    # |diff| = 1 is far beyond 1e-6 absolute, but exactly 1e-6 of 1000000.
    assert compare("1000001", "1000000", FLOAT, 1e-6) == OK
    assert compare("999999", "1000000", FLOAT, 1e-6) == OK
    assert compare("1000001.0000001", "1000000", FLOAT, 1e-6) == WA
    # 7.000007 - 7 > 7 * 1e-6 in binary floats: decided in decimals instead.
    assert compare("7.000007", "7", FLOAT, 1e-6) == OK
    assert compare("6.999993", "7", FLOAT, 1e-6) == OK
    assert compare("7.0000071", "7", FLOAT, 1e-6) == WA


def test_float_relative_tolerance_is_against_the_answer_not_the_output():
    # 1e-6 of the answer 1: the pupil's 2 is not "within 50 % of itself".
    assert compare("2", "1", FLOAT, 0.5) == WA
    assert compare("1.5", "1", FLOAT, 0.5) == OK


def test_float_small_numbers_use_the_absolute_tolerance():
    assert compare("0.0000005", "0.0000001", FLOAT, 1e-6) == OK
    assert compare("1e-12", "0", FLOAT, 1e-6) == OK
    assert compare("0.000002", "0", FLOAT, 1e-6) == WA


@pytest.mark.parametrize("token", ["-0", "0", "+0", "0.0", "-0.000", "0e5", "-0E-3", ".0", "0."])
def test_float_forms_of_zero(token):
    assert compare(token, "0", FLOAT) == OK
    assert compare("0", token, FLOAT) == OK


@pytest.mark.parametrize(("output", "answer"), [("1e-3", "0.001"), ("+5", "5"), ("5.", "5.00")])
def test_float_number_forms(output, answer):
    assert compare(output, answer, FLOAT) == OK


def test_float_huge_numbers():
    assert compare("1.0000000001e300", "1e300", FLOAT) == OK
    assert compare("1.01e300", "1e300", FLOAT) == WA
    assert compare("123456789012345678901234567890", "1.2345678901234568e29", FLOAT) == OK
    # Beyond a float: still numbers, compared in decimals.
    assert compare("1.0000000001e400", "1e400", FLOAT) == OK
    assert compare("2e400", "1e400", FLOAT) == WA
    assert compare("1e400", "1e300", FLOAT) == WA


@pytest.mark.parametrize("token", ["nan", "NaN", "inf", "-inf", "Infinity", "1e400"])
def test_float_nan_and_inf_in_the_output_never_equal_a_finite_answer(token):
    assert compare(token, "1.5", FLOAT, 1e-6) == WA
    assert compare(token, "1.5", FLOAT, 1e300) == WA


def test_float_nan_and_inf_equal_only_themselves():
    assert compare("nan", "nan", FLOAT) == OK
    assert compare("inf", "inf", FLOAT) == OK
    assert compare("inf", "1e400", FLOAT) == WA


@pytest.mark.parametrize("output", ["1,5", "0x1", "1.5.", "--1.5", "1.5e", "1.5f", "1.5 "])
def test_float_only_plain_decimal_numbers_are_numbers(output):
    assert compare(output, "1.5", FLOAT) == (OK if output == "1.5 " else WA)


@pytest.mark.parametrize("output", ["1_5", "١٥", "１５", "15\u00a0"])
def test_float_what_python_float_takes_but_is_not_a_plain_number(output):
    # float() reads all of these as 15 (the no-break space is whitespace to str.split too)
    assert compare(output, "15.0", FLOAT) == (OK if output.startswith("15") else WA)


def test_float_a_decimal_comma_in_both_is_an_ordinary_equal_word():
    assert compare("1,5", "1,5", FLOAT) == OK


def test_float_non_numeric_tokens_are_compared_exactly():
    assert compare("YES 1.0000001", "YES 1", FLOAT) == OK
    assert compare("yes 1", "YES 1", FLOAT) == WA


def test_float_different_token_count_is_wa():
    assert compare("1 2", "1 2 3", FLOAT) == WA
    assert compare("1 2 3 4", "1 2 3", FLOAT) == WA


def test_float_ignores_layout():
    assert compare("1.0000001\n\n 2  ", "1 2\n", FLOAT) == OK


def test_float_zero_tolerance_means_equal_values():
    assert compare("1.50", "1.5", FLOAT, 0.0) == OK
    assert compare("1.5000001", "1.5", FLOAT, 0.0) == WA


# --- compare: modes and arguments ---------------------------------------------------------------


def test_checker_mode_is_not_decided_here():
    with pytest.raises(ValueError, match="checker"):
        compare("1", "1", Comparison.CHECKER)


def test_a_mode_given_as_its_stored_string_works():
    assert compare("5  ", "5", "trailing") == OK
    with pytest.raises(ValueError):
        compare("5", "5", "fuzzy")


@pytest.mark.parametrize("tolerance", [-1e-6, float("nan"), float("inf")])
def test_a_nonsensical_tolerance_is_refused(tolerance):
    with pytest.raises(ValueError):
        compare("1", "1", FLOAT, tolerance)


# --- speed --------------------------------------------------------------------------------------

_SIZE = 10_000_000
_COUNT = 740_000  # numbers of the {:.6f} answer below: a little over _SIZE characters


def _numbers(fmt: str) -> str:
    return "\n".join(fmt.format(i * 0.37) for i in range(_COUNT)) + "\n"


@pytest.fixture(scope="module")
def big_answer() -> str:
    return _numbers("{:.6f}")


@pytest.mark.parametrize(
    ("mode", "make_output", "verdict"),
    [
        (EXACT, lambda a: a, OK),
        (EXACT, lambda a: a.replace("\n", " \n"), PE),
        (TRAILING, lambda a: a.replace("\n", " \r\n"), OK),
        (TRAILING, lambda a: a + "x\n", WA),
        (TOKENS, lambda a: a.replace("\n", " "), OK),
        (FLOAT, lambda a: _numbers("{:.9f}"), OK),  # every token differs in its text
        (FLOAT, lambda a: _numbers("{:.9f}").replace("\n", " x\n", 1), WA),
    ],
)
def test_a_10_mb_output_is_compared_in_well_under_a_second(big_answer, mode, make_output, verdict):
    output = make_output(big_answer)
    assert len(output) >= _SIZE
    started = time.perf_counter()
    assert compare(output, big_answer, mode) == verdict
    assert time.perf_counter() - started < 1.0


def test_a_long_run_of_spaces_is_not_quadratic():
    started = time.perf_counter()
    assert compare(" " * _SIZE + "x", "x", TRAILING) == PE
    assert compare("x" + " " * _SIZE + "y\n", "x y\n", TRAILING) == PE
    assert time.perf_counter() - started < 1.0


def test_decoding_10_mb_is_fast():
    data = ("Ответ " * (_SIZE // 6) + "\r\n").encode("cp1251")
    started = time.perf_counter()
    assert decode_output(data).endswith("Ответ \n")
    assert time.perf_counter() - started < 1.0


# --- first_difference (example tests only) ------------------------------------------------------


def test_first_difference_names_the_line_and_both_values():
    with override("en"):
        assert first_difference("1\n2\n6\n", "1\n2\n5\n") == "line 3: expected «5», got «6»"


def test_first_difference_when_the_output_is_shorter():
    with override("en"):
        assert first_difference("1\n", "1\n2\n") == "line 2: expected «2», but the output ended"
        assert first_difference("", "7") == "line 1: expected «7», got «»"


def test_first_difference_when_the_output_is_longer():
    with override("en"):
        assert first_difference("1\n2\n", "1\n") == "line 2: the output should have ended, got «2»"


def test_first_difference_none():
    assert first_difference("1\r\n2", "1\n2\n") == ""


def test_first_difference_shows_a_trailing_space():
    with override("en"):
        assert first_difference("5 \n", "5\n") == "line 1: expected «5», got «5 »"


def test_first_difference_cuts_long_values_to_60_characters_around_the_difference():
    answer = " ".join(str(i) for i in range(1000))
    output = answer.replace(" 900 ", " 901 ")
    with override("en"):
        hint = first_difference(output, answer)
    expected_part, got_part = hint.split("«")[1], hint.split("«")[2]
    expected_value, got_value = expected_part.split("»")[0], got_part.split("»")[0]
    assert len(expected_value) == 60 and len(got_value) == 60
    assert expected_value.startswith("…") and expected_value.endswith("…")
    assert " 900 " in expected_value and " 901 " in got_value


def test_first_difference_cuts_at_the_start_and_end_too():
    with override("en"):
        hint = first_difference("b" + "a" * 100, "a" * 101)
    assert hint == f"line 1: expected «{'a' * 59}…», got «b{'a' * 58}…»"
    with override("en"):
        hint = first_difference("a" * 100 + "b", "a" * 101)
    assert hint == f"line 1: expected «…{'a' * 59}», got «…{'a' * 58}b»"


def test_first_difference_in_the_default_language():
    with override("ru"):
        hint = first_difference("6", "5")
    assert "5" in hint and "6" in hint
