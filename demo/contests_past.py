"""A demo contest already held (content/contests.toml, `held = true`): its runs as they were
judged, the board unfrozen at the closing, the appeals answered, the results and diplomas.

Runs of a finished round can no longer be sent, so they are written as they stood: each names a
program of [[sources]] whose verdict on every test is declared there (tests/demo judges every
one of them in the sandbox and checks it); the run's verdict, score, subtask scores and per-test
details are then what contests.judging would store for that judgement (judging.run_score and
test_detail), the times and memory plausible, never judged at load (load_demo stays fast). The
rest goes through the services the jury's pages call: contests.board_freeze.unfreeze,
contests.appeals (file_appeal, answer: an audited ScoreChange), contests.awards.publish_results
(Award rows and the diplomas, events certificates); their moments are then set to the days they
happened, and the answered appeal's notification is delivered as read back then."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone

from assessments.models import Notification
from assessments.notifications import deliver
from assessments.programming import judge
from assessments.programming.models import ProgrammingLanguage
from assessments.programming.spec import ProblemSpec, Verdict
from contests import appeal_messages, appeals, awards, board_freeze, diplomas, judging, standings
from contests.models import (
    Appeal,
    Award,
    Contest,
    Member,
    Participant,
    Run,
    ScoreChange,
    Sheet,
    Task,
)
from demo import programming
from demo.contests_setup import moment
from demo.manifests import ContentError
from events.models.certificates import Certificate

JUDGED_AFTER = timedelta(seconds=7)  # a run's verdict came this long after it was sent
READ_AFTER = timedelta(hours=2)  # the answered appeal's notification was read then


def _seed(*parts) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:12], 16)


def specs(sources: dict[str, dict]) -> dict[str, ProblemSpec]:
    """The problem packages the sources are for, read once (as demo.programming reads them)."""
    return {slug: programming.read(slug).spec for slug in {s["problem"] for s in sources.values()}}


def time_limit(spec: ProblemSpec, language: str) -> float:
    own = spec.languages.get(language)
    return float(own.time_limit_s if own and own.time_limit_s else spec.time_limit_s)


def judgement_of(source: dict, spec: ProblemSpec, seed: int) -> judge.Judgement:
    """The judgement the source gets on the problem's tests, as its manifest entry declares:
    every test passes but those in `verdicts`; a compilation error runs no test."""
    if source.get("verdict") == "CE":
        return judge.Judgement(Verdict.CE, compile_output=source["compile_output"].lstrip("\n"))
    failing = {int(number): Verdict(v) for number, v in source.get("verdicts", {}).items()}
    language = source.get("language", "python")
    limit = time_limit(spec, language)
    tests = []
    for index, test in enumerate(spec.tests):
        verdict = failing.get(index + 1, Verdict.OK)
        noise = _seed(seed, index) % 1000 / 1000
        big = len(test.input) > 100_000
        if language == "cpp":
            time_s, memory_kb = (0.03 + 0.04 * noise, 6200) if big else (0.004 * noise, 3500)
        else:
            time_s, memory_kb = (0.2 + 0.3 * noise, 24800) if big else (0.02 + 0.03 * noise, 9100)
        if verdict is Verdict.TLE:
            time_s = limit + 0.01 + 0.02 * noise
        tests.append(
            judge.TestVerdict(
                index=index,
                verdict=verdict,
                is_example=test.is_example,
                subtask=test.subtask,
                points=test.points,
                time_s=round(time_s, 3),
                memory_kb=memory_kb + int(400 * noise),
                output_excerpt=test.answer if test.is_example and verdict is Verdict.OK else "",
            )
        )
    failed = next((t for t in tests if t.verdict is not Verdict.OK), None)
    return judge.Judgement(failed.verdict if failed else Verdict.OK, tests)


def _run(contest, participant, task, user, source, spec, minute: int, seed: int, languages):
    seconds = minute * 60 + _seed(seed, "second") % 60
    submitted_at = contest.starts_at + timedelta(seconds=seconds)
    judgement = judgement_of(source, spec, seed)
    score, parts = judging.run_score(judgement, spec, task.max_score)
    details = [judging.test_detail(t, spec) for t in judgement.tests]
    return Run(
        contest=contest,
        participant=participant,
        task=task,
        submitted_by=user,
        submitted_at=submitted_at,
        time_seconds=seconds,
        language=languages[source.get("language", "python")],
        code=source["code"].lstrip("\n"),
        state=Run.State.DONE,
        verdict=judging.contest_verdict(judgement.verdict),
        score=score,
        subtask_scores=[str(part) for part in parts],
        tests_passed=sum(row["verdict"] == "OK" for row in details),
        tests_total=len(spec.tests),
        compile_output=(judgement.compile_output or judgement.message)[:20000],
        details=details,
        judge_runs=1,
        judged_at=submitted_at + JUDGED_AFTER,
    )


def write_runs(contest: Contest, row: dict, tasks: dict[str, Task], who: dict, sources) -> int:
    """Each participant's runs, written once (a participant with runs has them all)."""
    problems = specs(sources)
    languages = {language.code: language for language in ProgrammingLanguage.objects.all()}
    members = {
        m.participant_id: m.user
        for m in Member.objects.filter(contest=contest).select_related("user")
    }
    made = []
    for entry in row["runs"]:
        participant = who[entry["who"]]
        if Run.objects.filter(participant=participant).exists():
            continue
        for number, (label, minute, key) in enumerate(entry["runs"]):
            source = sources[key]
            made.append(
                _run(
                    contest,
                    participant,
                    tasks[label],
                    members.get(participant.pk),
                    source,
                    problems[source["problem"]],
                    minute,
                    _seed(contest.slug, entry["who"], number),
                    languages,
                )
            )
    Run.objects.bulk_create(made)
    if made:
        _fresh_board(contest)
    return len(made)


def _fresh_board(contest: Contest) -> None:
    """The standings moved (rows written here, not by the services): bump the version now,
    not on commit, since the jury's board is read again in this same transaction."""
    standings.invalidate(contest.pk)
    contest.refresh_from_db(fields=["standings_version"])


# --- After the round ------------------------------------------------------------------------


def unfreeze(contest: Contest, row: dict, day: date) -> None:
    if "unfrozen" in row and contest.unfrozen_at is None:
        board_freeze.unfreeze(contest, moment(row["unfrozen"], day))


def answer_appeals(contest: Contest, row: dict, tasks: dict, who: dict, users: dict, day) -> int:
    """The appeals as filed and answered (once); returns how many there are."""
    members = {m.participant_id: m.user for m in Member.objects.filter(contest=contest)}
    for entry in row.get("appeals", []):
        participant, task = who[entry["who"]], tasks[entry["task"]]
        if Appeal.objects.filter(participant=participant, task=task).exists():
            continue
        filed, answered = moment(entry["filed"], day), moment(entry["answered"], day)
        _fresh_board(contest)
        try:
            appeal, _new = appeals.file_appeal(
                contest, participant, task, members.get(participant.pk), entry["text"], now=filed
            )
            score = Decimal(str(entry["score"])) if "score" in entry else None
            status = Appeal.Status.GRANTED if score is not None else Appeal.Status.REJECTED
            appeals.answer(
                appeal, users[entry["by"]], status=status, answer_text=entry["answer"], score=score
            )
        except appeals.AppealError as error:
            where = f"contests.toml {contest.slug} appeal of {entry['who']}"
            raise ContentError(f"{where}: {error}") from error
        Appeal.objects.filter(pk=appeal.pk).update(filed_at=filed, answered_at=answered)
        ScoreChange.objects.filter(appeal=appeal).update(changed_at=answered)
        _told(appeal.pk, answered)
    return len(row.get("appeals", []))


def _told(appeal_id: int, answered: datetime) -> None:
    """The participant's 🔔 of the answer, delivered now but dated the day it came and read
    (the task queued after the commit then finds it and adds nothing)."""
    appeal = Appeal.objects.select_related("contest", "task").get(pk=appeal_id)
    deliver(appeal_messages.messages_for(appeal, appeal_messages.ANSWERED))
    Notification.objects.filter(key__startswith=f"contest-appeal:{appeal_id}:").update(
        created_at=answered, read_at=answered + READ_AFTER
    )


def publish(contest: Contest, row: dict, organiser, day: date) -> None:
    """The results as the jury published them: awards, diplomas and certificates."""
    if contest.results_published_at is not None or "results" not in row:
        return
    when = moment(row["results"], day)
    _fresh_board(contest)
    try:
        awards.publish_results(contest, organiser, now=when)
    except awards.PublishError as error:
        raise ContentError(f"contests.toml {contest.slug}: {error}") from error
    Award.objects.filter(participant__contest=contest).update(given_at=when)
    certificates_of(contest).update(issued_at=when)


def certificates_of(contest: Contest):
    """The contest's certificates (every version: contests.diplomas' keys)."""
    participants = list(Participant.objects.filter(contest=contest).values_list("pk", flat=True))
    members = list(Member.objects.filter(contest=contest).values_list("pk", flat=True))
    bases = [diplomas.participant_key(pk) for pk in participants]
    bases += [diplomas.member_key(pk) for pk in members]
    query = Q(source_key__in=bases)
    for base in bases:
        query |= Q(source_key__startswith=f"{base}:")
    return Certificate.objects.filter(query) if bases else Certificate.objects.none()


# --- Moving with the calendar ---------------------------------------------------------------


def shift_held(contest: Contest, shift: timedelta) -> None:
    """Everything that happened in a held contest moves by `shift` (the contest's own dates
    are set from the manifest afterwards); nobody is told."""
    now = timezone.now()
    Contest.objects.filter(pk=contest.pk).update(
        unfrozen_at=F("unfrozen_at") + shift,
        results_published_at=F("results_published_at") + shift,
    )
    contest.refresh_from_db(fields=["unfrozen_at", "results_published_at"])
    Participant.objects.filter(contest=contest).update(
        registered_at=F("registered_at") + shift,
        started_at=F("started_at") + shift,
        withdrawn_at=F("withdrawn_at") + shift,
    )
    Run.objects.filter(contest=contest).update(
        submitted_at=F("submitted_at") + shift, judged_at=F("judged_at") + shift
    )
    Sheet.objects.filter(task__contest=contest).update(created_at=F("created_at") + shift)
    found = Appeal.objects.filter(contest=contest)
    found.update(filed_at=F("filed_at") + shift, answered_at=F("answered_at") + shift)
    ScoreChange.objects.filter(task__contest=contest).update(changed_at=F("changed_at") + shift)
    Award.objects.filter(participant__contest=contest).update(given_at=F("given_at") + shift)
    certificates_of(contest).update(issued_at=Least(F("issued_at") + shift, now))
    for pk in found.values_list("pk", flat=True):
        Notification.objects.filter(key__startswith=f"contest-appeal:{pk}:").update(
            created_at=F("created_at") + shift, read_at=F("read_at") + shift
        )


def redate_certificates(contest: Contest) -> None:
    """The dates written on the certificates: the contest's, once it has its new dates."""
    certificates_of(contest).exclude(held_on=diplomas.held_on(contest)).update(
        held_on=diplomas.held_on(contest)
    )
