"""The forms of registering and codes: fields and their sizes only; the rules are
contests.audience's, contests.registering's and contests.codes'."""

from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from contests import audience
from contests.audience import Refused
from contests.models import Category, Contest
from contests.registering import MAX_TEAM_NAME, Entry

CLASS_CHOICES = [("", "—"), *[(str(n), str(n)) for n in range(1, 12)]]
BY_CLASS = ""


def category_choices(categories: Sequence[Category], *, empty_label) -> list[tuple[str, str]]:
    return [(BY_CLASS, empty_label), *[(str(c.pk), audience.category_label(c)) for c in categories]]


class SelfForm(forms.Form):
    """A pupil registering themselves: the class (the accounts have none), the category when
    there is a choice, the team's name in a team contest."""

    class_number = forms.TypedChoiceField(
        label=_("My class"), choices=CLASS_CHOICES, required=False, coerce=int, empty_value=None
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    team_name = forms.CharField(
        label=_("Team name"),
        max_length=MAX_TEAM_NAME,
        required=False,
        help_text=_("Optional: you take part as a team of one."),
    )

    def __init__(self, *args, contest: Contest, categories: Sequence[Category], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_number"].required = audience.needs_class(categories)
        if len(categories) > 1:
            self.fields["category"].choices = category_choices(
                categories, empty_label=_("by my class")
            )
        else:
            del self.fields["category"]
        if not contest.teams:
            del self.fields["team_name"]


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Participant code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "placeholder": "ABCD-EFGH",
            }
        ),
    )


class CodesForm(forms.Form):
    """Making code participants for a school: named from a group, typed in, or numbered."""

    WAYS = [
        ("count", _("Numbered: «Participant 1», «Participant 2»… (the jury names them later)")),
        ("list", _("Typed names, one a line")),
        ("group", _("The pupils of one of my groups")),
    ]

    school = forms.ChoiceField(label=_("School"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    class_number = forms.TypedChoiceField(
        label=_("Class"), choices=CLASS_CHOICES, required=False, coerce=int, empty_value=None
    )
    way = forms.ChoiceField(
        label=_("Names"), choices=WAYS, widget=forms.RadioSelect, initial="count"
    )
    count = forms.IntegerField(label=_("How many codes"), min_value=1, required=False)
    names = forms.CharField(
        label=_("Names, one a line: «Surname First name»"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=60_000,
    )
    group = forms.ChoiceField(label=_("Group"), required=False)

    def __init__(self, *args, schools, categories, groups, max_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(str(s.pk), s.name) for s in schools]
        if categories:
            self.fields["category"].required = True
            self.fields["category"].choices = [
                ("", "—"),
                *[(str(c.pk), audience.category_label(c)) for c in categories],
            ]
        else:
            del self.fields["category"]
        self.fields["count"].max_value = max_count
        self.fields["count"].widget.attrs["max"] = max_count
        if groups:
            self.fields["group"].choices = [
                ("", "—"),
                *[(str(g.pk), f"{g.name} · {g.school.name}") for g in groups],
            ]
        else:
            del self.fields["group"]
            self.fields["way"].choices = self.WAYS[:2]

    def clean(self):
        data = super().clean()
        way = data.get("way")
        if way == "count" and not data.get("count"):
            self.add_error("count", _("How many codes?"))
        if way == "list" and not (data.get("names") or "").strip():
            self.add_error("names", _("Type the names, one a line."))
        if way == "group" and not data.get("group"):
            self.add_error("group", _("Choose the group."))
        return data


def parse_group_post(
    post: QueryDict, pupil_ids: Sequence[int], *, teams: bool
) -> tuple[list[Entry], dict[int, str]]:
    """The teacher's pupils form: ticked `pupil` ids, and per pupil `class_<id>`,
    `category_<id>` and `team_<id>`; `class_all` fills the classes left empty. Returns the
    entries and the problems found (pupil id → message)."""
    allowed = set(pupil_ids)
    ticked = []
    for raw in post.getlist("pupil"):
        try:
            pupil_id = int(raw)
        except (TypeError, ValueError):
            continue
        if pupil_id in allowed and pupil_id not in ticked:
            ticked.append(pupil_id)
    problems: dict[int, str] = {}
    entries = []
    common = post.get("class_all", "")
    for pupil_id in ticked:
        try:
            number = audience.checked_class(post.get(f"class_{pupil_id}") or common)
        except Refused as refused:
            problems[pupil_id] = refused.message
            continue
        category = post.get(f"category_{pupil_id}") or None
        try:
            category_id = int(category) if category else None
        except ValueError:
            category_id = -1  # not a category: choose_category refuses it
        entries.append(
            Entry(
                pupil_id=pupil_id,
                class_number=number,
                category_id=category_id,
                team=(post.get(f"team_{pupil_id}") or "")[: MAX_TEAM_NAME + 1] if teams else "",
            )
        )
    return entries, problems
