"""The lesson and course pages cost the same number of queries however big the course is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import builders

pytestmark = pytest.mark.django_db

LESSON_PAGE_MAX_QUERIES = 12


def _count(client, url) -> int:
    client.get(url)  # warm caches (site root paths, rendered markdown) and create progress
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["lesson", "course", "dashboard"])
def test_query_count_does_not_grow_with_course_size(client, page, django_assert_max_num_queries):
    school = builders.build_school("q")
    small = builders.build_course("small", modules=2, lessons=2)
    large = builders.build_course("large", modules=20, lessons=20)
    pupil = school.pupils_a[0]
    builders.enroll(school.group_a, small)
    builders.enroll(school.group_a, large)
    client.force_login(pupil)

    def url(tree):
        if page == "lesson":
            return tree.lessons[len(tree.lessons) // 2].url
        if page == "course":
            return tree.course.url
        return "/learn/"

    small_count = _count(client, url(small))
    large_count = _count(client, url(large))
    assert small_count == large_count
    if page == "lesson":
        with django_assert_max_num_queries(LESSON_PAGE_MAX_QUERIES):
            client.get(url(large))
