"""Forms of the teacher and school-admin pages. Every text field is validated here; the
templates escape what they show."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms.logins import login_key, login_problem, normalise_login
from lms.models import StudyGroup, User
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


class TeacherForm(PersonNameForm):
    email = forms.EmailField(label=_("E-mail"), required=False)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Table file"),
        help_text=_(
            "CSV (UTF-8 or Windows-1251, separated by ; or ,) or XLSX with the columns "
            "Фамилия, Имя and, if you like, Логин."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.LMS_ROSTER_MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(limit)d KB.")
                % {"limit": settings.LMS_ROSTER_MAX_BYTES // 1024}
            )
        return upload


class CardsForm(forms.Form):
    WHO_NEW = "new"
    WHO_ALL = "all"
    who = forms.ChoiceField(
        label=_("Cards for"),
        choices=[
            (WHO_NEW, _("Pupils who have never signed in")),
            (WHO_ALL, _("Every pupil of the group (their old passwords stop working)")),
        ],
        initial=WHO_NEW,
        widget=forms.RadioSelect,
    )


class InviteForm(forms.Form):
    days = forms.IntegerField(
        label=_("Valid for, days"), min_value=1, max_value=settings.LMS_INVITE_MAX_DAYS, initial=7
    )
    max_uses = forms.IntegerField(
        label=_("How many pupils may join"),
        min_value=1,
        max_value=settings.LMS_INVITE_MAX_USES,
        initial=30,
    )


class JoinForm(forms.Form):
    code = forms.CharField(label=_("Invite code"), max_length=32)


class EnrolForm(forms.Form):
    """Course and module ids are checked against what the user may enrol in by the view."""

    course = forms.IntegerField(widget=forms.HiddenInput)
    module = forms.IntegerField(widget=forms.HiddenInput, required=False)


class GroupForm(forms.ModelForm):
    class Meta:
        model = StudyGroup
        fields = ["name", "academic_year", "is_archived"]

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.instance.school = school

    def clean_name(self) -> str:
        name = clean_line(self.cleaned_data["name"])
        if not name:
            raise ValidationError(_("The group needs a name."))
        return name

    def clean_academic_year(self) -> str:
        value = self.cleaned_data["academic_year"].strip()
        match = re.fullmatch(r"(\d{4})/(\d{4})", value)
        if not match or int(match[2]) != int(match[1]) + 1:
            raise ValidationError(_("Write the academic year as 2026/2027."))
        return value

    def clean(self):
        # The school is not a form field, so Django's unique check would skip this constraint.
        data = super().clean()
        name, year = data.get("name"), data.get("academic_year")
        if name and year:
            clash = StudyGroup.objects.filter(school=self.school, name=name, academic_year=year)
            if clash.exclude(pk=self.instance.pk).exists():
                self.add_error(
                    "name", _("Your school already has a group with this name this year.")
                )
        return data


class GroupTeachersForm(forms.Form):
    teachers = forms.ModelMultipleChoiceField(
        label=_("Teachers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers
        self.fields["teachers"].label_from_instance = lambda u: (
            f"{u.get_display_name()} ({u.username})"
        )


class GrantForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Group of your school"), queryset=StudyGroup.objects.none()
    )
    teacher_login = forms.CharField(label=_("Login of the other school's teacher"), max_length=150)
    reason = forms.CharField(
        label=_("Why (for example: joint robotics event on 12 December)"), max_length=300
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
