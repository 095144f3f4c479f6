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


@pytest.mark.django_db
def test_the_database_orders_names_as_surname_key():
    from lms.models import User
    from lms.names import surname_order

    for username, first, last, display in [
        ("yak", "Анна", "Яковлева", ""),
        ("yolkin", "Пётр", "Ёлкин", ""),
        ("elkina", "Вера", "Елкина", ""),
        ("avdeev_b", "Борис", "Авдеев", ""),
        ("avdeev_a", "Алексей", "Авдеев", ""),
        ("boris", "", "", "Боря"),  # a display name only: listed by it
        ("zhenya", "Женя", "", ""),  # a first name only
        ("vlad", "", "", ""),  # a login only
    ]:
        User.objects.create_user(username, first_name=first, last_name=last, display_name=display)
    people = User.objects.filter(is_superuser=False)
    in_python = [u.username for u in sorted(people, key=surname_key)]
    assert [u.username for u in people.order_by(*surname_order())] == in_python
    # A Latin login comes before Cyrillic names; then surname, first name; ё as е.
    assert in_python[:4] == ["vlad", "avdeev_a", "avdeev_b", "boris"]
    assert in_python.index("yolkin") < in_python.index("elkina") < in_python.index("yak")
