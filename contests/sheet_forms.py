"""The judge's sheet as a form: one count per criterion, the run's time as the stopwatch shows
it, a comment. The form only reads what was typed; contests.sheets decides and computes."""

from __future__ import annotations

import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from contests import sheet_scores
from contests.models import Criterion

# "83.4", "83,4" (a Russian keyboard), "1:23.4", "01:23,45", "75:00" (minutes may pass 59).
_SECONDS = re.compile(r"([0-9]{1,6})(?:[.,]([0-9]{1,3}))?")
_MINUTES = re.compile(r"([0-9]{1,4}):([0-5]?[0-9])(?:[.,]([0-9]{1,3}))?")


class TimeError(ValueError):
    pass


def parse_time(text: str) -> Decimal | None:
    """Seconds from "mm:ss.s" or plain seconds (a dot or a comma); None for nothing. Raises
    TimeError with a translated message."""
    text = (text or "").strip()
    if not text:
        return None
    if text.startswith("-"):
        raise TimeError(_("The time cannot be negative."))
    minutes = _MINUTES.fullmatch(text)
    if minutes:
        whole, seconds, fraction = minutes.groups()
        return Decimal(int(whole) * 60 + int(seconds)) + _fraction(fraction)
    seconds = _SECONDS.fullmatch(text)
    if seconds:
        whole, fraction = seconds.groups()
        return Decimal(int(whole)) + _fraction(fraction)
    raise TimeError(_("Write the time as minutes:seconds (1:23.4) or in seconds (83.4)."))


def _fraction(digits: str | None) -> Decimal:
    return Decimal(f"0.{digits}") if digits else Decimal(0)


def format_time(seconds: Decimal | None) -> str:
    """As the form shows a stored time: "1:23.4", "0:07", "75:00.25"."""
    if seconds is None:
        return ""
    whole = int(seconds)
    fraction = seconds - whole
    text = f"{whole // 60}:{whole % 60:02d}"
    if fraction:
        text += str(fraction.normalize())[1:]  # ".4"
    return text


def count_field_name(criterion: Criterion) -> str:
    return f"c{criterion.pk}"


class SheetForm(forms.Form):
    """Fields c<criterion id> (counts), time (when the sheet takes one) and comment."""

    comment = forms.CharField(
        label=pgettext_lazy("score sheet", "Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 500}),
    )

    def __init__(self, *args, criteria: list[Criterion], with_time: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = [c for c in criteria if c.kind != Criterion.Kind.TIME]
        for criterion in self.criteria:
            self.fields[count_field_name(criterion)] = forms.CharField(
                label=criterion.name, required=False, max_length=12
            )
        self.with_time = with_time
        if with_time:
            time_line = next((c for c in criteria if c.kind == Criterion.Kind.TIME), None)
            self.fields["time"] = forms.CharField(
                label=time_line.name if time_line else gettext_lazy("Time"),
                required=False,
                max_length=20,
            )

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            name = count_field_name(criterion)
            if name not in data:
                continue
            spec = sheet_scores.CriterionSpec(
                criterion.pk, criterion.kind, criterion.points, criterion.max_count
            )
            try:  # the arithmetic's own rule, per line, so the error sits by its stepper
                data[name] = sheet_scores.clean_counts([spec], {str(criterion.pk): data[name]})[
                    str(criterion.pk)
                ]
            except sheet_scores.SheetError as error:
                self.add_error(name, str(error))
        if self.with_time and "time" in data:
            try:
                data["time_seconds"] = parse_time(data["time"])
            except TimeError as error:
                self.add_error("time", str(error))
        return data

    def counts(self) -> dict[str, int]:
        return {
            str(c.pk): self.cleaned_data[count_field_name(c)]
            for c in self.criteria
            if count_field_name(c) in self.cleaned_data
        }

    def time_seconds(self) -> Decimal | None:
        return self.cleaned_data.get("time_seconds") if self.with_time else None
