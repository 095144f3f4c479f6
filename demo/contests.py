"""Demo contests (content/contests.toml): a programming olympiad held a week and a half ago
with its results and diplomas, an upcoming robotics competition with teams of two schools, and
a quiz olympiad's school stage open now, dated relative to the day of loading.

Participants come in through the services the pages call: teachers register their pupils (and
teams) with contests.registering, a pupil registers themselves, a visiting school's teacher
makes personal codes with contests.codes; in the open round a pupil presses Start (the rule of
contests.timing, as the Start button applies it) and saves answers with
contests.submitting.answer_quiz. The held contest is registered for on its day and its runs,
appeals and results are demo.contests_past's.

Idempotent: everything is found before it is added. Loaded on a later day, each contest moves
with the calendar (the day of its start tells when it was dated): a held one with all that
happened in it, an open one with the rounds started in it (never into the future); nobody is
told the contest changed."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db.models import F
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from contests import codes, registering, submitting, timing
from contests.audience import Refused
from contests.models import Contest, Member, Participant, Run, Task
from demo import contests_past, contests_setup
from demo import events as demo_events
from demo.contests_manifest import MANIFEST, is_open_now, manifest, problems
from demo.contests_setup import moment
from demo.manifests import ContentError
from demo.quizzes import _right, _wrong
from events.models.certificates import Certificate

__all__ = ["ensure_contests", "manifest", "problems", "summary_line", "today"]

ANSWER_EVERY = timedelta(minutes=2)  # a started pupil's answers, this far apart
REGISTERED_APART = timedelta(minutes=10)  # a held contest's registrations, one after another

Source = Participant.Source


def today() -> date:
    return demo_events.today()  # one day of loading for events and contests (tests move it)


# --- People -------------------------------------------------------------------------------


def _register(contest: Contest, row: dict, found: dict, now=None) -> None:
    """The registrations, through the teachers' and the pupils' own service (idempotent:
    those registered before are left as they are)."""
    users, groups = found["users"], found["groups"]
    for entry in row["registrations"]:
        try:
            if "user" in entry:
                registering.register_self(
                    contest, users[entry["user"]], class_number=entry.get("class"), now=now
                )
                continue
            entries = [
                registering.Entry(
                    users[name].pk, class_number=entry.get("class"), team=entry.get("team", "")
                )
                for name in entry["pupils"]
            ]
            registering.register_pupils(
                contest, users[entry["by"]], groups[entry["group"]], entries, now=now
            )
        except Refused as refused:
            raise ContentError(f"{MANIFEST} {contest.slug}: {refused.message}") from refused


def _codes(contest: Contest, row: dict, found: dict) -> None:
    """Personal codes a school's teacher made (each name once)."""
    categories = {c.name: c for c in contest.categories.all()}
    for entry in row["codes"]:
        school = found["schools"][entry["school"]]
        made = set(
            Participant.objects.filter(
                contest=contest, school=school, source=Source.CODE
            ).values_list("name", flat=True)
        )
        names = [name for name in entry["names"] if name not in made]
        if not names:
            continue
        try:
            codes.create_codes(
                contest,
                found["users"][entry["by"]],
                school=school,
                category=categories.get(entry.get("category", "")),
                names=names,
                class_number=entry.get("class"),
            )
        except Refused as refused:
            raise ContentError(f"{MANIFEST} {contest.slug}: {refused.message}") from refused


def _who(contest: Contest) -> dict[str, Participant]:
    """Participants by the manifest's names for them: a member's login, a code's name."""
    found = {p.name: p for p in Participant.objects.filter(contest=contest, source=Source.CODE)}
    for member in Member.objects.filter(contest=contest).select_related("user", "participant"):
        found[member.user.username] = member.participant
    return found


def _registered_before(contest: Contest, row: dict, day: date) -> None:
    """A held contest's registrations (made now, by the same services) dated the day they
    were made, a few minutes apart."""
    when = moment(row["registered"], day)
    fresh = Participant.objects.filter(contest=contest, registered_at__gt=contest.starts_at)
    for number, pk in enumerate(fresh.order_by("pk").values_list("pk", flat=True)):
        Participant.objects.filter(pk=pk).update(registered_at=when + REGISTERED_APART * number)


# --- The round open now ---------------------------------------------------------------------


def _posted(spec, response: dict) -> QueryDict:
    """The task page's form as a pupil fills it in with this response (assessments.quiz.posted
    reads it back)."""
    name = f"q{submitting.QUIZ_POSITION}"
    data = QueryDict(mutable=True)
    if "choice" in response:
        data[name] = str(response["choice"])
    elif "choices" in response:
        data.setlist(name, [str(i) for i in response["choices"]])
        data[f"{name}-present"] = "1"
    elif "pairs" in response:
        data[f"{name}-present"] = "1"
        for left, right in response["pairs"].items():
            data[f"{name}-{left}"] = str(right)
    else:
        data[name] = response.get("text", "")
    return data


def _start_rounds(contest: Contest, row: dict, tasks: dict[str, Task], found: dict) -> int:
    """Pupils who pressed Start before the demo was loaded and saved some answers."""
    now = timezone.now()
    who = _who(contest)
    started = 0
    for entry in row["started"]:
        participant = who[entry["user"]]
        if participant.started_at is not None:
            started += 1
            continue
        began = now - timedelta(minutes=entry["minutes_ago"])
        if not timing.may_start(contest, participant, began):
            raise ContentError(f"{MANIFEST} {contest.slug}: {entry['user']} cannot start now")
        timing.start(participant, began)  # what the Start button does
        user = found["users"][entry["user"]]
        rng = random.Random(f"{contest.slug}:{entry['user']}")
        for number, (label, how) in enumerate(entry["answers"], start=1):
            task = tasks[label]
            spec = task.question.spec
            response = _right(spec) if how == "right" else _wrong(spec, rng)
            at = min(began + ANSWER_EVERY * number, now)
            try:
                submitting.answer_quiz(
                    contest, participant, task, user, _posted(spec, response), now=at
                )
            except submitting.RunRefused as refused:
                raise ContentError(f"{MANIFEST} {contest.slug} {label}: {refused}") from refused
        started += 1
    return started


def _shift_started(contest: Contest, shift: timedelta) -> None:
    """Rounds started in a contest open now move with it, but never past this moment."""
    now = timezone.now()
    for participant in Participant.objects.filter(contest=contest, started_at__isnull=False):
        runs = Run.objects.filter(participant=participant)
        last = max([participant.started_at, *runs.values_list("submitted_at", flat=True)])
        moved = min(shift, now - last)
        Participant.objects.filter(pk=participant.pk).update(started_at=F("started_at") + moved)
        runs.update(submitted_at=F("submitted_at") + moved, judged_at=F("judged_at") + moved)


# --- Everything ---------------------------------------------------------------------------


def _redate(contest: Contest, row: dict, day: date) -> int:
    """Move what happened in the contest by the days since it was dated; returns the days."""
    dated = demo_events.schedule(row, day)[0] - contest.starts_at
    shift = timedelta(days=round(dated / timedelta(days=1)))
    if not shift:
        return 0
    if row.get("held"):
        contests_past.shift_held(contest, shift)
    else:
        _shift_started(contest, shift)
    return shift.days


def ensure_contests(data: dict, found: dict, courses: dict) -> dict:
    """The contests with their tasks, participants, runs, appeals and awards; returns the
    counts load_demo prints."""
    day = today()
    users = found["users"]
    organiser = users[data["organiser"]]
    summary = {"contests": 0, "held": 0, "diplomas": 0, "certificates": 0, "upcoming": 0}
    summary.update({"teams": 0, "open": 0, "started": 0, "url": reverse("contests:index")})
    for row in data["contests"]:
        existing = Contest.objects.filter(slug=row["slug"]).first()
        if existing is not None:
            _redate(existing, row, day)
        contest = contests_setup.ensure_contest(row, day, organiser, found["schools"])
        tasks = contests_setup.ensure_tasks(contest, row, courses, organiser)
        contests_setup.ensure_judges(contest, row)
        summary["contests"] += 1
        if row.get("held"):
            _held(contest, row, tasks, found, data["sources"], day, organiser, summary)
            continue
        _register(contest, row, found)
        _codes(contest, row, found)
        if is_open_now(row):
            summary["open"] += 1
            summary["started"] += _start_rounds(contest, row, tasks, found)
        else:
            summary["upcoming"] += 1
            summary["teams"] += contest.participants.filter(withdrawn_at__isnull=True).count()
    return summary


def _held(contest, row, tasks, found, sources, day, organiser, summary) -> None:
    """A held contest: registered on its day, its runs, the board unfrozen, the appeals
    answered and the results published (demo.contests_past)."""
    registered = moment(row["registered"], day)
    _register(contest, row, found, now=registered)
    _codes(contest, row, found)
    _registered_before(contest, row, day)
    who = _who(contest)
    contests_past.write_runs(contest, row, tasks, who, sources)
    for name in row["absent"]:
        if who[name].withdrawn_at is None:
            registering.withdraw(who[name], organiser, now=contest.ends_at)
    contests_past.unfreeze(contest, row, day)
    contests_past.answer_appeals(contest, row, tasks, who, found["users"], day)
    contests_past.publish(contest, row, organiser, day)
    contests_past.redate_certificates(contest)
    summary["held"] += 1
    issued = contests_past.certificates_of(contest).filter(revoked_at__isnull=True)
    summary["diplomas"] += issued.filter(kind=Certificate.Kind.DIPLOMA).count()
    summary["certificates"] += issued.exclude(kind=Certificate.Kind.DIPLOMA).count()


def summary_line(summary: dict) -> str:
    return (
        f"Contests: {summary['contests']} ({summary['held']} held with {summary['diplomas']} "
        f"diplomas and {summary['certificates']} certificates, {summary['upcoming']} upcoming "
        f"with {summary['teams']} teams, {summary['open']} open now with {summary['started']} "
        f"started) at {summary['url']}"
    )
