"""The question bank in the Wagtail admin (/admin/quiz/): the index, categories, the question
editor with its versions and preview, moving and archiving, the GIFT export. Hostile input:
another course's ids in every URL (404), markup in every text field (escaped or sanitised),
weights out of range, a matching question with one pair. Query counts pinned."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from assessments.quiz.admin.bank_services import BankError, update_category
from assessments.quiz.gift.parser import parse_gift
from assessments.quiz.models import Question, QuestionCategory, QuestionVersion, Quiz, QuizSlot
from assessments.quiz.questions import create_question
from assessments.quiz.spec import BLANK, QType
from assessments.quiz.wagtail_hooks import question_bank_menu_item
from tests.assessments.quiz.test_quiz_permissions import (
    EVENT_ATTRIBUTE,
    build_quiz_world,
    choice_spec,
)
from tests.scenario import shared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INDEX = reverse("quiz_admin:index")
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@shared
def bank_world(two_schools):
    return build_quiz_world(two_schools)


@pytest.fixture
def world(bank_world):
    return bank_world


@pytest.fixture
def author(client, world):
    client.force_login(world.author)
    return client


def _bank(world) -> str:
    return str(world.course.pk)


def question_post(qtype: str = "single_choice", answers=(), **fields) -> dict:
    data = {
        "qtype": qtype,
        "title": "",
        "text": "",
        "text_format": "markdown",
        "mark": "1",
        "tags": "",
        "general_feedback": "",
        "tf_right": "true",
        "tf_feedback_true": "",
        "tf_feedback_false": "",
        "action": "save",
        **fields,
    }
    rows = [*answers, {}, {}]
    data.update(
        {
            "answers-TOTAL_FORMS": str(len(rows)),
            "answers-INITIAL_FORMS": "0",
            "answers-MIN_NUM_FORMS": "0",
            "answers-MAX_NUM_FORMS": "50",
        }
    )
    for n, row in enumerate(rows):
        for name in ("text", "weight", "feedback", "match", "value", "tolerance"):
            data[f"answers-{n}-{name}"] = row.get(name, "")
    return data


def choices(*rows) -> list[dict]:
    return [{"text": text, "weight": weight} for text, weight in rows]


def _create(client, world, **fields):
    url = f"{reverse('quiz_admin:question_create')}?bank={_bank(world)}"
    fields.setdefault("category", str(world.robotics.pk))
    return client.post(url, question_post(**fields), follow=True)


# --- Who sees what -------------------------------------------------------------------------------


def test_an_author_sees_their_courses_bank_and_not_anothers(author, world):
    response = author.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Вольтметр" in html and "Датчик света" in html
    assert "Чужой вопрос" not in html and "Общий вопрос" not in html
    assert "Park-wide bank" not in html  # methodologists only
    assert world.other.course.title not in html
    assert "Робототехника" in html and "Датчики" in html and "Секретное" not in html


def test_a_methodologist_also_opens_the_park_wide_bank(client, world):
    client.force_login(world.methodologist)
    html = client.get(INDEX).content.decode()
    assert "Park-wide bank" in html
    park = client.get(INDEX, {"bank": "park"}).content.decode()
    assert "Общий вопрос" in park and "Вольтметр" not in park


@pytest.mark.parametrize(
    "params",
    [
        {"bank": "park"},
        {"bank": "other"},
        {"bank": "abc"},
        {"bank": "9" * 30},
        {"category": "secret"},
        {"category": "9" * 30},
        {"category": "nope"},
    ],
)
def test_another_banks_ids_in_the_index_answer_404(author, world, params):
    values = {"other": str(world.other.course.pk), "secret": str(world.secret.pk)}
    query = {k: values.get(v, v) for k, v in params.items()}
    if "category" in query:
        query["bank"] = _bank(world)
    assert author.get(INDEX, query).status_code == 404


def test_a_park_category_in_a_course_bank_answers_404(author, world):
    query = {"bank": _bank(world), "category": world.park.pk}
    assert author.get(INDEX, query).status_code == 404


def test_another_courses_objects_answer_404_on_every_page(author, world):
    urls = [
        reverse("quiz_admin:category_edit", args=[world.secret.pk]),
        reverse("quiz_admin:category_delete", args=[world.secret.pk]),
        reverse("quiz_admin:category_edit", args=[world.park.pk]),
        reverse("quiz_admin:question_edit", args=[world.q_secret.pk]),
        reverse("quiz_admin:question_edit", args=[world.q_park.pk]),
        reverse("quiz_admin:question_edit", args=[10**25]),
        f"{reverse('quiz_admin:category_create')}?bank={world.other.course.pk}",
        f"{reverse('quiz_admin:question_create')}?bank=park",
        f"{reverse('quiz_admin:export')}?bank={world.other.course.pk}",
        f"{reverse('quiz_admin:export')}?bank={_bank(world)}&category={world.secret.pk}",
    ]
    for url in urls:
        assert author.get(url).status_code == 404, url
    posts = [
        reverse("quiz_admin:category_delete", args=[world.secret.pk]),
        reverse("quiz_admin:question_edit", args=[world.q_secret.pk]),
        reverse("quiz_admin:question_move", args=[world.q_secret.pk]),
        reverse("quiz_admin:question_archive", args=[world.q_secret.pk]),
        reverse("quiz_admin:question_archive", args=[world.q_park.pk]),
    ]
    for url in posts:
        assert author.post(url, {"archived": "1", "category": world.robotics.pk}).status_code == 404
    assert QuestionCategory.objects.filter(pk=world.secret.pk).exists()
    assert not Question.objects.filter(is_archived=True).exists()


def test_pupils_and_plain_teachers_get_no_bank(client, world):
    for user in (world.pupil, world.teacher):
        client.force_login(user)
        for url in (INDEX, reverse("quiz_admin:question_edit", args=[world.q_robotics.pk])):
            response = client.get(url)
            assert response.status_code in (302, 404)  # no admin at all: Wagtail sends to login
            assert "Вольтметр" not in response.content.decode()


def test_the_menu_item_is_shown_to_authors_only(rf, world):
    item = question_bank_menu_item()
    for user, shown in (
        (world.author, True),
        (world.methodologist, True),
        (world.teacher, False),
        (world.pupil, False),
    ):
        request = rf.get("/admin/")
        request.user = user
        assert item.is_shown(request) is shown


# --- The index's queries --------------------------------------------------------------------------


def _fill(world, questions: int, categories: int) -> None:
    made = [
        QuestionCategory.objects.create(course=world.course, parent=world.robotics, name=f"K{n}")
        for n in range(categories)
    ]
    quiz = Quiz.objects.get(assignment=world.quiz)
    for n in range(questions):
        question = create_question(
            made[n % len(made)], choice_spec(f"Вопрос {n}"), world.author, tags=[f"t{n % 3}", "x"]
        )
        QuizSlot.objects.create(quiz=quiz, number=n + 1, question=question)


INDEX_QUERIES = 18  # 10 of them are the session, the user, roles and the sidebar


@pytest.mark.parametrize(("questions", "categories"), [(5, 2), (50, 20)])
def test_the_index_makes_the_same_queries_for_5_or_50_questions(
    author, world, django_assert_max_num_queries, questions, categories
):
    _fill(world, questions, categories)
    author.get(INDEX)  # the session, the sidebar's caches
    with django_assert_max_num_queries(INDEX_QUERIES):
        response = author.get(INDEX, {"bank": _bank(world)})
    assert response.status_code == 200
    assert response.content.decode().count('class="title"') == questions + 2
    with django_assert_max_num_queries(INDEX_QUERIES):
        response = author.get(
            INDEX,
            {
                "bank": _bank(world),
                "category": world.robotics.pk,
                "sub": "1",
                "tag": "x",
                "q": "Вопрос",
            },
        )
    assert response.status_code == 200


def test_the_index_lists_types_versions_tags_and_use(author, world):
    quiz = Quiz.objects.get(assignment=world.quiz)
    QuizSlot.objects.create(quiz=quiz, number=1, question=world.q_sensors)
    world.q_sensors.tags.set(["свет", "easy"])
    html = author.get(INDEX, {"bank": _bank(world), "category": world.sensors.pk}).content.decode()
    assert "Датчик света" in html and "Вольтметр" not in html
    assert "Single choice" in html
    row = html[html.index("Датчик света") :]
    assert "свет" in row and "easy" in row
    assert re.search(r"<td>\s*1\s*</td>", row)  # used in one quiz
    tagged = author.get(INDEX, {"bank": _bank(world), "tag": "EASY"}).content.decode()
    assert "Датчик света" in tagged and "Вольтметр" not in tagged
    searched = author.get(INDEX, {"bank": _bank(world), "q": "Вольт"}).content.decode()
    assert "Вольтметр" in searched and "Датчик света" not in searched


# --- Categories ---------------------------------------------------------------------------------


def test_categories_are_made_renamed_and_moved_within_their_bank(author, world):
    url = f"{reverse('quiz_admin:category_create')}?bank={_bank(world)}"
    response = author.post(url, {"name": "  Моторы  ", "parent": world.robotics.pk, "info": ""})
    assert response.status_code == 302
    motors = QuestionCategory.objects.get(name="Моторы")
    assert motors.parent == world.robotics and motors.course == world.course

    edit = reverse("quiz_admin:category_edit", args=[motors.pk])
    assert author.post(edit, {"name": "Двигатели", "parent": "", "info": "x"}).status_code == 302
    motors.refresh_from_db()
    assert motors.name == "Двигатели" and motors.parent is None

    # into its own subtree: not offered, and refused by the service too
    robotics_edit = reverse("quiz_admin:category_edit", args=[world.robotics.pk])
    response = author.post(robotics_edit, {"name": "Робототехника", "parent": world.sensors.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    with pytest.raises(BankError):
        update_category(world.robotics, name="Робототехника", parent=world.sensors)
    # into another bank: not a choice
    response = author.post(edit, {"name": "Двигатели", "parent": world.secret.pk})
    assert "Select a valid choice" in response.content.decode()
    with pytest.raises(BankError):
        update_category(motors, name="Двигатели", parent=world.park)
    world.robotics.refresh_from_db()
    assert world.robotics.parent is None


def test_bad_category_names_are_refused_with_a_message(author, world):
    url = f"{reverse('quiz_admin:category_create')}?bank={_bank(world)}"
    slash = author.post(url, {"name": "a/b", "parent": ""}).content.decode()
    assert "cannot contain" in slash
    twin = author.post(url, {"name": "робототехника", "parent": ""}).content.decode()
    assert "There already is a category" in twin
    assert author.post(url, {"name": "   ", "parent": ""}).status_code == 200
    assert QuestionCategory.objects.filter(course=world.course).count() == 2


def test_deleting_a_category_in_use_is_refused_with_the_reason(author, world):
    url = reverse("quiz_admin:category_delete", args=[world.sensors.pk])
    page = author.get(url).content.decode()
    assert "holds questions" in page
    response = author.post(url, follow=True)
    assert "holds questions" in response.content.decode()
    assert QuestionCategory.objects.filter(pk=world.sensors.pk).exists()
    parent = author.post(reverse("quiz_admin:category_delete", args=[world.robotics.pk]))
    assert parent.status_code == 302
    assert QuestionCategory.objects.filter(pk=world.robotics.pk).exists()

    empty = QuestionCategory.objects.create(course=world.course, name="Пустая")
    response = author.post(reverse("quiz_admin:category_delete", args=[empty.pk]), follow=True)
    assert "deleted" in response.content.decode()
    assert not QuestionCategory.objects.filter(pk=empty.pk).exists()


# --- The question editor -------------------------------------------------------------------------


def test_a_new_question_is_saved_as_version_1(author, world):
    response = _create(
        author,
        world,
        title="Закон Ома",
        text="Что такое **напряжение**?",
        tags="электричество, Ом, ом",
        answers=choices(("Разность потенциалов", "100"), ("Ток", "0")),
    )
    assert "Question saved as version 1." in response.content.decode()
    question = Question.objects.get(latest__title="Закон Ома")
    assert question.category == world.robotics
    assert question.latest.number == 1 and question.latest.qtype == "single_choice"
    assert sorted(question.tags.names()) == ["Ом", "электричество"]
    spec = question.latest.spec
    assert [(a.text, a.fraction) for a in spec.answers] == [
        ("Разность потенциалов", 1.0),
        ("Ток", 0.0),
    ]


def test_editing_makes_a_new_version_only_when_something_changed(author, world):
    url = reverse("quiz_admin:question_edit", args=[world.q_robotics.pk])
    page = author.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    formset = page.context["formset"]
    data = {name: "" if value is None else value for name, value in form.initial.items()}
    data.update({"action": "save", "case_sensitive": ""})
    data["tf_right"] = "true"
    data = {k: v for k, v in data.items() if k != "case_sensitive"}
    rows = [dict(row) for row in formset.initial]
    post = question_post(answers=rows[:2], **data)
    unchanged = author.post(url, post, follow=True).content.decode()
    assert "Nothing changed." in unchanged
    assert QuestionVersion.objects.filter(question=world.q_robotics).count() == 1

    post["answers-1-weight"] = "-0"  # the same number
    assert "Nothing changed." in author.post(url, post, follow=True).content.decode()

    post["answers-0-feedback"] = "Верно!"
    changed = author.post(url, post, follow=True).content.decode()
    assert "Saved as version 2." in changed
    world.q_robotics.refresh_from_db()
    assert world.q_robotics.latest.number == 2
    assert world.q_robotics.latest.created_by == world.author

    post["tags"] = "новый"
    tagged = author.post(url, post, follow=True).content.decode()
    assert "still version 2" in tagged
    assert list(world.q_robotics.tags.names()) == ["новый"]
    history = author.get(url).content.decode()
    assert "Preview of version 2" in history and world.author.get_display_name() in history


def test_preview_shows_the_unsaved_question_and_saves_nothing(author, world):
    url = reverse("quiz_admin:question_edit", args=[world.q_robotics.pk])
    post = question_post(
        title="Вольтметр",
        text="Новый текст вопроса",
        answers=choices(("Напряжение", "100"), ("Силу тока", "0")),
        action="preview",
    )
    response = author.post(url, post)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview (not saved)" in html
    assert "srcdoc=" in html and "Новый текст вопроса" in html
    assert "quiz-question" in html  # the pupil's own template, in the frame
    assert 'sandbox="allow-same-origin"' in html
    assert QuestionVersion.objects.filter(question=world.q_robotics).count() == 1
    world.q_robotics.refresh_from_db()
    assert world.q_robotics.latest.text != "Новый текст вопроса"

    new = f"{reverse('quiz_admin:question_create')}?bank={_bank(world)}"
    post["category"] = str(world.robotics.pk)
    assert "Preview (not saved)" in author.post(new, post).content.decode()
    assert not Question.objects.filter(latest__text="Новый текст вопроса").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"answers": choices(("a", "150"), ("b", "0"))}, "less than or equal to 100"),
        ({"answers": choices(("a", "100"), ("b", "-101"))}, "greater than or equal to -100"),
        ({"answers": choices(("a", "100"), ("b", "-50"))}, "Negative weights are for multiple"),
        ({"answers": choices(("a", "abc"), ("b", "0"))}, "Enter a number"),
        ({"answers": choices(("a", "nan"), ("b", "0"))}, "Enter a number"),
        ({"answers": choices(("only", "100"))}, "at least two answers"),
        ({"answers": choices(("a", "0"), ("b", "0"))}, "At least one answer must be right"),
        ({"text": "", "answers": choices(("a", "100"), ("b", "0"))}, "The question has no text"),
        (
            {"qtype": "matching", "answers": [{"text": "Ом", "match": "сопротивление"}]},
            "at least two pairs",
        ),
        (
            {
                "qtype": "matching",
                "answers": [{"text": "Ом", "match": ""}, {"text": "В", "match": "x"}],
            },
            "Every item must be matched",
        ),
        (
            {"qtype": "missing_word", "answers": choices(("a", "100"), ("b", "0"))},
            "needs the blank",
        ),
        ({"qtype": "numerical", "answers": [{"weight": "100"}]}, "needs a number"),
        (
            {"qtype": "numerical", "answers": [{"value": "3", "tolerance": "-1", "weight": "100"}]},
            "greater than or equal to 0",
        ),
        (
            {"mark": "-1", "answers": choices(("a", "100"), ("b", "0"))},
            "greater than or equal to 0",
        ),
    ],
)
def test_invalid_questions_get_a_message_and_nothing_is_saved(author, world, fields, message):
    fields.setdefault("text", "Текст")
    before = QuestionVersion.objects.count()
    response = _create(author, world, title="Плохой", **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert QuestionVersion.objects.count() == before
    assert not Question.objects.filter(latest__title="Плохой").exists()


def test_every_type_can_be_written_in_the_editor(author, world):
    cases = [
        ("multiple_choice", {"answers": choices(("a", "50"), ("b", "50"), ("c", "-100"))}),
        ("true_false", {"tf_right": "false", "tf_feedback_true": "Нет", "tf_feedback_false": "Да"}),
        (
            "short_answer",
            {"answers": choices(("Ом", "100"), ("ом*", "50")), "case_sensitive": "on"},
        ),
        (
            "numerical",
            {
                "answers": [
                    {"value": "3,5", "tolerance": "0,1", "weight": "100"},
                    {"text": "4", "weight": "50"},
                ]
            },
        ),
        (
            "matching",
            {
                "answers": [
                    {"text": "Ом", "match": "R"},
                    {"text": "Вольт", "match": "U"},
                    {"match": "I"},
                ]
            },
        ),
        (
            "missing_word",
            {"text": f"Закон {BLANK} гласит", "answers": choices(("Ома", "100"), ("Кулона", "0"))},
        ),
        ("essay", {}),
        ("description", {"text": "Прочитайте текст."}),
    ]
    for qtype, fields in cases:
        fields.setdefault("text", "Вопрос?")
        response = _create(author, world, qtype=qtype, title=f"T-{qtype}", **fields)
        assert "Question saved as version 1." in response.content.decode(), qtype
    spec = lambda qtype: Question.objects.get(latest__title=f"T-{qtype}").latest.spec  # noqa: E731
    assert [(a.text, a.fraction) for a in spec("true_false").answers] == [
        ("true", 0.0),
        ("false", 1.0),
    ]
    assert spec("true_false").answers[0].feedback == "Нет"
    assert spec("short_answer").case_sensitive
    numbers = spec("numerical").answers
    assert (numbers[0].value, numbers[0].tolerance, numbers[1].value) == (3.5, 0.1, 4.0)
    assert [(a.text, a.match) for a in spec("matching").answers][-1] == ("", "I")
    assert spec("multiple_choice").answers[2].fraction == -1.0
    # and an edit page shows each of them back without a change
    for qtype, _fields in cases:
        question = Question.objects.get(latest__title=f"T-{qtype}")
        assert (
            author.get(reverse("quiz_admin:question_edit", args=[question.pk])).status_code == 200
        )


def test_markup_in_every_field_is_escaped_or_sanitised(author, world):
    category = QuestionCategory.objects.create(course=world.course, name=XSS[:40])
    response = _create(
        author,
        world,
        category=str(category.pk),
        title=XSS,
        text=f"Текст {XSS}",
        tags=f"{XSS}, ok",
        general_feedback=XSS,
        answers=[
            {"text": XSS, "weight": "100", "feedback": XSS},
            {"text": "Нет", "weight": "0"},
        ],
    )
    assert "Question saved" in response.content.decode()
    question = Question.objects.get(category=category)
    pages = [
        response.content.decode(),
        author.get(INDEX, {"bank": _bank(world), "category": category.pk}).content.decode(),
        author.get(INDEX, {"bank": _bank(world)}).content.decode(),
        author.get(reverse("quiz_admin:category_edit", args=[category.pk])).content.decode(),
        author.get(reverse("quiz_admin:question_edit", args=[question.pk])).content.decode(),
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
    preview = pages[-1]
    # inside the frame's srcdoc the question's own HTML is escaped twice: once by the
    # sanitiser (it drops the script), once as the attribute's value
    document = re.search(r'srcdoc="([^"]*)"', preview).group(1)
    inner = unescape(document)
    assert "<script" not in inner and not EVENT_ATTRIBUTE.search(inner)
    assert "&lt;script&gt;" in inner  # shown as the text it is
    assert "&lt;script&gt;" in pages[1]  # the title, escaped in the list


def test_questions_move_within_their_bank_and_are_archived(author, world):
    move = reverse("quiz_admin:question_move", args=[world.q_robotics.pk])
    response = author.post(move, {"category": world.sensors.pk}, follow=True)
    assert "Moved to" in response.content.decode()
    world.q_robotics.refresh_from_db()
    assert world.q_robotics.category == world.sensors
    for foreign in (world.secret.pk, world.park.pk, "x", 10**30):
        response = author.post(move, {"category": foreign}, follow=True)
        assert "Choose a category of this bank." in response.content.decode()
    world.q_robotics.refresh_from_db()
    assert world.q_robotics.category == world.sensors

    archive = reverse("quiz_admin:question_archive", args=[world.q_robotics.pk])
    author.post(archive, {"archived": "1"})
    world.q_robotics.refresh_from_db()
    assert world.q_robotics.is_archived
    assert "archived" in author.get(INDEX, {"bank": _bank(world)}).content.decode()
    author.post(archive, {"archived": "0"})
    world.q_robotics.refresh_from_db()
    assert not world.q_robotics.is_archived
    assert author.get(archive).status_code == 405


def test_a_bank_without_categories_asks_for_one_first(client, world):
    client.force_login(world.methodologist)
    QuestionCategory.objects.filter(course__isnull=True).update(course=world.other.course)
    url = f"{reverse('quiz_admin:question_create')}?bank=park"
    response = client.get(url, follow=True)
    assert "Make a category first" in response.content.decode()


def test_a_forged_formset_never_gives_a_500(author, world):
    url = f"{reverse('quiz_admin:question_create')}?bank={_bank(world)}"
    post = question_post(category=str(world.robotics.pk), text="T", answers=choices(("a", "100")))
    for forged in (
        {"answers-TOTAL_FORMS": "100000"},
        {"answers-TOTAL_FORMS": "x"},
        {"qtype": "evil"},
        {"category": str(world.secret.pk)},
        {"text_format": "js"},
    ):
        response = author.post(url, {**post, **forged})
        assert response.status_code == 200
    missing = {k: v for k, v in post.items() if not k.startswith("answers-")}
    assert author.post(url, missing).status_code == 200
    assert not Question.objects.filter(latest__text="T").exists()


# --- Export ---------------------------------------------------------------------------------------


def test_the_export_is_a_gift_file_with_category_paths_relative_to_the_bank(author, world):
    world.q_sensors.tags.set(["свет"])
    url = reverse("quiz_admin:export")
    whole = author.get(url, {"bank": _bank(world)})
    assert whole.status_code == 200
    assert whole["Content-Type"] == "text/plain; charset=utf-8"
    assert ".gift" in whole["Content-Disposition"] and "attachment" in whole["Content-Disposition"]
    text = whole.content.decode("utf-8")
    # Moodle's own form of a path from the top of the bank; read back without the prefix
    assert "$CATEGORY: $course$/top/Робототехника\n" in text
    assert "$CATEGORY: $course$/top/Робототехника/Датчики\n" in text
    assert "Чужой вопрос" not in text and "Общий вопрос" not in text
    result = parse_gift(text)
    assert not result.errors
    assert {q.title for q in result.questions} == {"Вольтметр", "Датчик света"}
    assert {q.category for q in result.questions} == {"Робототехника", "Робототехника/Датчики"}
    assert next(q for q in result.questions if q.title == "Датчик света").tags == ["свет"]

    part = author.get(url, {"bank": _bank(world), "category": world.sensors.pk})
    result = parse_gift(part.content)
    assert [q.title for q in result.questions] == ["Датчик света"]
    assert result.questions[0].qtype == QType.SINGLE
