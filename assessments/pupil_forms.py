"""Forms of the pupil's assignment page. They only read the request; the rules (what may be
saved, which files are accepted) live in assessments.submissions and assessments.uploads."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from assessments.models import Assignment


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Any number of files in one go. Not validated here: the service checks each file on its
    own, so one bad file gets its own message and does not turn the others away (Django's
    FileField would refuse the whole form for one empty file)."""

    widget = MultipleFileInput

    def clean(self, value, initial=None) -> list:
        if not value:
            return []
        files = value if isinstance(value, list | tuple) else [value]
        return [uploaded for uploaded in files if uploaded is not None]


class AttemptForm(forms.Form):
    """Which attempt the page showed: a form sent from an old tab must not change a newer
    attempt, and a second "Hand in" of the same attempt is recognised as a repeat."""

    attempt = forms.IntegerField(min_value=1, max_value=32767, widget=forms.HiddenInput)


class DraftForm(AttemptForm):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        strip=False,  # indentation of pasted code matters
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("You can use Markdown: **bold**, lists, `code`."),
    )
    files = MultipleFileField(
        label=_("Add files"),
        required=False,
        help_text=_("You can choose several files at once."),
    )

    def __init__(
        self, *args, assignment: Assignment, accept: str = "", files_help: str = "", **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        if files_help:  # the kinds accepted, in words: "Photos, video, PDF"
            self.fields["files"].help_text = _(
                "You can choose several files at once: %(kinds)s."
            ) % {"kinds": files_help}
        if assignment.allow_text:
            text = self.fields["text"]
            text.max_length = settings.LMS_SUBMISSION_MAX_TEXT
            text.widget.attrs["maxlength"] = str(settings.LMS_SUBMISSION_MAX_TEXT)
            text.validators.append(MaxLengthValidator(settings.LMS_SUBMISSION_MAX_TEXT))
        else:
            del self.fields["text"]
        if accept:
            self.fields["files"].widget.attrs["accept"] = accept
