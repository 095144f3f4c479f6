"""After logging in each role lands where its work is (lms.landing); an explicit same-site
?next= wins, another site's never does."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from lms import landing, roles
from lms.models import User
from tests import builders

pytestmark = pytest.mark.django_db

PUPILS = "/learn/"
TEACH = "/teach/"
SCHOOL = "/school/"
ADMIN = "/admin/"


def user_with(*role_names: str, login: str = "someone") -> User:
    return builders.make_user(login, *role_names)


@pytest.mark.parametrize(
    ("role_names", "expected"),
    [
        ((roles.PUPIL,), PUPILS),
        ((roles.TEACHER,), TEACH),
        ((roles.METHODOLOGIST,), ADMIN),
        ((roles.TEACHER, roles.METHODOLOGIST), TEACH),  # groups to teach come first
        ((), PUPILS),  # no role at all: the default page
    ],
)
def test_each_role_lands_on_its_page(role_names, expected):
    assert landing.landing_url(user_with(*role_names)) == expected


def test_a_school_admin_lands_on_the_school_page(school):
    assert landing.landing_url(school.admin) == SCHOOL
    school.admin.groups.add(*school.teacher_a.groups.all())  # who also teaches
    school.admin._lms_roles = None
    assert landing.landing_url(User.objects.get(pk=school.admin.pk)) == SCHOOL


def test_a_school_admin_without_a_school_is_not_sent_to_the_school_page():
    # is_school_admin needs the account's school: without one /school/ would answer 404.
    assert landing.landing_url(user_with(roles.SCHOOL_ADMIN)) == PUPILS
    assert landing.landing_url(user_with(roles.SCHOOL_ADMIN, roles.TEACHER, login="other")) == TEACH


def test_superusers_land_in_the_admin_and_anonymous_on_the_default():
    root = User.objects.create_superuser("root", password="pw-12345")
    assert landing.landing_url(root) == ADMIN
    assert landing.landing_url(AnonymousUser()) == PUPILS


def test_landing_pages_are_settings(settings):
    settings.LMS_LANDING_PAGES = {"teacher": "courses:my_courses"}
    assert landing.landing_url(user_with(roles.TEACHER)) == PUPILS


def login(client, username, next_url=None):
    url = reverse("login") + (f"?next={next_url}" if next_url is not None else "")
    return client.post(url, {"username": username, "password": "pw-12345"})


@pytest.mark.parametrize(
    ("who", "expected"),
    [("teacher_a", TEACH), ("admin", SCHOOL), ("pupils_a", PUPILS)],
)
def test_logging_in_lands_by_role(client, school, who, expected):
    user = getattr(school, who)
    user = user[0] if isinstance(user, list) else user
    response = login(client, user.username)
    assert response.status_code == 302
    assert response.url == expected


def test_a_same_site_next_wins(client, school):
    response = login(client, school.teacher_a.username, next_url="/work/notifications/")
    assert response.url == "/work/notifications/"


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/teach/",
        "https:/evil.example",
        "javascript:alert(1)",
    ],
)
def test_another_sites_next_is_ignored(client, school, next_url):
    response = login(client, school.teacher_a.username, next_url=next_url)
    assert response.status_code == 302
    assert response.url == TEACH


def test_a_logged_in_teacher_opening_the_login_page_goes_to_their_page(client, school):
    client.force_login(school.teacher_a)
    response = client.get(reverse("login"))
    assert response.status_code == 302 and response.url == TEACH
    response = client.get(reverse("login") + "?next=/work/notifications/")
    assert response.url == "/work/notifications/"


def test_a_wrong_password_stays_on_the_login_page(client, school):
    response = client.post(
        reverse("login"), {"username": school.teacher_a.username, "password": "wrong"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_after_a_password_change_a_teacher_is_back_on_their_page(client, school):
    client.force_login(school.teacher_a)
    response = client.post(
        reverse("change_password"),
        {
            "old_password": "pw-12345",
            "new_password1": "kot-i-luna-77",
            "new_password2": "kot-i-luna-77",
        },
    )
    assert response.status_code == 302 and response.url == TEACH
