"""The page chain of a path (cms.routing) and a course's outline (courses.services.outline_rows)
come from the shared cache, and are never older than the page tree: a retitled, renamed,
moved, unpublished, restricted or new lesson shows at once for a logged-in pupil; a cold or
failing cache gives the same page."""

from unittest import mock

import pytest
from django.core.cache import cache
from wagtail.models import Page, PageViewRestriction

from cms import public_cache, routing
from courses import services
from courses.models import LessonPage
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def pupil_client(client):
    school = builders.build_school("sc")
    tree = builders.build_course("cached-tree", modules=2, lessons=2)
    builders.enrol(school.group_a, tree)
    client.force_login(school.pupils_a[0])
    return client, tree


def _html(client, url, status=200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_a_retitled_lesson_shows_in_the_outline_and_the_page_at_once(pupil_client):
    client, tree = pupil_client
    lesson = tree.lessons[1]
    _html(client, lesson.url)
    page = LessonPage.objects.get(pk=lesson.pk)
    page.title = "Совсем новое название урока"
    page.save_revision().publish()
    assert _html(client, lesson.url).count("Совсем новое название урока") >= 2  # h1 and outline
    assert "Совсем новое название урока" in _html(client, tree.course.url)


def test_a_renamed_slug_moves_the_lesson_at_once(pupil_client):
    client, tree = pupil_client
    lesson = tree.lessons[0]
    old_url = lesson.url
    _html(client, old_url)
    page = LessonPage.objects.get(pk=lesson.pk)
    page.slug = "renamed-lesson"
    page.save_revision().publish()
    page.refresh_from_db()
    assert client.get(old_url).status_code == 404
    assert "Урок" in _html(client, page.url) or page.title in _html(client, page.url)
    assert page.url in _html(client, tree.course.url)


def test_an_unpublished_lesson_is_gone_at_once(pupil_client):
    client, tree = pupil_client
    lesson = tree.lessons[2]
    _html(client, lesson.url)
    _html(client, tree.course.url)
    LessonPage.objects.get(pk=lesson.pk).unpublish()
    assert client.get(lesson.url).status_code == 404
    assert lesson.url not in _html(client, tree.course.url)


def test_a_moved_lesson_answers_at_its_new_address_only(pupil_client):
    client, tree = pupil_client
    lesson = builders.publish_child(
        Page.objects.get(pk=tree.modules[0].pk).specific,
        LessonPage(title="Кочующий", slug="moving"),
    )
    old_url = lesson.url
    _html(client, old_url)
    Page.objects.get(pk=lesson.pk).move(Page.objects.get(pk=tree.modules[1].pk), "last-child")
    moved = LessonPage.objects.get(pk=lesson.pk)
    old = client.get(old_url)  # Wagtail's redirects app leaves a redirect behind
    assert old.status_code == 301 and old["Location"] == moved.url
    _html(client, moved.url)
    outline = _html(client, tree.course.url)
    assert outline.index(f'href="{moved.url}"') > outline.index(f"module-{tree.modules[1].pk}")


def test_a_new_view_restriction_applies_at_once(pupil_client, django_user_model):
    client, tree = pupil_client
    lesson = tree.lessons[1]
    _html(client, lesson.url)
    restriction = PageViewRestriction.objects.create(
        page=Page.objects.get(pk=tree.course.pk), restriction_type=PageViewRestriction.GROUPS
    )
    assert client.get(lesson.url).status_code in (302, 403)
    restriction.delete()
    _html(client, lesson.url)


def test_a_new_lesson_shows_in_the_outline_at_once(pupil_client):
    client, tree = pupil_client
    _html(client, tree.lessons[0].url)
    new = builders.publish_child(
        Page.objects.get(pk=tree.modules[0].pk).specific,
        LessonPage(title="Только что опубликованный", slug="fresh"),
    )
    assert "Только что опубликованный" in _html(client, tree.lessons[0].url)
    _html(client, new.url)


def test_a_cold_or_failing_cache_gives_the_same_page(pupil_client):
    client, tree = pupil_client
    lesson = tree.lessons[3]
    warm = _html(client, lesson.url)
    cache.clear()
    cold = _html(client, lesson.url)
    broken = mock.Mock(**{f"{n}.side_effect": ConnectionError for n in ("get_many", "set", "add")})
    with mock.patch.object(public_cache, "cache", broken):
        failing = _html(client, lesson.url)

    def strip(html):
        return [line for line in html.splitlines() if "csrfmiddlewaretoken" not in line]

    assert strip(warm) == strip(cold) == strip(failing)


def test_the_stored_chain_is_the_pages_below_the_site_root(pupil_client):
    client, tree = pupil_client
    lesson = tree.lessons[0]
    _html(client, lesson.url)
    stored, _generation = public_cache.lookup(
        routing.route_key(builders.home_page(), lesson.url_path)
    )
    catalogue = builders.catalogue_page()
    assert [page.pk for page in stored] == [
        catalogue.pk,
        tree.course.pk,
        tree.modules[0].pk,
        lesson.pk,
    ]
    rows = services.outline_rows(None, tree.course)
    assert [row.id for row in rows if row.duration is not None] == [p.pk for p in tree.lessons]


def test_a_new_cover_picture_and_its_new_title_show_at_once(pupil_client, settings, tmp_path):
    from tests.courses.lesson_bodies import make_image

    settings.MEDIA_ROOT = tmp_path
    client, tree = pupil_client
    course = tree.course.specific
    course.cover_image = make_image("Первая обложка")
    course.save_revision().publish()
    assert 'alt="Первая обложка"' in _html(client, tree.course.url)
    assert 'alt="Первая обложка"' in _html(client, tree.course.url)  # from the cached chain
    picture = course.cover_image
    picture.title = "Обложка с новым именем"
    picture.save()  # a picture saved: the public generation moves, the chain is read again
    assert 'alt="Обложка с новым именем"' in _html(client, tree.course.url)


def test_my_courses_drops_an_unpublished_course_and_shows_a_retitled_one(pupil_client):
    client, tree = pupil_client
    other = builders.build_course("second-cached", modules=1, lessons=1)
    school_group = tree.course.enrolments.first().group
    builders.enrol(school_group, other)
    html = _html(client, "/learn/")
    assert tree.course.title in html and other.course.title in html
    course = other.course.specific
    course.title = "Курс под новым названием"
    course.save_revision().publish()
    assert "Курс под новым названием" in _html(client, "/learn/")
    course.unpublish()
    html = _html(client, "/learn/")
    assert "Курс под новым названием" not in html and tree.course.title in html


def test_a_moved_module_keeps_its_assignments_on_the_pupils_home(pupil_client):
    """The pupil's enrolments are cached with their modules' tree paths: a move moves them."""
    from courses.models import Enrolment
    from tests.assessments.builders import make_assignment

    client, tree = pupil_client
    enrolment = Enrolment.objects.get(course=tree.course)
    enrolment.module = tree.modules[1]
    enrolment.save()  # the group takes module 2 only
    make_assignment(tree.lessons[3], title="Работа второго модуля")
    assert "Работа второго модуля" in _html(client, "/learn/")
    # The whole course moves to another place in the tree: every module's path changes.
    Page.objects.get(pk=tree.course.pk).move(builders.home_page(), pos="last-child")
    assert not Enrolment.objects.get(pk=enrolment.pk).module.path.startswith(tree.modules[1].path)
    assert "Работа второго модуля" in _html(client, "/learn/")
