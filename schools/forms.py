"""Forms of the school admin's pages. Every text field is validated here; the templates escape
what they show."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lms import names
from lms.forms import PersonNameForm
from lms.models import StudyGroup, User
from lms.text import clean_line


class TeacherForm(PersonNameForm):
    email = forms.EmailField(label=_("E-mail"), required=False)


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
            f"{names.surname_first(u)} ({u.username})"
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
