"""The teacher's and school admin's pages cost the same number of queries for one group of three
pupils as for ten groups of thirty, with enrolments and progress (no query per group, pupil,
lesson or progress row)."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import LessonProgress
from lms import group_permissions, roles
from lms.models import Invite, Membership, School, StudyGroup, User
from tests import builders, scenario

# Ten groups of thirty pupils with progress: scale tests.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@dataclass
class Case:
    school: School
    teacher: User
    admin: User
    groups: list[StudyGroup]


def build_case(prefix: str, groups: int, pupils: int, tree: builders.CourseTree) -> Case:
    """Groups of pupils enrolled in the course, each pupil with some progress. Pupils and their
    memberships are bulk-created (no signals are needed for pupils); the teacher's memberships
    go through save() so that the guardian rows are made as in real use."""
    school = School.objects.create(name=f"Школа {prefix}", kind=School.Kind.HOST)
    teacher = builders.make_user(f"{prefix}_teacher", roles.TEACHER, school=school)
    admin = builders.make_user(f"{prefix}_admin", roles.SCHOOL_ADMIN, school=school)
    pupil_role = Group.objects.get(name=roles.PUPIL)
    now = timezone.now()
    made = []
    for g in range(groups):
        group = StudyGroup.objects.create(
            school=school, name=f"{prefix}-{g + 1}", academic_year="2026/2027"
        )
        made.append(group)
        Membership.objects.create(user=teacher, group=group, role=Membership.Role.TEACHER)
        services.enrol_group(group, tree.course)
        Invite.objects.create(
            group=group,
            code=f"{prefix.upper()}{g:04d}"[:16],
            expires_at=now + timedelta(days=7),
            max_uses=30,
        )
        users = User.objects.bulk_create(
            [
                User(
                    username=f"{prefix}-{g}-{n}",
                    first_name=f"Имя{n}",
                    last_name=f"Фамилия{n}",
                    school=school,
                    password="!unusable",
                )
                for n in range(pupils)
            ]
        )
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=pupil_role.pk) for u in users]
        )
        Membership.objects.bulk_create(
            [Membership(user=u, group=group, role=Membership.Role.PUPIL) for u in users]
        )
        LessonProgress.objects.bulk_create(
            [
                LessonProgress(
                    user=u,
                    lesson=lesson,
                    course=tree.course,
                    completed_at=now if i % 2 == 0 else None,
                )
                for n, u in enumerate(users)
                for i, lesson in enumerate(tree.lessons[: 1 + n % len(tree.lessons)])
            ]
        )
    assert not group_permissions.sync(dry_run=True)  # the guardian rows are all there
    return Case(school, teacher, admin, made)


@scenario.shared
def cases():
    small_course = builders.build_course("small", modules=2, lessons=2)
    large_course = builders.build_course("large", modules=6, lessons=6)
    small = build_case("s", groups=1, pupils=3, tree=small_course)
    large = build_case("l", groups=10, pupils=30, tree=large_course)
    assert LessonProgress.objects.filter(user__school=large.school).count() > 1000
    return small, large


def count_queries(client, user, url) -> tuple[int, list[str]]:
    client.force_login(user)
    assert client.get(url).status_code == 200  # warm caches (site root, catalogue link)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries.captured_queries]


PAGES = {
    "my groups": lambda case: (case.teacher, reverse("teach:groups")),
    "group page": lambda case: (case.teacher, reverse("teach:group", args=[case.groups[-1].pk])),
    "group page as admin": lambda case: (
        case.admin,
        reverse("teach:group", args=[case.groups[-1].pk]),
    ),
    "school home": lambda case: (case.admin, reverse("school:home")),
    "school pupils": lambda case: (case.admin, reverse("school:pupils")),
    "shared catalogue": lambda case: (case.teacher, reverse("teach:shared")),
}


def test_query_count_does_not_grow_with_groups_pupils_or_progress(
    client, cases, django_assert_max_num_queries
):
    # One test for all pages: building the large case is the slow part.
    small, large = cases
    counts = {}
    for page, target in PAGES.items():
        small_count, small_sql = count_queries(client, *target(small))
        large_count, large_sql = count_queries(client, *target(large))
        extra = "\n".join(sql for sql in large_sql if sql not in set(small_sql))
        assert large_count == small_count, f"{page}: {small_count} -> {large_count}\n{extra}"
        user, url = target(large)
        client.force_login(user)
        client.get(url)  # the login saved the user (last_login): their cached row again
        with django_assert_max_num_queries(small_count, info=page):
            client.get(url)
        counts[page] = small_count
    print("query counts:", counts)


def test_the_large_pages_show_everything(client, cases):
    _small, large = cases
    client.cookies["django_language"] = "en"
    client.force_login(large.teacher)
    html = client.get(reverse("teach:groups")).content.decode()
    assert html.count('class="card group-card') == 10
    assert html.count("30 pupils") == 10
    html = client.get(reverse("teach:group", args=[large.groups[0].pk])).content.decode()
    assert html.count('<th scope="row" class="pupil-col">') == 30
    client.force_login(large.admin)
    html = client.get(reverse("school:home")).content.decode()
    for group in large.groups:
        assert f"{group.name}</a>" in html
