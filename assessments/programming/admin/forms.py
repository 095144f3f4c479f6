"""The problem form: the problem's fields, a row per enabled language, subtasks and tests as
formsets; `ProblemForms.spec()` turns them into the ProblemSpec that authoring.store saves.
Plain forms (not model forms): the models are written by authoring.store alone."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from assessments.programming import permissions
from assessments.programming.models import Problem, ProgrammingLanguage
from assessments.programming.spec import (
    Comparison,
    LanguageLimits,
    ProblemSpec,
    Scoring,
    SubtaskSpec,
    TestSpec,
)
from courses.models import CoursePage
from lms.permissions import AnyUser

MAX_ROWS = 500  # the most tests a problem holds (LMS_PROBLEM_MAX_TESTS)
_field = Problem._meta.get_field
CODE = {"rows": 8, "cols": 60, "spellcheck": "false", "class": "w-font-mono"}
DATA = {"rows": 3, "cols": 24, "spellcheck": "false", "class": "w-font-mono"}


def course_choices(user: AnyUser) -> list[tuple[str, str]]:
    """The courses whose problems the user edits, and the park-wide archive if allowed."""
    courses = CoursePage.objects.filter(permissions.editable_courses_q(user)).order_by("title")
    choices = [(str(course.pk), course.title) for course in courses]
    if permissions.may_edit_park(user):
        choices.insert(0, (permissions.PARK, str(_("Park-wide archive (every course)"))))
    return choices


def chosen_course(key: str) -> CoursePage | None:
    return None if key == permissions.PARK else CoursePage.objects.get(pk=int(key))


class ProblemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    course = forms.ChoiceField(label=_("Course"))
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_field("statement").help_text,
    )
    time_limit_s = forms.DecimalField(
        label=_("Time limit, s"), min_value=Decimal("0.1"), max_value=Decimal("30"), initial=1
    )
    memory_limit_mb = forms.IntegerField(
        label=_("Memory limit, MB"), min_value=16, max_value=2048, initial=256
    )
    output_limit_kb = forms.IntegerField(
        label=_("Output limit, KB"), min_value=1, max_value=65536, initial=1024
    )
    comparison = forms.ChoiceField(
        label=_("Comparison"), choices=_field("comparison").choices, initial=Comparison.TRAILING
    )
    float_tolerance = forms.FloatField(
        label=_("Tolerance"), min_value=0, max_value=1, initial=1e-6, required=False
    )
    checker = forms.CharField(
        label=_("Checker (Python)"),
        required=False,
        widget=forms.Textarea(attrs=CODE),
        help_text=_field("checker").help_text,
    )
    scoring = forms.ChoiceField(
        label=_("Scoring"), choices=_field("scoring").choices, initial=Scoring.PER_TEST
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)  # against double submits

    def __init__(self, *args, user: AnyUser, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = course_choices(user)


class LanguageForm(forms.Form):
    """One enabled language: allowed or not, its own time limit, starter code, reference."""

    allowed = forms.BooleanField(label=_("Allowed"), required=False)
    time_limit_s = forms.DecimalField(
        label=_("Own time limit, s"),
        required=False,
        min_value=Decimal("0.1"),
        max_value=Decimal("30"),
        help_text=_("Empty: the problem's time limit."),
    )
    starter_code = forms.CharField(
        label=_("Starter code"), required=False, widget=forms.Textarea(attrs={**CODE, "rows": 5})
    )
    reference_solution = forms.CharField(
        label=_("Reference solution"), required=False, widget=forms.Textarea(attrs=CODE)
    )

    def __init__(self, *args, language: ProgrammingLanguage, **kwargs):
        super().__init__(*args, prefix=f"lang-{language.code}", **kwargs)
        self.language = language


class SubtaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    points = forms.DecimalField(
        label=_("Points"), min_value=0, max_value=Decimal("99999"), decimal_places=2
    )


class TestForm(forms.Form):
    __test__ = False  # not a pytest class
    input = forms.CharField(
        label=_("Input"), required=False, strip=False, widget=forms.Textarea(attrs=DATA)
    )
    answer = forms.CharField(
        label=_("Answer"), required=False, strip=False, widget=forms.Textarea(attrs=DATA)
    )
    is_example = forms.BooleanField(label=_("Example"), required=False)
    subtask = forms.IntegerField(label=_("Subtask"), required=False, min_value=1, max_value=100)
    points = forms.DecimalField(
        label=_("Points"), required=False, min_value=0, max_value=Decimal("99999")
    )


def _blank_subtask(form: forms.Form) -> bool:
    data = form.cleaned_data
    return not data or data.get("DELETE") or data.get("points") is None


def _blank_test(form: forms.Form) -> bool:
    data = form.cleaned_data
    return not data or data.get("DELETE") or not (data.get("input") or data.get("answer"))


SubtaskFormSet = forms.formset_factory(
    SubtaskForm, extra=1, can_delete=True, max_num=100, absolute_max=100
)
TestFormSet = forms.formset_factory(
    TestForm, extra=2, can_delete=True, max_num=MAX_ROWS, absolute_max=MAX_ROWS
)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n")  # browsers send textareas with CRLF


class ProblemForms:
    """The problem form with its language rows and formsets, bound or not, as one."""

    def __init__(
        self,
        user: AnyUser,
        data=None,
        *,
        problem: Problem | None = None,
        spec: ProblemSpec | None = None,
        extra_tests: int = 0,
    ):
        self.languages: QuerySet = ProgrammingLanguage.objects.filter(is_enabled=True)
        initial = _initial(problem, spec) if spec else {}
        self.problem = ProblemForm(data, user=user, initial=initial.get("problem"))
        self.language_rows = [
            LanguageForm(data, language=row, initial=initial.get("languages", {}).get(row.code))
            for row in self.languages
        ]
        self.subtasks = SubtaskFormSet(data, prefix="subtasks", initial=initial.get("subtasks"))
        self.tests = TestFormSet(data, prefix="tests", initial=initial.get("tests"))
        if extra_tests and data is None:
            self.tests.extra += extra_tests

    def all(self) -> list:
        return [self.problem, *self.language_rows, self.subtasks, self.tests]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in self.all()])  # a list: every form's errors

    def spec(self) -> ProblemSpec:
        data = self.problem.cleaned_data
        languages, solutions = {}, {}
        for row in self.language_rows:
            lang = row.cleaned_data
            if not lang["allowed"]:
                continue
            limit = lang["time_limit_s"]
            languages[row.language.code] = LanguageLimits(
                time_limit_s=float(limit) if limit else None,
                starter_code=_newlines(lang["starter_code"]),
            )
            if lang["reference_solution"].strip():
                solutions[row.language.code] = _newlines(lang["reference_solution"])
        scoring = Scoring(data["scoring"])
        by_subtask = scoring == Scoring.SUBTASKS
        subtasks = [
            SubtaskSpec(points=float(f.cleaned_data["points"]), title=f.cleaned_data["title"])
            for f in self.subtasks.forms
            if not _blank_subtask(f)
        ]
        tests = []
        for form in self.tests.forms:
            if _blank_test(form):
                continue
            test = form.cleaned_data
            tests.append(
                TestSpec(
                    input=_newlines(test["input"]),
                    answer=_newlines(test["answer"]),
                    name=f"{len(tests) + 1:02d}",
                    is_example=test["is_example"],
                    # 1-based in the form; spec_errors refuses a subtask that does not exist
                    subtask=(test["subtask"] or 1) - 1 if by_subtask else 0,
                    points=float(test["points"] or 0),
                )
            )
        return ProblemSpec(
            title=data["title"],
            statement=_newlines(data["statement"]),
            time_limit_s=float(data["time_limit_s"]),
            memory_limit_mb=data["memory_limit_mb"],
            output_limit_kb=data["output_limit_kb"],
            languages=languages,
            comparison=Comparison(data["comparison"]),
            float_tolerance=data["float_tolerance"]
            if data["float_tolerance"] is not None
            else 1e-6,
            checker=_newlines(data["checker"]),
            scoring=scoring,
            subtasks=subtasks,
            tests=tests,
            solutions=solutions,
        )


def _initial(problem: Problem | None, spec: ProblemSpec) -> dict:
    course = permissions.PARK if problem is None or problem.course_id is None else problem.course_id
    return {
        "problem": {
            "title": spec.title,
            "course": str(course),
            "statement": spec.statement,
            "time_limit_s": Decimal(str(spec.time_limit_s)),
            "memory_limit_mb": spec.memory_limit_mb,
            "output_limit_kb": spec.output_limit_kb,
            "comparison": spec.comparison.value,
            "float_tolerance": spec.float_tolerance,
            "checker": spec.checker,
            "scoring": spec.scoring.value,
        },
        "languages": {
            code: {
                "allowed": True,
                "time_limit_s": limits.time_limit_s,
                "starter_code": limits.starter_code,
                "reference_solution": spec.solutions.get(code, ""),
            }
            for code, limits in spec.languages.items()
        },
        "subtasks": [{"title": s.title, "points": s.points} for s in spec.subtasks],
        "tests": [
            {
                "input": t.input,
                "answer": t.answer,
                "is_example": t.is_example,
                "subtask": t.subtask + 1 if spec.scoring == Scoring.SUBTASKS else None,
                "points": t.points,
            }
            for t in spec.tests
        ],
    }
