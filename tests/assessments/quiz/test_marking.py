"""Marking one answer to one question (assessments.quiz.marking): pure functions, no database.

One section per question type, then validation of hostile responses, then the summaries."""

import time

import pytest
from django.utils import translation

from assessments.quiz.marking import (
    Mark,
    is_answered,
    mark,
    parse_number,
    response_summary,
    right_answer_summary,
    right_items,
    valid_response,
)
from assessments.quiz.spec import Answer, QType, QuestionSpec

HOSTILE = [
    None,
    [],
    [1, 2],
    "choice",
    42,
    {"choice": -1},
    {"choice": 10**9},
    {"choice": "x"},
    {"choice": "-1"},
    {"choice": "٣"},  # an Arabic-Indic three: a digit to str.isdigit, not an index
    {"choice": 1.0},
    {"choice": True},
    {"choice": [0]},
    {"choice": {"0": 1}},
    {"choices": "0,1"},
    {"choices": {"0": True}},
    {"text": ["a"]},
    {"text": {"a": 1}},
    {"pairs": [[0, 1]]},
    {"pairs": "0:1"},
]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def single(*answers, qtype=QType.SINGLE):
    return QuestionSpec(qtype, "?", answers=[Answer(text, fraction) for text, fraction in answers])


def short(*answers, case_sensitive=False):
    return QuestionSpec(
        QType.SHORT,
        "?",
        answers=[Answer(text, fraction, feedback=f"fb {text}") for text, fraction in answers],
        case_sensitive=case_sensitive,
    )


def numerical(*answers):
    return QuestionSpec(
        QType.NUMERICAL,
        "?",
        answers=[
            Answer(fraction=fraction, value=value, tolerance=tolerance, feedback=f"fb {i}")
            for i, (value, tolerance, fraction) in enumerate(answers)
        ],
    )


def matching(*pairs):
    return QuestionSpec(
        QType.MATCHING, "?", answers=[Answer(text, 0.0, match=match) for text, match in pairs]
    )


TRUE_RIGHT = QuestionSpec(
    QType.TRUE_FALSE,
    "The Earth is round.",
    answers=[
        Answer("true", 1.0, feedback="Yes: photos from space show it."),
        Answer("false", 0.0, feedback="No: ships disappear hull first."),
    ],
)
COLOURS = single(("red", 1.0), ("green", 0.5), ("blue", 0.0))
SENSORS = QuestionSpec(
    QType.MULTIPLE,
    "Which are sensors?",
    answers=[
        Answer("ultrasonic", 0.5, feedback="measures distance"),
        Answer("line", 0.5),
        Answer("motor", -0.5, feedback="a motor moves, it senses nothing"),
        Answer("LED", -0.5),
    ],
)
OHM = numerical((5.0, 0.5, 1.0), (5.0, 1.0, 0.5), (None, 0.0, 0.0))
CAPITALS = matching(
    ("Canada", "Ottawa"),
    ("Italy", "Rome"),
    ("Japan", "Tokyo"),
    ("", "Paris"),  # an extra distractor
)
ESSAY = QuestionSpec(QType.ESSAY, "Describe your robot.")
DESCRIPTION = QuestionSpec(QType.DESCRIPTION, "Read the text below.")
ALL_SPECS = [COLOURS, TRUE_RIGHT, SENSORS, short(("a", 1.0)), OHM, CAPITALS, ESSAY, DESCRIPTION]


# Single choice, missing word, true/false


def test_single_choice_gives_the_chosen_answers_fraction():
    assert mark(COLOURS, {"choice": 0}) == Mark(1.0, "right", [], [0])
    assert mark(COLOURS, {"choice": 1}).state == "partial"
    assert mark(COLOURS, {"choice": 1}).fraction == 0.5
    assert mark(COLOURS, {"choice": 2}) == Mark(0.0, "wrong", [], [2])


def test_single_choice_accepts_an_index_posted_as_a_string():
    assert mark(COLOURS, {"choice": "0"}).state == "right"


def test_single_choice_fraction_is_clamped():
    spec = single(("over", 1.5), ("under", -0.5))
    assert mark(spec, {"choice": 0}).fraction == 1.0
    assert mark(spec, {"choice": 1}) == Mark(0.0, "wrong", [], [1])


def test_single_choice_unanswered():
    for response in ({}, {"choice": None}, None):
        assert mark(COLOURS, response) == Mark(0.0, "unanswered")
        assert not is_answered(COLOURS, response)


def test_missing_word_is_marked_as_a_choice():
    spec = single(("buried", 0.0), ("entombed", 1.0), qtype=QType.MISSING_WORD)
    assert mark(spec, {"choice": 1}).state == "right"
    assert mark(spec, {"choice": 0}).state == "wrong"
    assert right_answer_summary(spec) == "entombed"


def test_true_false_gives_the_feedback_of_the_chosen_answer():
    assert mark(TRUE_RIGHT, {"choice": 0}) == Mark(
        1.0, "right", ["Yes: photos from space show it."], [0]
    )
    assert mark(TRUE_RIGHT, {"choice": 1}) == Mark(
        0.0, "wrong", ["No: ships disappear hull first."], [1]
    )
    assert mark(TRUE_RIGHT, {"choice": 2}).state == "unanswered"


@pytest.mark.parametrize("response", HOSTILE)
@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: spec.qtype)
def test_hostile_responses_never_raise_and_are_not_answers(spec, response):
    result = mark(spec, response)
    assert result.state in ("unanswered", "info")
    assert not is_answered(spec, response)
    assert response_summary(spec, response) == ""


# Multiple choice


def test_multiple_choice_weights_add():
    assert mark(SENSORS, {"choices": [0, 1]}) == Mark(1.0, "right", ["measures distance"], [0, 1])
    assert mark(SENSORS, {"choices": [0]}).fraction == 0.5


def test_multiple_choice_negative_weights_are_clamped_at_zero():
    result = mark(SENSORS, {"choices": [2, 3]})
    assert result.fraction == 0.0
    assert result.state == "wrong"
    assert result.feedback == ["a motor moves, it senses nothing"]
    assert mark(SENSORS, {"choices": [0, 2]}).state == "wrong"  # 0.5 - 0.5
    assert mark(SENSORS, {"choices": [0, 1, 2]}).fraction == 0.5


def test_multiple_choice_sum_over_one_is_clamped():
    spec = single(("a", 0.7), ("b", 0.7), ("c", 0.0), qtype=QType.MULTIPLE)
    assert mark(spec, {"choices": [0, 1]}).fraction == 1.0


def test_multiple_choice_thirds_add_up_to_right():
    # GIFT `~%33.33333%` three times is 0.9999999: full marks, as in Moodle (its 1e-6).
    spec = single(("a", 0.3333333), ("b", 0.3333333), ("c", 0.3333333), qtype=QType.MULTIPLE)
    assert mark(spec, {"choices": [0, 1, 2]}) == Mark(1.0, "right", [], [0, 1, 2])
    spec = single(("a", 0.333), ("b", 0.333), ("c", 0.333), qtype=QType.MULTIPLE)
    assert mark(spec, {"choices": [0, 1, 2]}).state == "partial"  # 99.9 % is not all
    spec = single(("a", 0.0000001), ("b", 0.0), qtype=QType.MULTIPLE)
    assert mark(spec, {"choices": [0]}) == Mark(0.0, "wrong", [], [0])


def test_multiple_choice_drops_bad_and_repeated_indexes():
    assert valid_response(SENSORS, {"choices": [1, 0, 0, "1", -1, 10**9, "x", None, True]}) == {
        "choices": [0, 1]
    }
    assert mark(SENSORS, {"choices": [0, 0, 0]}).fraction == 0.5  # not three times 0.5


def test_multiple_choice_nothing_chosen_is_unanswered():
    for response in ({"choices": []}, {}, {"choices": None}, {"choices": [99]}):
        assert mark(SENSORS, response).state == "unanswered"


def test_multiple_choice_huge_list_is_malformed():
    assert valid_response(SENSORS, {"choices": [0] * 1_000_001}) is None
    assert mark(SENSORS, {"choices": list(range(10**6))}).state == "unanswered"


# Short answer


def test_short_answer_is_case_insensitive_and_trims_whitespace():
    spec = short(("Ohm's law", 1.0))
    for text in ("ohm's law", "  OHM'S   LAW ", "Ohm's\tlaw\n"):
        assert mark(spec, {"text": text}).state == "right", text


def test_short_answer_case_sensitive():
    spec = short(("NaCl", 1.0), case_sensitive=True)
    assert mark(spec, {"text": "NaCl"}).state == "right"
    assert mark(spec, {"text": "nacl"}).state == "wrong"


def test_short_answer_cyrillic_is_casefolded_but_yo_stays_yo():
    spec = short(("Ёлка", 1.0))
    assert mark(spec, {"text": "ЁЛКА"}).state == "right"
    assert mark(spec, {"text": "ёлка"}).state == "right"
    assert mark(spec, {"text": "елка"}).state == "wrong"


def test_short_answer_compares_normalised_unicode():
    spec = short(("йод", 1.0))
    assert mark(spec, {"text": "и\u0306од"}).state == "right"  # й as и + combining breve


def test_short_answer_regex_metacharacters_are_literal():
    spec = short(("a.b", 1.0), ("(x|y)+", 1.0), ("[0-9]", 1.0), ("c$", 1.0), ("^d", 1.0))
    assert mark(spec, {"text": "a.b"}).state == "right"
    assert mark(spec, {"text": "axb"}).state == "wrong"
    assert mark(spec, {"text": "(x|y)+"}).state == "right"
    assert mark(spec, {"text": "xy"}).state == "wrong"
    assert mark(spec, {"text": "5"}).state == "wrong"
    assert mark(spec, {"text": "[0-9]"}).state == "right"
    assert mark(spec, {"text": "c$"}).state == "right"
    assert mark(spec, {"text": "^d"}).state == "right"
    assert mark(spec, {"text": "d"}).state == "wrong"


def test_short_answer_star_is_a_wildcard():
    spec = short(("*метр", 1.0), ("кило*грамм", 1.0), ("a**b", 1.0))
    assert mark(spec, {"text": "Сантиметр"}).state == "right"
    assert mark(spec, {"text": "метр"}).state == "right"  # the star matches nothing too
    assert mark(spec, {"text": "метры"}).state == "wrong"
    assert mark(spec, {"text": "килограмм"}).state == "right"
    assert mark(spec, {"text": "кило и ещё грамм"}).state == "right"
    assert mark(spec, {"text": "ab"}).state == "right"
    assert mark(spec, {"text": "a-b"}).state == "right"


def test_short_answer_wildcard_prefix_and_suffix_must_not_overlap():
    spec = short(("ab*ba", 1.0))
    assert mark(spec, {"text": "aba"}).state == "wrong"
    assert mark(spec, {"text": "abba"}).state == "right"
    assert mark(spec, {"text": "ab-ba"}).state == "right"


def test_short_answer_escaped_star_is_literal():
    spec = short(("2\\*3", 1.0))
    assert mark(spec, {"text": "2*3"}).state == "right"
    assert mark(spec, {"text": "2x3"}).state == "wrong"
    assert right_answer_summary(spec) == "2*3"


def test_short_answer_first_matching_answer_wins_in_the_authors_order():
    # Moodle's question_first_matching_answer_grading_strategy: order, not fraction, decides.
    spec = short(("Nazereth", 0.75), ("Naz*", 1.0), ("*", 0.0))
    assert mark(spec, {"text": "Nazereth"}) == Mark(0.75, "partial", ["fb Nazereth"], [0])
    assert mark(spec, {"text": "Nazareth"}) == Mark(1.0, "right", ["fb Naz*"], [1])
    assert mark(spec, {"text": "Rome"}) == Mark(0.0, "wrong", ["fb *"], [2])


def test_short_answer_no_match_is_wrong_without_feedback():
    assert mark(short(("a", 1.0)), {"text": "b"}) == Mark(0.0, "wrong")


def test_short_answer_empty_is_unanswered():
    spec = short(("*", 1.0))
    for response in ({"text": ""}, {"text": "   \n"}, {}, {"text": None}):
        assert mark(spec, response).state == "unanswered"
    assert mark(spec, {"text": "0"}).state == "right"  # "0" is an answer (Moodle too)


def test_short_answer_over_the_limit_is_wrong_not_an_error():
    spec = short(("*", 1.0))
    huge = "a" * 1_000_000
    assert mark(spec, {"text": huge}) == Mark(0.0, "wrong")
    assert is_answered(spec, {"text": huge})
    assert valid_response(spec, {"text": huge}) == {"text": "a" * 1_000}
    assert mark(spec, {"text": "a" * 1_000}).state == "right"


def test_short_answer_many_wildcards_on_a_long_answer_stay_linear():
    # `.*a.*a.*…$` as a regex backtracks for minutes here; the piecewise match does not.
    spec = short(("*a" * 30 + "*b", 1.0))
    started = time.perf_counter()
    assert mark(spec, {"text": "a" * 1_000}).state == "wrong"
    assert time.perf_counter() - started < 0.5


def test_short_answer_a_number_posted_as_json_number_is_text():
    assert mark(short(("42", 1.0)), {"text": 42}).state == "right"


# Numerical


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5.0),
        ("3,5", 3.5),
        ("3.5", 3.5),
        ("  -2 ", -2.0),
        ("+7", 7.0),
        ("−3", -3.0),  # U+2212 MINUS SIGN
        ("1 000", 1000.0),
        ("1\u00a0000\u00a0000", 1_000_000.0),
        ("12 345,5", 12345.5),
        ("1e3", 1000.0),
        ("2,5E-3", 0.0025),
        (",5", 0.5),
        ("5.", 5.0),
        ("007", 7.0),
    ],
)
def test_parse_number_accepts(text, value):
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "abc",
        "5 В",
        "1,000.5",
        "1.000,5",
        "1 00",
        "10 0000",
        "1  000",
        "- 5",
        "--5",
        "+-5",
        "5-",
        ".",
        ",",
        "e3",
        "1e",
        "1e99999",
        "1e400",
        "inf",
        "nan",
        "0x10",
        "1_000",
        "٣",
        "½",
        "3/4",
        "1" * 2_000,
    ],
)
def test_parse_number_rejects(text):
    assert parse_number(text) is None


def test_parse_number_of_a_non_string_is_none():
    assert parse_number(None) is None
    assert parse_number(5) is None


def test_numerical_within_tolerance_is_right_and_the_edge_is_inclusive():
    for text in ("5", "4,5", "5.5", "5,2"):
        assert mark(OHM, {"text": text}) == Mark(1.0, "right", ["fb 0"], [0]), text


def test_numerical_partial_credit_from_a_later_wider_answer():
    for text in ("4", "6", "4,4", "5,6"):
        assert mark(OHM, {"text": text}) == Mark(0.5, "partial", ["fb 1"], [1]), text


def test_numerical_catch_all_matches_anything_else():
    assert mark(OHM, {"text": "6,0001"}) == Mark(0.0, "wrong", ["fb 2"], [2])
    assert mark(OHM, {"text": "-5"}) == Mark(0.0, "wrong", ["fb 2"], [2])


def test_numerical_float_error_at_the_edge_counts_as_inside():
    spec = numerical((0.3, 0.1, 1.0))
    assert mark(spec, {"text": "0,4"}).state == "right"  # 0.4 - 0.3 = 0.10000000000000003
    assert mark(spec, {"text": "0,2"}).state == "right"
    assert mark(spec, {"text": "0,40001"}).state == "wrong"


def test_numerical_range():
    spec = numerical((1.5, 0.5, 1.0))  # GIFT {#1..2}
    for text in ("1", "2", "1,5", "1.999"):
        assert mark(spec, {"text": text}).state == "right", text
    for text in ("0,999", "2,001"):
        assert mark(spec, {"text": text}).state == "wrong", text


def test_numerical_negative_values_and_exact_answers():
    spec = numerical((-3.0, 0.0, 1.0))
    assert mark(spec, {"text": "−3"}).state == "right"
    assert mark(spec, {"text": "-3,0"}).state == "right"
    assert mark(spec, {"text": "3"}).state == "wrong"
    assert mark(spec, {"text": "-3,0001"}).state == "wrong"


def test_numerical_negative_tolerance_is_its_size():
    assert mark(numerical((10.0, -1.0, 1.0)), {"text": "9"}).state == "right"


def test_numerical_large_values_with_thousands_and_exponent():
    spec = numerical((300_000.0, 1_000.0, 1.0))
    assert mark(spec, {"text": "300 000"}).state == "right"
    assert mark(spec, {"text": "3e5"}).state == "right"
    assert mark(spec, {"text": "299 000"}).state == "right"
    assert mark(spec, {"text": "298 999"}).state == "wrong"


def test_numerical_first_matching_answer_wins():
    # {#=%100%5:0 =%50%5:1}: exactly 5 is full marks, 4..6 half.
    spec = numerical((5.0, 0.0, 1.0), (5.0, 1.0, 0.5))
    assert mark(spec, {"text": "5"}).fraction == 1.0
    assert mark(spec, {"text": "5,5"}).fraction == 0.5
    assert mark(spec, {"text": "7"}) == Mark(0.0, "wrong")


def test_numerical_unparseable_is_unanswered():
    for text in ("пять", "5 Ом", "", "1e99999", "x" * 1_000_000):
        assert mark(OHM, {"text": text}) == Mark(0.0, "unanswered"), text[:20]
        assert not is_answered(OHM, {"text": text})


def test_numerical_number_posted_as_json_number():
    assert mark(OHM, {"text": 5}).state == "right"
    assert mark(OHM, {"text": 5.25}).state == "right"


# Matching


def test_right_items_are_distinct_in_order_with_distractors():
    spec = matching(("iron", "metal"), ("water", "liquid"), ("copper", "metal"), ("", "gas"))
    assert right_items(spec) == ["metal", "liquid", "gas"]
    assert right_items(CAPITALS) == ["Ottawa", "Rome", "Tokyo", "Paris"]


def test_matching_all_right():
    pairs = {"0": 0, "1": 1, "2": 2}
    assert mark(CAPITALS, {"pairs": pairs}) == Mark(1.0, "right", [], [0, 1, 2])


def test_matching_partial_credit_is_right_over_n():
    result = mark(CAPITALS, {"pairs": {"0": 0, "1": 3, "2": 1}})
    assert result.fraction == pytest.approx(1 / 3)
    assert result.state == "partial"
    assert result.chosen == [0]
    assert mark(CAPITALS, {"pairs": {"0": 0, "1": 1}}).fraction == pytest.approx(2 / 3)


def test_matching_the_distractor_is_never_right():
    assert mark(CAPITALS, {"pairs": {"0": 3, "1": 3, "2": 3}}) == Mark(0.0, "wrong")


def test_matching_same_right_text_for_two_left_items():
    spec = matching(("iron", "metal"), ("water", "liquid"), ("copper", "metal"))
    assert mark(spec, {"pairs": {"0": 0, "1": 1, "2": 0}}).state == "right"


def test_matching_distractor_is_not_a_left_item():
    assert valid_response(CAPITALS, {"pairs": {"3": 3}}) == {"pairs": {}}
    assert mark(CAPITALS, {"pairs": {"3": 3}}).state == "unanswered"


def test_matching_cleans_pairs():
    response = {"pairs": {0: "0", "1": 10**9, "2": -1, "x": 1, "99": 0, "-1": 0, "1.0": 1}}
    assert valid_response(CAPITALS, response) == {"pairs": {"0": 0}}
    assert valid_response(CAPITALS, {"pairs": {"0": None}}) == {"pairs": {}}


def test_matching_unanswered():
    for response in ({"pairs": {}}, {}, {"pairs": None}, {"pairs": {"0": 10}}):
        assert mark(CAPITALS, response).state == "unanswered"


def test_matching_huge_pairs_are_malformed():
    response = {"pairs": {str(i): 0 for i in range(100_000)}}
    assert valid_response(CAPITALS, response) is None
    assert mark(CAPITALS, response).state == "unanswered"


# Essay and description


def test_essay_waits_for_the_teacher():
    assert mark(ESSAY, {"text": "It has two motors."}) == Mark(None, "needs_grading")
    assert is_answered(ESSAY, {"text": "It has two motors."})


def test_essay_empty_is_unanswered():
    for response in ({"text": "  \n\t"}, {}, None, {"text": 5j}):
        assert mark(ESSAY, response) == Mark(None, "unanswered")


def test_essay_is_capped(settings):
    assert valid_response(ESSAY, {"text": "a" * 30_000}) == {"text": "a" * 20_000}
    settings.LMS_QUIZ_MAX_ANSWER_CHARS = 500
    assert valid_response(ESSAY, {"text": "a" * 30_000}) == {"text": "a" * 500}
    spec = short(("*", 1.0))
    assert valid_response(spec, {"text": "a" * 800}) == {"text": "a" * 500}
    assert mark(spec, {"text": "a" * 501}).state == "wrong"
    settings.LMS_QUIZ_MAX_ANSWER_CHARS = 50_000  # a short answer still stops at 1,000
    assert valid_response(spec, {"text": "a" * 2_000}) == {"text": "a" * 1_000}


def test_description_is_information_whatever_is_posted():
    for response in (None, {}, {"text": "x"}, [1]):
        assert mark(DESCRIPTION, response) == Mark(None, "info")
        assert not is_answered(DESCRIPTION, response)
    assert valid_response(DESCRIPTION, {"anything": 1}) == {}
    assert right_answer_summary(DESCRIPTION) == ""


# valid_response


def test_valid_response_drops_unknown_keys_and_coerces():
    assert valid_response(COLOURS, {"choice": "2", "extra": "x" * 10**6}) == {"choice": 2}
    assert valid_response(COLOURS, {"choice": None}) == {}
    assert valid_response(short(("a", 1.0)), {"text": "a", "choice": 1}) == {"text": "a"}
    assert valid_response(short(("a", 1.0)), {}) == {"text": ""}
    assert valid_response(SENSORS, {"choices": (3, 1)}) == {"choices": [1, 3]}


def test_valid_response_rejects_malformed():
    for response in (None, [], "x", {"choice": 3}, {"choice": "00000001"}, {"choice": 0.0}):
        assert valid_response(COLOURS, response) is None, response
    assert valid_response(SENSORS, {"choices": "0"}) is None
    assert valid_response(ESSAY, {"text": b"bytes"}) is None
    assert valid_response(CAPITALS, {"pairs": [0, 1]}) is None


def test_valid_response_removes_what_the_database_cannot_store():
    assert valid_response(ESSAY, {"text": "a\x00b\ud800c"}) == {"text": "abc"}


def test_valid_response_is_stable():
    for spec, response in [
        (COLOURS, {"choice": "1"}),
        (SENSORS, {"choices": [3, "0", 0]}),
        (CAPITALS, {"pairs": {1: "1", "0": 2}}),
        (OHM, {"text": " 5,5 "}),
    ]:
        clean = valid_response(spec, response)
        assert valid_response(spec, clean) == clean
        assert mark(spec, clean) == mark(spec, response)


# Summaries


def test_right_answer_summary_per_type():
    assert right_answer_summary(COLOURS) == "red"
    assert right_answer_summary(single(("a", 0.5), ("b", 0.0))) == "a"
    assert right_answer_summary(single(("a", 0.0), ("b", 0.0))) == ""
    assert right_answer_summary(TRUE_RIGHT) == "True"
    false_right = QuestionSpec(
        QType.TRUE_FALSE, "?", answers=[Answer("true", 0.0), Answer("false", 1.0)]
    )
    assert right_answer_summary(false_right) == "False"
    assert right_answer_summary(SENSORS) == "ultrasonic; line"
    assert right_answer_summary(short(("Ом", 1.0), ("ом", 1.0), ("*омега*", 1.0), ("x", 0.5))) == (
        "Ом; омега"
    )
    assert right_answer_summary(short(("фото*резистор", 1.0), ("фоторезистор", 1.0))) == (
        "фоторезистор"
    )
    assert right_answer_summary(short(("type(*)", 1.0), ("*", 1.0))) == "type()"
    assert right_answer_summary(CAPITALS) == "Canada → Ottawa; Italy → Rome; Japan → Tokyo"
    assert right_answer_summary(ESSAY) == ""


def test_right_answer_summary_numerical():
    assert right_answer_summary(OHM) == "5 ± 0.5"
    assert right_answer_summary(numerical((2.5, 0.1, 1.0))) == "2.5 ± 0.1"
    assert right_answer_summary(numerical((12.0, 0.5, 1.0))) == "12 ± 0.5"
    # A range is kept as middle ± half-width; round ends show it as the range it was.
    assert right_answer_summary(numerical((3.5, 1.5, 1.0))) == "from 2 to 5"
    assert right_answer_summary(numerical((1.5, 0.5, 1.0))) == "from 1 to 2"
    assert right_answer_summary(numerical((0.3, 0.1, 1.0))) == "0.3 ± 0.1"
    assert right_answer_summary(numerical((1e-20, 1e-21, 1.0))) == "1e-20 ± 1e-21"
    assert right_answer_summary(numerical((-3.0, 0.0, 1.0))) == "-3"
    assert right_answer_summary(numerical((0.1 + 0.2, 0.1, 1.0))) == "0.3 ± 0.1"
    assert right_answer_summary(numerical((None, 0.0, 1.0))) == "any number"
    with translation.override("ru"):
        assert right_answer_summary(OHM) == "5 ± 0,5"


def test_response_summary_per_type():
    assert response_summary(COLOURS, {"choice": 1}) == "green"
    assert response_summary(TRUE_RIGHT, {"choice": 1}) == "False"
    assert response_summary(SENSORS, {"choices": [2, 0]}) == "ultrasonic; motor"
    assert response_summary(short(("a", 1.0)), {"text": "  Hello   world "}) == "Hello world"
    assert response_summary(OHM, {"text": "1 000,50"}) == "1000.5"
    assert response_summary(OHM, {"text": "3.5"}) == response_summary(OHM, {"text": "3,5"})
    assert response_summary(OHM, {"text": "пять"}) == ""
    assert response_summary(CAPITALS, {"pairs": {"2": 3, "0": 0}}) == (
        "Canada → Ottawa; Japan → Paris"
    )
    assert response_summary(ESSAY, {"text": "My\nrobot"}) == "My robot"
    assert response_summary(DESCRIPTION, {}) == ""


def test_response_summary_unanswered_is_empty():
    for spec, response in [
        (COLOURS, {}),
        (SENSORS, {"choices": []}),
        (CAPITALS, {"pairs": {}}),
        (ESSAY, {"text": "  "}),
        (short(("a", 1.0)), {"text": ""}),
    ]:
        assert response_summary(spec, response) == ""


def test_response_summary_is_bounded():
    label = response_summary(ESSAY, {"text": "слово " * 100_000})
    assert len(label) == 100
    assert label.endswith("…")
    many = single(*[("x" * 30, 0.1)] * 10, qtype=QType.MULTIPLE)
    assert len(response_summary(many, {"choices": list(range(10))})) == 100
