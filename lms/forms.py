"""People forms: logging in, a person's name and login (for a pupil or a teacher) and the invite
code. Every text field is validated here; the templates escape what they show."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.logins import login_key, login_problem, normalise_login
from lms.models import User
from lms.roster import LOGIN_UNAVAILABLE, name_problem
from lms.text import clean_line


class PersonNameForm(forms.Form):
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    login = forms.CharField(
        label=_("Login"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to make one from the name."),
    )

    def clean_last_name(self) -> str:
        return self._clean_name("last_name")

    def clean_first_name(self) -> str:
        return self._clean_name("first_name")

    def _clean_name(self, key: str) -> str:
        value = clean_line(self.cleaned_data[key])
        problem = name_problem(value)
        if problem:
            raise ValidationError(problem)
        return value

    def clean_login(self) -> str:
        login = normalise_login(self.cleaned_data["login"])
        if not login:
            return ""
        problem = login_problem(login)
        if problem:
            raise ValidationError(problem)
        # One answer for every account, whatever its school: the form must not tell a
        # teacher which logins exist elsewhere.
        if User.objects.filter(login_key=login_key(login)).exists():
            raise ValidationError(LOGIN_UNAVAILABLE)
        return login


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Invite code"), max_length=32)


class LoginForm(AuthenticationForm):
    """Django's login form in the words of our page: its field is called "Login" (Django's own
    message says "username", which the page never shows) and the message says what to check."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong login or password. Check the login on your card and type the password "
            "again: capital and small letters in it are different."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Login")

    @staticmethod
    def login_from_link(text: str) -> str:
        """The login a card's QR code puts in `?username=`, to fill the field in; "" for
        anything no login could be (too long, control characters). Never a password."""
        text = text.strip()
        if not text or len(text) > User._meta.get_field("username").max_length:
            return ""
        if not text.isprintable():
            return ""
        return text
