"""The lesson, course and dashboard pages cost the same number of queries however big the
course is (2 modules x 2 lessons against 20 x 20)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import builders
from tests.courses.test_lesson_queries import LESSON_PAGE_MAX_QUERIES  # every block type's bound

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm caches (site root paths, rendered markdown) and create progress
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.slow  # a 20 x 20 course
def test_query_counts_do_not_grow_with_course_size(client, django_assert_max_num_queries):
    school = builders.build_school("q")
    small = builders.build_course("small", modules=2, lessons=2)
    large = builders.build_course("large", modules=20, lessons=20)
    builders.enrol(school.group_a, small)
    builders.enrol(school.group_a, large)
    client.force_login(school.pupils_a[0])

    pages = {
        "lesson": lambda tree: tree.lessons[len(tree.lessons) // 2].url,
        "course": lambda tree: tree.course.url,
        "dashboard": lambda tree: "/learn/",
    }
    for name, url in pages.items():
        assert _count(client, url(small)) == _count(client, url(large)), name

    client.force_login(school.pupils_a[1])
    client.get(large.lessons[-1].url)  # another pupil's visit filled the shared caches
    client.force_login(school.pupils_a[0])
    client.get(large.course.url)  # the pupil's own header caches
    for visit in ("first visit (records the opening)", "later visit"):
        with django_assert_max_num_queries(LESSON_PAGE_MAX_QUERIES, info=visit):
            response = client.get(large.lessons[-1].url)
        assert response.status_code == 200


def test_cover_pictures_cost_one_query_however_many_courses(client, settings, tmp_path):
    """My courses and the catalogue show every card's cover without a query per card (the
    renditions come from Wagtail's rendition cache once made)."""
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    from courses.models import CoursePage

    settings.MEDIA_ROOT = tmp_path
    school = builders.build_school("cv")
    client.force_login(school.pupils_a[0])
    counts = []
    for n in range(3):
        tree = builders.build_course(f"covered-{n}", modules=1, lessons=1)
        builders.enrol(school.group_a, tree)
        course = CoursePage.objects.get(pk=tree.course.pk)
        course.cover_image = get_image_model().objects.create(
            title=f"Обложка {n}", file=get_test_image_file(f"cover{n}.png")
        )
        course.save_revision().publish()
        if n in (0, 2):  # one course, then three
            counts.append((_count(client, "/learn/"), _count(client, "/courses/")))
    assert counts[0] == counts[1]
    html = client.get("/learn/").content.decode()
    assert html.count("fill-320x180") == 3 or html.count("<img") >= 3
