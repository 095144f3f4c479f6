"""A pupil replaces the password from the login card with their own."""

import pytest
from django.urls import reverse

from tests import builders

pytestmark = pytest.mark.django_db


def test_a_pupil_changes_the_card_password(client):
    pupil = builders.make_user("pupil_pw", "Pupil")
    client.cookies["django_language"] = "en"
    client.force_login(pupil)
    url = reverse("change_password")
    assert client.get(url).status_code == 200

    wrong = client.post(
        url,
        {
            "old_password": "nope",
            "new_password1": "kot-i-luna-77",
            "new_password2": "kot-i-luna-77",
        },
    )
    assert wrong.status_code == 200
    assert "incorrectly" in wrong.content.decode()

    mismatch = client.post(
        url,
        {"old_password": "pw-12345", "new_password1": "kot-i-luna-77", "new_password2": "other"},
    )
    assert mismatch.status_code == 200
    pupil.refresh_from_db()
    assert pupil.check_password("pw-12345")

    done = client.post(
        url,
        {
            "old_password": "pw-12345",
            "new_password1": "kot-i-luna-77",
            "new_password2": "kot-i-luna-77",
        },
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("courses:my_courses")
    assert "Your password has been changed." in done.content.decode()
    pupil.refresh_from_db()
    assert pupil.check_password("kot-i-luna-77")
    # Still signed in: the session survives the change.
    assert client.get(reverse("courses:my_courses")).status_code == 200


def test_anonymous_is_sent_to_the_login_page(client):
    response = client.get(reverse("change_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
