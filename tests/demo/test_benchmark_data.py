"""`manage.py load_benchmark_data` on a small region: the counts asked for, rows the app's own
functions read as they read real data (permissions, progress, the pupil's pages), and the
refusal of a second load."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.models import Assignment, Grade, Submission
from assessments.next_steps import pupil_work
from assessments.programming.models import CodeSubmission
from assessments.quiz.models import AttemptQuestion, QuizAttempt
from courses import permissions as course_permissions
from courses import services
from courses.models import CoursePage, Enrolment, LessonProgress
from demo.benchmark_data.names import LOGIN_PREFIX, SCHOOL_MARK
from lms import group_permissions, permissions, roles
from lms.models import Membership, School, StudyGroup, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SIZES = ["--schools", "3", "--groups", "6", "--pupils", "120", "--submissions", "600"]


def load(*extra: str) -> str:
    out = io.StringIO()
    call_command("load_benchmark_data", *SIZES, *extra, stdout=out)
    return out.getvalue()


def region_pupils():
    return User.objects.filter(username__startswith=LOGIN_PREFIX, groups__name=roles.PUPIL)


def test_a_small_region_reads_like_real_data_and_a_second_load_is_refused(client):
    output = load()
    assert "rows/s" in output and "chunk 1/1" in output

    assert School.objects.filter(name__endswith=SCHOOL_MARK).count() == 3
    assert School.objects.filter(kind=School.Kind.HOST, name__endswith=SCHOOL_MARK).count() == 1
    groups = StudyGroup.objects.filter(school__name__endswith=SCHOOL_MARK)
    assert groups.count() == 6
    assert region_pupils().count() == 120
    assert not region_pupils().exclude(email="").exists()  # children have no e-mail
    assert Membership.objects.filter(group__in=groups, role="pupil").count() == 120
    assert Submission.objects.count() == 600
    assert Enrolment.objects.filter(group__in=groups).count() == 12
    assert LessonProgress.objects.exists()
    # Every handed-in quiz and program has its attempt rows and its grade, as the app writes.
    for kind in (Assignment.Kind.QUIZ, Assignment.Kind.CODE):
        handed_in = Submission.objects.filter(assignment__kind=kind).exclude(status="draft")
        assert handed_in.exists(), kind
        assert Grade.objects.filter(submission__in=handed_in).count() == handed_in.count()
    quiz_subs = Submission.objects.filter(assignment__kind=Assignment.Kind.QUIZ)
    assert QuizAttempt.objects.count() == quiz_subs.count()
    assert AttemptQuestion.objects.filter(attempt__submission__in=quiz_subs).exists()
    assert (
        CodeSubmission.objects.count() == Submission.objects.filter(assignment__kind="code").count()
    )
    assert Submission.objects.filter(is_late=True).exists()
    assert Grade.objects.exclude(rubric_choices={}).exists()
    # The guardian rows are exactly those the app derives from the memberships.
    assert not group_permissions.sync(dry_run=True)
    # New rows after the bulk load get fresh ids (the sequences were taken from, not skipped).
    new = User.objects.create_user(username="after-bench", password="x")
    assert new.pk > max(region_pupils().values_list("pk", flat=True))

    # A teacher sees exactly the pupils of the groups they teach, through lms.permissions.
    teacher = User.objects.filter(
        username__startswith=LOGIN_PREFIX, groups__name=roles.TEACHER
    ).first()
    taught = Membership.objects.filter(user=teacher, role="teacher").values("group_id")
    expected = set(
        Membership.objects.filter(group_id__in=taught, role="pupil").values_list(
            "user_id", flat=True
        )
    )
    assert expected
    visible = set(
        User.objects.filter(permissions.pupils_visible_q(teacher)).values_list("pk", flat=True)
    )
    assert visible == expected
    stranger = region_pupils().exclude(pk__in=expected).first()
    assert not permissions.can_see_pupil(teacher, stranger)
    assert set(
        permissions.groups_with(teacher, permissions.GRADE_GROUP).values_list("pk", flat=True)
    ) == {row["group_id"] for row in taught}

    # A pupil's course page, progress and work come from the generated rows.
    pupil = (
        region_pupils()
        .filter(submissions__assignment__kind=Assignment.Kind.QUIZ)
        .distinct()
        .first()
    )
    course = CoursePage.objects.get(pk=pupil.submissions.first().assignment.course_id)
    assert course_permissions.course_access(pupil, course.pk).as_pupil
    progress = services.progress_by_lesson(pupil, course.pk)
    assert set(progress) == set(
        LessonProgress.objects.filter(user=pupil, course=course).values_list("lesson_id", flat=True)
    )
    work = pupil_work(pupil, course_id=course.pk)
    assert work
    client.force_login(pupil)
    response = client.get(course.url)
    assert response.status_code == 200
    assert course.title in response.content.decode()
    quiz = pupil.submissions.filter(assignment__kind=Assignment.Kind.QUIZ).first().assignment
    page = client.get(reverse("assessments:assignment", args=[quiz.pk]), follow=True)
    assert page.status_code == 200  # the quiz page, with the attempts made

    # A second load is refused unless --replace is given (in the same test: each load of
    # even this small region takes a while, so the region is built once).
    pupils = set(region_pupils().values_list("username", flat=True))
    with pytest.raises(CommandError, match="already in this database.*--replace"):
        load()
    assert Submission.objects.count() == 600  # nothing was added

    output = load("--replace", "--seed", "7")
    assert "deleted" in output
    assert region_pupils().count() == 120
    assert Submission.objects.count() == 600
    assert School.objects.filter(name__endswith=SCHOOL_MARK).count() == 3
    assert pupils  # the first region's accounts are gone, the new ones in their place
    assert CoursePage.objects.filter(slug__startswith="bm-").count() == 3  # courses reused
