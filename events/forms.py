"""The registration forms: fields and their sizes only; the rules are events.registering's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import EventPage, Registration
from events.registering import full_name_of

CLASS_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 12)]]


class GuestForm(forms.Form):
    full_name = forms.CharField(
        label=_("Surname and first name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    school_name = forms.CharField(label=_("School"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("We send a link to confirm it, and the QR code for the entrance."),
    )
    category = forms.ChoiceField(
        label=_("I am"), choices=Registration.Category.choices, widget=forms.RadioSelect
    )
    school_class = forms.TypedChoiceField(
        label=_("Class"), choices=CLASS_CHOICES, required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        if not event.for_teachers:
            self.fields["category"].choices = [("pupil", Registration.Category.PUPIL.label)]
            self.fields["category"].initial = "pupil"
        elif not event.for_pupils:
            self.fields["category"].choices = [("teacher", Registration.Category.TEACHER.label)]
            self.fields["category"].initial = "teacher"
            del self.fields["school_class"]


class PupilsForm(forms.Form):
    pupils = forms.TypedMultipleChoiceField(
        label=_("Pupils"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    school_class = forms.TypedChoiceField(
        label=_("Their class"),
        choices=CLASS_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )

    def __init__(self, *args, pupils: list, event: EventPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].choices = [(p.pk, full_name_of(p)) for p in pupils]
        self.fields["pupils"].initial = [p.pk for p in pupils]
