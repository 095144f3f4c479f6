"""The organisers' forms: a contest's settings, its categories, award rules, the jury and
judges (tasks and their sheets: contests.setup_task_forms). Fields and sizes here; the rules
are contests.setup's (the forms call them and put their messages on the fields).

Times are typed into datetime-local inputs in the park's time zone (settings.TIME_ZONE,
events.certificates.park_zone), whoever types them: a contest is the park's."""

from __future__ import annotations

import copy
from datetime import datetime

from django import forms
from django.db.models import Count
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.date_range import validate_moment
from contests import setup
from contests.models import AwardRule, Category, Contest, Task
from events.certificates import park_zone
from lms.models import School

INPUT_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = [INPUT_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class ParkDateTimeField(forms.DateTimeField):
    """A moment typed (and shown) in the park's time zone, stored in UTC."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=INPUT_FORMAT)
    default_validators = [validate_moment]

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", INPUT_FORMATS)
        invalid = gettext_lazy("Enter a date and time, e.g. 2026-12-01 10:00.")
        kwargs.setdefault("error_messages", {"invalid": invalid})
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime) and timezone.is_aware(value):
            return timezone.localtime(value, park_zone()).replace(tzinfo=None)
        return value

    def to_python(self, value):
        with timezone.override(park_zone()):
            return super().to_python(value)


class SafeModelChoiceField(forms.ModelChoiceField):
    """A choice by id that refuses a forged id too big for the database (SQLite raises
    OverflowError) as any other unknown choice, not as a server error."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except OverflowError:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from None


class SafeIdsMixin:
    """A model formset whose hidden row ids are SafeModelChoiceFields."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        name = self._pk_field.name
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField) and not isinstance(
            field, SafeModelChoiceField
        ):
            # Only this formset's own rows: a forged id of another contest's row is refused,
            # not quietly saved as a new one.
            safe = SafeModelChoiceField(
                self.get_queryset(), initial=field.initial, required=False, widget=field.widget
            )
            form.fields[name] = safe


def put_verdict(form: forms.BaseForm, verdict: setup.Verdict) -> None:
    for name, messages in verdict.errors.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class ContestForm(forms.ModelForm):
    registration_opens_at = ParkDateTimeField(
        label=Contest._meta.get_field("registration_opens_at").verbose_name, required=False
    )
    registration_closes_at = ParkDateTimeField(
        label=Contest._meta.get_field("registration_closes_at").verbose_name, required=False
    )
    starts_at = ParkDateTimeField(label=Contest._meta.get_field("starts_at").verbose_name)
    ends_at = ParkDateTimeField(label=Contest._meta.get_field("ends_at").verbose_name)
    appeals_until = ParkDateTimeField(
        label=Contest._meta.get_field("appeals_until").verbose_name,
        required=False,
        help_text=gettext_lazy("Empty: no appeals."),
    )
    schools = SafeModelMultipleChoiceField(
        label=gettext_lazy("Chosen schools"),
        queryset=School.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Only for “the park's pupils and chosen schools”."),
    )

    class Meta:
        model = Contest
        fields = [
            "slug",
            "title",
            "kind",
            "rules",
            "description",
            "audience",
            "schools",
            "self_registration",
            "registration_opens_at",
            "registration_closes_at",
            "starts_at",
            "ends_at",
            "window_minutes",
            "freeze_minutes",
            "penalty_minutes",
            "compile_error_counts",
            "best_per_subtask",
            "teams",
            "team_size",
            "practice_after_end",
            "appeals_until",
            "is_published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}
        help_texts = {
            "slug": gettext_lazy("Latin letters, digits and hyphens: /contests/<short name>/."),
            "penalty_minutes": gettext_lazy("ICPC only."),
            "compile_error_counts": gettext_lazy("ICPC only. Off by default."),
            "best_per_subtask": gettext_lazy("IOI only. Off: a task scores its best single run."),
        }

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.before = copy.copy(self.instance) if self.instance.pk else None
        self.facts = setup.facts_of(self.instance) if self.instance.pk else setup.Facts()
        self.warnings: list[str] = []
        self.fields["schools"].queryset = School.objects.exclude(kind=School.Kind.HOST).order_by(
            "name"
        )

    FIELDSETS = [
        (
            gettext_lazy("The contest"),
            ["title", "slug", "kind", "rules", "description", "is_published"],
        ),
        (
            gettext_lazy("Who takes part"),
            ["audience", "schools", "self_registration", "teams", "team_size"],
        ),
        (gettext_lazy("Registration"), ["registration_opens_at", "registration_closes_at"]),
        (gettext_lazy("The round"), ["starts_at", "ends_at", "window_minutes", "freeze_minutes"]),
        (
            gettext_lazy("Scoring"),
            ["penalty_minutes", "compile_error_counts", "best_per_subtask"],
        ),
        (
            gettext_lazy("After the round"),
            ["practice_after_end", "appeals_until"],
        ),
    ]

    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in self.FIELDSETS]

    TIMES = (
        "registration_opens_at",
        "registration_closes_at",
        "starts_at",
        "ends_at",
        "appeals_until",
    )

    def clean(self):
        data = super().clean()
        if self.before is not None:
            # The inputs show minutes: a stored time with seconds (an import, a script) posted
            # back unchanged is the same time, not a move.
            for name in self.TIMES:
                stored = getattr(self.before, name)
                if stored and data.get(name) == stored.replace(second=0, microsecond=0):
                    data[name] = stored
        candidate = copy.copy(self.instance)
        for name, value in data.items():
            if name != "schools" and name in self._meta.fields:
                setattr(candidate, name, value)
        if self.errors:
            return data  # a field is wrong: the cross-field rules would only repeat it
        setup.normalise(candidate)
        verdict = setup.check_contest(
            candidate,
            before=self.before,
            facts=self.facts,
            schools_chosen=len(data.get("schools") or []),
            now=self.now,
        )
        put_verdict(self, verdict)
        self.warnings = verdict.warnings
        return data

    def save(self, commit: bool = True) -> Contest:
        contest = super().save(commit=False)
        setup.normalise(contest)
        if commit:
            contest.save()
            self.save_m2m()
            if contest.audience != Contest.Audience.SCHOOLS:
                contest.schools.clear()
        return contest


# --- Categories -----------------------------------------------------------------------------


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "min_class", "max_class"]
        widgets = {
            "min_class": forms.NumberInput(attrs={"min": 1, "max": 11}),
            "max_class": forms.NumberInput(attrs={"min": 1, "max": 11}),
        }

    def clean(self):
        data = super().clean()
        problem = setup.check_class_range(data.get("min_class"), data.get("max_class"))
        if problem:
            self.add_error("max_class", problem)
        return data


class BaseCategoryFormSet(SafeIdsMixin, forms.BaseInlineFormSet):
    def get_queryset(self):
        return super().get_queryset().annotate(participant_count=Count("participants"))

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        names = [name.casefold() for name, _low, _high in self.ranges()]
        if len(names) != len(set(names)):
            raise forms.ValidationError(_("Two categories have the same name."))
        for form in self.deleted_forms:
            category = form.instance
            if category.pk:
                problem = setup.why_not_delete_category(
                    category, getattr(category, "participant_count", 0)
                )
                if problem:
                    raise forms.ValidationError(problem)

    def ranges(self) -> list[tuple[str, int | None, int | None]]:
        """The kept categories' (name, from class, to class), for the overlap warning."""
        kept = []
        for form in self.forms:
            data = form.cleaned_data
            if data and data.get("name") and form not in self.deleted_forms:
                kept.append((data["name"], data.get("min_class"), data.get("max_class")))
        return kept


CategoryFormSet = inlineformset_factory(
    Contest,
    Category,
    form=CategoryForm,
    formset=BaseCategoryFormSet,
    extra=2,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


# --- Award rules ----------------------------------------------------------------------------


class AwardRuleForm(forms.ModelForm):
    class Meta:
        model = AwardRule
        fields = [
            "category",
            "award",
            "max_place",
            "min_score",
            "min_score_is_percent",
            "max_share_percent",
        ]
        field_classes = {"category": SafeModelChoiceField}
        widgets = {
            "max_place": forms.NumberInput(attrs={"min": 1}),
            "min_score": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "max_share_percent": forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": 100}),
        }

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        field.queryset = contest.categories.all()
        field.empty_label = _("every category")

    def clean(self):
        data = super().clean()
        if self.errors or not data.get("award"):
            return data
        rule = AwardRule(
            award=data["award"],
            max_place=data.get("max_place"),
            min_score=data.get("min_score"),
            min_score_is_percent=bool(data.get("min_score_is_percent")),
            max_share_percent=data.get("max_share_percent"),
        )
        for name, message in setup.check_award_rule(rule).items():
            self.add_error(name or None, message)
        return data


class BaseAwardRuleFormSet(SafeIdsMixin, forms.BaseInlineFormSet):
    pass


AwardRuleFormSet = inlineformset_factory(
    Contest,
    AwardRule,
    form=AwardRuleForm,
    formset=BaseAwardRuleFormSet,
    extra=2,
    max_num=30,
    validate_max=True,
    can_delete=True,
)


# --- The jury and judges --------------------------------------------------------------------


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Find staff by login or name"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class JuryForm(forms.Form):
    login = forms.CharField(label=gettext_lazy("Login"), max_length=150)


class JudgeForm(forms.Form):
    login = forms.CharField(label=gettext_lazy("Login"), max_length=150)
    category = SafeModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.none(), required=False
    )
    task = SafeModelChoiceField(
        label=gettext_lazy("Task"), queryset=Task.objects.none(), required=False
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = contest.categories.all()
        self.fields["category"].empty_label = _("every category")
        self.fields["task"].queryset = contest.tasks.filter(removed_at__isnull=True)
        self.fields["task"].empty_label = _("every task")
        self.fields["task"].label_from_instance = str
