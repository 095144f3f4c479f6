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
