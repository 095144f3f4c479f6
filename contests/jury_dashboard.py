"""The organisers' dashboard of one contest: where the contest stands (registration, the round,
the freeze, appeals, results), the figures that matter on the day, and a link to every tool.

Links are built by URL name and skip the names not registered (yet): each tool is another
area's page, and the dashboard works whichever of them have landed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contests.models import Appeal, Category, Contest, Participant, Run, Sheet, Task

# (group title, [(URL name, label)]) in the order an organiser needs them.
TOOLS = [
    (
        gettext_lazy("Setting up"),
        [
            ("contests:edit", gettext_lazy("Settings and categories")),
            ("contests:setup_tasks", gettext_lazy("Tasks")),
            ("contests:setup_awards", gettext_lazy("Award rules")),
            ("contests:setup_people", gettext_lazy("Jury and judges")),
        ],
    ),
    (
        gettext_lazy("Participants"),
        [
            ("contests:participants", gettext_lazy("Participants")),
            ("contests:codes", gettext_lazy("Participant codes")),
        ],
    ),
    (
        gettext_lazy("The round"),
        [
            ("contests:standings", gettext_lazy("Standings")),
            ("contests:freeze", gettext_lazy("Freeze of the public board")),
            ("contests:sheets", gettext_lazy("Score sheets")),
            ("contests:import_runs", gettext_lazy("Import results")),
        ],
    ),
    (
        gettext_lazy("After the round"),
        [
            ("contests:appeals", gettext_lazy("Appeals")),
            ("contests:results", gettext_lazy("Results and diplomas")),
            ("contests:protocol", gettext_lazy("Final protocol")),
        ],
    ),
]


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@dataclass(frozen=True)
class Link:
    name: str
    label: str
    url: str


def tool_links(contest: Contest) -> list[tuple[str, list[Link]]]:
    groups = []
    for title, tools in TOOLS:
        links = [
            Link(name, str(label), url)
            for name, label in tools
            if (url := url_or_none(name, contest.slug)) is not None
        ]
        if links:
            groups.append((str(title), links))
    return groups


@dataclass
class State:
    """Where the contest stands now, as short phrases (each with a tone for its badge)."""

    phrases: list[tuple[str, str]] = field(default_factory=list)  # (tone, text)


def registration_open(contest: Contest, now: datetime) -> bool:
    if now >= contest.ends_at:
        return False
    if contest.registration_opens_at and now < contest.registration_opens_at:
        return False
    return not (contest.registration_closes_at and now >= contest.registration_closes_at)


def state_of(contest: Contest, now: datetime) -> State:
    state = State()
    say = state.phrases.append
    if not contest.is_published:
        say(("muted", _("not published: only the organisers see it")))
    if registration_open(contest, now):
        say(("ok", _("registration open")))
    elif contest.registration_opens_at and now < contest.registration_opens_at:
        say(("muted", _("registration not open yet")))
    else:
        say(("muted", _("registration closed")))
    if now < contest.starts_at:
        say(("muted", _("the round has not started")))
    elif now < contest.ends_at:
        say(("live", _("the round is running")))
    else:
        say(("muted", _("the round has ended")))
    freeze_at = contest.freeze_at()
    if freeze_at is not None and now >= freeze_at:
        if contest.unfrozen_at is None:
            say(("warn", _("the public board is frozen")))
        else:
            say(("ok", _("the public board is unfrozen")))
    if contest.appeals_until and contest.ends_at <= now < contest.appeals_until:
        say(("live", _("appeals are accepted")))
    if contest.results_published_at:
        say(("ok", _("results published")))
    return state


@dataclass
class CategoryCount:
    name: str
    participants: int
    withdrawn: int


@dataclass
class Figures:
    categories: list[CategoryCount]
    participants: int
    tasks: int
    removed_tasks: int
    runs: int
    queued_runs: int
    practice_runs: int
    pending_appeals: int
    sheets: int


def figures_of(contest: Contest) -> Figures:
    """The dashboard's counts in a fixed number of queries, however big the contest."""
    by_category = {
        row["category_id"]: row
        for row in Participant.objects.filter(contest=contest)
        .values("category_id")
        .annotate(n=Count("pk"), gone=Count("pk", filter=Q(withdrawn_at__isnull=False)))
    }
    categories = []
    for category in Category.objects.filter(contest=contest):
        row = by_category.pop(category.pk, {"n": 0, "gone": 0})
        categories.append(CategoryCount(category.name, row["n"], row["gone"]))
    rest = by_category.pop(None, None)
    if rest is not None or not categories:
        rest = rest or {"n": 0, "gone": 0}
        categories.append(CategoryCount(_("without a category"), rest["n"], rest["gone"]))
    runs = Run.objects.filter(contest=contest).aggregate(
        counted=Count("pk", filter=Q(is_practice=False)),
        practice=Count("pk", filter=Q(is_practice=True)),
        queued=Count("pk", filter=~Q(state=Run.State.DONE)),
    )
    tasks = Task.objects.filter(contest=contest).aggregate(
        live=Count("pk", filter=Q(removed_at__isnull=True)),
        removed=Count("pk", filter=Q(removed_at__isnull=False)),
    )
    return Figures(
        categories=categories,
        participants=sum(c.participants for c in categories),
        tasks=tasks["live"],
        removed_tasks=tasks["removed"],
        runs=runs["counted"],
        queued_runs=runs["queued"],
        practice_runs=runs["practice"],
        pending_appeals=Appeal.objects.filter(
            contest=contest, status=Appeal.Status.PENDING
        ).count(),
        sheets=Sheet.objects.filter(task__contest=contest).count(),
    )
