"""Logging in as a child: a login card's QR code opens the login page with the login filled in
(never the password); a wrong password is said in plain words naming the field as the page
does ("Login"); a new password is set only after a confirmation; /join/ explains invite codes
to a visitor and offers the login."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from lms import login_cards, qr
from lms.forms import LoginForm
from tests import builders

pytestmark = pytest.mark.django_db

LOGIN_URL = "http://testserver/login/"


def username_input(html: str) -> str:
    return re.search(r'<input id="id_username"[^>]*>', html).group(0)


def password_input(html: str) -> str:
    return re.search(r'<input id="id_password"[^>]*>', html).group(0)


# --- The QR code on a login card ------------------------------------------------------------


def test_the_link_fills_in_the_login_only():
    assert login_cards.login_link(LOGIN_URL, "ivanova.maria") == (
        "http://testserver/login/?username=ivanova.maria"
    )


def test_a_hostile_login_is_encoded_in_the_link_and_never_markup_in_the_svg():
    hostile = '"><script>alert(1)</script>'
    link = login_cards.login_link(LOGIN_URL, hostile)
    assert "<" not in link and '"' not in link
    svg = str(login_cards.login_qr(LOGIN_URL, hostile))
    assert svg.startswith("<svg") and "viewBox" in svg
    assert "script" not in svg and "alert" not in svg
    assert svg == qr.svg(link, scale=4, fluid=True)  # the picture is of that link, nothing else


def test_every_printed_card_carries_its_own_qr_code(en, school):
    en.force_login(school.teacher_a)
    response = en.post(
        reverse("teach:issue_cards", args=[school.group_a.pk]), {"who": "all"}, follow=True
    )
    html = response.content.decode()
    cards = response.context["cards"]
    assert len(cards) == 2
    assert html.count('<figure class="card-qr">') == len(cards)
    for card in cards:
        expected = str(login_cards.login_qr(LOGIN_URL, card.username))
        assert expected in html
        # The password is on the card, never in the code.
        assert str(login_cards.login_qr(LOGIN_URL, card.password)) not in html
    assert "QR code: opens the login page with this login filled in" in html


def test_a_school_admins_cards_carry_qr_codes_too(en, school):
    en.force_login(school.admin)
    response = en.post(
        reverse("school:reset_teacher_password", args=[school.teacher_a.pk]), follow=True
    )
    html = response.content.decode()
    assert str(login_cards.login_qr(LOGIN_URL, school.teacher_a.username)) in html


# --- The login page filled in from the link -------------------------------------------------


def test_the_login_page_fills_in_the_login_from_the_link(en):
    html = en.get(reverse("login"), {"username": "ivanova.maria"}).content.decode()
    assert 'value="ivanova.maria"' in username_input(html)
    # The cursor waits in the password field, which is never filled in.
    assert "autofocus" in password_input(html) and "autofocus" not in username_input(html)
    assert "value=" not in password_input(html)
    assert "Your login is filled in." in html


def test_without_a_login_the_login_field_has_the_focus(en):
    html = en.get(reverse("login")).content.decode()
    assert 'value=""' in username_input(html) and "autofocus" in username_input(html)
    assert "Your login is filled in." not in html


def test_a_password_in_the_link_is_ignored(en):
    html = en.get(reverse("login"), {"username": "petrov", "password": "sekret-12345"})
    form = html.content.decode().split('<section class="card login-card">')[1]
    assert "sekret-12345" not in form.split("</section>")[0]


def test_markup_in_the_link_is_escaped(en):
    hostile = '"><script>alert(1)</script>'
    html = en.get(reverse("login"), {"username": hostile}).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in username_input(html)


@pytest.mark.parametrize(
    "value", ["x" * 10_000, "x" * 151, "a\x00b", "a\nb", "   ", "a\u202eb"]
)  # fmt: skip
def test_what_no_login_could_be_is_ignored(en, value):
    response = en.get(reverse("login"), {"username": value})
    assert response.status_code == 200
    assert 'value=""' in username_input(response.content.decode())
    assert len(response.content) < 20_000


def test_login_from_link_accepts_a_login_of_the_longest_length():
    assert LoginForm.login_from_link(" " + "x" * 150 + " ") == "x" * 150


def test_a_logged_in_user_following_a_card_link_is_sent_on(client, school):
    client.force_login(school.pupils_a[0])
    response = client.get(reverse("login"), {"username": school.pupils_a[0].username})
    assert response.status_code == 302


# --- A wrong password -----------------------------------------------------------------------


def test_a_wrong_password_is_said_in_plain_words_with_the_fields_name(en, school):
    pupil = school.pupils_a[0]
    response = en.post(reverse("login"), {"username": pupil.username, "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Wrong login or password." in html
    assert "username" not in html.split('id="login-errors"')[1].split("</div>")[0]
    assert f'value="{pupil.username}"' in username_input(html)  # the login stays typed in
    assert "value=" not in password_input(html)
    assert 'aria-invalid="true"' in password_input(html)


def test_the_russian_page_never_says_username(client, school):
    response = client.post(
        reverse("login"), {"username": school.pupils_a[0].username, "password": "wrong"}
    )
    html = response.content.decode()
    assert "имя пользователя" not in html.lower()
    assert 'id="login-errors"' in html


def test_an_empty_form_says_which_field_is_missing(en):
    html = en.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    errors = html.split('id="login-errors"')[1].split("</div>")[0]
    assert "Login:" in errors and "Password:" in errors


def test_the_right_password_still_logs_in(school):
    response = Client().post(
        reverse("login"), {"username": school.pupils_a[0].username, "password": "pw-12345"}
    )
    assert response.status_code == 302


# --- A new password asks first --------------------------------------------------------------


def test_the_teachers_new_password_button_asks_first(en, school):
    pupil = school.pupils_a[0]
    url = reverse("teach:reset_password", args=[school.group_a.pk, pupil.pk])
    en.force_login(school.teacher_a)
    group_page = en.get(reverse("teach:group", args=[school.group_a.pk])).content.decode()
    assert f'href="{url}"' in group_page  # a link to the question, not a form that acts
    assert f'action="{url}"' not in group_page
    response = en.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Set a new password?" in html and pupil.username in html
    assert re.search(r'<form method="post"[^>]*>', html)  # posts back to this very URL
    assert 'href="/teach/groups/' in html  # "Cancel" goes back to the group
    pupil.refresh_from_db()
    assert pupil.check_password("pw-12345")  # asking changes nothing
    response = en.post(url)
    assert response.status_code == 302 and "/cards/" in response["Location"]
    pupil.refresh_from_db()
    assert not pupil.check_password("pw-12345")


def test_the_school_admins_new_password_buttons_ask_first(en, school):
    en.force_login(school.admin)
    pupil, teacher = school.pupils_a[0], school.teacher_a
    for url, page, account in (
        (reverse("school:reset_pupil_password", args=[pupil.pk]), "school:pupils", pupil),
        (reverse("school:reset_teacher_password", args=[teacher.pk]), "school:home", teacher),
    ):
        listing = en.get(reverse(page)).content.decode()
        assert f'href="{url}"' in listing and f'action="{url}"' not in listing
        response = en.get(url)
        assert response.status_code == 200
        assert account.get_display_name() in response.content.decode()
        account.refresh_from_db()
        assert account.check_password("pw-12345")
        assert en.post(url).status_code == 302
        account.refresh_from_db()
        assert not account.check_password("pw-12345")


def test_the_question_is_not_asked_about_someone_out_of_reach(en, two_schools):
    host, visiting = two_schools.host, two_schools.visiting
    en.force_login(visiting.admin)
    assert (
        en.get(reverse("school:reset_pupil_password", args=[host.pupils_a[0].pk])).status_code
        == 404
    )
    assert (
        en.get(reverse("school:reset_teacher_password", args=[host.teacher_a.pk])).status_code
        == 404
    )
    en.force_login(host.teacher_a)
    other_group = reverse("teach:reset_password", args=[host.group_a.pk, host.pupils_b[0].pk])
    assert en.get(other_group).status_code == 404


def test_a_refused_reset_is_not_asked_either(en, school):
    """A teacher may not reset a fellow teacher who is also in the group as a pupil."""
    from lms.models import Membership

    fellow = school.teacher_b
    Membership.objects.create(user=fellow, group=school.group_a, role=Membership.Role.PUPIL)
    en.force_login(school.teacher_a)
    url = reverse("teach:reset_password", args=[school.group_a.pk, fellow.pk])
    response = en.get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("teach:group", args=[school.group_a.pk])


def test_names_on_the_question_are_escaped(en, school):
    pupil = builders.make_user("evil", "Pupil", school=school.school)
    pupil.first_name, pupil.display_name = "<b>x</b>", "<script>alert(1)</script>"
    pupil.save()
    from lms.models import Membership

    Membership.objects.create(user=pupil, group=school.group_a, role=Membership.Role.PUPIL)
    en.force_login(school.teacher_a)
    html = en.get(reverse("teach:reset_password", args=[school.group_a.pk, pupil.pk]))
    assert "<script>alert(1)</script>" not in html.content.decode()


# --- /join/ for a visitor -------------------------------------------------------------------


def test_a_visitor_on_join_reads_about_codes_and_can_log_in(en):
    response = en.get(reverse("join"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "An invite code puts your account into your teacher's study group." in html
    assert 'href="/login/?next=/join/"' in html
    assert 'name="code"' in html


def test_a_visitor_typing_a_code_is_sent_to_log_in_first(en, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the code is not looked up before the login
        response = en.post(reverse("join"), {"code": "ab-cd 12"})
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/join/ABCD12/"


@pytest.mark.parametrize("code", ["", "x", "<script>alert(1)</script>", "y" * 10_000])
def test_a_visitor_typing_nonsense_gets_a_message(en, code):
    response = en.post(reverse("join"), {"code": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'class="field-error"' in html


def test_a_logged_in_pupil_keeps_the_plain_code_form(en, school):
    en.force_login(school.pupils_a[0])
    html = en.get(reverse("join")).content.decode()
    assert "Type the code your teacher gave you." in html
    assert "An invite code puts your account" not in html
