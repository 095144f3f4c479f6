"""The programming problems' admin (/admin/programming/): the list, the one-page problem form
with its reference check (the real sandbox), publishing, zip import and export, a code
exercise's settings. Hostile input: another course's ids in URLs (404), markup in the title
and statement (escaped), broken, oversized and bomb uploads (a message, nothing saved), the
create form sent twice (one problem)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Assignment
from assessments.programming.admin.assignment_buttons import exercise_settings_url
from assessments.programming.models import CodeExercise, Problem
from assessments.programming.package import read_package, write_package
from assessments.programming.spec import Comparison, ProblemSpec, Scoring
from assessments.programming.wagtail_hooks import programming_problems_menu_item
from courses import authoring as course_authoring
from courses.models import CoursePage
from lms.models import User
from tests import builders
from tests.assessments.builders import make_assignment
from tests.assessments.programming.builders import (
    SUM_PY,
    WRONG_PY,
    make_exercise,
    make_problem,
    sum_spec,
)
from tests.scenario import shared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INDEX = reverse("programming_admin:index")
CREATE = reverse("programming_admin:create")
IMPORT = reverse("programming_admin:import")
XSS = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@dataclass
class World:
    course: CoursePage
    other: CoursePage
    author: User
    other_author: User
    methodologist: User
    own: Problem
    secret: Problem
    park: Problem
    exercise: CodeExercise
    other_exercise: CodeExercise


@shared
def admin_world(two_schools):
    other = builders.build_course("other-code-course", modules=1, lessons=1)
    course = two_schools.tree.course
    author, other_author = two_schools.host.teacher_a, two_schools.visiting.teacher_a
    course_authoring.add_author(course, author)
    course_authoring.add_author(other.course, other_author)
    own = make_problem(sum_spec(title="Своя задача"), course=course)
    secret = make_problem(sum_spec(title="Чужая задача"), course=other.course)
    park = make_problem(sum_spec(title="Общая задача"), course=None)
    return World(
        course=course,
        other=other.course,
        author=author,
        other_author=other_author,
        methodologist=two_schools.methodologist,
        own=own,
        secret=secret,
        park=park,
        exercise=make_exercise(two_schools.tree.lessons[0], None, title="Своё упражнение"),
        other_exercise=make_exercise(other.lessons[0], secret, title="Чужое упражнение"),
    )


@pytest.fixture
def world(admin_world):
    return admin_world


@pytest.fixture
def author(client, world):
    client.force_login(world.author)
    return client


@pytest.fixture
def methodologist(client, world):
    client.force_login(world.methodologist)
    return client


def problem_post(spec: ProblemSpec, course: str, token: str = "", **fields) -> dict:
    """The problem form's POST data for `spec` (languages python and cpp)."""
    data = {
        "title": spec.title,
        "course": course,
        "statement": spec.statement,
        "time_limit_s": str(spec.time_limit_s),
        "memory_limit_mb": str(spec.memory_limit_mb),
        "output_limit_kb": str(spec.output_limit_kb),
        "comparison": spec.comparison.value,
        "float_tolerance": str(spec.float_tolerance),
        "checker": spec.checker,
        "scoring": spec.scoring.value,
        "token": token,
        "action": "save",
    }
    for code in ("python", "cpp"):
        limits = spec.languages.get(code)
        prefix = f"lang-{code}-"
        if limits is not None:
            data[prefix + "allowed"] = "on"
            data[prefix + "time_limit_s"] = str(limits.time_limit_s or "")
            data[prefix + "starter_code"] = limits.starter_code
        data[prefix + "reference_solution"] = spec.solutions.get(code, "")
    data.update(
        _formset("subtasks", [{"title": s.title, "points": s.points} for s in spec.subtasks])
    )
    by_subtask = spec.scoring == Scoring.SUBTASKS
    tests = [
        {
            "input": t.input,
            "answer": t.answer,
            "is_example": "on" if t.is_example else "",
            "subtask": t.subtask + 1 if by_subtask else "",
            "points": t.points,
        }
        for t in spec.tests
    ]
    data.update(_formset("tests", tests))
    data.update(fields)
    return data


def _formset(prefix: str, rows: list[dict]) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows) + 1),  # and one empty row, as the page has
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "500",
    }
    for n, row in enumerate(rows):
        for name, value in row.items():
            if value not in ("", None):
                data[f"{prefix}-{n}-{name}"] = str(value)
    return data


def _edit(problem: Problem) -> str:
    return reverse("programming_admin:edit", args=[problem.pk])


# --- The list -------------------------------------------------------------------------------


def test_the_list_shows_what_the_user_may_edit(client, world):
    client.force_login(world.author)
    page = client.get(INDEX).content.decode()
    assert "Своя задача" in page and "Чужая задача" not in page and "Общая задача" not in page
    assert "Python" in page and "passed" in page
    methodologist = client
    methodologist.force_login(world.methodologist)
    page = methodologist.get(INDEX).content.decode()
    assert all(t in page for t in ("Своя задача", "Чужая задача", "Общая задача"))
    assert "Общая задача" in methodologist.get(INDEX, {"course": "park"}).content.decode()
    filtered = methodologist.get(INDEX, {"course": world.other.pk}).content.decode()
    assert "Чужая задача" in filtered and "Своя задача" not in filtered
    found = methodologist.get(INDEX, {"q": "Общая"}).content.decode()
    assert "Общая задача" in found and "Своя задача" not in found


def test_the_list_names_the_failed_tests(author, world):
    Problem.objects.filter(pk=world.own.pk).update(
        reference="failed",
        reference_report=[{"language": "python", "verdict": "WA", "failed_tests": [3, 4]}],
    )
    page = author.get(INDEX).content.decode()
    assert "failed tests 3, 4" in page


def test_the_menu_item_is_for_authors_only(rf, world, two_schools):
    item = programming_problems_menu_item()
    request = rf.get("/admin/")
    request.user = world.author
    assert item.is_shown(request)
    request.user = two_schools.host.teacher_b  # a teacher, but no course's author
    assert not item.is_shown(request)


def test_a_teacher_who_authors_nothing_gets_404(client, two_schools, world):
    client.force_login(two_schools.host.teacher_b)
    assert client.get(_edit(world.own)).status_code in (302, 404)  # Wagtail: no admin access


# --- Another course's ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,method", [("edit", "get"), ("export", "get"), ("publish", "post"), ("check", "post")]
)
def test_another_courses_problem_is_404(author, world, name, method):
    for problem in (world.secret, world.park):
        url = reverse(f"programming_admin:{name}", args=[problem.pk])
        assert getattr(author, method)(url).status_code == 404
    assert author.get(reverse("programming_admin:edit", args=[2**63])).status_code == 404


def test_a_problem_cannot_be_put_into_another_course(author, world):
    post = problem_post(sum_spec(title="Подкинутая"), str(world.other.pk))
    response = author.post(CREATE, post)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    post["course"] = "park"  # the archive is the methodologists'
    assert author.post(CREATE, post).status_code == 200
    assert not Problem.objects.filter(title="Подкинутая").exists()


def test_another_courses_exercise_is_404(author, world):
    url = reverse("programming_admin:exercise", args=[world.other_exercise.assignment_id])
    assert author.get(url).status_code == 404
    quiz = make_assignment(world.exercise.assignment.lesson, title="Тест", kind="quiz")
    assert author.get(reverse("programming_admin:exercise", args=[quiz.pk])).status_code == 404


# --- Create and edit ------------------------------------------------------------------------


def test_create_judges_the_reference_and_shows_it(
    author, world, django_capture_on_commit_callbacks
):
    post = problem_post(sum_spec(title="Новая сумма"), str(world.course.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(CREATE, post)
    problem = Problem.objects.get(title="Новая сумма")
    assert response.status_code == 302 and response["Location"] == _edit(problem)
    assert problem.course == world.course and problem.created_by == world.author
    assert problem.reference == Problem.Reference.PASSED
    assert problem.tests.count() == 5 and problem.subtasks.count() == 2
    assert problem.tests.get(index=3).subtask.index == 1
    assert set(problem.languages.values_list("language__code", flat=True)) == {"python", "cpp"}
    page = author.get(_edit(problem)).content.decode()
    assert "Reference solutions" in page and "accepted" in page


def test_a_failing_reference_lists_its_tests(author, world, django_capture_on_commit_callbacks):
    spec = sum_spec(title="Неверная", solutions={"python": WRONG_PY})
    with django_capture_on_commit_callbacks(execute=True):
        author.post(CREATE, problem_post(spec, str(world.course.pk)))
    problem = Problem.objects.get(title="Неверная")
    assert problem.reference == Problem.Reference.FAILED
    page = author.get(_edit(problem)).content.decode()
    assert "wrong answer" in page and "1, 2, 3" in page
    response = author.post(
        reverse("programming_admin:publish", args=[problem.pk]), {"published": "1"}, follow=True
    )
    assert "Not published" in response.content.decode()
    assert not Problem.objects.get(pk=problem.pk).is_published


def test_a_compile_error_is_shown(author, world, django_capture_on_commit_callbacks):
    spec = sum_spec(title="Не компилируется", solutions={"cpp": "int main( {"})
    with django_capture_on_commit_callbacks(execute=True):
        author.post(CREATE, problem_post(spec, str(world.course.pk)))
    problem = Problem.objects.get(title="Не компилируется")
    assert problem.reference == Problem.Reference.FAILED
    page = author.get(_edit(problem)).content.decode()
    assert "compilation error" in page and "error" in problem.reference_report[0]["message"]


def test_problem_errors_are_shown_on_the_form(author, world):
    spec = sum_spec(title="Без языков", languages={}, solutions={})
    response = author.post(CREATE, problem_post(spec, str(world.course.pk)))
    assert response.status_code == 200
    assert "Allow at least one language." in response.content.decode()
    spec = sum_spec(title="Без подзадач", subtasks=[])
    response = author.post(CREATE, problem_post(spec, str(world.course.pk)))
    assert "Scoring by subtasks needs at least one subtask." in response.content.decode()
    post = problem_post(sum_spec(title="Большой лимит"), str(world.course.pk), time_limit_s="99")
    assert author.post(CREATE, post).status_code == 200
    assert not Problem.objects.filter(title__in=["Без языков", "Без подзадач", "Большой лимит"])


def test_the_create_form_sent_twice_makes_one_problem(author, world):
    form = author.get(CREATE).content.decode()
    token = form.split('name="token" value="')[1].split('"')[0]
    post = problem_post(sum_spec(title="Дважды"), str(world.course.pk), token=token)
    first = author.post(CREATE, post)
    second = author.post(CREATE, post)
    assert Problem.objects.filter(title="Дважды").count() == 1
    assert first["Location"] == second["Location"]


def test_edit_keeps_the_problem_and_raises_its_revision(author, world):
    problem = make_problem(sum_spec(title="Правка"), course=world.course)
    form = author.get(_edit(problem)).content.decode()
    assert "Правка" in form and "1000000000000 1" in form
    assert 'name="lang-python-allowed" id="id_lang-python-allowed" checked' in form
    assert 'name="tests-3-subtask" value="2"' in form
    spec = sum_spec(title="Правка 2", scoring=Scoring.PER_TEST, subtasks=[])
    for test in spec.tests:
        test.points = 20
    response = author.post(_edit(problem), problem_post(spec, str(world.course.pk)))
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.title == "Правка 2" and problem.revision == 2
    assert problem.scoring == Scoring.PER_TEST and problem.subtasks.count() == 0
    assert list(problem.tests.values_list("points", flat=True)) == [20] * 5


def test_more_rows_and_preview_save_nothing(author, world):
    spec = sum_spec(title="Черновик", statement="**жирный** " + XSS)
    post = problem_post(spec, str(world.course.pk), action="more")
    page = author.post(CREATE, post).content.decode()
    assert 'name="tests-10-input"' in page  # 5 tests + 1 empty row + 5 more
    post["action"] = "preview"
    page = author.post(CREATE, post).content.decode()
    assert "<strong>жирный</strong>" in page and "<script>alert" not in page
    assert not Problem.objects.filter(title="Черновик").exists()


def test_markup_in_title_and_statement_is_escaped(author, world):
    problem = make_problem(sum_spec(title=XSS, statement=XSS), course=world.course)
    for url in (INDEX, _edit(problem)):
        page = author.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page


def test_a_methodologist_moves_a_problem_to_the_archive(methodologist, world):
    problem = make_problem(sum_spec(title="В архив"), course=world.course)
    response = methodologist.post(_edit(problem), problem_post(sum_spec(title="В архив"), "park"))
    assert response.status_code == 302
    assert Problem.objects.get(pk=problem.pk).course is None


# --- Publishing -----------------------------------------------------------------------------


def test_publish_and_unpublish(author, world):
    problem = make_problem(sum_spec(title="Публикация"), course=world.course, publish=False)
    url = reverse("programming_admin:publish", args=[problem.pk])
    page = author.post(url, {"published": "1"}, follow=True).content.decode()
    assert "must pass every test" in page  # not checked yet
    Problem.objects.filter(pk=problem.pk).update(reference="passed")
    author.post(url, {"published": "1"})
    assert Problem.objects.get(pk=problem.pk).is_published
    author.post(url, {"published": "0"})
    assert not Problem.objects.get(pk=problem.pk).is_published
    assert author.get(url).status_code == 405


def test_publishing_without_tests_is_refused(author, world):
    problem = make_problem(sum_spec(title="Без тестов", tests=[]), course=world.course)
    Problem.objects.filter(pk=problem.pk).update(is_published=False)
    url = reverse("programming_admin:publish", args=[problem.pk])
    page = author.post(url, {"published": "1"}, follow=True).content.decode()
    assert "needs tests" in page and not Problem.objects.get(pk=problem.pk).is_published


def test_check_again(author, world, django_capture_on_commit_callbacks):
    problem = make_problem(sum_spec(title="Ещё раз"), course=world.course, publish=False)
    author.post(reverse("programming_admin:check", args=[problem.pk]))
    assert Problem.objects.get(pk=problem.pk).reference == Problem.Reference.PASSED


# --- Export and import ----------------------------------------------------------------------


def test_export_round_trips(author, world):
    response = author.get(reverse("programming_admin:export", args=[world.own.pk]))
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert ".zip" in response["Content-Disposition"]
    result = read_package(response.content, max_bytes=10**7, max_unpacked_bytes=10**8)
    assert result.ok and result.spec.title == "Своя задача" and len(result.spec.tests) == 5


def _upload(data: bytes, name: str = "problem.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def test_import_stores_the_package(author, world, django_capture_on_commit_callbacks):
    data = write_package(sum_spec(title="Из архива"))
    with django_capture_on_commit_callbacks(execute=True):
        response = author.post(IMPORT, {"file": _upload(data), "course": str(world.course.pk)})
    problem = Problem.objects.get(title="Из архива")
    assert response.status_code == 302 and response["Location"] == _edit(problem)
    assert problem.course == world.course and problem.tests.count() == 5
    assert problem.reference == Problem.Reference.PASSED


def test_import_refuses_what_is_not_a_zip(author, world):
    response = author.post(
        IMPORT, {"file": _upload(b"not a zip at all"), "course": str(world.course.pk)}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in page
    assert Problem.objects.count() == 3


def test_import_refuses_an_oversized_upload(author, world, settings):
    settings.LMS_PROBLEM_PACKAGE_MAX_BYTES = 1000
    data = write_package(sum_spec(title="Слишком большая", statement="x" * 5000))
    response = author.post(IMPORT, {"file": _upload(data), "course": str(world.course.pk)})
    assert "The file is too large" in response.content.decode()
    assert not Problem.objects.filter(title="Слишком большая").exists()


def test_import_refuses_a_zip_bomb(author, world, settings):
    settings.LMS_PROBLEM_PACKAGE_MAX_UNPACKED_BYTES = 1_000_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("problem.yaml", "title: Бомба\n")
        archive.writestr("tests/01", b"0" * 20_000_000)
        archive.writestr("tests/01.a", "0\n")
    response = author.post(
        IMPORT, {"file": _upload(buffer.getvalue()), "course": str(world.course.pk)}
    )
    assert response.status_code == 200 and "Nothing was imported" in response.content.decode()
    assert not Problem.objects.filter(title="Бомба").exists()


def test_import_shows_problem_errors(author, world):
    bad = write_package(sum_spec(title="Без решения", comparison=Comparison.CHECKER))
    response = author.post(IMPORT, {"file": _upload(bad), "course": str(world.course.pk)})
    assert response.status_code == 200 and "Nothing was imported" in response.content.decode()
    assert not Problem.objects.filter(title="Без решения").exists()


def test_import_into_another_course_is_refused(author, world):
    data = write_package(sum_spec(title="Чужой импорт"))
    response = author.post(IMPORT, {"file": _upload(data), "course": str(world.other.pk)})
    assert response.status_code == 200 and not Problem.objects.filter(title="Чужой импорт")


# --- A code exercise's settings -----------------------------------------------------------


def test_the_exercise_takes_a_published_problem_of_its_course_or_the_park(author, world):
    url = reverse("programming_admin:exercise", args=[world.exercise.assignment_id])
    page = author.get(url).content.decode()
    assert "Своя задача" in page and "Общая задача" in page and "Чужая задача" not in page
    draft = make_problem(sum_spec(title="Неопубликованная"), course=world.course, publish=False)
    response = author.post(url, {"problem": draft.pk, "wrong_submission_penalty": "5"})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    response = author.post(url, {"problem": world.secret.pk, "wrong_submission_penalty": "5"})
    assert response.status_code == 200
    response = author.post(url, {"problem": world.park.pk, "wrong_submission_penalty": "10"})
    assert response.status_code == 302
    exercise = CodeExercise.objects.get(pk=world.exercise.pk)
    assert exercise.problem == world.park and exercise.wrong_submission_penalty == 10
    response = author.post(url, {"problem": "99999999999999999999", "wrong_submission_penalty": 0})
    assert response.status_code == 200


def test_the_exercise_list_and_the_assignment_button(author, world):
    page = author.get(reverse("programming_admin:exercises")).content.decode()
    assert world.exercise.assignment.title in page
    assert world.other_exercise.assignment.title not in page
    assignment = world.exercise.assignment
    assert exercise_settings_url(world.author, assignment).endswith(f"/{assignment.pk}/")
    assert exercise_settings_url(world.author, world.other_exercise.assignment) is None
    edit = author.get(reverse("assignments:edit", args=[assignment.pk])).content.decode()
    assert reverse("programming_admin:exercise", args=[assignment.pk]) in edit
    quiz = Assignment(kind="quiz", course=world.course)
    assert exercise_settings_url(world.author, quiz) is None


def test_reference_solution_can_be_any_enabled_language(author, world):
    spec = sum_spec(title="Только Python", languages={"python": sum_spec().languages["python"]})
    spec.solutions = {"python": SUM_PY}
    response = author.post(CREATE, problem_post(spec, str(world.course.pk)))
    assert response.status_code == 302
    problem = Problem.objects.get(title="Только Python")
    assert list(problem.languages.values_list("language__code", flat=True)) == ["python"]
