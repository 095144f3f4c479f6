"""The load balancer's health check (lms.health): 200 while the node reaches its database, 503
when it does not; no login, no session, no cookie, never cached."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_answers_ok_without_a_session():
    response = Client().get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies  # no session, no CSRF cookie: a check every 2 s stores nothing


def test_head_is_enough_and_posts_are_refused():
    assert Client().head(reverse("healthz")).status_code == 200
    assert Client().post(reverse("healthz")).status_code == 405


def test_a_logged_in_user_gets_the_same_answer(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("someone", password="x" * 12))
    assert client.get(reverse("healthz")).content == b"ok\n"


def test_answers_503_when_the_database_is_unreachable():
    with mock.patch("lms.health.connection") as connection:
        connection.cursor.side_effect = OperationalError("server closed the connection")
        response = Client().get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content == b"unavailable\n"  # nothing about the database or the error
    connection.close_if_unusable_or_obsolete.assert_called_once()
