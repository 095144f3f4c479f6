"""The rules of setting up a contest, as plain functions the organisers' forms call (and tests
call directly): what a contest's settings must satisfy, what may still change once the round
has started, its categories and its award rules (and how to say one in plain words). The jury
and judges: contests.setup_people; the board's freeze: contests.board_freeze.

A check returns a Verdict: errors (field name → messages; "" for the whole form) refuse the
save; warnings are said to the organiser, who saves again to confirm. What would corrupt
standings already counted is an error, what only changes them for everyone is a warning."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests.models import (
    AwardRule,
    Category,
    Contest,
    Member,
    Participant,
    Run,
    Task,
)
from events.certificates import park_zone
from lms.numbers import number, plural_count

Rules = Contest.Rules
Kind = Contest.Kind

# The rules each kind of contest is scored by; a quiz olympiad adds up its tasks' scores,
# robots and projects are scored by judges on sheets.
RULES_FOR_KIND: dict[str, tuple[str, ...]] = {
    Kind.PROGRAMMING: (Rules.ICPC, Rules.IOI),
    Kind.QUIZ: (Rules.IOI,),
    Kind.ROBOTICS: (Rules.JUDGED,),
    Kind.PROJECT: (Rules.JUDGED,),
}
# The kinds of task each set of rules can rank: ICPC needs accepted/rejected runs (programs),
# IOI adds up scores (programs and quiz answers), judged ones come from sheets.
TASK_KINDS_FOR_RULES: dict[str, tuple[str, ...]] = {
    Rules.ICPC: (Task.Kind.PROGRAMMING,),
    Rules.IOI: (Task.Kind.PROGRAMMING, Task.Kind.QUIZ),
    Rules.JUDGED: (Task.Kind.JUDGED,),
}
# Addresses under /contests/ that are pages, not contests.
RESERVED_SLUGS = frozenset({"new", "manage", "mine", "my", "check", "codes", "code"})


class SetupError(Exception):
    """A setup action refused; the message is translated and said as is."""


@dataclass
class Verdict:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class Facts:
    """What has happened in a contest so far, as far as its settings care."""

    runs: int = 0  # counted runs (not practice)
    last_run_at: datetime | None = None
    started: int = 0  # participants who pressed Start (individual windows)
    participants: int = 0
    largest_team: int = 0
    task_kinds: frozenset[str] = frozenset()


def facts_of(contest: Contest) -> Facts:
    """The Facts of a stored contest, in a few queries."""
    runs = Run.objects.filter(contest=contest, is_practice=False).aggregate(
        n=Count("pk"), last=Max("submitted_at")
    )
    people = Participant.objects.filter(contest=contest).aggregate(
        n=Count("pk"), started=Count("pk", filter=Q(started_at__isnull=False))
    )
    largest = (
        Member.objects.filter(contest=contest)
        .values("participant_id")
        .annotate(n=Count("pk"))
        .aggregate(m=Max("n"))["m"]
    )
    kinds = Task.objects.filter(contest=contest, removed_at__isnull=True).values_list(
        "kind", flat=True
    )
    return Facts(
        runs=runs["n"],
        last_run_at=runs["last"],
        started=people["started"],
        participants=people["n"],
        largest_team=largest or 0,
        task_kinds=frozenset(kinds),
    )


def local(moment: datetime) -> str:
    """A moment as the organiser reads it: in the park's time zone."""
    return formats.date_format(timezone.localtime(moment, park_zone()), "DATETIME_FORMAT")


def period_minutes(contest: Contest) -> int:
    return int((contest.ends_at - contest.starts_at).total_seconds() // 60)


# --- The contest's own settings -------------------------------------------------------------


def rules_message(kind: str) -> str:
    if kind == Kind.QUIZ:
        return _("A quiz olympiad is scored by IOI rules: the sum of the tasks' scores.")
    if kind in (Kind.ROBOTICS, Kind.PROJECT):
        return _("Robotics competitions and project contests are scored by the judges' sheets.")
    return _("A programming contest is run by ICPC or IOI rules.")


def check_schedule(contest: Contest, verdict: Verdict) -> None:
    """The times must make sense together (all optional ones may be empty)."""
    starts, ends = contest.starts_at, contest.ends_at
    if starts is None or ends is None:
        return  # the form has said the field is required
    if ends <= starts:
        verdict.error("ends_at", _("The round must end after it starts."))
        return
    opens, closes = contest.registration_opens_at, contest.registration_closes_at
    if opens and closes and closes <= opens:
        verdict.error("registration_closes_at", _("Registration must close after it opens."))
    if closes and closes > ends:
        verdict.error("registration_closes_at", _("Registration must close before the round ends."))
    if opens and opens >= ends:
        verdict.error("registration_opens_at", _("Registration must open before the round ends."))
    minutes = period_minutes(contest)
    if contest.window_minutes and contest.window_minutes >= minutes:
        verdict.error(
            "window_minutes",
            ngettext(
                "The individual window must be shorter than the period it is taken in "
                "(%(n)d minute).",
                "The individual window must be shorter than the period it is taken in "
                "(%(n)d minutes).",
                minutes,
            )
            % {"n": minutes},
        )
    if contest.freeze_minutes and contest.freeze_minutes >= minutes:
        verdict.error(
            "freeze_minutes",
            ngettext(
                "The freeze must be shorter than the round (%(n)d minute).",
                "The freeze must be shorter than the round (%(n)d minutes).",
                minutes,
            )
            % {"n": minutes},
        )
    if contest.appeals_until and contest.appeals_until <= ends:
        verdict.error("appeals_until", _("Appeals must close after the round ends."))


def check_settings(contest: Contest, verdict: Verdict, *, schools_chosen: int) -> None:
    if contest.slug and contest.slug.lower() in RESERVED_SLUGS:
        verdict.error("slug", _("This short name is taken by a page of the site: choose another."))
    if contest.kind and contest.rules and contest.rules not in RULES_FOR_KIND.get(contest.kind, ()):
        verdict.error("rules", rules_message(contest.kind))
    if contest.audience == Contest.Audience.SCHOOLS and not schools_chosen:
        verdict.error("schools", _("Choose at least one school, or another audience."))
    if contest.teams and contest.team_size < 2:
        verdict.error("team_size", _("A team has at least two places; or untick “teams”."))


def check_contest(
    contest: Contest,
    *,
    before: Contest | None = None,
    facts: Facts | None = None,
    schools_chosen: int = 0,
    now: datetime | None = None,
) -> Verdict:
    """All the rules for saving `contest` (its new values, unsaved); `before` is the stored
    contest (None when creating it) and `facts` what has happened in it."""
    verdict = Verdict()
    check_schedule(contest, verdict)
    check_settings(contest, verdict, schools_chosen=schools_chosen)
    facts = facts or Facts()
    if facts.task_kinds and contest.rules:
        allowed = TASK_KINDS_FOR_RULES.get(contest.rules, ())
        if not facts.task_kinds <= set(allowed):
            verdict.error(
                "rules",
                _("The contest has tasks these rules cannot rank: remove them first."),
            )
    if before is not None and not verdict.errors:
        check_changes(contest, before, facts, now or timezone.now(), verdict)
    return verdict


def check_changes(
    contest: Contest, before: Contest, facts: Facts, now: datetime, verdict: Verdict
) -> None:
    """What may still change once the round has started or runs exist (e.g. imported)."""
    started = now >= before.starts_at
    counted = bool(facts.runs)
    if contest.rules != before.rules and (started or counted):
        verdict.error(
            "rules",
            _(
                "The rules can be changed only before the round starts and before any runs: "
                "the standings are already counted by them."
            ),
        )
    if contest.starts_at != before.starts_at and (counted or facts.started) and started:
        verdict.error(
            "starts_at",
            _(
                "Runs have been made: the start can no longer be moved "
                "(contest times count from it)."
            ),
        )
    if bool(contest.window_minutes) != bool(before.window_minutes) and (counted or facts.started):
        verdict.error(
            "window_minutes",
            _(
                "Participants have started: the window can no longer switch between "
                "fixed and individual."
            ),
        )
    elif contest.window_minutes != before.window_minutes and facts.started:
        verdict.warnings.append(
            ngettext(
                "%(n)d participant has started their window: it changes at once.",
                "%(n)d participants have started their windows: they change at once.",
                facts.started,
            )
            % {"n": facts.started}
        )
    if contest.ends_at != before.ends_at:
        if facts.last_run_at and contest.ends_at <= facts.last_run_at:
            verdict.error(
                "ends_at",
                _("Runs were made until %(when)s: the round cannot end before them.")
                % {"when": local(facts.last_run_at)},
            )
        elif before.ends_at <= now < contest.ends_at:
            verdict.warnings.append(_("The round has ended: a later end opens it again."))
        elif started and now < before.ends_at:
            verdict.warnings.append(_("The round is running: its end changes for everyone."))
    scoring = ("penalty_minutes", "compile_error_counts", "best_per_subtask")
    if counted and any(getattr(contest, n) != getattr(before, n) for n in scoring):
        verdict.warnings.append(
            _("Runs have been counted: the standings are recounted with the new setting.")
        )
    freeze_at = before.freeze_at()
    if (
        contest.freeze_minutes != before.freeze_minutes
        and freeze_at is not None
        and freeze_at <= now
        and before.unfrozen_at is None
    ):
        verdict.warnings.append(
            _("The public board is frozen now: changing the freeze shows or hides results at once.")
        )
    team_size = contest.team_size if contest.teams else 1
    if facts.largest_team > team_size:
        verdict.error(
            "team_size",
            ngettext(
                "A team already has %(n)d member: the size cannot be below that.",
                "A team already has %(n)d members: the size cannot be below that.",
                facts.largest_team,
            )
            % {"n": facts.largest_team},
        )
    if facts.participants:
        if before.is_published and not contest.is_published:
            verdict.warnings.append(
                ngettext(
                    "%(n)d participant is registered: unpublishing hides the contest from them.",
                    "%(n)d participants are registered: unpublishing hides the contest from them.",
                    facts.participants,
                )
                % {"n": facts.participants}
            )
        if contest.audience != before.audience:
            verdict.warnings.append(
                _("Participants already registered stay registered whoever the contest is for now.")
            )
    if contest.slug != before.slug and before.is_published:
        verdict.warnings.append(
            _("Links and printed code sheets with the old address will stop working.")
        )


def normalise(contest: Contest) -> None:
    """Settings that mean nothing in this configuration get their neutral values."""
    if not contest.teams:
        contest.team_size = 1


# --- Categories -----------------------------------------------------------------------------

LOWEST_CLASS, HIGHEST_CLASS = 1, 11


def check_class_range(min_class: int | None, max_class: int | None) -> str | None:
    if min_class is not None and max_class is not None and min_class > max_class:
        return _("“From class” must not be above “to class”.")
    return None


def overlapping(ranges: Sequence[tuple[str, int | None, int | None]]) -> list[tuple[str, str]]:
    """Pairs of categories (by name) whose class ranges share a class; an empty bound is open."""
    spans = [
        (name, LOWEST_CLASS if low is None else low, HIGHEST_CLASS if high is None else high)
        for name, low, high in ranges
    ]
    pairs = []
    for i, (name, low, high) in enumerate(spans):
        for other, other_low, other_high in spans[i + 1 :]:
            if low <= other_high and other_low <= high:
                pairs.append((name, other))
    return pairs


def overlap_warning(pairs: Iterable[tuple[str, str]]) -> str | None:
    pairs = list(pairs)
    if not pairs:
        return None
    names = "; ".join(f"«{a}» — «{b}»" for a, b in pairs)
    return _(
        "The class ranges of these categories overlap: %(pairs)s. A pupil of such a class is "
        "placed in the first of them when registering."
    ) % {"pairs": names}


def why_not_delete_category(category: Category, participants: int) -> str | None:
    if participants:
        return ngettext(
            "«%(name)s» has %(n)d participant: move them to another category first.",
            "«%(name)s» has %(n)d participants: move them to another category first.",
            participants,
        ) % {"name": category.name, "n": participants}
    return None


# --- Award rules ----------------------------------------------------------------------------


def check_award_rule(rule: AwardRule) -> dict[str, str]:
    errors = {}
    if rule.max_place is None and rule.min_score is None and rule.max_share_percent is None:
        errors[""] = _("Set at least one condition: places, a score or a share of participants.")
    if rule.max_place is not None and rule.max_place < 1:
        errors["max_place"] = _("Places start from 1.")
    if rule.min_score is not None:
        if rule.min_score < 0:
            errors["min_score"] = _("A score cannot be negative.")
        elif rule.min_score_is_percent and rule.min_score > 100:
            errors["min_score"] = _("A share of the maximum cannot be above 100 %.")
    if rule.max_share_percent is not None and not 0 < rule.max_share_percent <= 100:
        errors["max_share_percent"] = _("A share of participants is between 0 and 100 %.")
    return errors


def describe_rule(rule: AwardRule, category_name: str | None = None) -> str:
    """«Победитель: места 1–3, не менее 50 % баллов» — the rule in plain words."""
    parts = []
    if rule.max_place is not None:
        parts.append(
            _("place 1") if rule.max_place == 1 else _("places 1–%(n)d") % {"n": rule.max_place}
        )
    if rule.min_score is not None:
        if rule.min_score_is_percent:
            parts.append(_("at least %(n)s %% of the points") % {"n": number(rule.min_score)})
        else:
            parts.append(
                ngettext(
                    "at least %(n)s point",
                    "at least %(n)s points",
                    plural_count(rule.min_score),
                )
                % {"n": number(rule.min_score)}
            )
    if rule.max_share_percent is not None:
        parts.append(
            _("within the best %(n)s %% of participants") % {"n": number(rule.max_share_percent)}
        )
    text = f"{rule.award}: {', '.join(parts)}" if parts else rule.award
    where = category_name or _("every category")
    return f"{text} ({where})"


def check_award_order(rules: Sequence[AwardRule]) -> list[str]:
    """Warnings about rules that can never give their award: an earlier rule of the same
    category (or of every category) with the same conditions already takes everyone."""
    seen: dict[tuple, str] = {}
    warnings = []
    for rule in rules:
        key = (rule.max_place, rule.min_score, rule.min_score_is_percent, rule.max_share_percent)
        for scope in {rule.category_id, None}:
            earlier = seen.get((scope, *key))
            if earlier is not None:
                warnings.append(
                    _(
                        "«%(later)s» has the same conditions as «%(earlier)s» above it: "
                        "nobody gets it."
                    )
                    % {"later": rule.award, "earlier": earlier}
                )
                break
        seen.setdefault((rule.category_id, *key), rule.award)
    return warnings


# --- The standings ---------------------------------------------------------------------------


def invalidate_on_commit(contest_id: int) -> None:
    """The standings moved (a setting, a task): every cached board is stale once this commits."""
    from contests import standings  # another area's module: imported when needed

    transaction.on_commit(lambda: standings.invalidate(contest_id))
