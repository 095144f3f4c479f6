"""Real concurrent transactions (PostgreSQL; SQLite serialises writers, so these run in CI's
PostgreSQL pass): four clicks at once make one attempt, four workers claim one submission."""

import pytest
from django.db import connection

from assessments import submissions
from assessments.models import Submission
from assessments.programming import judging, submitting
from assessments.programming.models import CodeSubmission
from tests import builders
from tests.assessments.programming.builders import SUM_PY, make_exercise, make_problem
from tests.concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _at_once(count: int, work) -> list:
    results, errors = at_once(count, lambda _n: work())
    assert not errors
    return results


def _exercise_and_pupil():
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL); SQLite serialises writers")
    tree = builders.build_course("code-race", modules=1, lessons=1)
    school = builders.build_school("r")
    builders.enrol(school.group_a, tree)
    exercise = make_exercise(tree.lessons[0], make_problem(), max_attempts=3)
    return exercise, school.pupils_a[0]


def test_four_simultaneous_hand_ins_make_one_attempt():
    exercise, pupil = _exercise_and_pupil()

    def hand_in():
        state = submissions.pupil_state(pupil, exercise.assignment)
        return submitting.submit(state, pupil, exercise, "python", SUM_PY).pk

    ids = _at_once(4, hand_in)
    assert len(set(ids)) == 1
    assert Submission.objects.filter(assignment=exercise.assignment, pupil=pupil).count() == 1


def test_four_workers_claim_one_submission_once():
    exercise, pupil = _exercise_and_pupil()
    state = submissions.pupil_state(pupil, exercise.assignment)
    code = submitting.submit(state, pupil, exercise, "python", SUM_PY)  # judged inline
    CodeSubmission.objects.filter(pk=code.pk).update(state="queued", judge_runs=0)
    tokens = _at_once(4, lambda: judging.claim(code.pk))
    assert len([token for token in tokens if token]) == 1
    assert CodeSubmission.objects.get(pk=code.pk).judge_runs == 1
