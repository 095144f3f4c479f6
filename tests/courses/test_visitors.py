"""Visitors and outsiders: a locked lesson says why and what to do (log in, an invite code, who
studies the module), decided by courses.permissions.lesson_lock; the search tells a visitor that
logging in searches lesson texts too, without saying what it would find."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from courses import permissions as course_permissions
from courses.models import CourseShare
from courses.permissions import NAMED_SCHOOLS, LockReason
from lms import roles
from lms.models import Membership, School
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_schools):
    """Host park "Школа a" (a-1 takes the whole course), visiting "Школа v" (module 1 shared
    with it, taken by v-1); module 2 is shared with nobody."""
    return two_schools


def lesson_of(world, module_index: int):
    return world.tree.lessons_of(world.tree.modules[module_index])[0]


def locked_page(client, world, module_index: int) -> str:
    response = client.get(lesson_of(world, module_index).url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "Собираем" not in html  # never the lesson's body
    return html


def section(html: str) -> str:
    """The locked-lesson panel: why, and what to do."""
    return html.split('class="locked-lesson')[1].split("</section>")[0]


def reason(user, world, module_index: int) -> str:
    m = world.tree.modules[module_index]
    return course_permissions.lesson_lock(user, world.tree.course.pk, m.pk).reason


# --- Why it is locked: one rule, in courses.permissions -------------------------------------


def test_each_kind_of_outsider_gets_its_own_reason(world):
    host, visiting = world.host, world.visiting
    loner = builders.make_user("loner", roles.PUPIL, school=host.school)
    assert reason(AnonymousUser(), world, 1) == LockReason.LOG_IN
    assert reason(host.pupils_b[0], world, 0) == LockReason.NOT_ENROLLED  # a-2 takes nothing
    assert reason(visiting.pupils_b[0], world, 0) == LockReason.NOT_ENROLLED  # shared, not taken
    assert reason(visiting.pupils_a[0], world, 1) == LockReason.NOT_SHARED  # v-1 has module 1
    assert reason(visiting.teacher_a, world, 1) == LockReason.NOT_SHARED
    assert reason(loner, world, 0) == LockReason.NO_GROUP
    assert reason(host.teacher_b, world, 0) == LockReason.STAFF  # a-2 is not enrolled


def test_a_group_taking_other_modules_is_told_so(world):
    host = world.host
    builders.enrol(host.group_b, world.tree, module=world.tree.modules[0])
    assert reason(host.pupils_b[0], world, 1) == LockReason.OTHER_MODULES


def test_an_archived_group_counts_as_no_group(world):
    pupil = world.host.pupils_b[0]
    world.host.group_b.is_archived = True
    world.host.group_b.save()
    assert reason(pupil, world, 0) == LockReason.NO_GROUP


def test_who_studies_the_module_names_schools_only(world):
    m1, m2 = world.tree.modules
    course_id = world.tree.course.pk
    first = course_permissions.lesson_lock(AnonymousUser(), course_id, m1.pk)
    assert first.host_schools == ("Школа a",)
    assert first.partner_schools == ("Школа v",)
    assert not first.every_partner and first.shared
    second = course_permissions.lesson_lock(AnonymousUser(), course_id, m2.pk)
    assert second.partner_schools == () and not second.shared
    # A share of the whole course covers every module; one "for every partner" is said so.
    CourseShare.objects.create(course=world.tree.course, module=None, school=None)
    assert course_permissions.lesson_lock(AnonymousUser(), course_id, m2.pk).every_partner


def test_many_partner_schools_are_counted_beyond_the_first_ones(world):
    m2 = world.tree.modules[1]
    for n in range(NAMED_SCHOOLS + 5):
        school = School.objects.create(name=f"Гимназия {n:02d}", kind=School.Kind.VISITING)
        CourseShare.objects.create(course=world.tree.course, module=m2, school=school)
    lock = course_permissions.lesson_lock(AnonymousUser(), world.tree.course.pk, m2.pk)
    assert len(lock.partner_schools) == NAMED_SCHOOLS
    assert list(lock.partner_schools) == sorted(lock.partner_schools)
    assert lock.more_partners == 5


# --- The page -------------------------------------------------------------------------------


def test_a_visitor_sees_why_and_the_login_button_before_the_outline(en, world):
    lesson = lesson_of(world, 0)
    html = locked_page(en, world, 0)
    assert f'<h1 id="locked-title">{lesson.title}</h1>' in html
    assert "Log in to see yours" in html
    panel = section(html)
    assert f'<a class="btn btn-large" href="/login/?next={lesson.url}">Log in</a>' in panel
    # Near the top: the panel with the login button comes before the course's programme.
    assert html.index('class="locked-lesson') < html.index('class="course-outline"')
    assert 'href="/join/"' in panel
    assert "invite code" in html
    assert "This module is taught at Школа a." in html
    assert "It is shared with: Школа v." in html
    # No join box, no lesson links for a visitor.
    assert "join-box" not in html
    assert (
        'class="outline-lesson' in html
        and '<a href="/courses/'
        not in html.split('class="course-outline"')[1].split("</section>")[0]
    )


def test_a_module_shared_with_nobody_says_so(en, world):
    html = locked_page(en, world, 1)
    assert "It is not shared with partner schools." in html


def test_a_pupil_of_another_school_is_told_it_is_not_shared(en, world):
    en.force_login(world.visiting.pupils_a[0])
    html = locked_page(en, world, 1)
    assert "not shared with your school" in html
    assert 'href="/login/' not in section(html)
    # The lessons of their own module stay linked in the programme below.
    own = lesson_of(world, 0)
    assert f'href="{own.url}"' in html


def test_a_pupil_whose_group_does_not_study_it_is_sent_to_their_teacher(en, world):
    en.force_login(world.host.pupils_b[0])
    html = locked_page(en, world, 0)
    assert "Your group does not study this course" in html
    assert "Ask your teacher for an invite code" in html and 'href="/join/"' in html


def test_a_teacher_is_told_to_enrol_a_group(en, world):
    en.force_login(world.host.teacher_b)
    html = locked_page(en, world, 0)
    assert "None of your groups studies this module." in html
    assert 'href="/teach/"' in section(html)


def test_school_names_are_escaped(en, world):
    school = School.objects.create(name="<script>alert(1)</script>", kind=School.Kind.VISITING)
    CourseShare.objects.create(
        course=world.tree.course, module=world.tree.modules[1], school=school
    )
    html = locked_page(en, world, 1)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_locked_page_costs_the_same_with_many_partner_schools(
    client, world, django_assert_max_num_queries
):
    url = lesson_of(world, 1).url
    client.force_login(world.host.pupils_b[0])
    client.get(url)  # warm the site's caches
    with django_assert_max_num_queries(LOCKED_PAGE_MAX_QUERIES):
        assert client.get(url).status_code == 403
    for n in range(30):
        school = School.objects.create(name=f"Школа {n}", kind=School.Kind.VISITING)
        CourseShare.objects.create(course=world.tree.course, module=None, school=school)
        group = school.groups.create(name="1", academic_year="2026/2027")
        Membership.objects.create(
            user=builders.make_user(f"p{n}", roles.PUPIL, school=school),
            group=group,
            role=Membership.Role.PUPIL,
        )
    client.force_login(world.host.pupils_b[0])
    with django_assert_max_num_queries(LOCKED_PAGE_MAX_QUERIES):
        assert client.get(url).status_code == 403


LOCKED_PAGE_MAX_QUERIES = 16


# --- Search ---------------------------------------------------------------------------------

NOTE = "Log in to search lesson texts too."


def note_of(html: str) -> str:
    found = re.search(r'<div class="search-more".*?</div>', html, re.S)
    return found.group(0) if found else ""


def test_a_visitor_is_told_that_logging_in_searches_lessons_too(en, world):
    response = en.get(reverse("search"), {"q": "робота"})
    html = response.content.decode()
    assert NOTE in html
    assert 'href="/login/?next=/search/%3Fq%3D%25D1%2580' in note_of(html)
    # The note is the same whether lessons would match or not: it reveals nothing.
    other = en.get(reverse("search"), {"q": "zzzzqqq"}).content.decode()
    assert note_of(other) == note_of(html).replace(
        "%25D1%2580%25D0%25BE%25D0%25B1%25D0%25BE%25D1%2582%25D0%25B0", "zzzzqqq"
    )


def test_a_logged_in_user_gets_no_note(en, world):
    en.force_login(world.host.pupils_a[0])
    html = en.get(reverse("search"), {"q": "робота"}).content.decode()
    assert NOTE not in html


def test_no_note_without_a_query(en, world):
    assert NOTE not in en.get(reverse("search")).content.decode()


def test_the_note_link_carries_a_hostile_query_escaped(en, world):
    html = en.get(reverse("search"), {"q": '"><script>alert(1)</script>' + "x" * 5000}).content
    html = html.decode()
    assert "<script>alert(1)</script>" not in html
    link = re.search(r'href="(/login/\?next=[^"]*)"', note_of(html)).group(1)
    assert len(link) < 1000  # the query is cut before it goes into the link
