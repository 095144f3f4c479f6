"""The results pages: the jury's preview and publish button, the published list with
certificate codes; a participant's own result with the diploma's download and check links
(by account or by a code)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from contests import awards, standings
from contests.models import Award, AwardRule, Contest
from contests.permissions import SESSION_CODES
from events.models import Certificate
from tests.contests.builders import add_participant, add_run, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


@pytest.fixture
def setup(two):
    contest = make_contest(
        "olymp",
        rules=Contest.Rules.IOI,
        starts_in=timedelta(hours=-5),
        length=timedelta(hours=3),
        tasks=2,
        appeals_until=timezone.now() + timedelta(days=1),
    )
    AwardRule.objects.create(contest=contest, award="Победитель", max_place=1)
    AwardRule.objects.create(contest=contest, award="Призёр", max_place=2, order=1)
    pupil = two.visiting.pupils_a[0]
    winner = add_participant(contest, "Петрова Анна", user=pupil)
    coded = add_participant(contest, "Кодов Кирилл")
    third = add_participant(contest, "Третьякова Вера", user=two.visiting.pupils_a[1])
    task = contest.tasks.get(label="A")
    add_run(winner, task, score=90)
    add_run(coded, task, score=60)
    add_run(third, task, score=10)
    return {"contest": contest, "pupil": pupil, "winner": winner, "coded": coded, "third": third}


def test_only_the_jury_opens_the_results(client, setup, two):
    assert client.get("/contests/olymp/results/").status_code == 302  # to the login page
    for stranger in (setup["pupil"], two.visiting.teacher_a, two.host.pupils_a[0]):
        client.force_login(stranger)
        assert client.get("/contests/olymp/results/").status_code == 404
        assert client.post("/contests/olymp/results/", {"confirm": "yes"}).status_code == 404
    assert Award.objects.count() == 0


def test_the_jury_previews_then_publishes(client, setup, two):
    client.force_login(two.host.teacher_a)
    page = client.get("/contests/olymp/results/").content.decode()
    assert "Петрова Анна" in page and "Победитель" in page and "Призёр" in page
    assert not Certificate.objects.exists()
    client.post("/contests/olymp/results/", {})  # not confirmed: nothing happens
    assert not Certificate.objects.exists()
    response = client.post("/contests/olymp/results/", {"confirm": "yes"})
    assert response.status_code == 302
    assert Certificate.objects.filter(kind=Certificate.Kind.DIPLOMA).count() == 2
    assert Certificate.objects.filter(kind=Certificate.Kind.PARTICIPATION).count() == 1
    page = client.get("/contests/olymp/results/").content.decode()
    for certificate in Certificate.objects.all():
        assert f"/certificates/{certificate.code}/" in page


def test_publishing_during_the_round_is_refused(client, two):
    make_contest("live", rules=Contest.Rules.IOI, tasks=1)
    client.force_login(two.host.teacher_a)
    client.post("/contests/live/results/", {"confirm": "yes"})
    assert Contest.objects.get(slug="live").results_published_at is None


def test_the_results_page_queries_do_not_grow_with_participants(
    client, setup, two, django_assert_num_queries
):
    awards.publish_results(setup["contest"], two.host.teacher_a)
    client.force_login(two.host.teacher_a)
    client.get("/contests/olymp/results/")
    with django_assert_num_queries(13):
        client.get("/contests/olymp/results/")
    task = setup["contest"].tasks.get(label="B")
    for n in range(5):
        add_run(add_participant(setup["contest"], f"Новый Участник{n}"), task, score=5 + n)
    standings.invalidate(setup["contest"].pk)
    contest = Contest.objects.get(pk=setup["contest"].pk)
    awards.publish_results(contest, two.host.teacher_a)
    with django_assert_num_queries(13):
        client.get("/contests/olymp/results/")


def test_my_result_before_and_after_publishing(client, setup, two):
    client.force_login(setup["pupil"])
    page = client.get("/contests/olymp/my-result/")
    assert page.status_code == 200 and 'href="/certificates/' not in page.content.decode()
    awards.publish_results(setup["contest"], two.host.teacher_a)
    page = client.get("/contests/olymp/my-result/").content.decode()
    diploma = Award.objects.get(participant=setup["winner"]).certificate
    assert "Победитель" in page and "90" in page
    assert f"/certificates/{diploma.code}/pdf/" in page and f"/certificates/{diploma.code}/" in page
    pdf = client.get(f"/certificates/{diploma.code}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_a_participant_known_by_a_code_downloads_their_own_certificate_only(client, setup, two):
    awards.publish_results(setup["contest"], two.host.teacher_a)
    session = client.session
    session[SESSION_CODES] = {str(setup["contest"].pk): setup["coded"].pk}
    session.save()
    own = Award.objects.get(participant=setup["coded"]).certificate
    page = client.get("/contests/olymp/my-result/").content.decode()
    link = f"/contests/olymp/my-result/certificate/{own.code}/"
    assert link in page and "Призёр" in page
    pdf = client.get(link)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    theirs = Award.objects.get(participant=setup["winner"]).certificate
    assert client.get(f"/contests/olymp/my-result/certificate/{theirs.code}/").status_code == 404
    assert client.get(f"/certificates/{own.code}/pdf/").status_code == 302  # no account


def test_my_result_is_for_participants_only(client, setup, two):
    assert client.get("/contests/olymp/my-result/").status_code == 404
    client.force_login(two.host.pupils_a[0])
    assert client.get("/contests/olymp/my-result/").status_code == 404
