"""Forms of the due-date pages: a group's own dates for an assignment, and one pupil's extension.

Times are typed into `datetime-local` inputs and read in the current time zone (the school's,
activated per request by lms.middleware). Each form checks the dates as they will apply: it
builds the override, merges it with `deadlines.timetable_for` and checks the result."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments import deadlines
from assessments.date_range import validate_moment
from assessments.models import Assignment, Extension, GroupDeadline
from lms.models import StudyGroup

INPUT_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = [INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
REASON_MAX_CHARS = Extension._meta.get_field("reason").max_length


def _moment(label, required: bool = False, help_text="") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=INPUT_FORMATS,
        help_text=help_text,
        validators=[validate_moment],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=INPUT_FORMAT),
        error_messages={"invalid": _("Enter a date and time, e.g. 2026-12-01 23:59.")},
    )


def _check(form: forms.Form, timetable: deadlines.Timetable) -> None:
    """The merged timetable must make sense: due after opening, cut-off not before due."""
    if timetable.opens_at and timetable.due_at and timetable.due_at <= timetable.opens_at:
        form.add_error("due_at", _("The due time must be after the opening time."))
    if timetable.cutoff_at and timetable.due_at and timetable.cutoff_at < timetable.due_at:
        form.add_error("cutoff_at", _("The cut-off cannot be before the due time."))


class GroupDatesForm(forms.Form):
    """This group's dates; an empty field keeps the assignment's own."""

    opens_at = _moment(_("Opens"), help_text=_("Empty: as the assignment."))
    due_at = _moment(_("Due"), help_text=_("Empty: as the assignment."))
    cutoff_at = _moment(_("Cut-off"), help_text=_("Empty: as the assignment."))

    def __init__(self, *args, assignment: Assignment, group: StudyGroup, **kwargs):
        self.assignment = assignment
        self.group = group
        super().__init__(*args, prefix="group", **kwargs)

    @property
    def is_empty(self) -> bool:
        data = self.cleaned_data
        return not (data.get("opens_at") or data.get("due_at") or data.get("cutoff_at"))

    def clean(self):
        data = super().clean()
        if not self.errors:
            override = GroupDeadline(
                assignment=self.assignment,
                group=self.group,
                opens_at=data.get("opens_at"),
                due_at=data.get("due_at"),
                cutoff_at=data.get("cutoff_at"),
            )
            _check(self, deadlines.timetable_for(self.assignment, override))
        return data


class ExtensionForm(forms.Form):
    """More time for one pupil: a new due time, an optional cut-off, a reason."""

    due_at = _moment(_("New due time"), required=True)
    cutoff_at = _moment(_("Cut-off"), help_text=_("Empty: no earlier than the new due time."))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX_CHARS,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self,
        *args,
        assignment: Assignment,
        group_deadline: GroupDeadline | None,
        pupil_id: int,
        **kwargs,
    ):
        self.assignment = assignment
        self.group_deadline = group_deadline
        super().__init__(*args, prefix=f"ext{pupil_id}", **kwargs)

    def clean(self):
        data = super().clean()
        if not self.errors:
            extension = Extension(
                assignment=self.assignment,
                due_at=data["due_at"],
                cutoff_at=data.get("cutoff_at"),
            )
            _check(self, deadlines.timetable_for(self.assignment, self.group_deadline, extension))
        return data
