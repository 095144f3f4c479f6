"""The quiz's pages for pupils and teachers: whose is what (404 otherwise), hostile posts,
text shown safely, the review matrix."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import submissions
from assessments.models import Submission
from assessments.quiz import attempts
from assessments.quiz.models import Quiz, QuizAttempt
from assessments.quiz.spec import Answer, QType, QuestionSpec, TextFormat
from tests import builders
from tests.assessments.quiz.builders import make_quiz

pytestmark = pytest.mark.django_db


def _attempt(pupil, setup):
    return attempts.start(submissions.pupil_state(pupil, setup.assignment), pupil)


@pytest.mark.parametrize("name", ["attempt", "summary", "review"])
def test_another_pupils_attempt_is_not_found(client, quiz_class, pupil, name):
    attempt = _attempt(pupil, quiz_class["plain"])
    client.force_login(quiz_class["school"].pupils_a[1])
    assert client.get(reverse(f"quiz:{name}", args=[attempt.pk])).status_code == 404


@pytest.mark.parametrize("name", ["answer", "save_page", "finish"])
def test_another_pupil_cannot_post_into_an_attempt(client, quiz_class, pupil, name):
    attempt = _attempt(pupil, quiz_class["plain"])
    client.force_login(quiz_class["school"].pupils_a[1])
    response = client.post(reverse(f"quiz:{name}", args=[attempt.pk]), {"position": 1, "q1": 0})
    assert response.status_code == 404
    assert Submission.objects.get(pk=attempt.pk).status == Submission.Status.DRAFT
    assert attempt.questions.get(position=1).response is None


def test_a_pupil_outside_the_course_does_not_see_the_quiz(client, quiz_class):
    stranger = builders.build_school("z").pupils_a[0]
    client.force_login(stranger)
    url = reverse("quiz:quiz", args=[quiz_class["plain"].assignment.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("quiz:start", args=[quiz_class["plain"].assignment.pk])).status_code
        == 404
    )


def test_the_project_editor_takes_nothing_for_a_quiz(client, quiz_class, pupil):
    client.force_login(pupil)
    assignment = quiz_class["plain"].assignment
    page = client.get(reverse("assessments:assignment", args=[assignment.pk]))
    assert page.status_code == 302 and page.url == reverse("quiz:quiz", args=[assignment.pk])
    posted = client.post(reverse("assessments:save_draft", args=[assignment.pk]), {"text": "x"})
    assert posted.status_code == 404
    assert not Submission.objects.filter(assignment=assignment).exists()


def test_answers_for_questions_not_in_the_attempt_are_refused(client, quiz_class, pupil):
    attempt = _attempt(pupil, quiz_class["plain"])
    client.force_login(pupil)
    url = reverse("quiz:answer", args=[attempt.pk])
    for data in ({"position": 77, "q77": 0}, {"position": "x"}, {"position": 1}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert response.json()["ok"] is False and response.json()["message"]


def test_an_answer_after_the_time_says_so_and_points_to_the_review(client, quiz_class, pupil):
    setup = quiz_class["timed"]
    attempt = _attempt(pupil, setup)
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(pupil)
    response = client.post(
        reverse("quiz:answer", args=[attempt.pk]), {"position": 1, "q1": 0, "q1-present": 1}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["closed"] is True and body["review"].endswith("/review/")
    page = client.get(reverse("quiz:attempt", args=[attempt.pk]))
    assert page.status_code == 302 and page.url.endswith("/review/")


def test_the_form_without_script_saves_the_whole_page(client, quiz_class, pupil):
    attempt = _attempt(pupil, quiz_class["plain"])
    client.force_login(pupil)
    data = {
        "q1-present": 1,
        "q1": 0,
        "q2-present": 1,
        "q2": [0, 1],
        "q4": "Python",
        "q6-present": 1,
        "q6-0": 0,
        "q6-1": 1,
        "q6-2": 2,
        "go": "summary",
    }
    response = client.post(reverse("quiz:save_page", args=[attempt.pk]), data)
    assert response.status_code == 302 and response.url.endswith("/summary/")
    given = dict(attempt.questions.values_list("position", "response"))
    assert given[1] == {"choice": 0}
    assert given[2] == {"choices": [0, 1]}
    assert given[4] == {"text": "Python"}
    assert given[6] == {"pairs": {"0": 0, "1": 1, "2": 2}}
    assert given[3] is None


def test_hostile_text_in_every_part_of_a_question_is_shown_safely(client, quiz_class, pupil):
    tree = quiz_class["tree"]
    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    specs = [
        QuestionSpec(
            qtype=QType.SINGLE,
            title=evil,
            text=f"{evil} **жирный**",
            text_format=fmt,
            answers=[Answer(evil, 1.0, feedback=evil), Answer("нет", 0.0)],
            general_feedback=evil,
        )
        for fmt in TextFormat
    ]
    setup = make_quiz(tree.lessons[0], specs, title="XSS", max_attempts=0)
    Quiz.objects.filter(pk=setup.quiz.pk).update(
        review={
            k: ["attempt", "correctness", "marks", "right_answer", "feedback"]
            for k in ("during", "immediately", "open", "closed")
        }
    )
    attempt = _attempt(pupil, setup)
    client.force_login(pupil)
    for position in range(1, 5):
        attempts.save_answer(attempt, pupil, position, {"choice": 0})
    pages = [client.get(reverse("quiz:attempt", args=[attempt.pk])).content.decode()]
    client.post(reverse("quiz:finish", args=[attempt.pk]))
    pages.append(client.get(reverse("quiz:review", args=[attempt.pk])).content.decode())
    client.force_login(quiz_class["school"].teacher_a)
    pages.append(client.get(reverse("quiz:mark", args=[attempt.pk])).content.decode())
    for html in pages:
        assert "<script>alert" not in html
        assert re.search(r"<[^>]*onerror", html) is None  # shown as text at most, never a tag


def test_teachers_of_other_groups_and_schools_do_not_see_reports(client, quiz_class, pupil):
    setup = quiz_class["plain"]
    attempt = _attempt(pupil, setup)
    attempts.finish(attempt)
    school = quiz_class["school"]
    other_school_teacher = builders.build_school("o").teacher_a
    urls = [
        reverse("quiz:report", args=[setup.assignment.pk, school.group_a.pk]),
        reverse("quiz:statistics", args=[setup.assignment.pk, school.group_a.pk]),
        reverse("quiz:export", args=[setup.assignment.pk, school.group_a.pk, "csv"]),
        reverse("quiz:mark", args=[attempt.pk]),
    ]
    for teacher in (school.teacher_b, other_school_teacher):
        client.force_login(teacher)
        for url in urls:
            assert client.get(url).status_code == 404, url
        regrade = reverse("quiz:regrade", args=[setup.assignment.pk, school.group_a.pk])
        assert client.post(regrade).status_code == 404
    client.force_login(school.teacher_a)
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_review_shows_what_the_matrix_allows(client, quiz_class, pupil):
    setup = quiz_class["plain"]
    quiz = setup.quiz
    quiz.review = {"during": [], "immediately": ["attempt"], "open": [], "closed": []}
    quiz.save()
    attempt = _attempt(pupil, setup)
    attempts.save_answer(attempt, pupil, 1, {"choice": 1})
    attempts.finish(attempt)
    client.force_login(pupil)
    html = client.get(reverse("quiz:review", args=[attempt.pk])).content.decode()
    assert "quiz-question" in html  # the attempt itself
    assert "Правильный ответ" not in html and "Right answer" not in html
    assert "quiz-verdict" not in html
    quiz.review = {"during": [], "immediately": [], "open": [], "closed": []}
    quiz.save()
    html = client.get(reverse("quiz:review", args=[attempt.pk])).content.decode()
    assert "quiz-question" not in html


def test_the_gradebook_closes_an_overdue_attempt_instead_of_showing_it_missing(
    client, quiz_class, pupil
):
    setup = quiz_class["timed"]
    attempt = _attempt(pupil, setup)
    attempts.save_answer(attempt, pupil, 1, {"choice": 0})
    QuizAttempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - timedelta(minutes=1)
    )
    school = quiz_class["school"]
    client.force_login(school.teacher_a)
    course = quiz_class["tree"].course
    response = client.get(reverse("assessments:gradebook", args=[school.group_a.pk, course.pk]))
    assert response.status_code == 200
    submission = Submission.objects.get(pk=attempt.pk)
    assert submission.status != Submission.Status.DRAFT
    assert submission.grade.final_points is not None


def test_a_regrade_from_the_report_lists_what_it_changed(client, quiz_class, pupil):
    from assessments.quiz import questions
    from tests.assessments.quiz.builders import single

    setup = quiz_class["plain"]
    attempt = _attempt(pupil, setup)
    attempts.save_answer(attempt, pupil, 1, {"choice": 0})
    attempts.finish(attempt)
    questions.save_version(setup.questions[0], single(right=1), None)
    school = quiz_class["school"]
    client.force_login(school.teacher_a)
    url = reverse("quiz:regrade", args=[setup.assignment.pk, school.group_a.pk])
    response = client.post(url, {"to_latest": "1"})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert pupil.get_display_name() in page and "1 → <strong>0" in page.replace(".00", "")
