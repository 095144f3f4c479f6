"""Demo accounts carry a first name and a surname, so the teachers' lists read like a class
register ("Иванова Софья", by surname) for the demo as for imported pupils."""

import pytest
from django.urls import reverse

from demo import manifests
from demo.people import ensure_people, split_name
from lms.models import User


def test_a_name_splits_into_first_name_and_surname():
    assert split_name("Артём Кузнецов") == ("Артём", "Кузнецов")
    assert split_name("Елена Викторовна Смирнова") == ("Елена Викторовна", "Смирнова")
    assert split_name("  Роза  ") == ("Роза", "")
    assert split_name("") == ("", "")


@pytest.mark.django_db
def test_demo_pupils_and_staff_have_first_names_and_surnames():
    ensure_people(manifests.people())
    pupil = User.objects.get(username="pupil2")
    assert (pupil.first_name, pupil.last_name, pupil.display_name) == (
        "Софья",
        "Иванова",
        "Софья Иванова",
    )
    methodist = User.objects.get(username="methodist")
    assert (methodist.first_name, methodist.last_name) == ("Елена Викторовна", "Смирнова")
    # The platform administrator's name is a role's: nothing to split.
    admin = User.objects.get(username="admin")
    assert (admin.first_name, admin.last_name) == ("", "")
    assert admin.display_name == "Администратор платформы"


@pytest.mark.django_db
def test_reloading_gives_existing_accounts_their_names_and_keeps_the_rest():
    data = manifests.people()
    # An account as an earlier demo made it: a display name only, and a password of its own.
    old = User.objects.create_user("pupil1", password="changed-1", display_name="Артём Кузнецов")
    ensure_people(data)
    old.refresh_from_db()
    assert (old.first_name, old.last_name) == ("Артём", "Кузнецов")
    assert old.display_name == "Артём Кузнецов"
    assert old.check_password("changed-1")
    ensure_people(data)
    assert User.objects.filter(username="pupil1").count() == 1


def positions(page: str, shown: list[str]) -> list[int]:
    found = [page.find(name) for name in shown]
    assert -1 not in found, dict(zip(shown, found, strict=True))
    return found


@pytest.mark.django_db
def test_teachers_and_the_school_admin_see_demo_pupils_by_surname(client):
    ensure_people(manifests.people())
    client.force_login(User.objects.get(username="teacher1"))
    group = User.objects.get(username="pupil1").memberships.get().group
    page = client.get(reverse("teach:group", args=[group.pk])).content.decode()
    register = ["Иванова Софья", "Кузнецов Артём", "Морозов Лев", "Попова Алиса", "Соколов Максим"]
    assert positions(page, register) == sorted(positions(page, register))
    assert "Артём Кузнецов" not in page

    client.force_login(User.objects.get(username="host_admin"))
    page = client.get(reverse("school:pupils")).content.decode()
    register = [
        "Егоров Тимофей",
        "Иванова Софья",
        "Кузнецов Артём",
        "Лебедева Варвара",
        "Морозов Лев",
        "Новикова Ева",
        "Попова Алиса",
        "Соколов Максим",
        "Фёдоров Матвей",
    ]
    assert positions(page, register) == sorted(positions(page, register))
