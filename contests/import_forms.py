"""The forms of the jury's import page: the file (with "add unknown participants"), and the
confirmation of a checked file by its token."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests import importing

TOKEN_PATTERN = r"^[A-Za-z0-9_-]{20,64}$"  # noqa: S105 (the shape of a token, not one)


def megabytes() -> int:
    return max(1, importing.max_bytes() // (1024 * 1024))


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Results file (CSV)"))
    create_participants = forms.BooleanField(
        label=gettext_lazy("Add unknown participants"),
        required=False,
        help_text=gettext_lazy(
            "Participants the contest does not have are added, named as in the file. Without "
            "this, a participant the contest does not have is an error."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV from ejudge, Yandex Contest, DOMjudge or Excel: UTF-8 or Windows-1251, "
            "separated by commas, semicolons or tabs; at most %(max)d MB."
        ) % {"max": megabytes()}
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,text/csv,text/plain"

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > importing.max_bytes():
            raise forms.ValidationError(
                _("The file is too large: at most %(max)d MB.") % {"max": megabytes()}
            )
        return upload


class ConfirmForm(forms.Form):
    token = forms.RegexField(regex=TOKEN_PATTERN, widget=forms.HiddenInput)
