"""A pupil's lesson page costs at most LESSON_PAGE_MAX_QUERIES queries whatever its body holds:
every block type several times, each picture, file and assignment a different object. The
20 x 20 course is pinned in test_queries.py with the same bound."""

import pytest
from django.core.cache import cache

from tests import builders
from tests.courses.lesson_bodies import fill_every_block

pytestmark = pytest.mark.django_db

# session, user, the pupil's progress in the course; +1 on the first visit, which records the
# opening. The page chain (with the specific lesson and the view restrictions), the outline
# (cms.routing, courses.services.outline_rows), the user's roles and enrolments
# (lms.access_cache) and the lesson's assignments (courses.lesson_body) come from the shared
# cache; on a cold cache they are one query each.
LESSON_PAGE_MAX_QUERIES = 4


@pytest.fixture
def rich_lesson(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    school = builders.build_school("rq")
    tree = builders.build_course("rich", modules=3, lessons=3)
    builders.enrol(school.group_a, tree)
    lesson = tree.lessons[4]
    made = fill_every_block(lesson)
    return school, lesson, made


def test_a_lesson_with_every_block_type_costs_a_fixed_number_of_queries(
    client, rich_lesson, django_assert_max_num_queries
):
    school, lesson, made = rich_lesson
    client.force_login(school.pupils_a[1])
    client.get(lesson.url)  # another pupil made the renditions and filled the body cache
    client.force_login(school.pupils_a[0])
    # The pupil's own header caches (the 🔔 count) fill on any page; here the course page.
    client.get(lesson.get_parent().get_parent().url)
    for visit in ("first visit (records the opening)", "later visit"):
        with django_assert_max_num_queries(LESSON_PAGE_MAX_QUERIES, info=visit):
            response = client.get(lesson.url)
        assert response.status_code == 200
    html = response.content.decode()
    assert html.count('class="assignment-block"') == len(made.assignments)
    assert html.count('class="file-block"') == len(made.documents)
    assert html.count("<video") == len(made.videos)
    assert html.count('class="image-block"') == 3


def test_a_cold_cache_renders_the_same_page(client, rich_lesson):
    school, lesson, _made = rich_lesson
    client.force_login(school.pupils_a[0])
    warm = client.get(lesson.url).content.decode()
    cache.clear()
    cold = client.get(lesson.url).content.decode()
    strip = [line for line in warm.splitlines() if "csrfmiddlewaretoken" not in line]
    assert strip == [line for line in cold.splitlines() if "csrfmiddlewaretoken" not in line]
