"""Who may open a lesson: anonymous, enrolled, not enrolled, teacher, methodologist, staff.
The list filter (`visible_pages_q`) and the one-object check (`course_access`) must agree."""

import pytest
from wagtail.models import Page

from courses import permissions as course_permissions
from courses.models import LessonPage
from lms import roles
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(course, school):
    builders.enrol(school.group_a, course)
    return course, school


def test_anonymous_gets_overview_with_login_link(client, world):
    course, _ = world
    response = client.get(course.lessons[0].url)
    assert response.status_code == 403
    html = response.content.decode()
    assert (
        'class="locked-lesson' in html
    )  # why, and the login button (tests/courses/test_visitors.py)
    assert "/login/?next=" in html
    assert "Собираем" not in html  # the lesson body is not shown


def test_enrolled_pupil_opens_every_lesson(client, world):
    course, school = world
    client.force_login(school.pupils_a[0])
    for lesson in course.lessons:
        assert client.get(lesson.url).status_code == 200


def test_pupil_of_another_group_sees_how_to_join(client, world):
    course, school = world
    client.force_login(school.pupils_b[0])
    response = client.get(course.lessons[0].url)
    assert response.status_code == 403
    assert 'class="locked-lesson' in response.content.decode()
    assert 'href="/join/"' in response.content.decode()  # an invite code is the way in
    assert "Собираем" not in response.content.decode()


def test_teacher_of_enrolled_group_reads_without_progress(client, world):
    course, school = world
    client.force_login(school.teacher_a)
    response = client.get(course.lessons[0].url)
    assert response.status_code == 200
    assert "done-form" not in response.content.decode()
    assert not school.teacher_a.lesson_progress.exists()


def test_teacher_of_other_group_is_locked_out(client, world):
    course, school = world
    client.force_login(school.teacher_b)
    assert client.get(course.lessons[0].url).status_code == 403


def test_methodologist_and_superuser_read_everything(client, world, methodologist):
    course, _ = world
    admin = builders.make_user("root", is_superuser=True, is_staff=True)
    for user in (methodologist, admin):
        client.force_login(user)
        assert client.get(course.lessons[-1].url).status_code == 200


def test_module_enrolment_opens_only_that_module(client, course, school):
    first, second = course.modules
    builders.enrol(school.group_b, course, module=first)
    client.force_login(school.pupils_b[0])
    for lesson in course.lessons_of(first):
        assert client.get(lesson.url).status_code == 200
    for lesson in course.lessons_of(second):
        assert client.get(lesson.url).status_code == 403
    # The course page marks the other module as locked.
    html = client.get(course.course.url).content.decode()
    assert html.count("is-locked") == 1


def test_archived_group_and_inactive_enrolment_give_no_access(client, world):
    course, school = world
    client.force_login(school.pupils_a[0])
    enrolment = school.group_a.enrolments.get()
    enrolment.is_active = False
    enrolment.save()
    assert client.get(course.lessons[0].url).status_code == 403
    enrolment.is_active = True
    enrolment.save()
    school.group_a.is_archived = True
    school.group_a.save()
    client.force_login(school.pupils_a[0])  # fresh request caches
    assert client.get(course.lessons[0].url).status_code == 403


def test_unpublished_and_unknown_pages_are_404(client, world):
    course, school = world
    client.force_login(school.pupils_a[0])
    lesson = course.lessons[0]
    lesson.unpublish()
    response = client.get(lesson.url_path.removeprefix("/home"))
    assert response.status_code == 404
    assert (
        "Page not found" in response.content.decode() or "не найдена" in response.content.decode()
    )
    assert client.get("/courses/no-such-course/").status_code == 404
    assert client.get("/courses/robots/m1/no-such-lesson/").status_code == 404
    assert client.get("/courses/robots/m1/l2/extra/").status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "pupil_a", "pupil_b", "teacher_a", "methodologist"])
def test_list_filter_agrees_with_object_check(who, world, methodologist):
    course, school = world
    builders.enrol(school.group_b, course, module=course.modules[1])
    from django.contrib.auth.models import AnonymousUser

    user = {
        "anonymous": AnonymousUser(),
        "pupil_a": school.pupils_a[0],
        "pupil_b": school.pupils_b[0],
        "teacher_a": school.teacher_a,
        "methodologist": methodologist,
    }[who]
    lessons = LessonPage.objects.live()
    listed = set(
        Page.objects.filter(pk__in=lessons.values("pk"))
        .filter(course_permissions.visible_pages_q(user))
        .values_list("pk", flat=True)
    )
    checked = {
        lesson.pk
        for lesson in course.lessons
        if course_permissions.can_view_lesson(user, course.course.pk, lesson.get_parent().pk)
    }
    assert listed == checked


def test_roles_exist_from_migration(db):
    from django.contrib.auth.models import Group

    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL_ROLES)


def test_a_course_author_reads_their_course_on_the_site_and_no_other(client, world):
    from courses.authoring import add_author

    course, school = world
    other = builders.build_course("other-course", modules=1, lessons=1)
    author = builders.make_user("author_teacher", roles.TEACHER, school=school.school)
    add_author(course.course, author)
    client.force_login(author)
    for lesson in course.lessons:
        assert client.get(lesson.url).status_code == 200
    assert client.get(other.lessons[0].url).status_code == 403
    author = type(author).objects.get(pk=author.pk)  # fresh: no cached access on the object
    visible = set(
        LessonPage.objects.filter(course_permissions.visible_pages_q(author)).values_list(
            "pk", flat=True
        )
    )
    assert visible == {lesson.pk for lesson in course.lessons}
