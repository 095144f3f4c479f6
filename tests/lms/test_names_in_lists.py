"""Names in staff lists: "Фамилия Имя" (the `names` template library over lms.names), in the
pages that list pupils and teachers."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse

from lms.names import surname_key
from tests.builders import build_two_schools


def person(first="", last="", display="", username="login"):
    return SimpleNamespace(
        first_name=first, last_name=last, display_name=display, username=username
    )


def render(value) -> str:
    return Template("{% load names %}{{ p|surname_first }}").render(Context({"p": value}))


def test_the_filter_puts_the_surname_first():
    assert render(person("Софья", "Иванова", "Софья Иванова")) == "Иванова Софья"
    assert render(person(display="Соня", username="sonya")) == "Соня"
    assert render(person(username="sonya")) == "sonya"
    assert render(None) == ""
    assert render(person("<b>", "Иванова")) == "Иванова &lt;b&gt;"


def test_a_list_sorted_by_surname_key():
    people = [person("Пётр", "Ёлкин"), person("Анна", "Яковлева"), person("Борис", "Авдеев")]
    assert [p.last_name for p in sorted(people, key=surname_key)] == ["Авдеев", "Ёлкин", "Яковлева"]


@pytest.mark.django_db
def test_the_school_pupils_page_lists_surname_first(client):
    host = build_two_schools().host
    pupil = host.pupils_a[0]
    pupil.first_name, pupil.last_name, pupil.display_name = "Софья", "Иванова", "Софья Иванова"
    pupil.save()
    client.force_login(host.admin)
    page = client.get(reverse("school:pupils")).content.decode()
    assert "Иванова Софья" in page and "Софья Иванова" not in page


@pytest.mark.django_db
def test_the_group_page_lists_surname_first(client):
    host = build_two_schools().host
    pupil = host.pupils_a[0]
    pupil.first_name, pupil.last_name, pupil.display_name = "Софья", "Иванова", "Софья Иванова"
    pupil.save()
    client.force_login(host.teacher_a)
    page = client.get(reverse("teach:group", args=[host.group_a.pk])).content.decode()
    assert "Иванова Софья" in page and "Софья Иванова" not in page
