"""A title put inside a message's quotes without doubling them (lms.quotes, `quotes` library)."""

import pytest
from django.template import Context, Template
from django.utils import translation

from lms.quotes import inner_quotes


@pytest.mark.parametrize(
    ("title", "russian", "english"),
    [
        ("Угадай число", "Угадай число", "Угадай число"),
        ("Проект «Угадай число»", "Проект „Угадай число“", "Проект ‘Угадай число’"),
        ("«Умный город»", "Умный город", "Умный город"),  # the message puts its own quotes
        ("“Умный город”", "Умный город", "Умный город"),
        ('"Умный город"', "Умный город", "Умный город"),
        ("«Мяч» и «Кольцо»", "„Мяч“ и „Кольцо“", "‘Мяч’ и ‘Кольцо’"),  # not one pair
        ('Проект "Робот"', "Проект „Робот“", "Проект ‘Робот’"),
        ("Проект „Робот“", "Проект „Робот“", "Проект ‘Робот’"),
        ("Project “Robot”", "Project „Robot“", "Project ‘Robot’"),
        ("", "", ""),
    ],
)
def test_inner_quotes(title, russian, english):
    assert inner_quotes(title) == russian
    with translation.override("en"):
        assert inner_quotes(title) == english


def test_none_is_empty():
    assert inner_quotes(None) == ""


def test_a_message_with_a_quoted_title_has_no_doubled_quotes():
    source = (
        "{% load i18n quotes %}{% blocktranslate with title=title|inner_quotes %}"
        "The lesson “{{ title }}” is not available to you.{% endblocktranslate %}"
    )
    shown = Template(source).render(Context({"title": "Проект «Угадай число»"}))
    assert "«Проект „Угадай число“»" in shown
    assert "»»" not in shown


def test_the_filter_escapes_as_usual():
    shown = Template("{% load quotes %}{{ t|inner_quotes }}").render(Context({"t": "<b>«x»</b>"}))
    assert shown == "&lt;b&gt;„x“&lt;/b&gt;"
