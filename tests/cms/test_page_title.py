"""The <title> of a page: "Уроки · Технопарк", and the home page just "Технопарк"."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests.builders import home_page


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def render(block: str) -> str:
    return Template(
        "{% load i18n page_title %}{% filter with_site_name %}" + block + "{% endfilter %}"
    ).render(Context({"name": "<b>"}))


def test_a_page_title_is_followed_by_the_site_name():
    assert render("Уроки") == "Уроки · Технопарк"
    with translation.override("en"):
        assert render("Lessons") == "Lessons · Technopark"


def test_the_site_name_is_not_repeated_and_an_empty_title_is_the_site_name():
    assert render("Технопарк") == "Технопарк"
    assert render("  Технопарк \n") == "Технопарк"
    assert render("") == "Технопарк"
    assert render("   ") == "Технопарк"
    with translation.override("en"):
        assert render("") == "Technopark"
        assert render("Технопарк") == "Технопарк"  # the home page's own (Russian) title


def test_the_title_stays_escaped():
    assert render("{{ name }} · Группа") == "&lt;b&gt; · Группа · Технопарк"


@pytest.mark.django_db
def test_the_home_page_title_is_the_site_name_once(client):
    home = home_page()
    home.title = "Технопарк"
    home.seo_title = ""
    home.save_revision().publish()
    assert title_of(client.get(home.url).content.decode()) == "Технопарк"


@pytest.mark.django_db
def test_a_plain_page_title(client):
    assert title_of(client.get(reverse("login")).content.decode()) == "Войти · Технопарк"
