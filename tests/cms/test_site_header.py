"""The header every page shows (cms/templatetags/site_header.py): the menu each reader gets,
the 🔔 count, the languages, and every text in it escaped."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.template import RequestContext, Template
from django.test import RequestFactory
from django.utils import translation

from assessments import notifications
from lms import roles
from tests import builders

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>'


def header(user, path: str = "/", extra: dict | None = None, unread: int = 0) -> str:
    request = RequestFactory().get(path)
    request.user = user
    if user.is_authenticated:  # the count the 🔔 reads (assessments.notifications)
        cache.set(notifications.unread_cache_key(user.pk), unread)
    context = RequestContext(request, extra or {})
    return Template("{% load site_header %}{% site_header %}").render(context)


def links(html: str) -> list[str]:
    nav = re.search(r'<nav class="main-nav".*?</nav>', html).group(0)
    return re.findall(r">([^<>]+)</a>", nav)


def test_a_visitor_gets_a_login_link_back_here_and_no_csrf_field():
    html = header(AnonymousUser(), path="/курсы/a b/")
    assert 'href="/login/?next=/%D0%BA%D1%83%D1%80%D1%81%D1%8B/a%20b/"' in html
    assert "csrfmiddlewaretoken" not in html  # a visitor's page is cached whole
    assert "Мои курсы" not in html and "bell" not in html
    assert html.startswith('<header class="site-header">') and html.endswith("</header>")


def test_a_pupil_and_a_teacher_see_their_own_menus(two_schools):
    host = two_schools.host
    pupil_menu = links(header(host.pupils_a[0], path="/learn/"))
    assert "Мои курсы" in pupil_menu and "Мои оценки" in pupil_menu
    assert "Мои группы" not in pupil_menu and "Школа" not in pupil_menu
    teacher_menu = links(header(host.teacher_a))
    assert "Мои группы" in teacher_menu and "Мои оценки" not in teacher_menu
    admin = builders.make_user("adm", roles.SCHOOL_ADMIN, school=host.school)
    assert "Школа" in links(header(admin))
    html = header(host.pupils_a[0], path="/learn/")
    assert '<a href="/learn/" aria-current="page">Мои курсы</a>' in html
    assert html.count("csrfmiddlewaretoken") == 2  # the language form and log out


def test_the_bell_counts_up_to_99(two_schools):
    pupil = two_schools.host.pupils_a[0]
    assert "bell-count" not in header(pupil, unread=0)
    three = header(pupil, unread=3)
    assert '<span class="bell-count" aria-hidden="true">3</span>' in three
    assert "Уведомления: 3 непрочитанных" in three
    many = header(pupil, unread=100)
    assert ">99+<" in many and "больше 99 непрочитанных" in many


def test_every_text_is_escaped(two_schools):
    pupil = two_schools.host.pupils_a[0]
    pupil.username = "x" + HOSTILE
    pupil.first_name, pupil.last_name = HOSTILE, HOSTILE
    html = header(pupil, path="/search/", extra={"query": HOSTILE})
    assert "<script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html  # the search words
    assert "&lt;script&gt;" in html.split('class="user-name"')[1]


def test_the_languages_and_english_labels(two_schools):
    with translation.override("en"):
        html = header(two_schools.host.pupils_a[0])
    assert 'class="lang is-current" aria-current="true" lang="en"' in html
    assert 'value="ru" class="lang" lang="ru"' in html
    assert "My courses" in links(html) and ">Log out<" in html
