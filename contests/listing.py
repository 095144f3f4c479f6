"""The contests list and a contest's page, as plain functions: which contests a viewer sees
and in which section (running now, upcoming, past), the rules and the schedule in plain words
(times in the park's time zone), and the viewer's state with the ONE thing they can do next.

Links to other areas' pages are reversed by name and left out while a name is not registered,
so these pages work whichever areas have landed. The queries are a constant few, however many
contests, participants or tasks there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests import audience, permissions, registering, timing
from contests.models import Contest, Participant, Task
from events import permissions as event_permissions
from events.certificates import park_zone

KIND_ICONS = {
    Contest.Kind.PROGRAMMING: "💻",
    Contest.Kind.QUIZ: "🧠",
    Contest.Kind.ROBOTICS: "🤖",
    Contest.Kind.PROJECT: "💡",
}
PAST_PER_PAGE = 20
CURRENT_MAX = 100  # running and upcoming: a bound all the same


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def parse_kind(raw: str | None) -> str:
    return raw if raw in Contest.Kind.values else ""


def local(moment: datetime, fmt: str = "j E Y, H:i") -> str:
    return formats.date_format(timezone.localtime(moment, park_zone()), fmt)


def span(starts_at: datetime, ends_at: datetime) -> str:
    """ "12 марта 2026, 10:00–13:00", or both dates when the span crosses midnight."""
    zone = park_zone()
    first, last = timezone.localtime(starts_at, zone), timezone.localtime(ends_at, zone)
    if first.date() == last.date():
        return f"{local(starts_at)}–{local(ends_at, 'H:i')}"
    return f"{local(starts_at)} – {local(ends_at)}"


# --- The index ---------------------------------------------------------------------------------


@dataclass
class Card:
    contest: Contest
    section: str  # running, upcoming, past
    when: str
    registered: bool = False
    registration_open: bool = False

    @property
    def icon(self) -> str:
        return KIND_ICONS.get(self.contest.kind, "🏆")


@dataclass
class Index:
    running: list[Card]
    upcoming: list[Card]
    past: list[Card]
    past_page: Page
    kind: str


def index(user, *, kind: str = "", page: str | int | None = 1, now: datetime | None = None):
    """The contests this viewer may see (permissions.visible_contests), in three sections; the
    past ones a page at a time, newest first."""
    now = now or timezone.now()
    visible = permissions.visible_contests(user)
    if kind:
        visible = visible.filter(kind=kind)
    current = list(visible.filter(ends_at__gt=now).order_by("starts_at", "pk")[:CURRENT_MAX])
    past_page = Paginator(
        visible.filter(ends_at__lte=now).order_by("-ends_at", "pk"), PAST_PER_PAGE
    )
    past_page = past_page.get_page(page)
    mine = _mine(user, [c.pk for c in current] + [c.pk for c in past_page.object_list])
    cards = [
        Card(
            contest,
            "running" if contest.starts_at <= now else "upcoming",
            span(contest.starts_at, contest.ends_at),
            registered=contest.pk in mine,
            registration_open=audience.is_registration_open(contest, now),
        )
        for contest in current
    ]
    past = [
        Card(contest, "past", span(contest.starts_at, contest.ends_at), contest.pk in mine)
        for contest in past_page.object_list
    ]
    return Index(
        running=[c for c in cards if c.section == "running"],
        upcoming=[c for c in cards if c.section == "upcoming"],
        past=past,
        past_page=past_page,
        kind=kind,
    )


def _mine(user, contest_ids: list[int]) -> set[int]:
    if not user.is_authenticated or not contest_ids:
        return set()
    from contests.models import Member

    return set(
        Member.objects.filter(user=user, contest_id__in=contest_ids).values_list(
            "contest_id", flat=True
        )
    )


# --- A contest's page: the rules and the schedule in words -------------------------------------


def rules_in_words(contest: Contest) -> list[str]:
    """What decides the places, and the settings that change it, as sentences."""
    lines: list[str] = []
    if contest.rules == Contest.Rules.ICPC:
        lines.append(
            _(
                "ICPC rules: the more tasks solved, the higher the place. Among equals, the "
                "smaller penalty time wins: the minutes from the start to each accepted solution, "
                "plus %(n)d minutes for every rejected run before it."
            )
            % {"n": contest.penalty_minutes}
        )
        if contest.compile_error_counts:
            lines.append(_("A program that does not compile counts as a rejected run."))
        else:
            lines.append(_("A program that does not compile costs nothing."))
        lines.append(_("Still equal: the earlier last accepted solution is higher, then shared."))
    elif contest.rules == Contest.Rules.IOI:
        lines.append(
            _(
                "IOI rules: every task gives points, partial solutions too; the place is by the "
                "sum of the points. Equal sums share the place."
            )
        )
        if contest.best_per_subtask:
            lines.append(_("A task counts the best result of each of its parts over all runs."))
        else:
            lines.append(_("A task counts its best run."))
    else:
        lines.append(
            _(
                "Judged: the judges score each run on a score sheet (task items, penalties, time); "
                "the place is by the sum over the tasks."
            )
        )
    if contest.freeze_minutes:
        lines.append(
            ngettext(
                "The public standings freeze %(n)d minute before the end; the results are "
                "revealed after it.",
                "The public standings freeze %(n)d minutes before the end; the results are "
                "revealed after it.",
                contest.freeze_minutes,
            )
            % {"n": contest.freeze_minutes}
        )
    if contest.practice_after_end:
        lines.append(_("After the end the tasks stay open for practice (not counted)."))
    return lines


@dataclass
class Fact:
    label: str
    value: str


def schedule(contest: Contest) -> list[Fact]:
    facts = []
    if contest.window_minutes:
        facts.append(
            Fact(
                _("Round"),
                ngettext(
                    "%(n)d minute from pressing Start, any time from %(start)s to %(end)s",
                    "%(n)d minutes from pressing Start, any time from %(start)s to %(end)s",
                    contest.window_minutes,
                )
                % {
                    "n": contest.window_minutes,
                    "start": local(contest.starts_at),
                    "end": local(contest.ends_at),
                },
            )
        )
    else:
        facts.append(Fact(_("Round"), span(contest.starts_at, contest.ends_at)))
    closes = audience.registration_closes(contest)
    if contest.registration_opens_at:
        registration = _("from %(opens)s to %(closes)s") % {
            "opens": local(contest.registration_opens_at),
            "closes": local(closes),
        }
    else:
        registration = _("until %(closes)s") % {"closes": local(closes)}
    facts.append(Fact(_("Registration"), registration))
    if contest.appeals_until:
        facts.append(
            Fact(_("Appeals"), _("until %(when)s") % {"when": local(contest.appeals_until)})
        )
    return facts


def time_zone_label() -> str:
    return str(park_zone())


# --- A contest's page: the viewer's state ------------------------------------------------------


@dataclass
class Action:
    """The one thing the viewer can do next (`kind` picks the template's block)."""

    kind: str  # tasks, start, registered, register, login, code, register_group, over, none
    url: str | None = None
    note: str = ""


@dataclass
class Viewer:
    participant: Participant | None
    jury: bool
    organiser: bool
    action: Action
    ends_at: datetime | None = None  # the countdown's end (own window open)
    seconds_left: int | None = None
    may_withdraw: bool = False
    register_group_url: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


def first_task_url(contest: Contest) -> str | None:
    task = (
        Task.objects.filter(contest=contest, removed_at__isnull=True)
        .order_by("order", "pk")
        .only("label")
        .first()
    )
    return url_or_none("contests:task", contest.slug, task.label) if task else None


def viewer(request: HttpRequest, contest: Contest, now: datetime | None = None) -> Viewer:
    now = now or timezone.now()
    user = request.user
    organiser = permissions.is_organiser(user)
    jury = organiser or permissions.is_jury(user, contest)
    participant = permissions.participant_of(request, contest)
    state = Viewer(participant, jury, organiser, Action("none"))
    teaches = user.is_authenticated and event_permissions.groups_to_register(user).exists()
    if teaches and audience.teacher_refusal(contest, now) is None:
        state.register_group_url = reverse("contests:register_group", args=[contest.slug])
    if participant is not None:
        _participant_state(state, contest, participant, user, now)
    else:
        _visitor_state(state, contest, user, now)
    if jury and participant is None and state.action.kind in ("none", "over", "code"):
        tasks = first_task_url(contest)
        if tasks:
            state.action = Action("tasks", tasks, _("The jury sees the tasks at any time."))
    _links(state, contest, now)
    return state


def _participant_state(state: Viewer, contest, participant, user, now) -> None:
    state.may_withdraw = user.is_authenticated and registering.may_withdraw(user, participant, now)
    if participant.withdrawn_at is not None:
        state.action = Action("withdrawn", note=_("Your participation was withdrawn."))
        state.may_withdraw = False
        return
    window = timing.window(contest, participant)
    if now < contest.starts_at:
        state.action = Action(
            "registered", note=_("The round starts %(when)s.") % {"when": local(contest.starts_at)}
        )
        return
    if contest.window_minutes and timing.may_start(contest, participant, now):
        length = contest.window_minutes + participant.extra_minutes
        last = timing.period_end(contest, participant)
        state.action = Action(
            "start",
            reverse("contests:start", args=[contest.slug]),
            ngettext(
                "You will have %(n)d minute from pressing Start (but no later than %(end)s).",
                "You will have %(n)d minutes from pressing Start (but no later than %(end)s).",
                length,
            )
            % {"n": length, "end": local(last)},
        )
        return
    if window.is_open(now):
        state.action = Action("tasks", first_task_url(contest))
        state.ends_at = window.ends_at
        state.seconds_left = max(0, int((window.ends_at - now).total_seconds()))
        return
    if timing.is_over(contest, now) and contest.practice_after_end:
        state.action = Action(
            "tasks", first_task_url(contest), _("The round is over: practise, it is not counted.")
        )
        return
    state.action = Action("over", note=_("Your time is over."))


def _visitor_state(state: Viewer, contest, user, now) -> None:
    if timing.is_over(contest, now):
        state.action = Action("over", note=_("The contest is over."))
        return
    reason = audience.self_refusal(contest, user, now)
    if reason is None:
        state.action = Action("register", reverse("contests:register", args=[contest.slug]))
        return
    if (
        not user.is_authenticated
        and contest.self_registration
        and (audience.window_refusal(contest, now) is None)
    ):
        detail = reverse("contests:detail", args=[contest.slug])
        login = f"{reverse('login')}?{urlencode({'next': detail})}"
        state.action = Action("login", login, _("Log in to register."))
        return
    if state.register_group_url:
        state.action = Action("register_group", state.register_group_url, reason)
        return
    state.action = Action("code", reverse("contests:enter_code", args=[contest.slug]), reason)


def _links(state: Viewer, contest: Contest, now: datetime) -> None:
    links = []
    if now >= contest.starts_at or state.jury:
        standings = url_or_none("contests:standings", contest.slug)
        if standings:
            links.append((_("Standings"), standings))
    if state.jury:  # the awards preview and publishing: the jury's page
        results = url_or_none("contests:results", contest.slug)
        if results:
            links.append((_("Results"), results))
    if state.participant is not None:
        runs = url_or_none("contests:my_runs", contest.slug)
        if runs and now >= contest.starts_at:
            links.append((_("My runs"), runs))
        if timing.is_over(contest, now):
            for label, name in (
                (_("My result"), "contests:my_result"),
                (_("Appeals"), "contests:appeals"),
            ):
                url = url_or_none(name, contest.slug)
                if url:
                    links.append((label, url))
    state.links = links


def prefetch(contest: Contest) -> None:
    """The categories and the chosen schools, read once for the page and the rules (two
    queries; audience.school_refusal then asks no more)."""
    prefetch_related_objects([contest], "categories", "schools")
