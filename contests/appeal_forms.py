"""Forms of the appeals pages: filing an appeal, the jury's answer, a direct score change.
They parse; the rules are in contests.appeals and contests.score_changes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contests import appeals, score_changes
from contests.models import Appeal, Contest, Participant, Task
from contests.models.results import VERDICTS


class AppealForm(forms.Form):
    task = forms.ModelChoiceField(
        label=_("Task"), queryset=Task.objects.none(), empty_label=_("— choose the task —")
    )
    text = forms.CharField(
        label=_("What is wrong, in your own words"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=appeals.TEXT_MAX,
        help_text=_("Name the run or the part of the task, and say why the result is wrong."),
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = appeals.tasks_to_appeal(contest)
        self.fields["task"].label_from_instance = str


def _score_field() -> forms.CharField:
    return forms.CharField(
        label=_("New score"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


def _clean_score(form: forms.Form):
    raw = form.cleaned_data.get("score", "")
    if not raw:
        return None
    value = score_changes.parse_score(raw)
    if value is None:
        raise forms.ValidationError(_("Enter a number, for example 7.5."))
    return value


def run_label(run) -> str:
    minutes, seconds = divmod(run.time_seconds, 60)
    return f"№{run.pk} · {run.verdict or '—'} · {minutes}:{seconds:02d}"


class _ChangeFields(forms.Form):
    """The result's new value: a score (IOI, judged) or a run and its verdict (ICPC)."""

    score = _score_field()
    run = forms.TypedChoiceField(label=_("Run"), required=False, coerce=int, empty_value=None)
    verdict = forms.ChoiceField(
        label=_("New verdict"), required=False, choices=[("", "—"), *VERDICTS]
    )

    def __init__(self, *args, contest: Contest, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.icpc = contest.rules == Contest.Rules.ICPC
        self.runs = {run.pk: run for run in runs}
        self.fields["run"].choices = [("", "—")] + [
            (pk, run_label(run)) for pk, run in self.runs.items()
        ]
        if self.icpc:
            del self.fields["score"]
        else:
            del self.fields["run"]
            del self.fields["verdict"]

    def clean_score(self):
        return _clean_score(self)

    def chosen_run(self):
        pk = self.cleaned_data.get("run")
        return self.runs.get(pk) if pk else None


class AnswerForm(_ChangeFields):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (Appeal.Status.GRANTED, _("Grant")),
            (Appeal.Status.REJECTED, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("The answer (the participant reads it)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=appeals.ANSWER_MAX,
    )
    field_order = ["status", "answer", "score", "run", "verdict"]


class ChangeForm(_ChangeFields):
    reason = forms.CharField(
        label=_("Reason (kept with the change)"), max_length=score_changes.REASON_MAX
    )


class PickForm(forms.Form):
    """Whose result on which task the jury changes directly (GET)."""

    participant = forms.ModelChoiceField(
        label=_("Participant"), queryset=Participant.objects.none()
    )
    task = forms.ModelChoiceField(label=_("Task"), queryset=Task.objects.none())

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = Participant.objects.filter(
            contest=contest, withdrawn_at__isnull=True
        ).order_by("name", "pk")
        self.fields["task"].queryset = appeals.tasks_to_appeal(contest)
        self.fields["task"].label_from_instance = str
