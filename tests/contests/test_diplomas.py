"""Publishing the results: Award rows from the jury's standings, diplomas and participation
certificates (events.Certificate) issued once, replaced when an award changes, the public
check page naming the contest and the award."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from contests import awards, diplomas, score_changes, standings
from contests.models import Award, AwardRule, Contest, Member
from events.certificate_pdf import render_pdf
from events.models import Certificate
from tests.contests.builders import add_participant, add_run, make_contest

pytestmark = pytest.mark.django_db


def ended(slug="olymp", **fields) -> Contest:
    fields.setdefault("rules", Contest.Rules.IOI)
    return make_contest(
        slug,
        starts_at=(timezone.now() - timedelta(hours=5)).replace(microsecond=0),
        length=timedelta(hours=3),
        tasks=1,
        freeze_minutes=60,
        appeals_until=timezone.now() + timedelta(days=1),
        **fields,
    )


def rules(contest: Contest) -> None:
    AwardRule.objects.create(contest=contest, award="Победитель", max_place=1, order=0)
    AwardRule.objects.create(
        contest=contest, award="Призёр", max_place=3, min_score=50, min_score_is_percent=True,
        order=1,
    )  # fmt: skip


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def olympiad(two):
    """Five who took part and one who did not: scores 90 (pupil), 70 (a code only), 30,
    95 out of competition, one withdrawn with 100, one registered with no run."""
    contest = ended()
    rules(contest)
    task = contest.tasks.get()
    pupils = two.visiting.pupils_a + two.visiting.pupils_b
    people = {
        "first": add_participant(contest, "Петрова Анна Игоревна", user=pupils[0]),
        "coded": add_participant(contest, "Кодов Кирилл", school_name="Школа № 5"),
        "third": add_participant(contest, "Третьякова Вера", user=pupils[1]),
        "guest": add_participant(contest, "Гостев Гость", is_out_of_competition=True),
        "gone": add_participant(contest, "Ушедший Участник", withdrawn_at=timezone.now()),
        "idle": add_participant(contest, "Пропустивший Урок", user=pupils[2]),
    }
    for key, score in (("first", 90), ("coded", 70), ("third", 30), ("guest", 95), ("gone", 100)):
        add_run(people[key], task, score=score)
    return contest, people, task


def test_publishing_fixes_awards_and_issues_diplomas_and_certificates(olympiad, two):
    contest, people, _task = olympiad
    kept = awards.publish_results(contest, two.host.teacher_a)
    assert len(kept) == 4
    got = {a.participant_id: a for a in Award.objects.all()}
    assert set(got) == {people[k].pk for k in ("first", "coded", "third", "guest")}
    first = got[people["first"].pk]
    assert (first.award, first.rank, first.score) == ("Победитель", 1, Decimal(90))
    assert got[people["coded"].pk].award == "Призёр"
    assert got[people["third"].pk].award == ""  # 30 % of the maximum: below the 50 % threshold
    assert got[people["guest"].pk].rank is None and got[people["guest"].pk].award == ""

    diploma = first.certificate
    assert diploma.kind == Certificate.Kind.DIPLOMA and diploma.award == "Победитель"
    assert diploma.source_key == f"contest-participant:{people['first'].pk}"
    assert diploma.title == contest.title and diploma.user == two.visiting.pupils_a[0]
    assert (
        diploma.holder_name == "Петрова Анна Игоревна" and diploma.holder_public_name == "Анна П."
    )
    assert diploma.school_name == "Школа v" and diploma.held_on
    coded = got[people["coded"].pk].certificate
    assert coded.user is None and coded.school_name == "Школа № 5"
    third = got[people["third"].pk].certificate
    assert third.kind == Certificate.Kind.PARTICIPATION and third.award == ""

    contest.refresh_from_db()
    assert contest.results_published_at is not None and contest.unfrozen_at is not None
    assert Certificate.objects.count() == 4


def test_publishing_again_issues_nothing_new(olympiad, two):
    contest, _people, _task = olympiad
    awards.publish_results(contest, two.host.teacher_a)
    codes = set(Certificate.objects.values_list("code", flat=True))
    contest.refresh_from_db()
    unfrozen = contest.unfrozen_at
    awards.publish_results(contest, two.host.teacher_a)
    assert set(Certificate.objects.values_list("code", flat=True)) == codes
    contest.refresh_from_db()
    assert contest.unfrozen_at == unfrozen  # set once


def test_an_award_changed_by_an_appeal_replaces_the_certificate(
    olympiad, two, django_capture_on_commit_callbacks
):
    contest, people, task = olympiad
    jury = two.host.teacher_a
    awards.publish_results(contest, jury)
    before = Award.objects.get(participant=people["third"]).certificate
    unchanged = Award.objects.get(participant=people["coded"]).certificate
    with django_capture_on_commit_callbacks(execute=True):
        score_changes.change_score(contest, people["third"], task, jury, reason="Апелляция",
                                   score=Decimal(80))  # fmt: skip
    contest.refresh_from_db()
    awards.publish_results(contest, jury)

    award = Award.objects.get(participant=people["third"])
    assert (award.award, award.rank) == ("Призёр", 2)
    before.refresh_from_db()
    assert before.revoked_at is not None and before.revoked_reason
    new = award.certificate
    assert new.pk != before.pk and new.kind == Certificate.Kind.DIPLOMA
    assert new.source_key == f"contest-participant:{people['third'].pk}:2"
    moved = Award.objects.get(participant=people["coded"])
    assert moved.rank == 3 and moved.certificate == unchanged  # same award: kept
    unchanged.refresh_from_db()
    assert unchanged.revoked_at is None
    assert diplomas.certificates_of(people["third"]) == [new]

    # And back: a third version, the second revoked.
    with django_capture_on_commit_callbacks(execute=True):
        score_changes.change_score(contest, people["third"], task, jury, reason="Ошибка",
                                   score=Decimal(30))  # fmt: skip
    contest.refresh_from_db()
    awards.publish_results(contest, jury)
    latest = Award.objects.get(participant=people["third"]).certificate
    assert latest.source_key.endswith(":3") and latest.kind == Certificate.Kind.PARTICIPATION
    new.refresh_from_db()
    assert new.revoked_at is not None


def test_a_participant_withdrawn_after_publishing_loses_the_award_and_its_certificate(
    olympiad, two
):
    contest, people, _task = olympiad
    awards.publish_results(contest, two.host.teacher_a)
    certificate = Award.objects.get(participant=people["first"]).certificate
    people["first"].withdrawn_at = timezone.now()
    people["first"].save()
    standings.invalidate(contest.pk)  # as the participants' pages do
    contest.refresh_from_db()
    awards.publish_results(contest, two.host.teacher_a)
    assert not Award.objects.filter(participant=people["first"]).exists()
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert Award.objects.get(participant=people["coded"]).award == "Победитель"


def test_results_are_not_published_before_the_round_is_over(two, english):
    contest = make_contest("live", rules=Contest.Rules.IOI, tasks=1)
    with pytest.raises(awards.PublishError, match="not over"):
        awards.publish_results(contest, two.host.teacher_a)
    extra = ended("extra")
    add_participant(extra, "Долгий Участник", extra_minutes=180)  # still writing
    assert awards.refusal(extra) is not None
    assert not Certificate.objects.exists()


def test_a_team_contest_gives_each_member_a_certificate(two):
    contest = ended("robots", rules=Contest.Rules.JUDGED, teams=True, team_size=3)
    rules(contest)
    team = add_participant(contest, "Роботы", team_name="Роботы", user=two.visiting.pupils_a[0])
    Member.objects.create(contest=contest, participant=team, user=two.visiting.pupils_a[1])
    add_run(team, contest.tasks.get(), score=75)
    awards.publish_results(contest, two.host.teacher_a)
    issued = list(Certificate.objects.order_by("pk"))
    members = list(Member.objects.filter(participant=team).order_by("pk"))
    assert [c.source_key for c in issued] == [f"contest-member:{m.pk}" for m in members]
    assert [c.user for c in issued] == [m.user for m in members]
    assert all(c.award == "Победитель" for c in issued)
    own = diplomas.certificates_of(team, two.visiting.pupils_a[1])
    assert [c.user for c in own] == [two.visiting.pupils_a[1]]


def test_icpc_awards_count_problems_solved(two):
    contest = ended("acm", rules=Contest.Rules.ICPC)
    rules(contest)
    solver = add_participant(contest, "Решалов Иван", user=two.visiting.pupils_a[0])
    trier = add_participant(contest, "Пробов Пётр", user=two.visiting.pupils_a[1])
    add_run(solver, contest.tasks.get(), verdict="OK")
    add_run(trier, contest.tasks.get(), verdict="WA")
    awards.publish_results(contest, two.host.teacher_a)
    assert Award.objects.get(participant=solver).award == "Победитель"
    assert Award.objects.get(participant=solver).score == 1
    assert Award.objects.get(participant=trier).award == ""
    assert Award.objects.get(participant=trier).certificate.kind == Certificate.Kind.PARTICIPATION


def test_the_check_page_confirms_the_contest_and_the_award(olympiad, two, client):
    contest, people, _task = olympiad
    awards.publish_results(contest, two.host.teacher_a)
    diploma = Award.objects.get(participant=people["first"]).certificate
    page = client.get(f"/certificates/{diploma.code}/").content.decode()
    assert contest.title in page and "Победитель" in page and "Анна П." in page
    assert "Петрова" not in page  # children's data: no surname on the public page
    assert render_pdf(diploma).startswith(b"%PDF")


def test_the_dates_on_a_certificate():
    contest = Contest(
        starts_at=datetime(2026, 12, 1, 6, tzinfo=UTC),
        ends_at=datetime(2026, 12, 3, 12, tzinfo=UTC),
    )
    assert diplomas.held_on(contest) == "1–3 декабря 2026"
