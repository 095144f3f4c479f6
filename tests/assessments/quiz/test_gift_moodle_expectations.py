"""Moodle's own GIFT expectations (question/format/gift/tests/giftformat_test.php, copied to
/work/shared/fixtures/moodle/...): each import test's GIFT text and the fields of its
`$expectedq`, each export test's `$qdata` and `$expectedgift`, in our QuestionSpec terms.

Where our data has less than Moodle's it is said at the test: answers and feedback have no
format of their own here (they share the question's), so Moodle's per-answer `[html]`,
`[plain]`... tags are read (with a warning) but not written back."""

from __future__ import annotations

import pytest
from django.utils import translation

from assessments.quiz.gift.exporter import export_gift
from assessments.quiz.gift.parser import extract_idnumber_and_tags, parse_gift
from assessments.quiz.spec import Answer, QType, QuestionSpec, TextFormat


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def one(gift: str) -> QuestionSpec:
    result = parse_gift(gift)
    assert result.errors == []
    assert len(result.questions) == 1
    return result.questions[0]


def without_header(gift: str) -> str:
    """Moodle starts each question with `// question: 666  name: X`; we have no ids to write."""
    lines = gift.split("\n")
    assert lines[0].startswith("// question: ")
    return "\n".join(lines[1:])


def assert_round_trip(spec: QuestionSpec) -> None:
    back = parse_gift(export_gift([spec]))
    assert back.errors == []
    spec.line = back.questions[0].line
    assert back.questions == [spec]


# --- Imports ---------------------------------------------------------------------------------


def test_import_essay():
    q = one("\n// essay\n::Q8:: How are you? {}")
    assert (q.qtype, q.title, q.text) == (QType.ESSAY, "Q8", "How are you?")
    assert q.text_format == TextFormat.MOODLE
    assert q.general_feedback == ""
    assert q.answers == []


MATCH_GIFT = """
// question: 2  name: Moodle activities
::Moodle activities::[html]Match the <b>activity</b> to the description.{
    =[html]An activity supporting asynchronous discussions. -> Forum
    =[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice
    =[plain]A bank of record entries which participants can add to. -> Database
    =[markdown]A collection of web pages that anyone can add to or edit. -> Wiki
    = -> Chat
}"""


def test_import_match():
    result = parse_gift(MATCH_GIFT)
    [q] = result.questions
    assert q.qtype == QType.MATCHING
    assert q.title == "Moodle activities"
    assert q.text == "Match the <b>activity</b> to the description."
    assert q.text_format == TextFormat.HTML
    assert [(a.text, a.match) for a in q.answers] == [
        ("An activity supporting asynchronous discussions.", "Forum"),
        ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
        ("A bank of record entries which participants can add to.", "Database"),
        ("A collection of web pages that anyone can add to or edit.", "Wiki"),
        ("", "Chat"),  # Moodle's empty subquestion: an extra answer that matches nothing
    ]
    # Moodle keeps [moodle], [plain], [markdown] per subquestion; we say they are not kept.
    assert [w.line for w in result.warnings] == [5, 6, 7]
    assert "[plain]" in result.warnings[1].message


MULTICHOICE_GIFT = """
// multiple choice with specified feedback for right and wrong answers
::Q2:: What's between orange and green in the spectrum?
{
    =yellow # right; good!
    ~red # [html]wrong, it's yellow
    ~[plain]blue # wrong, it's yellow
}"""


def test_import_multichoice():
    q = parse_gift(MULTICHOICE_GIFT).questions[0]
    assert q.qtype == QType.SINGLE  # Moodle: single = 1
    assert (q.title, q.text) == ("Q2", "What's between orange and green in the spectrum?")
    assert q.text_format == TextFormat.MOODLE
    assert q.answers == [
        Answer("yellow", 1.0, "right; good!"),
        Answer("red", 0.0, "wrong, it's yellow"),
        Answer("blue", 0.0, "wrong, it's yellow"),
    ]


def test_import_multichoice_multi():
    result = parse_gift(
        """
// multiple choice, multiple response with specified feedback for right and wrong answers
::colours:: What's between orange and green in the spectrum?
{
    ~%50%yellow # right; good!
    ~%-100%red # [html]wrong
    ~%50%off-beige # right; good!
    ~%-100%[plain]blue # wrong
}"""
    )
    [q] = result.questions
    assert q.qtype == QType.MULTIPLE  # Moodle: single = 0
    assert q.title == "colours"
    assert q.answers == [
        Answer("yellow", 0.5, "right; good!"),
        Answer("red", -1.0, "wrong"),
        Answer("off-beige", 0.5, "right; good!"),
        Answer("blue", -1.0, "wrong"),
    ]


def test_import_multichoice_multi_tricky():
    q = one(
        """
// multiple choice, multiple response with specified feedback for right and wrong answers
::colours:: What's between orange and green in the spectrum?
{
    ~%100%yellow # right; good!
    ~%-50%red # wrong
    ~%-50%blue # wrong
}"""
    )
    # No `=`: Moodle makes it multiple response (single = 0) even with one 100 % answer.
    assert q.qtype == QType.MULTIPLE
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("yellow", 1.0, "right; good!"),
        ("red", -0.5, "wrong"),
        ("blue", -0.5, "wrong"),
    ]


def test_import_numerical():
    q = one(
        "\n// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}"
    )
    assert (q.qtype, q.title, q.text) == (QType.NUMERICAL, "Q5", "What is a number from 1 to 5?")
    # Moodle: answer ['3', '*'], fraction [1, 0], tolerance [2, ''], feedback ['', 'Completely...']
    assert q.answers == [
        Answer(text="", fraction=1.0, feedback="", value=3.0, tolerance=2.0),
        Answer(text="*", fraction=0.0, feedback="Completely wrong", value=None, tolerance=0.0),
    ]


SHORTANSWER_GIFT = """
// question: 666  name: Shortanswer
::Shortanswer::Which is the best animal?{
    =Frog#Good!
    =%50%Cat#What is it with Moodlers and cats?
    =%0%*#Completely wrong
}"""


def test_import_shortanswer():
    q = one(SHORTANSWER_GIFT)
    assert (q.qtype, q.title, q.text) == (QType.SHORT, "Shortanswer", "Which is the best animal?")
    assert q.general_feedback == ""
    assert q.answers == [
        Answer("Frog", 1.0, "Good!"),
        Answer("Cat", 0.5, "What is it with Moodlers and cats?"),
        Answer("*", 0.0, "Completely wrong"),
    ]


def test_import_shortanswer_with_general_feedback():
    gift = SHORTANSWER_GIFT.replace(
        "=%0%*#Completely wrong\n",
        "=%0%*#Completely wrong\n    ####[html]Here is some general feedback!\n",
    )
    result = parse_gift(gift)
    [q] = result.questions
    assert q.general_feedback == "Here is some general feedback!"
    assert [a.text for a in q.answers] == ["Frog", "Cat", "*"]
    assert [a.fraction for a in q.answers] == [1.0, 0.5, 0.0]
    # Moodle keeps the general feedback's own [html]; ours takes the question's format.
    assert len(result.warnings) == 1


def test_import_truefalse():
    q = one(
        "\n// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
        "FALSE#42 is the Ultimate Answer.#You gave the right answer.}"
    )
    assert (q.qtype, q.title) == (QType.TRUE_FALSE, "Q1")
    assert q.text == "42 is the Absolute Answer to everything."
    # Moodle: correctanswer 0, feedbacktrue "42 is the Ultimate Answer.", feedbackfalse
    # "You gave the right answer.": the feedback goes with the choice that shows it.
    assert q.answers == [
        Answer("true", 0.0, "42 is the Ultimate Answer."),
        Answer("false", 1.0, "You gave the right answer."),
    ]


@pytest.mark.parametrize("answer", ["T", "TRUE"])
def test_import_truefalse_true_answer(answer):
    q = one(f"// name 0-11\n::2-08 TSL::TSL is blablabla.{{{answer}}}")
    assert (q.qtype, q.title, q.text) == (QType.TRUE_FALSE, "2-08 TSL", "TSL is blablabla.")
    assert q.answers == [Answer("true", 1.0, ""), Answer("false", 0.0, "")]


def test_import_backslash():
    # MDL-34171: `\\` is one backslash, `\\\\` two.
    q = one("\n// essay\n::double backslash:: A \\\\ B \\\\\\\\ C{}")
    assert q.title == "double backslash"
    assert q.text == "A \\ B \\\\ C"
    assert q.qtype == QType.ESSAY


def test_import_pre_content():
    q = one(
        """
::Q001::[html]<p>What would running the test method print?</p>
<pre>
    public void test() \\{
        method1();
        method2();
        method3();
    \\}
</pre>
{}"""
    )
    assert q.qtype == QType.ESSAY
    assert q.text_format == TextFormat.HTML
    assert q.text == (
        "<p>What would running the test method print?</p>\n<pre>\n    public void test() {\n"
        "        method1();\n        method2();\n        method3();\n    }\n</pre>"
    )


def test_import_question_with_tags():
    q = one(
        "\n// This question is to test importing tags: [tag:tag] [tag:other-tag].\n"
        "// And an idnumber: [id:myid].\n::Question name:: How are you? {}"
    )
    assert (q.title, q.text, q.qtype) == ("Question name", "How are you?", QType.ESSAY)
    assert q.tags == ["tag", "other-tag"]
    assert q.idnumber == "myid"


@pytest.mark.parametrize(
    ("idnumber", "tags", "comment"),
    [
        pytest.param("", [], "", id="blank comment"),
        pytest.param("", [], "// A basic comment.", id="nothing in comment"),
        pytest.param("frog", [], "// A comment with [id:frog] <-- an idnumber.", id="idnumber"),
        pytest.param("", ["frog", "toad"], "// Look tags: [tag:frog] [tag:toad].", id="tags"),
        pytest.param("four", ["add", "basic"], "// [tag:add] [tag:basic] [id:four]", id="all"),
        pytest.param(
            "four",
            ["basic", "add"],
            "// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.",
            id="everything mixed up",
        ),
        pytest.param("", [], "// Ceci n\\'est pas une [tag:\n\\ frog].", id="split over line"),
        pytest.param("i]d", [], "// [id:i\\]d].", id="escape ] idnumber"),
        pytest.param("", ["t]ag"], "// [tag:t\\]ag].", id="escape ] tag"),
    ],
)
def test_extract_idnumber_and_tags_from_comment(idnumber, tags, comment):
    assert extract_idnumber_and_tags(comment) == (idnumber, tags)


# --- Exports ---------------------------------------------------------------------------------


def test_export_essay():
    spec = QuestionSpec(QType.ESSAY, "How are you?", "Q8", TextFormat.MOODLE)
    expected = "// question: 666  name: Q8\n::Q8::How are you?{}\n\n"
    assert export_gift([spec]) == without_header(expected)
    assert_round_trip(spec)


def test_export_match():
    spec = QuestionSpec(
        QType.MATCHING,
        "Match the <b>activity</b> to the description.",
        "Moodle activities",
        TextFormat.HTML,
        answers=[
            Answer(
                '<div class="frog">An activity supporting asynchronous discussions.</div>',
                match="Forum",
            ),
            Answer(
                "A teacher asks a question and specifies a choice of multiple responses.",
                match="Choice",
            ),
            Answer("A bank of record entries which participants can add to.", match="Database"),
            Answer("A collection of web pages that anyone can add to or edit.", match="Wiki"),
            Answer("", match="Chat"),
        ],
    )
    expected = """// question: 666  name: Moodle activities
::Moodle activities::[html]Match the <b>activity</b> to the description.{
\t=<div class\\="frog">An activity supporting asynchronous discussions.</div> -> Forum
\t=[moodle]A teacher asks a question and specifies a choice of multiple responses. -> Choice
\t=[plain]A bank of record entries which participants can add to. -> Database
\t=[markdown]A collection of web pages that anyone can add to or edit. -> Wiki
\t= -> Chat
}

"""
    ours = without_header(expected)
    for tag in ("[moodle]", "[plain]", "[markdown]"):  # subquestion formats: not in our data
        ours = ours.replace(tag, "")
    assert export_gift([spec]) == ours
    assert_round_trip(spec)


def test_export_multichoice():
    spec = QuestionSpec(
        QType.SINGLE,
        "What's between orange and green in the spectrum?",
        "Q8",
        TextFormat.MOODLE,
        answers=[
            Answer("yellow", 1.0, "right; good!"),
            Answer("red", 0.0, "wrong, it's yellow"),
            Answer("blue", 0.0, "wrong, it's yellow"),
        ],
    )
    expected = """// question: 666  name: Q8
::Q8::What's between orange and green in the spectrum?{
\t=yellow#right; good!
\t~red#[html]wrong, it's yellow
\t~[plain]blue#wrong, it's yellow
}

"""
    ours = without_header(expected).replace("[html]", "").replace("[plain]", "")
    assert export_gift([spec]) == ours
    assert_round_trip(spec)
    # And Moodle's own text, tags and all, reads as the same question.
    assert parse_gift(without_header(expected)).questions[0].answers == spec.answers


def test_export_multichoice_multi_tricky():
    spec = QuestionSpec(
        QType.MULTIPLE,
        "What's between orange and green in the spectrum?",
        "Q8",
        TextFormat.MOODLE,
        answers=[
            Answer("yellow", 1.0, "right; good!"),
            Answer("red", -0.5, "wrong, it's yellow"),
            Answer("blue", -0.5, "wrong, it's yellow"),
        ],
    )
    expected = """// question: 666  name: Q8
::Q8::What's between orange and green in the spectrum?{
\t~%100%yellow#right; good!
\t~%-50%red#wrong, it's yellow
\t~%-50%blue#wrong, it's yellow
}

"""
    assert export_gift([spec]) == without_header(expected)
    assert_round_trip(spec)


def test_export_numerical():
    spec = QuestionSpec(
        QType.NUMERICAL,
        "What is a number from 1 to 5?",
        "Q5",
        TextFormat.MOODLE,
        answers=[
            Answer("", 1.0, "", value=3.0, tolerance=2.0),
            Answer("*", 0.0, "Completely wrong", value=None),
        ],
    )
    expected = """// question: 666  name: Q5
::Q5::What is a number from 1 to 5?{#
\t=%100%3:2#
\t~#Completely wrong
}

"""
    assert export_gift([spec]) == without_header(expected)
    assert_round_trip(spec)


SHORTANSWER_SPEC_ANSWERS = [
    Answer("Frog", 1.0, "Good!"),
    Answer("Cat", 0.5, "What is it with Moodlers and cats?"),
    Answer("*", 0.0, "Completely wrong"),
]


def test_export_shortanswer():
    spec = QuestionSpec(
        QType.SHORT,
        "Which is the best animal?",
        "Shortanswer",
        TextFormat.MOODLE,
        answers=list(SHORTANSWER_SPEC_ANSWERS),
    )
    expected = """// question: 666  name: Shortanswer
::Shortanswer::Which is the best animal?{
\t=%100%Frog#Good!
\t=%50%Cat#What is it with Moodlers and cats?
\t=%0%*#Completely wrong
}

"""
    assert export_gift([spec]) == without_header(expected)
    assert_round_trip(spec)


def test_export_shortanswer_with_general_feedback():
    spec = QuestionSpec(
        QType.SHORT,
        "Which is the best animal?",
        "Shortanswer",
        TextFormat.MOODLE,
        answers=list(SHORTANSWER_SPEC_ANSWERS),
        general_feedback="Here is some general feedback!",
    )
    expected = """// question: 666  name: Shortanswer
::Shortanswer::Which is the best animal?{
\t=%100%Frog#Good!
\t=%50%Cat#What is it with Moodlers and cats?
\t=%0%*#Completely wrong
\t####[html]Here is some general feedback!
}

"""
    # The general feedback's own format ([html]) is not in our data.
    assert export_gift([spec]) == without_header(expected).replace("[html]", "")
    assert_round_trip(spec)


def test_export_truefalse():
    spec = QuestionSpec(
        QType.TRUE_FALSE,
        "42 is the Absolute Answer to everything.",
        "Q1",
        TextFormat.MOODLE,
        answers=[
            Answer("true", 1.0, "You gave the right answer."),
            Answer("false", 0.0, "42 is the Ultimate Answer."),
        ],
    )
    expected = (
        "// question: 666  name: Q1\n::Q1::42 is the Absolute Answer to everything."
        "{TRUE#[html]42 is the Ultimate Answer.#You gave the right answer.}\n\n"
    )
    assert export_gift([spec]) == without_header(expected).replace("[html]", "")
    assert_round_trip(spec)


def test_export_backslash():
    spec = QuestionSpec(QType.ESSAY, "A \\ B \\\\ C", "backslash", TextFormat.MOODLE)
    expected = "// question: 666  name: backslash\n::backslash::A \\\\ B \\\\\\\\ C{}\n\n"
    assert export_gift([spec]) == without_header(expected)
    assert_round_trip(spec)


def test_export_question_with_tags_and_idnumber():
    spec = QuestionSpec(
        QType.TRUE_FALSE,
        "The answer is true.",
        "True/false question",
        TextFormat.HTML,
        answers=[
            Answer("true", 1.0, "This is the right answer."),
            Answer("false", 0.0, "This is the wrong answer."),
        ],
        general_feedback="You should have selected true.",
        tags=["tag1", "tag2"],
        idnumber="myid",
    )
    expected = (
        "// question: 12  name: True/false question\n"
        "// [id:myid] [tag:tag1] [tag:tag2]\n"
        "::True/false question::[html]The answer is true.{TRUE#This is the wrong answer."
        "#This is the right answer.####You should have selected true.}\n\n"
    )
    assert export_gift([spec]) == without_header(expected)
    assert_round_trip(spec)
