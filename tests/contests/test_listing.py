"""The contests list and a contest's page: who sees which contests and in which section, the
rules and schedule in words, the viewer's one next step, and constant query counts."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from contests import listing, permissions
from contests.models import Category, Contest, Participant
from tests.contests.builders import add_participant, add_task, make_contest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(region):
    return region["two"]


def detail(slug="olymp"):
    return reverse("contests:detail", args=[slug])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- The list ----------------------------------------------------------------------------------


def test_the_list_has_running_upcoming_and_past(client, english):
    make_contest("now", title="Running one")
    make_contest("soon", title="Upcoming one", starts_in=timedelta(days=2))
    make_contest("done", title="Past one", starts_in=timedelta(days=-3))
    make_contest("draft", title="Draft one", is_published=False)
    found = listing.index(client_user(client))
    assert [c.contest.slug for c in found.running] == ["now"]
    assert [c.contest.slug for c in found.upcoming] == ["soon"]
    assert [c.contest.slug for c in found.past] == ["done"]
    body = page(client, reverse("contests:index"))
    assert "Running one" in body and "Upcoming one" in body and "Past one" in body
    assert "Draft one" not in body


def client_user(client):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_organisers_see_unpublished_contests_marked(client, two, english):
    make_contest("draft", title="Draft one", is_published=False, starts_in=timedelta(days=1))
    client.force_login(two.host.teacher_a)
    body = page(client, reverse("contests:index"))
    assert "Draft one" in body and "not published" in body


def test_the_kind_filter_and_a_bad_kind(client, english):
    make_contest("prog", title="Prog one")
    make_contest("robots", title="Robot one", kind=Contest.Kind.ROBOTICS)
    body = page(client, reverse("contests:index") + "?kind=robotics")
    assert "Robot one" in body and "Prog one" not in body
    body = page(client, reverse("contests:index") + "?kind=%3Cscript%3E")
    assert "Robot one" in body and "Prog one" in body


def test_past_contests_come_a_page_at_a_time(client):
    for n in range(listing.PAST_PER_PAGE + 3):
        make_contest(f"past{n}", starts_in=timedelta(days=-10 - n))
    found = listing.index(client_user(client), page=2)
    assert len(found.past) == 3
    assert page(client, reverse("contests:index") + "?page=999")  # out of range: the last page


def test_ones_own_contests_are_marked(client, two, english):
    contest = make_contest("mine", starts_in=timedelta(days=1))
    add_participant(contest, user=two.host.pupils_a[0])
    client.force_login(two.host.pupils_a[0])
    assert "you take part" in page(client, reverse("contests:index"))


def test_the_list_asks_the_same_queries_however_many_contests(client, two):
    client.force_login(two.host.pupils_a[0])
    url = reverse("contests:index")
    make_contest("c0")
    make_contest("old", starts_in=timedelta(days=-30))
    client.get(url)  # warm the caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 15):
        make_contest(f"c{n}", starts_in=timedelta(days=n - 7))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)


# --- A contest's page: words -------------------------------------------------------------------


def test_the_rules_in_plain_words(english):
    icpc = make_contest("icpc", penalty_minutes=20, freeze_minutes=60)
    text = " ".join(listing.rules_in_words(icpc))
    assert "plus 20 minutes for every rejected run" in text
    assert "does not compile costs nothing" in text
    assert "freeze 60 minutes before the end" in text
    ioi = make_contest("ioi", rules=Contest.Rules.IOI, best_per_subtask=True)
    assert "each of its parts" in " ".join(listing.rules_in_words(ioi))
    judged = make_contest("judged", rules=Contest.Rules.JUDGED)
    assert "score sheet" in " ".join(listing.rules_in_words(judged))


def test_the_schedule_is_in_the_parks_time_zone(settings, english):
    settings.TIME_ZONE = "Europe/Moscow"
    start = timezone.now().replace(hour=7, minute=0, second=0, microsecond=0) + timedelta(days=2)
    contest = make_contest(starts_at=start, length=timedelta(hours=3))
    local = timezone.localtime(start, ZoneInfo("Europe/Moscow"))
    facts = listing.schedule(contest)
    assert facts[0].value.endswith(f"{local:%H:%M}–{local + timedelta(hours=3):%H:%M}")
    window = make_contest("window", starts_at=start, window_minutes=90)
    assert "90 minutes from pressing Start" in listing.schedule(window)[0].value


def test_the_description_is_rendered_and_sanitised(client, english):
    make_contest(description="**Призы** для всех\n\n<script>alert(1)</script>")
    body = page(client, detail())
    assert "<strong>Призы</strong>" in body
    assert "<script>alert(1)" not in body


def test_addresses_of_other_pages_are_not_taken_for_contests():
    for name in ("new", "manage", "codes"):
        match = resolve(f"/contests/{name}/")
        assert match.url_name != "detail", name


# --- A contest's page: the viewer's next step --------------------------------------------------


def test_anonymous_visitors_are_asked_to_log_in(client, english):
    make_contest(starts_in=timedelta(days=1))
    body = page(client, detail())
    assert "Log in to register" in body
    assert "I have a participant code" in body


def test_a_host_pupil_gets_the_registration_form(client, two, english):
    contest = make_contest(starts_in=timedelta(days=1))
    Category.objects.create(contest=contest, name="5–8", min_class=5, max_class=8)
    Category.objects.create(contest=contest, name="9–11", min_class=9, max_class=11, order=1)
    client.force_login(two.host.pupils_a[0])
    body = page(client, detail())
    assert 'action="/contests/olymp/register/"' in body
    assert 'name="class_number"' in body and 'name="category"' in body


def test_a_pupil_of_a_school_not_invited_is_told_why(client, two, english):
    make_contest(audience=Contest.Audience.PARK, starts_in=timedelta(days=1))
    client.force_login(two.visiting.pupils_a[0])
    body = page(client, detail())
    assert "This contest is for the park&#x27;s own pupils." in body
    assert "Enter a participant code" in body
    assert 'action="/contests/olymp/register/"' not in body


def test_a_registered_pupil_may_cancel_before_the_round(client, two, english):
    contest = make_contest(starts_in=timedelta(days=1))
    participant = add_participant(contest, user=two.host.pupils_a[0], source="self")
    client.force_login(two.host.pupils_a[0])
    body = page(client, detail())
    assert "You take part" in body and "The round starts" in body
    assert reverse("contests:withdraw", args=[contest.slug, participant.pk]) in body


def test_an_individual_window_offers_start_then_counts_down(client, two, english):
    contest = make_contest(window_minutes=60, tasks=1)
    participant = add_participant(contest, user=two.host.pupils_a[0], extra_minutes=15)
    client.force_login(two.host.pupils_a[0])
    body = page(client, detail())
    assert reverse("contests:start", args=[contest.slug]) in body
    assert "You will have 75 minutes" in body
    Participant.objects.filter(pk=participant.pk).update(
        started_at=timezone.now() - timedelta(minutes=5)
    )
    body = page(client, detail())
    assert "data-contest-clock" in body and 'data-seconds-left="' in body
    assert "Go to the tasks" in body
    assert reverse("contests:task", args=[contest.slug, "A"]) in body


def test_a_code_participant_reaches_the_tasks_of_a_fixed_round(client, english):
    contest = make_contest(tasks=["1", "2"])
    add_participant(contest, code="K7QM3XPA", source="code")
    client.post(reverse("contests:enter_code", args=[contest.slug]), {"code": "K7QM3XPA"})
    body = page(client, detail())
    assert reverse("contests:task", args=[contest.slug, "1"]) in body


def test_a_withdrawn_participant_is_told(client, two, english):
    contest = make_contest()
    add_participant(contest, user=two.host.pupils_a[0], withdrawn_at=timezone.now())
    client.force_login(two.host.pupils_a[0])
    assert "Your participation was withdrawn." in page(client, detail())


def test_a_teacher_is_offered_to_register_pupils(client, two, english):
    make_contest(audience=Contest.Audience.ALL, starts_in=timedelta(days=1))
    client.force_login(two.visiting.teacher_a)
    body = page(client, detail())
    assert reverse("contests:register_group", args=["olymp"]) in body
    assert "Register my pupils" in body


def test_organisers_get_their_links(client, two, english):
    make_contest(is_published=False)
    assert client.get(detail()).status_code == 404
    client.force_login(two.host.pupils_a[0])
    assert client.get(detail()).status_code == 404
    client.force_login(two.host.teacher_a)
    body = page(client, detail())
    assert reverse("contests:participants", args=["olymp"]) in body
    assert reverse("contests:codes", args=["olymp"]) in body
    assert "only the jury sees this page" in body


def test_after_the_end_practice_or_results(client, two, english):
    contest = make_contest(starts_in=timedelta(hours=-5), tasks=1, practice_after_end=True)
    add_participant(contest, user=two.host.pupils_a[0])
    client.force_login(two.host.pupils_a[0])
    assert "practise, it is not counted" in page(client, detail())
    contest.practice_after_end = False
    contest.save()
    assert "Your time is over." in page(client, detail())


def test_the_page_asks_the_same_queries_however_big_the_contest(client, two):
    contest = make_contest(audience=Contest.Audience.SCHOOLS, window_minutes=60, tasks=1)
    contest.schools.add(two.visiting.school)
    pupil = two.host.pupils_a[0]
    add_participant(contest, user=pupil)
    client.force_login(pupil)
    client.get(detail())
    with CaptureQueriesContext(connection) as few:
        assert client.get(detail()).status_code == 200
    for n in range(12):
        Category.objects.create(contest=contest, name=f"c{n}", order=n + 1)
        add_task(contest, f"T{n}")
        add_participant(contest, f"Участник {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(detail())
    assert len(many) == len(few)
    assert len(few) <= 14


def test_participant_of_does_not_reach_another_contests_code(client):
    one, other = make_contest("one"), make_contest("other")
    add_participant(one, code="K7QM3XPA", source="code")
    response = client.post(reverse("contests:enter_code", args=[other.slug]), {"code": "K7QM3XPA"})
    assert response.status_code == 200
    assert permissions.SESSION_CODES not in client.session


def test_after_the_end_a_participant_is_linked_to_their_result_and_appeals(client, two, english):
    contest = make_contest(starts_in=-timedelta(hours=5), tasks=1)
    pupil = two.host.pupils_a[0]
    add_participant(contest, user=pupil)
    client.force_login(pupil)
    html = page(client, detail())
    assert reverse("contests:my_result", args=["olymp"]) in html
    assert reverse("contests:appeals", args=["olymp"]) in html
    assert reverse("contests:results", args=["olymp"]) not in html  # the jury's page


def test_the_jury_is_linked_to_the_results_page(client, two):
    contest = make_contest(starts_in=-timedelta(hours=5), tasks=1)
    client.force_login(two.host.teacher_a)
    assert reverse("contests:results", args=[contest.slug]) in page(client, detail())
