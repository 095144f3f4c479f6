"""Logins: normalised (NFKC) whichever way an account is made, compared case-insensitively and
look-alike-insensitively on every database, look-alikes refused."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from lms.admin import UserCreationForm
from lms.logins import login_key, login_problem, normalise_login
from lms.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("ｐｕｐｉｌ１", "pupil1"), ("  pupil1 ", "pupil1"), ("𝐩𝐮𝐩𝐢𝐥1", "pupil1"), ("ﬁsh", "fish")],
)
def test_logins_are_stored_nfkc(typed, stored):
    assert normalise_login(typed) == stored


@pytest.mark.parametrize(
    "spelling", ["Teacher1", "TEACHER1", "ｔｅａｃｈｅｒ１", "tеacher1", "tеаchеr1", "ΤΕΑCHΕR1"]
)
def test_look_alikes_have_the_same_key(spelling):
    assert login_key(spelling) == login_key("teacher1")


@pytest.mark.parametrize(
    ("login", "fragment"),
    [
        ("tеacher1", "may not mix"),  # Cyrillic е
        ("pupil one", "only letters"),
        ("pupil<1>", "only letters"),
        ("ученик1", None),  # all Cyrillic is fine
        ("pupil_1.a+b@c-d", None),
        ("学生", "Latin or Cyrillic"),
        ("x" * 151, "at most 150"),
    ],
)
def test_login_problems(login, fragment):
    with translation.override("en"):
        problem = login_problem(login)
    if fragment is None:
        assert problem is None
    else:
        assert fragment in problem


@pytest.mark.parametrize("path", ["create", "create_user", "bulk_create", "save"])
def test_every_way_of_making_an_account_normalises_the_login(path):
    typed = "ＰＵＰＩＬ７"
    if path == "create":
        User.objects.create(username=typed)
    elif path == "create_user":
        User.objects.create_user(username=typed, password="x")
    elif path == "bulk_create":
        User.objects.bulk_create([User(username=typed)])
    else:
        user = User(username="tmp")
        user.save()
        user.username = typed
        user.save()
    user = User.objects.get()
    assert (user.username, user.login_key) == ("PUPIL7", "pupil7")


def test_a_second_account_with_the_same_key_is_refused_by_the_database():
    User.objects.create(username="ivanov")
    for spelling in ("Ivanov", "ІVANОV", "ｉｖａｎｏｖ"):
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.create(username=spelling)
        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.bulk_create([User(username=spelling)])


def test_admin_forms_report_a_look_alike_as_taken_not_a_500():
    User.objects.create(username="teacher1")
    form = UserCreationForm(
        data={"username": "Teacher1", "password1": "x-long-pass-1", "password2": "x-long-pass-1"}
    )
    assert not form.is_valid()
    assert "username" in form.errors
    with pytest.raises(ValidationError):
        User(username="tеacher1").full_clean()  # mixed scripts


@pytest.mark.parametrize("typed", ["Pupil1", "PUPIL1", "ｐｕｐｉｌ１", "рupil1"])
def test_signing_in_ignores_case_width_and_keyboard_layout(typed):
    User.objects.create_user(username="pupil1", password="pw-12345")
    user = authenticate(username=typed, password="pw-12345")
    assert user is not None and user.username == "pupil1"


def test_the_migration_keeps_old_clashing_logins_apart():
    """Accounts made before keys existed: "Ivanov" beside "ivanov" keep their exact logins."""
    first = User.objects.create(username="ivanov")
    second = User.objects.create(username="tmp-second")
    User.objects.filter(pk=second.pk).update(username="Ivanov", login_key="old-2")
    User.objects.filter(pk=first.pk).update(login_key="old-1")
    migration = importlib.import_module("lms.migrations.0005_login_keys_filled")
    migration.fill_login_keys(apps, None)
    keys = dict(User.objects.values_list("username", "login_key"))
    assert keys == {"ivanov": "ivanov", "Ivanov": f"ivanov#{second.pk}"}
    second.set_password("pw-12345")
    User.objects.filter(pk=second.pk).update(password=second.password)
    assert authenticate(username="Ivanov", password="pw-12345").pk == second.pk
