"""While the database is out of reach (restarting, failing over) a page answers 503 with a
"send it again in a moment" page and Retry-After, not a 500; other errors stay 500."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)  # the error page is the answer under test


@pytest.mark.parametrize(
    "error",
    [OperationalError("server closed the connection unexpectedly"), InterfaceError("closed")],
)
def test_a_lost_database_is_a_503_with_a_retry_page(visitor, error):
    builders.build_course("outage", modules=1, lessons=1)
    with mock.patch("courses.services.catalogue_courses", side_effect=error):
        response = visitor.get(builders.catalogue_page().url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Ваша работа не потеряна" in html and "отправьте её ещё раз" in html


def test_another_error_is_still_a_500(visitor):
    builders.build_course("broken", modules=1, lessons=1)
    with mock.patch("courses.services.catalogue_courses", side_effect=ValueError("bug")):
        response = visitor.get(builders.catalogue_page().url)
    assert response.status_code == 500
    assert "Retry-After" not in response
