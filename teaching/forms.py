"""Forms of the teacher's pages. Every text field is validated here; the templates escape what
they show."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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


class EnrolForm(forms.Form):
    """Course and module ids are checked against what the user may enrol in by the view."""

    course = forms.IntegerField(widget=forms.HiddenInput)
    module = forms.IntegerField(widget=forms.HiddenInput, required=False)
