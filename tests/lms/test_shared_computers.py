"""Shared classroom computers: pupils' sessions end with the browser and after an idle time; login
throttling counts per login (a class behind one NAT does not lock itself out), waits grow, and the
message is in Russian."""

import time

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings
from django.urls import reverse

from lms import shared_computers, throttling

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(school):
    return school


def sign_in(client: Client, username: str, password: str = "pw-12345"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_pupils_session_ends_with_the_browser(client, world):
    sign_in(client, world.pupils_a[0].username)
    assert client.session.get_expire_at_browser_close()
    assert client.cookies["sessionid"]["expires"] == ""


def test_a_teachers_session_is_not_cut_short(client, world):
    sign_in(client, world.teacher_a.username)
    assert not client.session.get_expire_at_browser_close()
    assert shared_computers.SESSION_IDLE_LIMIT not in client.session


@override_settings(LMS_PUPIL_IDLE_MINUTES=30)
def test_an_idle_pupil_is_signed_out(client, world):
    sign_in(client, world.pupils_a[0].username)
    assert client.get(reverse("courses:my_courses")).status_code == 200
    session = client.session
    session[shared_computers.SESSION_LAST_SEEN] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("courses:my_courses"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("courses:my_courses")).status_code == 302  # stays signed out


def test_an_active_pupil_stays_signed_in_and_the_session_is_not_saved_each_time(client, world):
    sign_in(client, world.pupils_a[0].username)
    session = client.session
    session[shared_computers.SESSION_LAST_SEEN] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("courses:my_courses")).status_code == 200
    seen = client.session[shared_computers.SESSION_LAST_SEEN]
    assert time.time() - seen < 5
    client.get(reverse("courses:my_courses"))
    assert client.session[shared_computers.SESSION_LAST_SEEN] == seen  # within the minute


def test_the_login_page_says_how_to_leave_a_shared_computer(client):
    page = client.get(reverse("login")).content.decode()
    assert "30" in page and 'class="login-hint"' in page


def test_waits_grow_with_each_further_failure(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.LMS_LOGIN_FIRST_WAIT_MINUTES = 1
    settings.LMS_LOGIN_MAX_WAIT_MINUTES = 60
    minutes = [throttling.wait_for(n).total_seconds() / 60 for n in (0, 5, 6, 7, 8, 20)]
    assert minutes == [1, 1, 2, 4, 8, 60]


@override_settings(AXES_ENABLED=True)
def test_a_locked_login_does_not_lock_the_classmates_behind_the_same_nat(world):
    victim, classmate = world.pupils_a
    for _ in range(4):
        sign_in(Client(REMOTE_ADDR="10.0.0.1"), victim.username.upper(), "wrong")
    locked = sign_in(Client(REMOTE_ADDR="10.0.0.1"), victim.username, "wrong")  # the fifth
    assert locked.status_code == 429
    assert "Слишком много попыток" in locked.content.decode()
    assert "1 минуту" in locked.content.decode()
    assert AccessAttempt.objects.get().username == victim.username  # counted by login key
    assert sign_in(Client(REMOTE_ADDR="10.0.0.1"), classmate.username).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_the_wait_doubles_when_guessing_goes_on(world):
    victim = world.pupils_a[0]
    for _ in range(7):
        sign_in(Client(), victim.username, "wrong")
    # Every attempt before the wait is over counts, whatever the password: the eighth waits 8.
    page = sign_in(Client(), victim.username, "pw-12345").content.decode()
    assert "8 минут" in page
