"""The GIFT parser and exporter as plain functions: syntax, types, errors with their lines,
decoding, limits and speed, and round trips of what the exporter writes."""

from __future__ import annotations

import time

import pytest
from django.utils import translation

from assessments.quiz.gift.exporter import export_gift
from assessments.quiz.gift.parser import GiftIssue, decode_gift, parse_gift
from assessments.quiz.spec import BLANK, Answer, QType, QuestionSpec, TextFormat


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def one(gift: str | bytes) -> QuestionSpec:
    result = parse_gift(gift)
    assert result.errors == []
    assert len(result.questions) == 1, result.questions
    return result.questions[0]


def error_of(gift: str) -> GiftIssue:
    result = parse_gift(gift)
    assert result.questions == []
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def round_trip(specs: list[QuestionSpec]) -> list[QuestionSpec]:
    back = parse_gift(export_gift(specs))
    assert back.errors == []
    for spec, parsed in zip(specs, back.questions, strict=True):
        parsed.line = spec.line
    return back.questions


# --- Decoding --------------------------------------------------------------------------------


def test_decode_utf8_with_and_without_bom():
    assert decode_gift("Вопрос{}".encode()) == ("Вопрос{}", "utf-8")
    assert decode_gift(b"\xef\xbb\xbf" + "Вопрос{}".encode()) == ("Вопрос{}", "utf-8-sig")


def test_windows_1251_is_read_and_noted():
    result = parse_gift("Столица России?{=Москва}".encode("cp1251"))
    assert result.encoding == "windows-1251"
    assert result.questions[0].answers[0].text == "Москва"
    assert len(result.warnings) == 1
    assert "Windows-1251" in result.warnings[0].message


def test_utf16_with_bom():
    result = parse_gift("Вопрос{T}".encode("utf-16"))
    assert result.encoding == "utf-16"
    assert result.questions[0].qtype == QType.TRUE_FALSE


@pytest.mark.parametrize(
    "data",
    [
        b"\x98\x98 not text",  # 0x98 is in neither UTF-8 nor Windows-1251
        b"PK\x03\x04\x00\x00binary",  # a zip, not text
        b"\xef\xbb\xbfQ{}\xff",  # says UTF-8 (BOM), is not
    ],
)
def test_undecodable_files_are_one_error(data):
    result = parse_gift(data)
    assert result.questions == []
    assert [issue.line for issue in result.errors] == [0]
    assert result.errors[0].message


def test_bom_crlf_cr_and_tabs():
    gift = "\ufeff::A::\tOne?{\r\n\t=yes\r\n\t~no\r\n}\r\n\r\n::B::Two?{\r\t=x\r\t~y\r}"
    result = parse_gift(gift)
    assert result.errors == []
    assert [q.title for q in result.questions] == ["A", "B"]
    assert result.questions[1].line == 6
    assert [a.text for a in result.questions[0].answers] == ["yes", "no"]


# --- Structure: comments, titles, formats, escapes ---------------------------------------------


def test_comments_and_moodle_export_header_are_ignored():
    result = parse_gift(
        "// question: 123  name: X\n// another comment\n::X::Text{T}\n\n// only a comment\n"
    )
    assert [q.title for q in result.questions] == ["X"]
    assert result.questions[0].line == 3


def test_title_is_optional_and_derived_from_the_text():
    q = one("[html]<p>What is <b>2 + 2</b>?</p><p>Think.</p>{#4}")
    assert q.title == "What is 2 + 2?"
    long = one("word " * 40 + "{}")
    assert len(long.title) <= 80
    assert long.title.endswith("…")
    assert one("First line\nsecond line{}").title == "First line"


@pytest.mark.parametrize(
    ("tag", "text_format"),
    [
        ("[html]", TextFormat.HTML),
        ("[moodle]", TextFormat.MOODLE),
        ("[plain]", TextFormat.PLAIN),
        ("[markdown]", TextFormat.MARKDOWN),
        ("", TextFormat.MOODLE),  # Moodle's default
    ],
)
def test_format_tags(tag, text_format):
    q = one(f"::T::{tag}Is it **so**?{{=yes#good}}")
    assert q.text_format == text_format
    assert q.text == "Is it **so**?"


def test_unknown_format_tag_is_an_error_naming_it():
    issue = error_of("\n::T::[foo]Question?{=a}")
    assert issue.line == 2
    assert "[foo]" in issue.message


def test_text_starting_with_a_markdown_link_is_not_a_tag():
    assert one("[markdown][Docs](https://example.org) say what?{=yes}").text.startswith("[Docs]")


def test_escapes_everywhere():
    q = one(
        "::A\\: \\{title\\}::Text \\~ \\= \\# \\{x\\} \\: \\\\ end\\nnext{\n"
        "  =right \\= \\~ \\{ok\\}#good \\# \\: \\}\n  ~wrong\\nline\n####gen \\# \\{\\}\n}"
    )
    assert q.title == "A: {title}"
    assert q.text == "Text ~ = # {x} : \\ end\nnext"
    assert q.answers[0] == Answer("right = ~ {ok}", 1.0, "good # : }")
    assert q.answers[1].text == "wrong\nline"
    assert q.general_feedback == "gen # {}"


def test_unclosed_title_is_an_error_and_the_next_question_still_reads():
    result = parse_gift("::Broken title Question?{T}\n\n::Good::Fine?{F}")
    assert [q.title for q in result.questions] == ["Good"]
    assert [e.line for e in result.errors] == [1]
    assert "::" in result.errors[0].message


def test_question_text_is_kept_as_written_and_stripped():
    q = one("::T::  [html]\n<pre>\n  line 1\n    line 2\n</pre>  \n{}")
    assert q.text == "<pre>\n  line 1\n    line 2\n</pre>"
    # A blank line would end the question (as in Moodle); `\n` puts one inside the text.
    q = one("::T::[html]<pre>\\n  line 1\\n\\n    line 2\\n</pre>{}")
    assert q.text == "<pre>\n  line 1\n\n    line 2\n</pre>"


# --- Categories ------------------------------------------------------------------------------


def test_categories_with_and_without_space_and_a_question_right_after():
    result = parse_gift(
        "$CATEGORY:$course$/top/Default\n::A::One{T}\n\n"
        "$CATEGORY:    $system$/top/Robotics/Sensors\n\n::B::Two{T}\n"
        "$CATEGORY: top/Robotics/Sensors\n::C::Three{T}\n\n"
        "$CATEGORY: $module$/Motors\n::D::Four{T}"
    )
    assert result.errors == []
    assert [(q.title, q.category) for q in result.questions] == [
        ("A", "Default"),
        ("B", "Robotics/Sensors"),
        ("C", "Robotics/Sensors"),
        ("D", "Motors"),
    ]
    assert result.categories == ["Default", "Robotics/Sensors", "Motors"]
    assert result.questions[0].line == 2


def test_questions_before_any_category_have_none():
    result = parse_gift("::A::One{T}\n\n$CATEGORY: $course$/top/X\n\n::B::Two{T}")
    assert [q.category for q in result.questions] == ["", "X"]


def test_a_slash_inside_a_category_name():
    # Moodle writes a slash inside a name as "//"; our paths split on "/", so it becomes "∕".
    result = parse_gift("$CATEGORY: $course$/top/Input//Output/Buttons\n\n::A::One{T}")
    assert result.questions[0].category == "Input\u2215Output/Buttons"
    exported = export_gift(result.questions)
    assert "$CATEGORY: $course$/top/Input//Output/Buttons\n" in exported
    assert parse_gift(exported).questions[0].category == "Input\u2215Output/Buttons"


def test_escapes_in_a_category():
    result = parse_gift("$CATEGORY: $course$/top/A\\\\B \\: C\n::A::One{T}")
    assert result.categories == ["A\\B : C"]


# --- Types -----------------------------------------------------------------------------------


def test_essay_and_description():
    assert one("How are you?{}").qtype == QType.ESSAY
    essay = one("How are you?{####Say something kind.}")
    assert (essay.qtype, essay.general_feedback) == (QType.ESSAY, "Say something kind.")
    text = one("::Intro::[markdown]Read **this** first.")
    assert (text.qtype, text.text, text.answers) == (QType.DESCRIPTION, "Read **this** first.", [])


@pytest.mark.parametrize("answer", ["T", "TRUE", "F", "FALSE", "true", "f"])
def test_true_false_forms(answer):
    q = one(f"The sun is a star.{{{answer}}}")
    assert q.qtype == QType.TRUE_FALSE
    right = 0 if answer.upper().startswith("T") else 1
    assert [a.text for a in q.answers] == ["true", "false"]
    assert [a.fraction for a in q.answers] == [1.0 - right, float(right)]


def test_true_false_feedbacks_go_to_the_choice_that_shows_them():
    # GIFT: {TRUE#shown when wrong#shown when right}
    q = one("The sun is a star.{TRUE#No, it is.#Yes!####The sun is a G-type star.}")
    assert q.answers == [Answer("true", 1.0, "Yes!"), Answer("false", 0.0, "No, it is.")]
    assert q.general_feedback == "The sun is a G-type star."
    q = one("The moon is a star.{FALSE#No, it is not.#Right.}")
    assert q.answers == [Answer("true", 0.0, "No, it is not."), Answer("false", 1.0, "Right.")]


@pytest.mark.parametrize(
    ("block", "values"),
    [
        ("{#5}", [(5.0, 0.0)]),
        ("{#5:0.5}", [(5.0, 0.5)]),
        ("{#5..10}", [(7.5, 2.5)]),  # a range: its middle and half its width
        ("{#-3}", [(-3.0, 0.0)]),
        ("{#-3..-1}", [(-2.0, 1.0)]),
        ("{#3,5}", [(3.5, 0.0)]),
        ("{#3,5:0,1}", [(3.5, 0.1)]),
        ("{#1e3:1E1}", [(1000.0, 10.0)]),
        ("{#3.141..3.142}", [(3.1415, 0.0005)]),
    ],
)
def test_numerical_forms(block, values):
    q = one("Number?" + block)
    assert q.qtype == QType.NUMERICAL
    assert [(a.value, a.tolerance) for a in q.answers] == values
    assert [a.fraction for a in q.answers] == [1.0]


def test_numerical_several_answers_partial_credit_and_other_numbers():
    q = one("Grant born?{#=%100%5:0 =%50%5:2 #close ~#Not even close.}")
    assert q.answers == [
        Answer("", 1.0, "", value=5.0, tolerance=0.0),
        Answer("", 0.5, "close", value=5.0, tolerance=2.0),
        Answer("*", 0.0, "Not even close.", value=None),
    ]


def test_numerical_not_a_number():
    issue = error_of("Q?{#abc}")
    assert "not a number" in issue.message
    assert "abc" in issue.message
    assert "not a number" in error_of("Q?{#=%50%1..x}").message


def test_matching_pairs_and_a_distractor():
    q = one("Match.{\n=cat -> meow\n=dog -> woof\n=-> moo\n####Animals.}")
    assert q.qtype == QType.MATCHING
    assert [(a.text, a.match) for a in q.answers] == [("cat", "meow"), ("dog", "woof"), ("", "moo")]
    assert q.general_feedback == "Animals."
    assert one("Two pairs.{=a -> 1 =b -> 2}").qtype == QType.MATCHING


def test_matching_needs_two_pairs_and_arrows():
    assert "two pairs" in error_of("Match.{=a -> 1 =-> 2}").message
    issue = error_of("Match.{\n=a -> 1\n=b 2\n}")
    assert (issue.line, "->" in issue.message) == (3, True)


def test_single_choice_with_one_right_answer():
    q = one("Pick.{=yes ~no ~maybe}")
    assert q.qtype == QType.SINGLE
    assert [a.fraction for a in q.answers] == [1.0, 0.0, 0.0]


def test_single_choice_with_partial_credit_stays_single():
    # Moodle: an `=` anywhere makes a one-answer choice, other answers may give part.
    q = one("Pick.{~wrong ~%50%half =full}")
    assert q.qtype == QType.SINGLE
    assert [a.fraction for a in q.answers] == [0.0, 0.5, 1.0]


def test_multiple_choice_by_weights():
    q = one("Pick two.{~%50%a ~%50%b ~%-100%c ~d}")
    assert q.qtype == QType.MULTIPLE
    assert [a.fraction for a in q.answers] == [0.5, 0.5, -1.0, 0.0]
    thirds = one("Pick three.{~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}")
    assert [a.fraction for a in thirds.answers] == [0.3333333] * 3 + [-1.0]
    # No `=`: multiple, as in Moodle, even with one 100 % answer.
    assert one("Pick.{~%100%a ~%-50%b}").qtype == QType.MULTIPLE


def test_multiple_choice_weights_not_adding_up_warn():
    result = parse_gift("Pick.{~%50%a ~%20%b ~c}")
    assert result.questions[0].qtype == QType.MULTIPLE
    assert "70" in result.warnings[0].message


@pytest.mark.parametrize("weight", ["150", "-150", "100.5"])
def test_weights_out_of_range_are_refused(weight):
    issue = error_of(f"Pick.{{~a ~%{weight}%b =c}}")
    assert f"{weight} %" in issue.message


def test_a_malformed_weight_is_refused():
    assert "%5o%" in error_of("Pick.{~a ~%5o%b =c}").message


def test_negative_weight_outside_multiple_choice_is_read_as_zero():
    result = parse_gift("Pick.{=a ~%-50%b}")
    assert [a.fraction for a in result.questions[0].answers] == [1.0, 0.0]
    assert "Negative" in result.warnings[0].message


def test_choice_needs_answers_and_a_right_one():
    assert "two answers" in error_of("Pick.{=only ~}").message
    assert "marked right" in error_of("Pick.{~a ~b ~c}").message


def test_short_answer():
    q = one("Who?{=no one =%50%nobody#close =%0%*#No.}")
    assert q.qtype == QType.SHORT
    assert [(a.text, a.fraction, a.feedback) for a in q.answers] == [
        ("no one", 1.0, ""),
        ("nobody", 0.5, "close"),
        ("*", 0.0, "No."),
    ]
    assert q.case_sensitive is False


def test_short_answer_without_equals_sign_is_read_with_a_warning():
    result = parse_gift("Capital of France?{Paris}")
    assert result.questions[0].answers == [Answer("Paris", 1.0, "")]
    assert "=Paris" in result.warnings[0].message


@pytest.mark.parametrize("block", ["{=}", "{=#feedback}", "{#}", "{=%50%}"])
def test_empty_answer_blocks_are_errors(block):
    assert error_of("Question?" + block).message


def test_missing_word_keeps_the_blank_in_the_sentence():
    q = one("Grant is {~buried =entombed ~living} in Grant's tomb.")
    assert q.qtype == QType.MISSING_WORD
    assert q.text == f"Grant is {BLANK} in Grant's tomb."
    assert q.text.count(BLANK) == 1
    assert [a.text for a in q.answers] == ["buried", "entombed", "living"]


def test_block_at_the_start_of_the_sentence():
    q = one("{~Who =What} is it?")
    assert (q.qtype, q.text) == (QType.MISSING_WORD, f"{BLANK} is it?")


@pytest.mark.parametrize(
    ("block", "qtype"), [("{=four =4}", QType.SHORT), ("{#4}", QType.NUMERICAL)]
)
def test_short_and_numerical_inside_a_sentence(block, qtype):
    q = one(f"Two plus two is {block} exactly.")
    assert (q.qtype, q.text) == (qtype, f"Two plus two is {BLANK} exactly.")


def test_text_after_a_true_false_block_is_kept_with_a_warning():
    result = parse_gift("The sun is hot{T}, isn't it?")
    assert result.questions[0].text == "The sun is hot , isn't it?"
    assert len(result.warnings) == 1


def test_tilde_equals_is_read_as_a_right_answer():
    result = parse_gift("We did it {~=as ~like} we said.")
    assert [(a.text, a.fraction) for a in result.questions[0].answers] == [
        ("as", 1.0),
        ("like", 0.0),
    ]
    assert "“~=”" in result.warnings[0].message


def test_answers_share_the_question_format():
    result = parse_gift("[html]<p>Pick</p>{=[plain]<yes> ~[html]<b>no</b>#[markdown]**No**}")
    q = result.questions[0]
    assert [(a.text, a.feedback) for a in q.answers] == [("<yes>", ""), ("<b>no</b>", "**No**")]
    assert len(result.warnings) == 2  # [plain] and [markdown] differ from [html]; once each


def test_blank_lines_inside_an_answer_block():
    q = one("Pick.{\n  =a#yes\n\n  ~b\n\n\n  ~c\n}")
    assert [a.text for a in q.answers] == ["a", "b", "c"]


def test_idnumber_and_tags_from_comments():
    q = one("// [id:Q-7] [tag:robots] [tag:sensors]\n::T::Text{}")
    assert (q.idnumber, q.tags) == ("Q-7", ["robots", "sensors"])


# --- Pictures --------------------------------------------------------------------------------


def test_pictures_left_in_moodle_are_marked_and_warned():
    result = parse_gift(
        '\n::T::[html]<p>Look:</p>\\n<p><img src\\="@@PLUGINFILE@@/my%20pic.png" alt\\="" '
        '/></p>{\n=<img src\\="@@PLUGINFILE@@/a.png">#ok\n~b\n}'
    )
    q = result.questions[0]
    assert "<img" not in q.text
    assert "[picture missing: my pic.png]" in q.text
    assert q.answers[0].text == "[picture missing: a.png]"
    assert [(w.line, "“my pic.png”" in w.message) for w in result.warnings][0] == (2, True)
    assert result.warnings[1].line == 3
    assert "upload it to the question after import" in result.warnings[0].message


def test_ordinary_pictures_are_kept():
    q = one('[html]<img src\\="https\\://example.org/a.png">{}')
    assert q.text == '<img src="https://example.org/a.png">'


# --- Errors: each with its line, reading goes on ----------------------------------------------


def test_all_errors_are_reported_with_their_lines():
    gift = "\n".join(
        [
            "::1::Good{T}",  # 1
            "",
            "::2::Unclosed {=a ~b",  # 3
            "",
            "::3::Stray } brace",  # 5
            "",
            "::4::[foo]Format{T}",  # 7
            "",
            "::5::Weight{~%150%a =b}",  # 9
            "",
            "::6::Pairs{=a -> b}",  # 11
            "",
            "::7::Number{#abc}",  # 13
            "",
            "::8::Two {=a} blocks {=b}",  # 15
            "",
            "::9 no closing title {T}",  # 17
            "",
            "::10::Good too{F}",  # 19
        ]
    )
    result = parse_gift(gift)
    assert [q.title for q in result.questions] == ["1", "10"]
    assert [e.line for e in result.errors] == [3, 5, 7, 9, 11, 13, 15, 17]
    assert all(e.message.endswith(".") for e in result.errors)


def test_unclosed_block_does_not_swallow_the_next_questions():
    result = parse_gift(
        "::A::Pick.{\n=a\n~b\n\n::B::Next?{T}\n\nC plain question {=c}\n\n::D::Last{F}"
    )
    assert [q.title for q in result.questions] == ["B", "C plain question", "D"]
    assert [(e.line, "“}” is missing" in e.message) for e in result.errors] == [(1, True)]


def test_error_line_is_exact_inside_a_block():
    issue = error_of("::A::Pick.{\n  =a\n  ~b\n  ~%200%c\n}")
    assert issue.line == 4


def test_max_questions():
    gift = "\n\n".join(f"Q{i}{{T}}" for i in range(5))
    result = parse_gift(gift, max_questions=3)
    assert len(result.questions) == 3
    assert len(result.errors) == 1
    assert "3" in result.errors[0].message
    assert result.errors[0].line == 7
    assert parse_gift(gift, max_questions=5).errors == []


def test_messages_are_translatable_sentences():
    with translation.override("ru"):
        issue = error_of("Q{#abc}")
    assert issue.message


# --- Speed -----------------------------------------------------------------------------------


def many_questions(count: int) -> str:
    forms = [
        "::Q{i}::[html]<p>Question {i} about \\{{sets\\}}?</p>{{\n\t~wrong#no\n\t=right#yes\n}}",
        "Q{i} is {{~a =b ~c}} in a sentence.",
        "Q{i} {{#=%100%{i}:0.5 =%50%{i}..{j} ~#no}}",
        "Q{i} {{=a -> b =c -> d =e -> f}}",
        "// [tag:t{i}]\nQ{i} {{TRUE#w#r####g}}",
    ]
    return "\n\n".join(forms[i % 5].format(i=i, j=i + 2) for i in range(count))


@pytest.mark.slow
def test_ten_thousand_questions_parse_in_a_couple_of_seconds():
    gift = many_questions(10_000).encode()
    start = time.process_time()
    result = parse_gift(gift)
    elapsed = time.process_time() - start
    assert len(result.questions) == 10_000
    assert result.errors == []
    assert elapsed < 4  # about 1 s on a laptop; generous for busy CI machines


@pytest.mark.slow
@pytest.mark.parametrize(
    "gift",
    [
        "{" * 200_000,
        "Q {" + "~" * 300_000 + "=a}",
        "[html]" + "<" * 300_000 + "{}",
        "Q {\n\n" * 20_000,
        "::" * 100_000,
        "Q {=a" + "#" * 300_000 + "}",
        "// " + "[id:" * 100_000 + "\nQ{}",
        "[markdown]" + "![a](@@PLUGINFILE@@/x " * 20_000 + "{}",
        "[markdown]![a](@@PLUGINFILE@@/" + "x" * 300_000 + "{}",
        "Q " + "x" * 5_000_000 + "{T}",
    ],
    ids=[
        "braces",
        "tildes",
        "angles",
        "unclosed blocks",
        "colons",
        "hashes",
        "idnumbers",
        "pictures",
        "long picture name",
        "long line",
    ],
)
def test_hostile_input_stays_fast(gift):
    start = time.process_time()
    parse_gift(gift)
    assert time.process_time() - start < 3


# --- Exporter --------------------------------------------------------------------------------


def test_export_escapes_and_reads_back():
    spec = QuestionSpec(
        QType.SINGLE,
        "Which is {x}? a:b ~ = # \\ \\n\nnext",
        "Title: {1}",
        TextFormat.MOODLE,
        answers=[Answer("a = b", 1.0, "#1 {ok}"), Answer("~c:", 0.0, "")],
        general_feedback="All: {done} # ~",
    )
    out = export_gift([spec])
    assert "::Title\\: \\{1\\}::" in out
    assert round_trip([spec]) == [spec]


def test_export_category_lines_only_when_the_category_changes():
    specs = [
        QuestionSpec(QType.ESSAY, "One", "1", TextFormat.MOODLE, category="A/B"),
        QuestionSpec(QType.ESSAY, "Two", "2", TextFormat.MOODLE, category="A/B"),
        QuestionSpec(QType.ESSAY, "Three", "3", TextFormat.MOODLE, category="C"),
        QuestionSpec(QType.ESSAY, "Four", "4", TextFormat.MOODLE, category=""),
    ]
    out = export_gift(specs)
    assert out.count("$CATEGORY:") == 3
    assert out.startswith("$CATEGORY: $course$/top/A/B\n\n::1::One{}\n\n::2::Two{}\n\n")
    assert round_trip(specs) == specs


def test_export_missing_word_inside_the_sentence():
    spec = QuestionSpec(
        QType.MISSING_WORD,
        f"Grant is {BLANK} in Grant's tomb.",
        "Grant",
        TextFormat.MOODLE,
        answers=[Answer("buried"), Answer("entombed", 1.0, "Yes")],
    )
    out = export_gift([spec])
    assert out == "::Grant::Grant is {\n\t~buried\n\t=entombed#Yes\n} in Grant's tomb.\n\n"
    assert round_trip([spec]) == [spec]


def test_export_tricky_specs_read_back_the_same():
    specs = [
        # Text that looks like a format tag, answers that look like weights or tags.
        QuestionSpec(
            QType.SINGLE,
            "[note] Choose",
            "T1",
            TextFormat.MOODLE,
            answers=[Answer("%50 off", 1.0), Answer("[html]", 0.0, "[plain]x")],
        ),
        # Only right answers (both fine): must still read back as a choice.
        QuestionSpec(
            QType.MISSING_WORD,
            f"Do it {BLANK} I said.",
            "T2",
            TextFormat.MOODLE,
            answers=[Answer("as", 1.0), Answer("like", 1.0)],
        ),
        # A one-answer choice whose best answer gives half.
        QuestionSpec(
            QType.SINGLE,
            "Half?",
            "T3",
            TextFormat.HTML,
            answers=[Answer("a", 0.5), Answer("b", 0.0)],
        ),
        QuestionSpec(
            QType.MULTIPLE,
            "Thirds",
            "T4",
            TextFormat.MARKDOWN,
            answers=[Answer("a", 0.3333333), Answer("b", 0.6666667), Answer("c", -1.0)],
        ),
        QuestionSpec(
            QType.NUMERICAL,
            f"Pi is {BLANK}.",
            "T5",
            TextFormat.PLAIN,
            answers=[
                Answer("", 1.0, "", value=3.1415, tolerance=0.0005),
                Answer("*", 0.1, "anything", value=None),
                Answer("", 0.5, "negative", value=-2.5e-7, tolerance=1e-8),
            ],
        ),
        QuestionSpec(
            QType.TRUE_FALSE,
            "False?",
            "T6",
            TextFormat.MOODLE,
            answers=[Answer("true", 0.0, ""), Answer("false", 1.0, "right")],
            general_feedback="gf",
        ),
        QuestionSpec(
            QType.MATCHING,
            "Match",
            "T7",
            TextFormat.HTML,
            answers=[
                Answer("<b>a</b>", match="1 # = ~"),
                Answer("[markdown]b", match="-> 2"),
                Answer("", match="3"),
            ],
        ),
        QuestionSpec(QType.DESCRIPTION, "Just {text} = # ~", "T8", TextFormat.MARKDOWN),
        QuestionSpec(
            QType.ESSAY,
            "Essay",
            "T9",
            TextFormat.MOODLE,
            general_feedback="####",
            tags=["a]b", "c"],
            idnumber="id 1",
        ),
        QuestionSpec(
            QType.SHORT,
            "Short",
            "T10",
            TextFormat.MOODLE,
            answers=[Answer("%", 1.0), Answer("a#b", 0.25, "fb")],
        ),
    ]
    assert round_trip(specs) == specs


def test_export_gives_a_title_when_there_is_none():
    spec = QuestionSpec(QType.ESSAY, "// looks like a comment", "", TextFormat.MOODLE)
    [back] = parse_gift(export_gift([spec])).questions
    assert (back.qtype, back.text) == (QType.ESSAY, "// looks like a comment")
