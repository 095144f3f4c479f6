"""The organisers' task forms: a new task, a task's settings (by its kind and the contest's
rules), and a judged task's score sheet. The rules are contests.setup_tasks'."""

from __future__ import annotations

import copy
from datetime import datetime

from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests import setup_tasks
from contests.models import Contest, Criterion, Task
from contests.setup_forms import SafeIdsMixin, put_verdict


class NewTaskForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=8)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"))
    max_score = forms.DecimalField(
        label=gettext_lazy("Points"), max_digits=8, decimal_places=2, min_value=0.01, initial=100
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        kinds = setup_tasks.task_kinds_for(contest)
        self.fields["kind"].choices = [(k, Task.Kind(k).label) for k in kinds]
        self.fields["label"].initial = setup_tasks.next_label(contest)
        if contest.rules == Contest.Rules.ICPC:
            self.fields["max_score"].required = False
            self.fields["max_score"].widget = forms.HiddenInput()
        if contest.rules == Contest.Rules.JUDGED:
            self.fields["max_score"].required = False
            self.fields["max_score"].help_text = _("Judged tasks: set by the score sheet.")

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        problem = setup_tasks.check_label(self.contest, label)
        if problem:
            raise forms.ValidationError(problem)
        return label


class TaskForm(forms.ModelForm):
    """A task's own settings; which fields depend on its kind and the contest's rules."""

    class Meta:
        model = Task
        fields = [
            "label",
            "title",
            "max_score",
            "statement",
            "runs_allowed",
            "runs_count",
            "judges_combine",
            "tie_break",
        ]
        widgets = {"statement": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, contest: Contest, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.now = now or timezone.now()
        self.before = copy.copy(self.instance)
        self.facts = setup_tasks.task_facts(self.instance)
        self.warnings: list[str] = []
        if self.instance.kind != Task.Kind.JUDGED:
            for name in ("statement", "runs_allowed", "runs_count", "judges_combine", "tie_break"):
                del self.fields[name]
        if contest.rules in (Contest.Rules.ICPC, Contest.Rules.JUDGED):
            # ICPC: a task is solved or not; judged: the sheet gives the points.
            del self.fields["max_score"]

    def clean_label(self):
        label = self.cleaned_data["label"].strip()
        problem = setup_tasks.check_label(self.contest, label, exclude_pk=self.instance.pk)
        if problem:
            raise forms.ValidationError(problem)
        return label

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        candidate = copy.copy(self.instance)
        for name, value in data.items():
            setattr(candidate, name, value)
        verdict = setup_tasks.check_task(
            candidate, before=self.before, contest=self.contest, facts=self.facts, now=self.now
        )
        put_verdict(self, verdict)
        self.warnings = verdict.warnings
        return data


class CriterionForm(forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "kind", "points", "max_count"]
        widgets = {
            "points": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
            "max_count": forms.NumberInput(attrs={"min": 1, "max": 1000}),
        }


class BaseCriterionFormSet(SafeIdsMixin, forms.BaseInlineFormSet):
    """The sheet's lines. Once sheets are filled only the names may change: the other fields
    are disabled (their posted values are ignored) and lines cannot be added or removed."""

    def __init__(self, *args, has_sheets: bool = False, **kwargs):
        self.has_sheets = has_sheets
        super().__init__(*args, **kwargs)
        if has_sheets:
            self.extra = 0
            self.can_delete = False
            self.max_num = self.initial_form_count()
            for form in self.forms:
                for name in ("kind", "points", "max_count"):
                    form.fields[name].disabled = True

    def rows(self) -> list[setup_tasks.CriterionRow]:
        rows = []
        for form in self.forms:
            if not form.cleaned_data or form in self.deleted_forms:
                continue
            data = form.cleaned_data
            rows.append(
                setup_tasks.CriterionRow(
                    pk=form.instance.pk,
                    name=data["name"],
                    kind=data["kind"],
                    points=data["points"],
                    max_count=data["max_count"],
                )
            )
        return rows

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        problems = setup_tasks.check_criteria(
            self.rows(), stored=list(self.queryset), has_sheets=self.has_sheets
        )
        if problems:
            raise forms.ValidationError(problems)


CriterionFormSet = inlineformset_factory(
    Task,
    Criterion,
    form=CriterionForm,
    formset=BaseCriterionFormSet,
    extra=2,
    max_num=50,
    validate_max=True,
    can_delete=True,
)
