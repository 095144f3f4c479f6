"""Check-in on the day: the list, marks sent late and twice, refusals, walk-ins, the QR page and
who may reach any of it."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events import checkin
from events.models import CheckIn, EventPage, Registration
from tests.events.builders import register

CONFIRMED = Registration.Status.CONFIRMED


def happening_now(event: EventPage, *, started: timedelta = timedelta(minutes=30)) -> EventPage:
    """The event moved to today: began `started` ago, two hours long."""
    start = timezone.now().replace(microsecond=0) - started
    EventPage.objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=2)
    )
    return EventPage.objects.get(pk=event.pk)


@pytest.fixture
def today(park):
    return happening_now(park["master_class"])


def person(event, name, *, status=CONFIRMED, school="Школа v", **fields):
    fields.setdefault("source", Registration.Source.TEACHER)
    return register(event, full_name=name, status=status, school_name=school, **fields)


def a_mark(registration=None, *, action="in", at=None, code=None, id=None) -> dict:
    mark = {"id": id or str(uuid.uuid4()), "action": action}
    if registration is not None:
        mark["registration"] = registration.pk
    if code is not None:
        mark["code"] = code
    if at is not None:
        mark["at"] = at.isoformat()
    return mark


def url(name, *args):
    return reverse(f"events:{name}", args=args)


def sync_post(client, event, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(
        url("checkin_sync", event.pk), data, content_type="application/json", **extra
    )


# --- The roster ---------------------------------------------------------------------------


def test_the_roster_is_the_confirmed_people_by_surname_in_one_query(
    park, today, django_assert_num_queries
):
    for name in ("Яковлев Иван", "ёлкина Анна", "Абрамов Пётр", "Ежов Олег"):
        person(today, name)
    person(today, "Борисов Ждущий", status=Registration.Status.WAITING)
    person(today, "Быков Отменил", status=Registration.Status.CANCELLED)
    person(today, "Васильев Ожидает", status=Registration.Status.PENDING)
    person(park["workshop"], "Гусев Другой", category=Registration.Category.TEACHER)
    with_walk_in = checkin.add_walk_in(
        today, by=None, full_name="Жуков Пришёл", school_name="Школа 5", category="pupil"
    )
    with django_assert_num_queries(1):
        people = checkin.roster(today)
    names = [p["full_name"] for p in people]
    assert names == ["Абрамов Пётр", "Ежов Олег", "ёлкина Анна", "Жуков Пришёл", "Яковлев Иван"]
    walk_in = people[3]
    assert walk_in["id"] == with_walk_in.pk and walk_in["walk_in"] and walk_in["attended"]
    assert walk_in["code_hash"] == hashlib.sha256(with_walk_in.code.encode()).hexdigest()[:24]
    assert with_walk_in.code not in json.dumps(people)  # the secret itself never leaves
    assert not people[0]["attended"] and people[0]["attended_at"] is None
    assert checkin.counts(people) == {"came": 1, "registered": 5}


def test_the_roster_costs_one_query_whatever_its_size(park, today, django_assert_num_queries):
    for n in range(30):
        person(today, f"Участник {n:02d}", attended_at=timezone.now() if n % 2 else None)
    with django_assert_num_queries(1):
        people = checkin.roster(today)
    assert len(people) == 30 and checkin.counts(people)["came"] == 15


# --- Marks --------------------------------------------------------------------------------


def test_a_batch_sent_twice_counts_once_and_answers_the_same(park, today):
    anna, boris = person(today, "Антонова Анна"), person(today, "Белов Борис")
    batch = [a_mark(anna), a_mark(boris), a_mark(anna, action="undo")]
    first = checkin.sync(today, batch, park["two"].host.teacher_a)
    again = checkin.sync(today, batch, park["two"].host.teacher_a)
    assert first == again
    assert [r["ok"] for r in first] == [True, True, True]
    assert CheckIn.objects.count() == 3
    anna.refresh_from_db()
    boris.refresh_from_db()
    assert boris.attended_at is not None
    assert anna.attended_at is None  # the undo was made after the in
    assert CheckIn.objects.filter(marked_by=park["two"].host.teacher_a).count() == 3


def test_marks_from_two_phones_resolve_by_the_time_they_were_made(park, today):
    anna = person(today, "Антонова Анна")
    t = timezone.now() - timedelta(minutes=20)
    # Phone A, online: "in" at t+10. Phone B was offline: its "undo" at t+5 arrives later.
    checkin.sync(today, [a_mark(anna, at=t + timedelta(minutes=10))], None)
    answer = checkin.sync(today, [a_mark(anna, action="undo", at=t + timedelta(minutes=5))], None)
    anna.refresh_from_db()
    assert anna.attended_at == t + timedelta(minutes=10)
    assert answer[0]["attended"] is True  # the answer tells the phone the outcome
    # An undo made after the last "in", from any phone, wins.
    checkin.sync(today, [a_mark(anna, action="undo", at=t + timedelta(minutes=15))], None)
    anna.refresh_from_db()
    assert anna.attended_at is None
    # A late "in" made before that undo changes nothing; one made after it counts.
    checkin.sync(today, [a_mark(anna, at=t + timedelta(minutes=12))], None)
    anna.refresh_from_db()
    assert anna.attended_at is None
    checkin.sync(today, [a_mark(anna, at=t + timedelta(minutes=16))], None)
    anna.refresh_from_db()
    assert anna.attended_at == t + timedelta(minutes=16)


def test_the_time_one_came_is_the_first_in_after_the_last_undo(park, today):
    anna = person(today, "Антонова Анна")
    t = timezone.now() - timedelta(minutes=20)
    checkin.sync(today, [a_mark(anna, at=t + timedelta(minutes=9))], None)
    checkin.sync(today, [a_mark(anna, at=t + timedelta(minutes=2))], None)  # a slower phone
    anna.refresh_from_db()
    assert anna.attended_at == t + timedelta(minutes=2)


def test_a_time_set_without_marks_is_kept_as_the_first_mark(park, today):
    came = timezone.now() - timedelta(minutes=25)
    anna = person(today, "Антонова Анна", attended_at=came)
    checkin.sync(today, [a_mark(anna, at=came + timedelta(minutes=5))], None)
    anna.refresh_from_db()
    assert anna.attended_at == came


def test_a_mark_from_the_future_is_made_now(park, today):
    anna = person(today, "Антонова Анна")
    now = timezone.now()
    checkin.sync(today, [a_mark(anna, at=now + timedelta(hours=3))], None, now=now)
    assert CheckIn.objects.get().marked_at == now


def test_a_phone_with_a_wrong_clock_is_corrected(park, today):
    anna = person(today, "Антонова Анна")
    now = timezone.now()
    slow = timedelta(hours=5)  # the phone thinks it is five hours earlier
    skew = checkin.clock_skew((now - slow).isoformat(), now)
    assert skew == slow
    assert checkin.clock_skew((now - timedelta(seconds=2)).isoformat(), now) == timedelta(0)
    assert checkin.clock_skew("rubbish", now) == timedelta(0)
    made = now - slow - timedelta(minutes=10)  # ten minutes ago by the phone's clock
    answer = checkin.sync(today, [a_mark(anna, at=made)], None, skew=skew, now=now)
    assert answer[0]["ok"], answer
    assert CheckIn.objects.get().marked_at == now - timedelta(minutes=10)


def test_marks_by_qr_code(park, today):
    anna = person(today, "Антонова Анна")
    [answer] = checkin.sync(today, [a_mark(code=anna.code)], None)
    assert answer["ok"] and answer["registration"] == anna.pk
    assert answer["person"]["full_name"] == "Антонова Анна"
    anna.refresh_from_db()
    assert anna.attended_at is not None


def test_marks_are_refused_one_by_one_with_a_reason(park, today, english):
    anna = person(today, "Антонова Анна")
    waiting = person(today, "Вишнёв Ждущий", status=Registration.Status.WAITING)
    cancelled = person(today, "Васильев Отменил", status=Registration.Status.CANCELLED)
    elsewhere = person(park["workshop"], "Гусев Другой", category=Registration.Category.TEACHER)
    answers = checkin.sync(
        today,
        [
            a_mark(anna),
            a_mark(waiting),
            a_mark(cancelled),
            a_mark(elsewhere),
            a_mark(code="no-such-code-at-all"),
            {"id": str(uuid.uuid4()), "action": "in", "registration": 10**9},
        ],
        None,
    )
    assert answers[0]["ok"]
    assert [a.get("reason") for a in answers[1:]] == [
        "not_registered",
        "not_registered",
        "other_event",
        "unknown",
        "unknown",
    ]
    assert answers[1]["error"] == "Not registered: on the waiting list."
    assert answers[2]["error"] == "Not registered: cancelled."
    assert "another event" in answers[3]["error"]
    assert answers[4]["error"] == "No registration has this code."
    assert CheckIn.objects.count() == 1
    waiting.refresh_from_db()
    assert waiting.attended_at is None


def test_the_list_opens_hours_before_and_closes_days_after(park, english):
    soon = park["master_class"]  # in seven days
    anna = person(soon, "Антонова Анна")
    [answer] = checkin.sync(soon, [a_mark(anna)], None)
    assert answer["reason"] == "closed" and "opens" in answer["error"]
    # A phone that was offline may still send a day after the end...
    past = happening_now(soon, started=timedelta(days=1, hours=3))
    made = past.starts_at + timedelta(minutes=5)
    [answer] = checkin.sync(past, [a_mark(anna, at=made)], None)
    assert answer["ok"], answer
    # ...but not once the list has closed, nor with a mark made before it opened.
    long_ago = happening_now(soon, started=timedelta(days=5))
    [answer] = checkin.sync(long_ago, [a_mark(anna, at=long_ago.starts_at)], None)
    assert answer["reason"] == "closed" and "closed on" in answer["error"]
    today = happening_now(soon)
    early = today.starts_at - checkin.OPENS_BEFORE - timedelta(minutes=1)
    [answer] = checkin.sync(today, [a_mark(anna, at=early)], None)
    assert answer["reason"] == "closed"


def test_a_cancelled_event_takes_no_marks(park, today, english):
    anna = person(today, "Антонова Анна")
    EventPage.objects.filter(pk=today.pk).update(is_cancelled=True)
    today.refresh_from_db()
    [answer] = checkin.sync(today, [a_mark(anna)], None)
    assert answer["reason"] == "closed" and "cancelled" in answer["error"]


def test_malformed_entries_are_answered_one_by_one(park, today, english):
    anna = person(today, "Антонова Анна")
    good = str(uuid.uuid4())

    def fresh(**fields):
        return {"id": str(uuid.uuid4()), "action": "in", **fields}

    entries = [
        42,
        None,
        {"action": "in", "registration": anna.pk},
        {"id": "not-a-uuid", "action": "in", "registration": anna.pk},
        {"id": ["list"], "action": "in", "registration": anna.pk},
        fresh(action="jump", registration=anna.pk),
        fresh(registration="abc"),
        fresh(registration=True),
        fresh(registration=-5),
        fresh(registration="9" * 5000),
        fresh(registration=anna.pk, at="yesterday"),
        fresh(registration=anna.pk, at="2026-13-45T99:00:00"),
        fresh(registration=anna.pk, at=12345),
        fresh(code="x" * 5000),
        fresh(),
        fresh(registration=anna.pk, at="9999-12-31T23:59:59+14:00"),
        {"id": good, "action": "in", "registration": str(anna.pk)},
    ]
    answers = checkin.sync(today, entries, None)
    assert len(answers) == len(entries)
    assert [a["ok"] for a in answers] == [False] * (len(entries) - 2) + [True, True]
    assert all(a["error"] for a in answers if not a["ok"])
    assert answers[3]["id"] == "not-a-uuid" and answers[4]["id"] is None
    assert answers[5]["error"] == "A mark is either “in” or “undo”."
    assert answers[-2]["ok"]  # a far-future time is made now
    # A mark without "at" is made when it arrives; a mark id reused for another person is refused.
    other = person(today, "Белов Борис")
    [reused] = checkin.sync(today, [{"id": good, "action": "in", "registration": other.pk}], None)
    assert not reused["ok"] and reused["reason"] == "invalid"
    assert not CheckIn.objects.filter(registration=other).exists()
    twice = str(uuid.uuid4())
    answers = checkin.sync(
        today,
        [
            {"id": twice, "action": "in", "registration": anna.pk},
            {"id": twice, "action": "in", "registration": other.pk},
        ],
        None,
    )
    assert [a["ok"] for a in answers] == [True, False]
    assert not CheckIn.objects.filter(registration=other).exists()


def test_a_batch_has_a_size_limit(park, today):
    anna = person(today, "Антонова Анна")
    with pytest.raises(checkin.CheckInError):
        checkin.sync(today, [a_mark(anna) for _ in range(checkin.MAX_BATCH + 1)], None)
    with pytest.raises(checkin.CheckInError):
        checkin.sync(today, {"marks": "no"}, None)
    assert len(checkin.sync(today, [a_mark(anna) for _ in range(checkin.MAX_BATCH)], None)) == (
        checkin.MAX_BATCH
    )


def test_one_mark_on_one_registration(park, today, english):
    anna = person(today, "Антонова Анна")
    result = checkin.mark(anna, action="in", client_id=uuid.uuid4(), marked_at=None, by=None)
    assert result.ok
    anna.refresh_from_db()
    assert anna.attended_at is not None
    waiting = person(today, "Вишнёв Ждущий", status=Registration.Status.WAITING)
    result = checkin.mark(waiting, action="in", client_id=uuid.uuid4(), marked_at=None, by=None)
    assert not result.ok and "waiting list" in result.error


# --- Walk-ins -----------------------------------------------------------------------------


def test_a_walk_in_is_confirmed_and_came_whatever_the_capacity(park, today):
    EventPage.objects.filter(pk=today.pk).update(capacity=1)
    today.refresh_from_db()
    person(today, "Антонова Анна")
    teacher = park["two"].host.teacher_a
    walk_in = checkin.add_walk_in(
        today,
        by=teacher,
        full_name="  Петров\u200b   Пётр ",
        school_name="Школа №\u202e 7",
        category="pupil",
        school_class="6",
    )
    assert walk_in.status == CONFIRMED and walk_in.source == Registration.Source.WALK_IN
    assert walk_in.full_name == "Петров Пётр" and walk_in.school_name == "Школа № 7"
    assert walk_in.school_class == 6 and walk_in.registered_by == teacher
    assert walk_in.attended_at is not None
    assert walk_in.marks.get().action == CheckIn.Action.ARRIVED
    assert Registration.objects.filter(event=today, status=CONFIRMED).count() == 2
    # A double tap, or the phone sending it again, is the same person.
    again = checkin.add_walk_in(
        today, by=teacher, full_name="ПЕТРОВ пётр", school_name="школа № 7", category="pupil"
    )
    assert again.pk == walk_in.pk
    assert Registration.objects.filter(event=today).count() == 2


def test_a_walk_in_can_be_undone_like_anyone(park, today):
    walk_in = checkin.add_walk_in(
        today, by=None, full_name="Петров Пётр", school_name="", category="teacher"
    )
    checkin.sync(today, [a_mark(walk_in, action="undo")], None)
    walk_in.refresh_from_db()
    assert walk_in.attended_at is None and walk_in.school_class is None


def test_walk_ins_are_refused_with_a_reason(park, today, english):
    def refused(event=today, **fields):
        values = {"full_name": "Петров Пётр", "school_name": "Школа", "category": "pupil"}
        with pytest.raises(ValidationError) as error:
            checkin.add_walk_in(event, by=None, **{**values, **fields})
        return error.value

    assert "full_name" in refused(full_name=" \u200b ").message_dict
    assert "at most 150" in refused(full_name="Я" * 151).message_dict["full_name"][0]
    assert "school_name" in refused(school_name="Ш" * 201).message_dict
    assert "category" in refused(category="parent").message_dict
    assert "school_class" in refused(school_class="12").message_dict
    assert "school_class" in refused(school_class="пятый").message_dict
    EventPage.objects.filter(pk=today.pk).update(is_cancelled=True)
    today.refresh_from_db()
    assert "cancelled" in refused(today).messages[0]
    assert "opens" in refused(park["workshop"]).messages[0]  # next week
    assert not Registration.objects.filter(source=Registration.Source.WALK_IN).exists()


# --- The pages ----------------------------------------------------------------------------


def test_the_list_page_for_a_phone(client, park, today, english):
    anna = person(today, "Антонова Анна", attended_at=timezone.now())
    person(today, "Белов Борис")
    client.force_login(park["two"].host.teacher_a)
    response = client.get(url("checkin", today.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2 came" in html
    assert 'aria-pressed="true"' in html and 'aria-pressed="false"' in html
    assert f'value="undo:{anna.pk}"' in html
    assert 'id="checkin-people"' in html and "js/checkin.js" in html and "css/checkin.css" in html
    assert 'aria-live="polite"' in html and "data-scan hidden" in html
    assert anna.code not in html
    assert "<script>" not in html.replace('<script src="', "")  # no inline script (CSP)
    assert " style=" not in html


def test_the_list_page_costs_the_same_whatever_the_number_of_people(
    client, park, today, django_assert_max_num_queries
):
    client.force_login(park["two"].host.teacher_a)
    for n in range(3):
        person(today, f"Участник {n}")
    client.get(url("checkin", today.pk))  # caches warmed

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url("checkin", today.pk))
    for n in range(3, 40):
        person(today, f"Участник {n}")
    with django_assert_max_num_queries(len(few)):
        assert client.get(url("checkin", today.pk)).status_code == 200


def test_the_data_and_sync_endpoints(client, park, today):
    anna = person(today, "Антонова Анна")
    client.force_login(park["two"].host.admin)
    data = client.get(url("checkin_data", today.pk)).json()
    assert [p["full_name"] for p in data["people"]] == ["Антонова Анна"]
    assert data["counts"] == {"came": 0, "registered": 1}
    mark = a_mark(anna)
    body = {"sent_at": timezone.now().isoformat(), "marks": [mark]}
    answer = sync_post(client, today, body).json()
    assert answer["results"][0]["id"] == mark["id"] and answer["results"][0]["attended"]
    assert answer["counts"] == {"came": 1, "registered": 1}
    assert sync_post(client, today, body).json()["results"] == answer["results"]
    assert sync_post(client, today, [mark]).status_code == 200  # a bare list is fine too


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"\xff\xfe", b"[" * 100_000, b"null", b'{"marks": 5}', b'"text"'],
)
def test_bad_json_is_a_400_with_a_message(client, park, today, body):
    client.force_login(park["two"].host.teacher_a)
    response = sync_post(client, today, body)
    assert response.status_code == 400
    assert response.json()["error"]


def test_a_batch_too_big_is_a_400(client, park, today, english):
    anna = person(today, "Антонова Анна")
    client.force_login(park["two"].host.teacher_a)
    marks = [a_mark(anna) for _ in range(checkin.MAX_BATCH + 1)]
    response = sync_post(client, today, {"marks": marks})
    assert response.status_code == 400 and "At most 500" in response.json()["error"]
    assert not CheckIn.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, park, today):
    for name in ("checkin", "checkin_data"):
        assert client.get(url(name, today.pk)).url.startswith("/login/")
    assert client.post(url("walk_in", today.pk), {"full_name": "Пётр"}).url.startswith("/login/")
    assert not CheckIn.objects.exists()


def test_without_the_script_a_button_posts_one_mark(client, park, today):
    anna = person(today, "Антонова Анна")
    client.force_login(park["two"].host.teacher_a)
    response = client.post(url("checkin_sync", today.pk), {"mark": f"in:{anna.pk}"})
    assert response.status_code == 302 and response["Location"].endswith(f"#person-{anna.pk}")
    anna.refresh_from_db()
    assert anna.attended_at is not None
    client.post(url("checkin_sync", today.pk), {"mark": f"undo:{anna.pk}"})
    anna.refresh_from_db()
    assert anna.attended_at is None
    response = client.post(url("checkin_sync", today.pk), {"mark": "rubbish"}, follow=True)
    assert response.status_code == 200 and CheckIn.objects.count() == 2


def test_the_walk_in_form(client, park, today, english):
    client.force_login(park["two"].host.teacher_b)
    fields = {"full_name": "Петров Пётр", "school_name": "Школа 7", "category": "pupil"}
    response = client.post(url("walk_in", today.pk), fields)
    assert response.status_code == 302
    walk_in = Registration.objects.get(source=Registration.Source.WALK_IN)
    assert response["Location"].endswith(f"#person-{walk_in.pk}")
    answer = client.post(url("walk_in", today.pk), fields, HTTP_X_REQUESTED_WITH="fetch").json()
    assert answer["ok"] and answer["person"]["id"] == walk_in.pk
    assert answer["counts"] == {"came": 1, "registered": 1}
    bad = {**fields, "full_name": "Я" * 400}
    response = client.post(url("walk_in", today.pk), bad, HTTP_X_REQUESTED_WITH="fetch")
    assert response.status_code == 400 and "at most" in response.json()["errors"]["full_name"]
    response = client.post(url("walk_in", today.pk), bad)
    assert response.status_code == 400 and "at most 150" in response.content.decode()
    assert Registration.objects.filter(source=Registration.Source.WALK_IN).count() == 1


def test_a_hostile_name_is_shown_as_text(client, park, today):
    client.force_login(park["two"].host.teacher_a)
    name = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    client.post(
        url("walk_in", today.pk),
        {"full_name": name, "school_name": "</script><b>Ш</b>", "category": "teacher"},
    )
    html = client.get(url("checkin", today.pk)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Ш</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\\u003Cscript\\u003E" in html  # inside the JSON of the list, too
    walk_in = Registration.objects.get(source=Registration.Source.WALK_IN)
    page = client.get(url("checkin_code", walk_in.code)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


# --- The QR page --------------------------------------------------------------------------


def test_staff_open_a_qr_code_and_mark_the_person(client, park, today, english):
    pupil = park["two"].visiting.pupils_a[0]
    registration = register(today, pupil, full_name="Смирнова Ольга")
    client.force_login(park["two"].host.teacher_a)
    page = client.get(url("checkin_code", registration.code)).content.decode()
    assert "Смирнова Ольга" in page and "Mark as arrived" in page and today.title in page
    response = client.post(url("checkin_code", registration.code))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended_at is not None
    page = client.get(url("checkin_code", registration.code)).content.decode()
    assert "Already marked as came" in page and "Mark as arrived" not in page
    client.post(url("checkin_code", registration.code))  # a second press changes nothing
    registration.refresh_from_db()
    assert registration.marks.count() == 2 and registration.attended_at is not None


def test_a_qr_code_of_someone_on_the_waiting_list(client, park, today, english):
    waiting = person(today, "Вишнёв Ждущий", status=Registration.Status.WAITING)
    client.force_login(park["two"].host.admin)
    page = client.get(url("checkin_code", waiting.code)).content.decode()
    assert "Not registered: on the waiting list." in page and "Mark as arrived" not in page
    response = client.post(url("checkin_code", waiting.code), follow=True)
    assert "Not registered: on the waiting list." in response.content.decode()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("who", ["owner", "visiting_teacher", "anonymous", "host_pupil"])
def test_a_qr_code_shows_others_no_personal_data(client, park, today, who, english):
    pupil = park["two"].visiting.pupils_a[0]
    registration = register(today, pupil, full_name="Смирнова Ольга", school_name="Школа v")
    users = {
        "owner": pupil,
        "visiting_teacher": park["two"].visiting.teacher_a,
        "host_pupil": park["two"].host.pupils_a[0],
    }
    if who in users:
        client.force_login(users[who])
    response = client.get(url("checkin_code", registration.code))
    html = response.content.decode()
    assert response.status_code == 200 and "Show this code at the entrance" in html
    assert "Смирнова" not in html and "Школа v" not in html
    assert client.post(url("checkin_code", registration.code)).status_code == 404
    registration.refresh_from_db()
    assert registration.attended_at is None


def test_an_unknown_code_is_a_404(client, park):
    assert client.get(url("checkin_code", "no-such-code")).status_code == 404
    client.force_login(park["two"].host.teacher_a)
    assert client.get(url("checkin_code", "x" * 300)).status_code == 404


# --- Who may reach the list ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["teacher_a", "admin", "methodologist", "superuser"])
def test_park_staff_run_the_check_in(client, park, today, who):
    user = park["two"].methodologist if who == "methodologist" else None
    user = user or (park["two"].superuser if who == "superuser" else None)
    user = user or getattr(park["two"].host, who)
    client.force_login(user)
    assert client.get(url("checkin", today.pk)).status_code == 200
    assert client.get(url("checkin_data", today.pk)).status_code == 200


@pytest.mark.parametrize("who", ["visiting_teacher", "visiting_admin", "pupil"])
def test_everyone_else_gets_404(client, park, today, who):
    anna = person(today, "Антонова Анна")
    users = {
        "visiting_teacher": park["two"].visiting.teacher_a,
        "visiting_admin": park["two"].visiting.admin,
        "pupil": park["two"].host.pupils_a[0],
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(url("checkin", today.pk)).status_code == 404
    assert client.get(url("checkin_data", today.pk)).status_code == 404
    assert sync_post(client, today, {"marks": [a_mark(anna)]}).status_code == 404
    assert client.post(url("checkin_sync", today.pk), {"mark": f"in:{anna.pk}"}).status_code == 404
    walk_in = {"full_name": "Петров Пётр", "category": "pupil"}
    assert client.post(url("walk_in", today.pk), walk_in).status_code == 404
    assert not CheckIn.objects.exists()
    assert not Registration.objects.filter(source=Registration.Source.WALK_IN).exists()


def test_an_unknown_event_is_a_404(client, park):
    client.force_login(park["two"].host.teacher_a)
    assert client.get(url("checkin", 10**8)).status_code == 404
    course_page = park["two"].tree.course
    assert client.get(url("checkin", course_page.pk)).status_code == 404  # a page, not an event


def test_sync_needs_the_csrf_token(park, today):
    anna = person(today, "Антонова Анна")
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(park["two"].host.teacher_a)
    body = {"marks": [a_mark(anna)]}
    assert sync_post(strict, today, body).status_code == 403
    assert strict.post(url("walk_in", today.pk), {"full_name": "Петров Пётр"}).status_code == 403
    assert not CheckIn.objects.exists()
    page = strict.get(url("checkin", today.pk))  # the page sets the token the script sends
    token = strict.cookies["csrftoken"].value
    assert 'name="csrfmiddlewaretoken"' in page.content.decode()
    response = sync_post(strict, today, body, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["results"][0]["ok"]
