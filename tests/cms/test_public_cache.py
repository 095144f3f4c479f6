"""Anonymous pages served whole from the cache (cms.public_cache): no query on a repeat, never
stale after a publish, an unpublish, a move, a new view restriction or a renamed picture;
never personal (a session cookie, a logged-in user, a page that sets a cookie, a query string
or a flash message are never served from it nor stored); one entry per language; a cache
that fails still serves the page; the language form works without a token for visitors and
still needs one for logged-in users."""

import pickle
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from cms import public_cache
from courses.models import CoursePage
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return builders.build_course("open-course", modules=1, lessons=2)


def _queries(client, url, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200, response.status_code
    return len(queries), response.content.decode()


def _public_urls(tree) -> list[str]:
    return ["/", builders.catalogue_page().url, tree.course.url]


def test_a_repeat_visit_makes_no_query_and_shows_the_same_page(client, tree):
    for url in _public_urls(tree):
        first_count, first = _queries(client, url)
        assert first_count > 0
        count, again = _queries(client, url)
        assert count == 0, url
        assert again == first


def test_the_stored_page_keeps_its_headers(client, tree):
    fresh = client.get(tree.course.url)
    replay = client.get(tree.course.url)
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options"):
        assert replay[header] == fresh[header], header
    assert not replay.cookies


def test_a_publish_shows_at_once(client, tree):
    client.get(tree.course.url)
    client.get("/")
    course = CoursePage.objects.get(pk=tree.course.pk)
    course.title = "Новое название курса"
    course.save_revision().publish()
    assert "Новое название курса" in client.get(tree.course.url).content.decode()
    assert "Новое название курса" in client.get("/").content.decode()


def test_a_publish_that_commits_moves_the_generation_again(
    tree, django_capture_on_commit_callbacks
):
    """Once for readers in the same transaction, once more when it commits: a reader that
    began before the commit stored its page under a token that is no longer current."""
    before = cache.get(public_cache.GENERATION_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        course = CoursePage.objects.get(pk=tree.course.pk)
        course.title = "Ещё одно название"
        course.save_revision().publish()
        during = cache.get(public_cache.GENERATION_KEY)
    assert callbacks
    assert during != before
    assert cache.get(public_cache.GENERATION_KEY) != during


def test_an_unpublished_course_is_gone_at_once(client, tree):
    client.get(tree.course.url)
    CoursePage.objects.get(pk=tree.course.pk).unpublish()
    assert client.get(tree.course.url).status_code == 404


def test_a_new_view_restriction_applies_at_once(client, tree):
    client.get(tree.course.url)
    page = Page.objects.get(pk=tree.course.pk)
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(tree.course.url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_a_moved_module_leaves_its_old_course_at_once(client):
    first = builders.build_course("first-course", modules=2, lessons=1)
    second = builders.build_course("second-course", modules=1, lessons=1)
    moved = first.modules[1]
    assert f"module-{moved.pk}" in client.get(first.course.url).content.decode()
    Page.objects.get(pk=moved.pk).move(Page.objects.get(pk=second.course.pk), "last-child")
    assert f"module-{moved.pk}" not in client.get(first.course.url).content.decode()
    assert f"module-{moved.pk}" in client.get(second.course.url).content.decode()


def test_a_renamed_cover_picture_shows_at_once(client, tree, settings, tmp_path):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    settings.MEDIA_ROOT = tmp_path
    image = get_image_model().objects.create(title="Обложка", file=get_test_image_file())
    course = CoursePage.objects.get(pk=tree.course.pk)
    course.cover_image = image
    course.save_revision().publish()
    client.get("/")
    image.title = "Новая обложка"
    image.save()
    assert "Новая обложка" in client.get("/").content.decode()


def test_each_language_has_its_own_page(client, tree):
    russian = client.get(tree.course.url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(tree.course.url).content.decode()
    assert 'lang="en"' in english and 'lang="ru"' in russian
    count, again = _queries(client, tree.course.url)
    assert count == 0 and again == english


def test_a_logged_in_user_is_never_served_nor_stored(client, tree):
    school = builders.build_school("pc")
    builders.enrol(school.group_a, tree)
    pupil = school.pupils_a[0]
    client.get(tree.course.url)  # an anonymous page is stored
    client.force_login(pupil)
    count, html = _queries(client, tree.course.url)
    assert count > 0
    assert pupil.get_display_name() in html
    assert cache_entries_hold(pupil.get_display_name()) is False


def _served_whole(client, url: str) -> bool:
    """Was the answer a stored page (not rendered for this request)?"""
    with mock.patch.object(public_cache, "replayed", wraps=public_cache.replayed) as replayed:
        response = client.get(url)
    assert response.status_code in (200, 403), response.status_code
    return replayed.called


def test_a_session_cookie_means_rendered_afresh(client, tree):
    client.get(tree.course.url)
    assert _served_whole(client, tree.course.url)
    client.cookies["sessionid"] = "not-a-real-session"
    assert not _served_whole(client, tree.course.url)


@pytest.mark.parametrize("extra", ["query", "messages"])
def test_query_strings_and_flash_messages_are_rendered_afresh(client, tree, extra):
    url = tree.course.url + ("?x=1" if extra == "query" else "")
    client.get(url)
    if extra == "messages":
        client.cookies["messages"] = "abc"
    assert not _served_whole(client, url)
    assert not _served_whole(client, url)


def test_pages_not_opted_in_are_not_stored(client, tree):
    lesson = tree.lessons[0]
    client.get(lesson.url)  # a lesson for a visitor: a login prompt, per request
    assert not _served_whole(client, lesson.url)


def test_a_response_that_sets_a_cookie_is_not_stored(rf, tree):
    request = rf.get("/")
    request.user = mock.Mock(is_authenticated=False)
    response = public_cache.HttpResponse("x")
    response.lms_public = True
    assert public_cache.is_storable(request, response)
    response.set_cookie("csrftoken", "abc")
    assert not public_cache.is_storable(request, response)
    nonce = public_cache.HttpResponse("x")
    nonce.lms_public = True
    nonce["Content-Security-Policy"] = "script-src 'self' 'nonce-abc'"
    assert not public_cache.is_storable(request, nonce)


def test_an_unknown_host_gets_the_usual_400(tree):
    visitor = Client(raise_request_exception=False)
    assert visitor.get("/", HTTP_HOST="evil.example").status_code == 400
    assert visitor.get("/login/", HTTP_HOST="evil.example").status_code == 400


def test_a_cache_that_fails_still_serves_the_page(client, tree):
    expected = client.get(tree.course.url).content.decode()
    broken = mock.Mock(**{f"{name}.side_effect": ConnectionError for name in ("get_many", "set")})
    with mock.patch.object(public_cache, "cache", broken):
        response = client.get(tree.course.url)
    assert response.status_code == 200 and response.content.decode() == expected


def test_a_visitor_switches_language_without_a_token(tree):
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    response = visitor.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert 'lang="en"' in visitor.get("/").content.decode()


def test_a_logged_in_user_still_needs_the_token_to_switch(tree):
    school = builders.build_school("lt")
    pupil = school.pupils_a[0]
    user_client = Client(enforce_csrf_checks=True)
    user_client.force_login(pupil)
    assert user_client.post("/language/", {"language": "en", "next": "/"}).status_code == 403
    html = user_client.get("/").content.decode()
    assert "csrfmiddlewaretoken" in html
    token = user_client.cookies["csrftoken"].value
    response = user_client.post(
        "/language/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    pupil.refresh_from_db()
    assert pupil.preferred_language == "en"


def cache_entries_hold(text: str) -> bool:
    """Does any stored public page hold the text? (LocMemCache in the tests: pickled values.)"""
    found = False
    for key, value in list(getattr(cache, "_cache", {}).items()):
        if "lms:public:" in key and public_cache.GENERATION_KEY not in key:
            _generation, (content, _headers) = pickle.loads(value)  # noqa: S301 (the test's own cache)
            found = found or text.encode() in content
    return found
