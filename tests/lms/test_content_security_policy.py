"""Content-Security-Policy (security issue, findings 10 and 12): no inline script anywhere on the
site, pictures only from the site itself; the admin keeps what Wagtail needs."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        part.split()[0]: part.split()[1:] for part in (p.strip() for p in header.split(";")) if part
    }


@pytest.fixture
def world(two_schools):
    return two_schools


def site_pages(world) -> list[tuple[object, str]]:
    lesson = world.tree.lessons[0]
    host = world.host
    return [
        (None, "/"),
        (None, reverse("login")),
        (host.pupils_a[0], lesson.url),
        (host.pupils_a[0], reverse("courses:my_courses")),
        (host.teacher_a, reverse("teach:group", args=[host.group_a.pk])),
        (host.admin, reverse("school:home")),
    ]


def test_site_pages_allow_no_inline_script_and_no_foreign_pictures(client, world):
    for user, url in site_pages(world):
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        assert "'unsafe-inline'" not in directives["script-src"], url
        assert directives["img-src"] == ["'self'", "data:"], url
        assert directives["object-src"] == ["'none'"]
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html)
        assert inline == [], (url, inline)  # every script is a file (or would carry a nonce)
        assert not re.search(r"\son[a-z]+=", html), url  # no inline event handlers


def test_the_admin_keeps_inline_scripts_without_a_nonce(client, world):
    client.force_login(world.methodologist)
    response = client.get("/admin/")
    directives = policy(response)
    assert "'unsafe-inline'" in directives["script-src"]
    assert not any(value.startswith("'nonce-") for value in directives["script-src"])


def test_a_template_that_asks_for_a_nonce_gets_one_in_the_header(rf):
    from django.http import HttpResponse

    from lms.csp import SiteCSPMiddleware

    request = rf.get("/learn/")
    middleware = SiteCSPMiddleware(lambda r: HttpResponse(f"<script nonce='{r.csp_nonce}'>"))
    middleware.process_request(request)
    response = middleware.process_response(request, middleware.get_response(request))
    nonce = str(request.csp_nonce)
    assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
