"""The exercise's pages: what the pupil sees and sends, what the teacher sees; hostile input
(XSS in every text a teacher writes, another pupil's ids, bad posts) and pinned query counts."""

import pytest
from django.test import override_settings

from assessments.models import Submission
from assessments.programming import authoring, judging
from assessments.programming.models import CodeDraft, CodeRun, CodeSubmission, Problem
from tests.assessments.programming.builders import (
    SUM_PY,
    WRONG_PY,
    make_exercise,
    make_problem,
    sum_spec,
)

pytestmark = pytest.mark.django_db

QUERIES = 12  # the exercise page, whatever the number of submissions (15 before the caches)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _url(exercise, suffix=""):
    return f"/work/code/{exercise.pk}/{suffix}"


def _post(client, url, data):
    return client.post(url, data, HTTP_X_REQUESTED_WITH="fetch")


def test_the_pupil_sees_statement_examples_editor_and_limits(client, code_class, pupil):
    client.force_login(pupil)
    page = client.get(_url(code_class["exercise"])).content.decode()
    assert "Сумма двух чисел" in page and "data-code-editor" in page
    assert "10 -4" in page  # an example's input
    assert "1000000000000" not in page  # a hidden test's input is never on the page
    assert "# ваш код" in page  # the starter code of the first language
    assert 'value="cpp"' in page


def test_a_teacher_previews_without_the_editor(client, code_class):
    client.force_login(code_class["school"].teacher_a)
    page = client.get(_url(code_class["exercise"])).content.decode()
    assert "Сумма двух чисел" in page and 'id="code-form"' not in page


def test_the_project_page_sends_a_code_exercise_to_its_own_page(client, code_class, pupil):
    client.force_login(pupil)
    exercise = code_class["exercise"]
    response = client.get(f"/work/assignments/{exercise.pk}/")
    assert response.status_code == 302 and response.url == _url(exercise)


def test_the_draft_is_saved_and_shown_again(client, code_class, pupil):
    client.force_login(pupil)
    exercise = code_class["exercise"]
    saved = _post(client, _url(exercise, "draft/"), {"language": "cpp", "source": "int x;\r\n"})
    assert saved.json() == {"saved": True}
    draft = CodeDraft.objects.get(exercise=exercise, pupil=pupil)
    assert (draft.language.code, draft.source) == ("cpp", "int x;\n")
    page = client.get(_url(exercise)).content.decode()
    assert "int x;" in page


def test_a_bad_draft_is_refused_with_a_message(client, code_class, pupil):
    client.force_login(pupil)
    bad = _post(client, _url(code_class["exercise"], "draft/"), {"language": "java", "source": ""})
    assert bad.status_code == 400 and bad.json()["error"]
    assert not CodeDraft.objects.exists()


def test_run_on_the_examples_shows_each_example(
    client, code_class, pupil, django_capture_on_commit_callbacks
):
    client.force_login(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        started = _post(
            client,
            _url(code_class["exercise"], "run/"),
            {"language": "python", "source": WRONG_PY, "kind": "examples"},
        ).json()
    body = client.get(started["status_url"]).json()
    assert body["done"] and [r["verdict"] for r in body["results"]] == ["WA", "WA"]
    assert body["results"][0]["output"].strip() == "-1"
    assert body["results"][0]["expected"] == "5\n" and body["results"][0]["message"]
    assert not Submission.objects.exists()  # a run is never an attempt


def test_run_with_my_input(client, code_class, pupil, django_capture_on_commit_callbacks):
    client.force_login(pupil)
    with django_capture_on_commit_callbacks(execute=True):
        started = _post(
            client,
            _url(code_class["exercise"], "run/"),
            {"language": "python", "source": SUM_PY, "kind": "custom", "input": "40 2"},
        ).json()
    result = client.get(started["status_url"]).json()["results"][0]
    assert (result["verdict"], result["output"]) == ("OK", "42\n")


@override_settings(LMS_CODE_RUNS_PER_MINUTE=2)
def test_runs_are_rate_limited(client, code_class, pupil):
    client.force_login(pupil)
    data = {"language": "python", "source": SUM_PY, "kind": "examples"}
    answers = [_post(client, _url(code_class["exercise"], "run/"), data) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 400]
    assert "2" in answers[2].json()["error"]
    assert CodeRun.objects.count() == 2


def test_another_pupils_run_and_submission_answer_404(client, code_class, pupil):
    exercise = code_class["exercise"]
    client.force_login(pupil)
    with_run = _post(
        client, _url(exercise, "run/"), {"language": "python", "source": SUM_PY, "kind": "x"}
    )
    assert with_run.status_code == 400
    run = _post(
        client, _url(exercise, "run/"), {"language": "python", "source": SUM_PY, "kind": "custom"}
    ).json()
    submitted = _post(client, _url(exercise, "submit/"), {"language": "python", "source": SUM_PY})
    code_id = submitted.json()["submission"]
    other = code_class["school"].pupils_a[1]
    client.force_login(other)
    assert client.get(run["status_url"]).status_code == 404
    for path in (f"/work/code/submissions/{code_id}/", f"/work/code/submissions/{code_id}/status/"):
        assert client.get(path).status_code == 404
    assert client.get(f"/work/code/submissions/{code_id}/review/").status_code == 404


def test_hand_in_then_the_verdicts_and_points(
    client, code_class, pupil, django_capture_on_commit_callbacks
):
    client.force_login(pupil)
    exercise = code_class["exercise"]
    with django_capture_on_commit_callbacks(execute=True):
        answer = _post(client, _url(exercise, "submit/"), {"language": "python", "source": SUM_PY})
    status = client.get(answer.json()["status_url"]).json()
    assert status["done"] and status["verdict"] == "OK" and status["points"] == "10"
    assert [t["verdict"] for t in status["tests"]] == ["OK"] * 5
    page = client.get(answer.json()["page_url"]).content.decode()
    assert "5 из 5" in page or "5 of 5" in page
    grades = client.get("/work/gradebook/mine/").content.decode()
    assert "Сумма" in grades and "10" in grades


def test_hand_in_without_script_redirects_to_the_submission(client, code_class, pupil):
    client.force_login(pupil)
    answer = client.post(
        _url(code_class["exercise"], "submit/"), {"language": "python", "source": SUM_PY}
    )
    code = CodeSubmission.objects.get()
    assert answer.status_code == 302 and answer.url == f"/work/code/submissions/{code.pk}/"


def test_a_refused_hand_in_says_why(client, code_class, pupil):
    client.force_login(pupil)
    answer = _post(
        client, _url(code_class["exercise"], "submit/"), {"language": "python", "source": ""}
    )
    assert answer.status_code == 400 and answer.json()["error"]


def test_the_teacher_sees_hidden_tests_and_the_diff(client, code_class, pupil):
    exercise = code_class["exercise"]
    client.force_login(pupil)
    for source in (WRONG_PY, SUM_PY):
        _post(client, _url(exercise, "submit/"), {"language": "python", "source": source})
    for code in CodeSubmission.objects.order_by("pk"):
        judging.judge_submission(code.pk)
    latest = CodeSubmission.objects.order_by("-pk").first()
    client.force_login(code_class["school"].teacher_a)
    page = client.get(f"/work/code/submissions/{latest.pk}/review/").content.decode()
    assert "diff-add" in page and "diff-del" in page
    assert "print(a + b)" in page and "print(a - b)" in page
    grading = client.get(f"/work/grading/submissions/{latest.pk}/")
    assert grading.status_code == 302 and grading.url.endswith("/review/")
    other_teacher = code_class["school"].teacher_b  # teaches group a-2, not a-1
    client.force_login(other_teacher)
    assert client.get(f"/work/code/submissions/{latest.pk}/review/").status_code == 404


def test_rejudge_from_the_review_page(client, code_class, pupil):
    exercise = code_class["exercise"]
    client.force_login(pupil)
    _post(client, _url(exercise, "submit/"), {"language": "python", "source": SUM_PY})
    code = CodeSubmission.objects.get()
    judging.judge_submission(code.pk)
    client.force_login(code_class["school"].teacher_a)
    answer = client.post(f"/work/code/submissions/{code.pk}/rejudge/")
    assert answer.status_code == 302
    assert CodeSubmission.objects.get().state == "queued"


def test_xss_in_every_text_a_teacher_writes_is_escaped(client, code_class, pupil):
    tree = code_class["tree"]
    spec = sum_spec(title=XSS, statement=XSS)
    spec.tests[0].input = XSS
    spec.tests[0].answer = XSS
    spec.languages["python"].starter_code = XSS
    problem = make_problem(spec)
    exercise = make_exercise(tree.lessons[1], problem, title=XSS, instructions=XSS)
    client.force_login(pupil)
    page = client.get(_url(exercise)).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_the_exercise_page_reads_the_same_queries_for_1_and_12_submissions(
    client, code_class, pupil, django_assert_num_queries
):
    exercise = code_class["exercise"]
    client.force_login(pupil)
    _post(client, _url(exercise, "submit/"), {"language": "python", "source": SUM_PY})
    client.get(_url(exercise))  # warms the per-site caches (root paths)
    with django_assert_num_queries(QUERIES):
        client.get(_url(exercise))
    for n in range(11):
        _post(client, _url(exercise, "submit/"), {"language": "python", "source": f"{SUM_PY}#{n}"})
    with django_assert_num_queries(QUERIES):
        client.get(_url(exercise))


def test_an_exercise_without_a_problem_says_so(client, code_class, pupil):
    tree = code_class["tree"]
    problem = authoring.store(sum_spec(), check=False)
    exercise = make_exercise(tree.lessons[1], problem)
    exercise.problem = None
    exercise.save()
    client.force_login(pupil)
    page = client.get(_url(exercise))
    assert page.status_code == 200 and 'id="code-form"' not in page.content.decode()
    Problem.objects.filter(pk=problem.pk).delete()
