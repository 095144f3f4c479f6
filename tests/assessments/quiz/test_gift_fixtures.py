"""Real GIFT files (/work/shared/fixtures/gift/, see its README) and Moodle's own test files and
examples.txt: every question imports or is reported with its line and a reason, the counts by
type are the ones found by reading each file, and parse → export → parse gives the same.

The counts were checked by hand against the files; what each one holds is noted below."""

from __future__ import annotations

from collections import Counter

import pytest
from django.utils import translation

from assessments.quiz.gift.exporter import export_gift
from assessments.quiz.gift.parser import parse_gift
from assessments.quiz.spec import BLANK, Answer, QType
from tests.shared_fixtures import shared_fixtures

FIXTURES = shared_fixtures()
GIFT = FIXTURES / "gift"
MOODLE_GIFT = FIXTURES / "moodle" / "question" / "format" / "gift"

pytestmark = pytest.mark.skipif(
    not GIFT.is_dir(), reason=f"the shared GIFT fixtures are not here: {FIXTURES}"
)

S, M, T = QType.SINGLE, QType.MULTIPLE, QType.TRUE_FALSE
SA, N, MA = QType.SHORT, QType.NUMERICAL, QType.MATCHING
MW, E, D = QType.MISSING_WORD, QType.ESSAY, QType.DESCRIPTION

# file: (questions by type, categories, lines of the warnings). No file has errors.
EXPECTED = {
    # A Russian Moodle export: 16 single choice, 1 multi-answer (`~%50%` twice), 3 short
    # answers (`=%100%word#`), each of these three with a picture left in Moodle.
    "gift/zavlab1_testeditor__orig_test.gift": (
        {S: 16, M: 1, SA: 3},
        ["По умолчанию для БД"],
        [144, 150, 156],
    ),
    # A [markdown] description, six missing words (`~=` in six of them: one warning each), an
    # 8-pair matching question.
    "gift/GL02_MACHINE_A24__U3-p33-Gra-As_like.gift": (
        {D: 1, MW: 6, MA: 1},
        ["Gold B2, Unit 3"],
        [5, 7, 9, 11, 13, 15],
    ),
    # Feedback per answer, a short answer inside the sentence, {FALSE#wrong#right}, numerical
    # with partial credit.
    "gift/GL02_MACHINE_A24__EM-U42-Ultimate.gift": ({S: 1, SA: 1, T: 1, N: 1}, [], []),
    # Moodle's 43 examples (counted section by section).
    "moodle/question/format/gift/examples.txt": (
        {S: 9, SA: 9, N: 8, MW: 7, T: 5, MA: 3, M: 2},
        [],
        [],
    ),
    # Moodle's unit-test questions: per-answer format tags (7 warnings: our answers share the
    # question's format) and `";` copied after a true/false block (1 warning); the numerical
    # question with `";` after its block gets the blank, as in Moodle.
    "moodle/question/format/gift/tests/fixtures/questions.gift.txt": (
        {T: 3, E: 1, MA: 1, S: 1, M: 1, N: 1, SA: 1},
        [],
        [7, 8, 9, 17, 18, 25, 27, 43],
    ),
    "moodle/question/format/gift/tests/fixtures/questions_in_category.gift.txt": (
        {MA: 1, S: 1, SA: 1, T: 1},
        ["Default for New Features"],
        [],
    ),
}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def read(name: str):
    return parse_gift((FIXTURES / name).read_bytes())


def all_fixture_files() -> list[str]:
    files = sorted(path for path in GIFT.iterdir() if path.suffix == ".gift")
    if MOODLE_GIFT.is_dir():
        files.append(MOODLE_GIFT / "examples.txt")
        files.extend(sorted((MOODLE_GIFT / "tests" / "fixtures").glob("*.gift.txt")))
    return [str(path.relative_to(FIXTURES)) for path in files]


def test_every_fixture_file_is_listed():
    assert sorted(all_fixture_files()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_by_type(name):
    by_type, categories, warning_lines = EXPECTED[name]
    result = read(name)
    assert result.errors == []
    assert Counter(q.qtype for q in result.questions) == Counter(by_type)
    assert result.categories == categories
    assert [w.line for w in result.warnings] == warning_lines
    assert all(w.message.strip() for w in result.warnings)
    assert result.encoding == "utf-8"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_question_has_a_line_title_and_text(name):
    result = read(name)
    lines = [q.line for q in result.questions]
    assert lines == sorted(set(lines))
    text = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    for q in result.questions:
        assert q.title.strip()
        assert text[q.line - 1].strip()  # the line is the question's own first line
        assert not text[q.line - 1].strip().startswith("//")
        if q.qtype != QType.DESCRIPTION:
            assert q.text.strip()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_round_trip(name):
    first = read(name)
    exported = export_gift(first.questions)
    second = parse_gift(exported)
    assert second.errors == []
    assert second.warnings == []  # what needed a warning is settled in the export
    for q in second.questions:
        q.line = 0
    for q in first.questions:
        q.line = 0
    assert second.questions == first.questions
    assert second.categories == first.categories
    assert export_gift(second.questions) == exported


def test_zavlab_russian_export():
    result = read("gift/zavlab1_testeditor__orig_test.gift")
    first = result.questions[0]
    assert first.title == "1."
    assert first.line == 6  # after its `// question:` comment
    assert first.text == "<p>Базой данных называют:</p>"  # `\:` unescaped
    assert first.category == "По умолчанию для БД"
    assert [a.fraction for a in first.answers] == [0.0, 0.0, 1.0]
    multi = next(q for q in result.questions if q.qtype == QType.MULTIPLE)
    assert multi.title == "21."
    assert "</p>\n<p>" in multi.text  # `\n` escape
    assert [a.fraction for a in multi.answers] == [0, 0, 0.5, 0, 0.5, 0]
    pictures = [q for q in result.questions if q.qtype == QType.SHORT]
    assert [q.answers for q in pictures] == [
        [Answer("иерархическая", 1.0, "")],
        [Answer("сетевая", 1.0, "")],
        [Answer("реляционная", 1.0, "")],
    ]
    for q, name in zip(pictures, ["2.png", "3.png", "1.png"], strict=True):
        assert "<img" not in q.text
        assert f"[picture missing: {name}]" in q.text


def test_gl02_grammar_file():
    result = read("gift/GL02_MACHINE_A24__U3-p33-Gra-As_like.gift")
    description, first_blank, both_right = result.questions[:3]
    assert (description.qtype, description.text_format.value) == (D, "markdown")
    assert description.text == "Complete the sentences with _as_ or _like_."
    assert first_blank.text == f"Was that film {BLANK} all his other ones?"
    assert [(a.text, a.fraction) for a in first_blank.answers] == [("as", 0.0), ("like", 1.0)]
    # `{~=as~=like}`: Moodle adds empty wrong answers; both words are right.
    assert [(a.text, a.fraction) for a in both_right.answers] == [("as", 1.0), ("like", 1.0)]
    matching = result.questions[-1]
    assert len(matching.answers) == 8
    assert matching.answers[0] == Answer("I have long dark hair,", match="like my sister.")


def test_gl02_ultimate_file():
    single, short, true_false, numerical = read(
        "gift/GL02_MACHINE_A24__EM-U42-Ultimate.gift"
    ).questions
    assert single.answers[2] == Answer("right answer", 1.0, "Very good!")
    assert short.text.startswith(f'Deep Thought said " {BLANK}  is the Ultimate Answer')
    assert [a.text for a in short.answers] == ["forty two", "42", "forty-two"]
    assert true_false.answers == [
        Answer("true", 0.0, "42is the Ultimate Answer."),
        Answer("false", 1.0, "You gave the right answer."),
    ]
    assert [(a.value, a.tolerance, a.fraction) for a in numerical.answers] == [
        (1822.0, 0.0, 1.0),
        (1822.0, 2.0, 0.5),
    ]


def test_moodle_examples_special_characters():
    result = read("moodle/question/format/gift/examples.txt")
    control = next(q for q in result.questions if q.title == "GIFT Control Characters")
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[5].fraction == 1.0
    assert control.answers[5].feedback.startswith("Correct! \\ (backslash) is not")
    equals = next(q for q in result.questions if q.title == "Which answer equals 5?")
    assert [a.text for a in equals.answers] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
