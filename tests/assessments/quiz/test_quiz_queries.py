"""The quiz's pages in a constant number of queries: 5 vs 50 questions, 3 vs 30 pupils."""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import submissions
from assessments.quiz import attempts
from assessments.quiz.models import AttemptQuestion
from lms import roles
from lms.models import Membership
from tests import builders
from tests.assessments.quiz.builders import QuizSetup, every_type, make_quiz, single

pytestmark = pytest.mark.django_db


@dataclass
class Case:
    setup: QuizSetup
    teacher: object
    group: object
    pupil: object
    open_attempt: int
    finished_attempt: int


def build_case(prefix: str, questions: int, pupils: int) -> Case:
    tree = builders.build_course(f"{prefix}-quiz", modules=1, lessons=1)
    school = builders.build_school(prefix, pupils=1)
    builders.enrol(school.group_a, tree)
    kinds = every_type()
    specs = [
        kinds[n % len(kinds)] if n < len(kinds) else single(f"Q{n}?") for n in range(questions)
    ]
    setup = make_quiz(tree.lessons[0], specs, random_count=2, max_attempts=0)
    class_ = [school.pupils_a[0]]
    for n in range(pupils - 1):
        pupil = builders.make_user(f"{prefix}_extra{n}", roles.PUPIL, school=school.school)
        Membership.objects.create(user=pupil, group=school.group_a, role=Membership.Role.PUPIL)
        class_.append(pupil)
    finished = None
    for pupil in class_:
        attempt = attempts.start(submissions.pupil_state(pupil, setup.assignment), pupil)
        rows = list(attempt.questions.all())
        for row in rows:
            row.response = {"choice": 0}
        AttemptQuestion.objects.bulk_update(rows, ["response"])
        attempts.finish(attempt)
        finished = finished or attempt.pk
    pupil = class_[0]
    open_attempt = attempts.start(submissions.pupil_state(pupil, setup.assignment), pupil)
    return Case(setup, school.teacher_a, school.group_a, pupil, open_attempt.pk, finished)


def _count(client, user, url) -> int:
    client.force_login(user)
    assert client.get(url).status_code == 200, url  # warm caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _pages(case: Case) -> dict[str, tuple[object, str]]:
    quiz_id, group_id = case.setup.assignment.pk, case.group.pk
    return {
        "quiz": (case.pupil, reverse("quiz:quiz", args=[quiz_id])),
        "attempt": (case.pupil, reverse("quiz:attempt", args=[case.open_attempt])),
        "summary": (case.pupil, reverse("quiz:summary", args=[case.open_attempt])),
        "review": (case.pupil, reverse("quiz:review", args=[case.finished_attempt])),
        "mark": (case.teacher, reverse("quiz:mark", args=[case.finished_attempt])),
        "overview": (case.teacher, reverse("quiz:report", args=[quiz_id, group_id])),
        "statistics": (case.teacher, reverse("quiz:statistics", args=[quiz_id, group_id])),
        "csv": (case.teacher, reverse("quiz:export", args=[quiz_id, group_id, "csv"])),
    }


def test_quiz_pages_do_not_grow_with_questions_or_pupils(client, django_assert_max_num_queries):
    small = build_case("qs", questions=5, pupils=3)
    large = build_case("ql", questions=50, pupils=30)
    counts = {}
    for page, (user, url) in _pages(small).items():
        small_count = _count(client, user, url)
        large_user, large_url = _pages(large)[page]
        client.force_login(large_user)
        client.get(large_url)
        with django_assert_max_num_queries(small_count, info=page):
            assert client.get(large_url).status_code == 200
        counts[page] = small_count
    print("quiz query counts:", counts)
