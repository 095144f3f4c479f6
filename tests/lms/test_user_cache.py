"""lms.user_cache: the logged-in user from the shared cache, never a stale or wrong one."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lms import generations, roles, user_cache
from lms.models import User
from tests import builders

pytestmark = pytest.mark.django_db

PAGE = "/learn/"


@pytest.fixture
def pupil():
    return builders.make_user("cached_pupil", roles.PUPIL, first_name="Аня", last_name="Орлова")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    client.get(PAGE)  # the login saved the user (last_login); this request caches the row
    return client


def user_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(PAGE).status_code == 200
    return sum('FROM "lms_user"' in q["sql"] and '"lms_user"."id" =' in q["sql"] for q in captured)


def test_the_users_row_is_read_once(pupil):
    client = logged_in(pupil)
    assert user_queries(client) == 0
    assert "Орлова" in client.get(PAGE).content.decode()


def test_a_renamed_user_is_seen_at_once(pupil):
    client = logged_in(pupil)
    pupil.last_name = "Соколова"
    pupil.save()
    assert "Соколова" in client.get(PAGE).content.decode()


def test_a_new_password_ends_the_other_sessions_at_once(pupil):
    other = logged_in(pupil)
    pupil.set_password("a-new-pw-123")
    pupil.save()
    response = other.get(PAGE)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_deactivated_account_is_logged_out_at_once(pupil):
    client = logged_in(pupil)
    pupil.is_active = False
    pupil.save()
    assert client.get(PAGE).status_code == 302


def test_a_deleted_account_is_logged_out(pupil):
    client = logged_in(pupil)
    pupil.delete()
    assert client.get(PAGE).status_code == 302


def test_an_entry_made_before_a_save_is_never_served(pupil):
    """The race: a request read the row, a save moved the token, then the request stored what
    it read. The stored copy carries the old token and is ignored."""
    client = logged_in(pupil)
    key, generation_key = user_cache._keys(pupil.pk)
    from django.core.cache import cache

    old_generation, cached = cache.get(key)
    generations.move(generation_key)  # a save elsewhere
    User.objects.filter(pk=pupil.pk).update(last_name="Новикова")  # the row as it is now
    cache.set(key, (old_generation, cached), 300)  # the late store of the old row
    assert "Новикова" in client.get(PAGE).content.decode()


def test_another_sessions_hash_is_checked_against_the_cached_row(pupil):
    client = logged_in(pupil)
    session = client.session
    session["_auth_user_hash"] = "0" * 64  # a session that does not match the password
    session.save()
    assert client.get(PAGE).status_code == 302  # Django's own check flushed it


def test_a_cache_that_is_down_still_logs_the_user_in(pupil):
    client = logged_in(pupil)
    broken = mock.Mock(**{f"{n}.side_effect": ConnectionError for n in ("get_many", "set")})
    with mock.patch.object(generations, "cache", broken):
        assert client.get(PAGE).status_code == 200
