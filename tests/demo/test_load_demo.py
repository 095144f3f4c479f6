import io

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from assessments.models import Assignment, Grade, Submission
from assessments.programming.models import CodeExercise, CodeSubmission, Problem
from courses.models import (
    CourseAuthor,
    CoursePage,
    CourseShare,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
)
from demo import programming
from lms import permissions
from lms.models import Invite, Membership, School, StudyGroup, StudyGroupUserObjectPermission, User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def snapshot() -> dict:
    return {
        "users": sorted(
            User.objects.values_list("username", "display_name", "first_name", "last_name")
        ),
        "schools": School.objects.count(),
        "groups": StudyGroup.objects.count(),
        "memberships": Membership.objects.count(),
        "pages": sorted(Page.objects.values_list("url_path", "title", "live")),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
        "enrolments": sorted(Enrolment.objects.values_list("group_id", "course_id", "module_id")),
        "shares": sorted(CourseShare.objects.values_list("course_id", "module_id", "school_id")),
        "invites": sorted(Invite.objects.values_list("code", "group_id", "expires_at", "uses")),
        "authors": sorted(CourseAuthor.objects.values_list("course_id", "user_id")),
        "group_permissions": StudyGroupUserObjectPermission.objects.count(),
        "assignments": sorted(Assignment.objects.values_list("title", "lesson_id", "rubric_id")),
        "submissions": sorted(
            Submission.objects.values_list("pupil__username", "attempt", "status", "is_late")
        ),
        "grades": sorted(Grade.objects.values_list("submission_id", "final_points", "is_released")),
        "progress": sorted(
            LessonProgress.objects.filter(completed_at__isnull=False).values_list(
                "user__username", "lesson_id"
            )
        ),
        "problems": sorted(Problem.objects.values_list("title", "is_published", "revision")),
        "code": sorted(
            CodeSubmission.objects.values_list(
                "submission__pupil__username", "exercise__problem__title", "verdict", "points"
            )
        ),
    }


def test_load_demo_twice_gives_the_same_data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    first = snapshot()
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == first

    # What the issue promises: three courses, every one with >= 2 modules of >= 3 lessons.
    courses = CoursePage.objects.live()
    assert sorted(c.track for c in courses) == ["programming", "robotics", "science"]
    for course in courses:
        modules = ModulePage.objects.child_of(course)
        assert modules.count() >= 2
        for module in modules:
            assert LessonPage.objects.child_of(module).count() >= 3
    usernames = set(User.objects.values_list("username", flat=True))
    expected = {"admin", "methodist", "teacher1", "teacher2", "guest_teacher"}
    expected |= {f"pupil{n}" for n in range(1, 13)}
    assert expected <= usernames
    assert User.objects.get(username="pupil5").check_password("demo12345")

    # Programming (demo/content/programming): every problem's reference passed in the sandbox,
    # so it is published, and the pupils' code was judged for real with the verdicts it names.
    data = programming.manifest()
    exercises = CodeExercise.objects.select_related("assignment__lesson", "problem")
    assert exercises.count() == len(data["exercises"])
    for exercise in exercises:
        assert exercise.assignment.course.slug == "python-basics"
        assert exercise.problem.is_published, exercise.problem.reference_report
    judged = [
        (c.submission.pupil.username, c.exercise.assignment.title, c.verdict)
        for c in CodeSubmission.objects.select_related(
            "submission__pupil", "exercise__assignment"
        ).order_by("pk")
    ]
    titles = {
        row["problem"]: programming.read(row["problem"]).spec.title for row in data["exercises"]
    }
    expected = [(r["pupil"], titles[r["problem"]], r["verdict"]) for r in data["submissions"]]
    assert judged == expected
    assert {verdict for *_, verdict in judged} >= {"OK", "WA", "TLE", "RE", "CE"}
    olympiad = CodeSubmission.objects.get(exercise__problem__title="Гири для робота")
    assert olympiad.points == 30  # the small subtask only: the count overflows an int
    assert Grade.objects.filter(submission=olympiad.submission, is_released=True).exists()


def test_demo_has_admins_invites_a_shared_module_and_an_author(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    host = School.objects.get(kind=School.Kind.HOST)
    visiting = School.objects.get(kind=School.Kind.VISITING)
    host_admin = User.objects.get(username="host_admin")
    guest_admin = User.objects.get(username="guest_admin")
    assert (host_admin.school, guest_admin.school) == (host, visiting)
    assert permissions.is_school_admin(host_admin) and permissions.is_school_admin(guest_admin)
    assert guest_admin.check_password("demo12345")

    visiting_group = StudyGroup.objects.get(school=visiting)
    enrolment = Enrolment.objects.get(group=visiting_group)
    assert enrolment.module_id is not None  # one module, not the whole course
    assert CourseShare.objects.filter(
        course=enrolment.course, module=enrolment.module, school=visiting
    ).exists()

    robotics = CoursePage.objects.get(track="robotics")
    teacher1 = User.objects.get(username="teacher1")
    assert CourseAuthor.objects.filter(course=robotics, user=teacher1).exists()
    assert robotics.permissions_for_user(teacher1).can_edit()
    python = CoursePage.objects.get(track="programming")
    assert not python.permissions_for_user(teacher1).can_edit()

    for invite in Invite.objects.all():
        assert invite.is_usable()
        assert invite.group.school == host


def test_every_block_type_is_used_and_every_demo_lesson_renders(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    used = set()
    for lesson in LessonPage.objects.live():
        used |= {block.block_type for block in lesson.body}
    assert used == {"markdown", "code", "image", "video", "file", "callout", "formula", "steps"}

    client.force_login(User.objects.get(username="methodist"))
    for lesson in LessonPage.objects.live():
        response = client.get(lesson.url)
        assert response.status_code == 200, lesson.url


def test_production_settings_refuse_demo_content():
    with (
        override_settings(DEMO_CONTENT_ALLOWED=False),
        pytest.raises(CommandError, match="DEMO_CONTENT_ALLOWED"),
    ):
        call_command("load_demo")
    assert not User.objects.filter(username="pupil1").exists()


def test_demo_has_project_work_graded_returned_and_waiting(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    assert Assignment.objects.filter(rubric__isnull=False).count() == 3
    projects = Submission.objects.filter(assignment__kind=Assignment.Kind.PROJECT)
    statuses = dict(projects.values_list("pupil__username", "status"))
    assert statuses["pupil1"] == Submission.Status.GRADED
    assert statuses["pupil2"] == Submission.Status.RETURNED
    assert statuses["pupil3"] == Submission.Status.SUBMITTED
    graded = Grade.objects.get(
        submission__pupil__username="pupil1", submission__assignment__kind="project"
    )
    assert graded.is_released and graded.final_points == graded.submission.assignment.max_points
    photo = projects.get(pupil__username="pupil3").files.first()
    assert photo.kind == "image" and photo.thumbnail


def test_demo_has_question_banks_quizzes_and_attempts(settings, tmp_path):
    from assessments.quiz.models import Question, Quiz, QuizAttempt
    from assessments.quiz.spec import QType

    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    for slug in ("robotics-arduino", "python-basics", "science-lab"):
        types = set(
            Question.objects.filter(category__course__slug=slug).values_list(
                "latest__qtype", flat=True
            )
        )
        assert types == {t.value for t in QType}, slug  # every type in every bank
    quizzes = {q.assignment.course.slug: q for q in Quiz.objects.select_related("assignment")}
    assert quizzes["robotics-arduino"].time_limit_minutes == 15
    assert quizzes["python-basics"].slots.filter(random_category__isnull=False).count() == 9
    handed_in = QuizAttempt.objects.exclude(submission__status=Submission.Status.DRAFT)
    assert handed_in.count() >= 10
    assert Grade.objects.filter(submission__assignment__kind="quiz", is_released=True).exists()
    # Some essays wait for the teacher: the grading queue has quiz work too.
    assert handed_in.filter(submission__grade__isnull=True).exists()
    call_command("load_demo", stdout=io.StringIO())  # idempotent
    assert QuizAttempt.objects.count() == handed_in.count()
    assert Question.objects.count() == 51


def test_the_benchmark_lesson_opens_for_pupil1_and_the_output_names_the_served_address(
    client, settings, tmp_path, monkeypatch
):
    # The benchmark harness opens this lesson as pupil1; `make run` passes HOST and PORT.
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("HOST", "192.168.1.20")
    monkeypatch.setenv("PORT", "8765")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Demo technopark is ready: http://192.168.1.20:8765/"
    assert lines[1] == "All demo accounts use the password: demo12345"
    assert "  pupil1         Артём Кузнецов" in lines
    assert lines[-1] == "Invite codes: KVANT26, PYTHN26 (open /join/ as a pupil)"
    pupil = User.objects.get(username="pupil1")
    assert pupil.check_password("demo12345")
    client.force_login(pupil)
    response = client.get("/courses/robotics-arduino/line-follower/line-sensors/")
    assert response.status_code == 200
    assert "Инфракрасные датчики линии" in response.content.decode()
