"""Registering, places, the waiting list and its offers, cancelling, moderation, visitors:
the services in events.registering, called directly."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assessments.models import Notification
from events import registering
from events.models import Registration
from events.registering import Refused
from tests import builders
from tests.events.builders import make_event, register

Status = Registration.Status


@pytest.fixture
def small(park):
    """An event for pupils with two places."""
    return make_event("Кружок на двоих", slug="two-places", capacity=2)


def _statuses(event):
    return list(
        Registration.objects.filter(event=event).order_by("pk").values_list("status", flat=True)
    )


def test_a_pupil_registers_once_and_is_told(small, host, django_capture_on_commit_callbacks):
    pupil = host.pupils_a[0]
    with django_capture_on_commit_callbacks(execute=True):
        registration, created = registering.register_self(small, pupil)
    assert created and registration.status == Status.CONFIRMED
    assert registration.full_name == registering.full_name_of(pupil)
    assert registration.school_id == host.school.pk
    again, created = registering.register_self(small, pupil)
    assert again.pk == registration.pk and not created
    note = Notification.objects.get(user=pupil, kind=Notification.Kind.EVENT)
    assert "Кружок на двоих" in note.title
    assert note.url == f"/event/r/{registration.code}/"


def test_capacity_then_the_waiting_list_then_an_offer(
    small, host, django_capture_on_commit_callbacks
):
    first, second, third = host.pupils_a[0], host.pupils_a[1], host.pupils_a[2]
    a, _ = registering.register_self(small, first)
    registering.register_self(small, second)
    c, _ = registering.register_self(small, third)
    assert c.status == Status.WAITING
    assert registering.places_left(small) == 0
    with django_capture_on_commit_callbacks(execute=True):
        registering.cancel(a)
    c.refresh_from_db()
    assert c.status == Status.OFFERED
    assert c.offer_expires_at == c.status_changed_at + timedelta(hours=small.offer_hours)
    assert Notification.objects.filter(user=third, key=f"event:offered:{c.pk}").exists()
    assert registering.places_left(small) == 0  # the offer holds the place
    registering.accept_offer(c)
    c.refresh_from_db()
    assert c.status == Status.CONFIRMED


def test_an_offer_not_taken_in_time_passes_to_the_next(small, host, visiting):
    people = [*host.pupils_a, visiting.pupils_a[0]]
    regs = [registering.register_self(small, p)[0] for p in people]
    assert [r.status for r in regs] == [Status.CONFIRMED] * 2 + [Status.WAITING] * 2
    registering.cancel(regs[0])
    regs[2].refresh_from_db()
    assert regs[2].status == Status.OFFERED
    later = regs[2].offer_expires_at + timedelta(seconds=1)
    assert registering.settle_due(now=later) == 2  # one lapsed, one offered
    regs[2].refresh_from_db()
    regs[3].refresh_from_db()
    assert regs[2].status == Status.EXPIRED and regs[3].status == Status.OFFERED
    with pytest.raises(Refused, match="истекло|expired"):
        registering.accept_offer(regs[2], now=later)


def test_an_offer_never_outlasts_the_start(park, host):
    soon = make_event("Скоро", slug="soon", capacity=1, starts_in=timedelta(hours=3))
    a, _ = registering.register_self(soon, host.pupils_a[0])
    b, _ = registering.register_self(soon, host.pupils_a[1])
    registering.cancel(a)
    b.refresh_from_db()
    assert b.offer_expires_at == soon.starts_at


def test_registering_twice_in_one_transaction_race_returns_the_first(small, host):
    pupil = host.pupils_a[0]
    first, _ = registering.register_self(small, pupil)
    register_again = registering.register_self(small, pupil)
    assert register_again == (first, False)
    assert Registration.objects.filter(event=small, user=pupil).count() == 1


def test_refusals_window_category_class(park, host):
    pupil, teacher = host.pupils_a[0], host.teacher_a
    closed = make_event(
        "Закрыто", slug="closed", registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Refused, match="закрыта|closed"):
        registering.register_self(closed, pupil)
    later = make_event(
        "Позже", slug="later", registration_opens_at=timezone.now() + timedelta(days=1)
    )
    with pytest.raises(Refused, match="откроется|opens"):
        registering.register_self(later, pupil)
    with pytest.raises(Refused):
        registering.register_self(park["workshop"], pupil)  # a teachers' event
    with pytest.raises(Refused):
        registering.register_self(park["master_class"], teacher)  # a pupils' event
    seniors = make_event("Старшие", slug="seniors", min_class=9, max_class=11)
    with pytest.raises(Refused):
        registering.register_self(seniors, pupil)  # no class given
    with pytest.raises(Refused):
        registering.register_self(seniors, pupil, school_class=7)
    with pytest.raises(Refused):
        registering.register_self(seniors, pupil, school_class="семь")
    registration, _ = registering.register_self(seniors, pupil, school_class=10)
    assert registration.school_class == 10
    assert not Registration.objects.filter(event__in=[closed, later]).exists()


def test_cancelled_event_and_started_event(park, host):
    pupil = host.pupils_a[0]
    gone = make_event("Отменено", slug="gone", is_cancelled=True)
    with pytest.raises(Refused, match="отменено|cancelled"):
        registering.register_self(gone, pupil)
    event = make_event("Сейчас", slug="now")
    registration, _ = registering.register_self(event, pupil)
    with pytest.raises(Refused):
        registering.cancel(registration, now=event.starts_at + timedelta(minutes=1))
    registering.cancel(registration, by_staff=True, now=event.starts_at + timedelta(minutes=1))
    registration.refresh_from_db()
    assert registration.status == Status.CANCELLED
    assert registering.cancel(registration).status == Status.CANCELLED  # twice is harmless


def test_a_teacher_registers_a_group_beyond_the_places(
    small, host, django_capture_on_commit_callbacks
):
    ids = [p.pk for p in host.pupils_a]
    with django_capture_on_commit_callbacks(execute=True):
        outcome = registering.register_pupils(small, host.teacher_a, host.group_a, ids)
    assert outcome.count(Status.CONFIRMED) == 2 and outcome.count(Status.WAITING) == 1
    assert {r.source for r in outcome.created} == {Registration.Source.TEACHER}
    assert len({r.batch for r in outcome.created}) == 1
    summary = Notification.objects.get(user=host.teacher_a, kind=Notification.Kind.EVENT)
    assert "3" in summary.title and "2" in summary.title
    assert Notification.objects.filter(user__in=host.pupils_a, kind="event").count() == 3
    again = registering.register_pupils(small, host.teacher_a, host.group_a, ids)
    assert not again.created and len(again.already) == 3


def test_a_teacher_cannot_register_pupils_of_another_group(small, host, visiting):
    with pytest.raises(Refused):
        registering.register_pupils(small, host.teacher_a, host.group_a, [visiting.pupils_a[0].pk])
    with pytest.raises(Refused):
        registering.register_pupils(small, host.teacher_a, host.group_a, [])
    assert not Registration.objects.filter(event=small).exists()


def test_five_hundred_pupils_at_once(park, django_assert_max_num_queries, settings):
    school = builders.build_school("big", pupils=0)
    from lms import roles
    from lms.models import Membership, User

    pupils = User.objects.bulk_create(
        [User(username=f"big{n:03}", last_name=f"Ученик{n:03}", first_name="А") for n in range(500)]
    )
    from django.contrib.auth.models import Group

    Group.objects.get(name=roles.PUPIL).user_set.add(*pupils)
    Membership.objects.bulk_create(
        [Membership(user=p, group=school.group_a, role=Membership.Role.PUPIL) for p in pupils]
    )
    event = make_event("Большой день", slug="big-day", capacity=450)
    with django_assert_max_num_queries(30):  # SQLite inserts 500 rows in ~10 statements
        outcome = registering.register_pupils(
            event, school.teacher_a, school.group_a, [p.pk for p in pupils]
        )
    assert outcome.count(Status.CONFIRMED) == 450 and outcome.count(Status.WAITING) == 50
    settings.LMS_EVENT_MAX_BATCH = 499
    with pytest.raises(Refused):
        registering.register_pupils(event, school.teacher_a, school.group_a, [p.pk for p in pupils])


def test_moderation_holds_no_place_until_approved(park, host):
    event = make_event("По заявкам", slug="moderated", capacity=1, requires_moderation=True)
    a, _ = registering.register_self(event, host.pupils_a[0])
    b, _ = registering.register_self(event, host.pupils_a[1])
    assert (a.status, b.status) == (Status.PENDING, Status.PENDING)
    assert registering.places_left(event) == 1
    assert registering.approve(a).status == Status.CONFIRMED
    assert registering.approve(b).status == Status.WAITING
    rejected = registering.reject(a, note="Возраст не подходит")
    assert rejected.status == Status.REJECTED and rejected.note == "Возраст не подходит"
    b.refresh_from_db()
    assert b.status == Status.OFFERED


def test_a_visitor_confirms_their_email(park, django_capture_on_commit_callbacks):
    event = make_event("Открытый день", slug="open-day", capacity=1, guests_register=True)
    with django_capture_on_commit_callbacks(execute=True):
        registration = registering.register_guest(
            event,
            full_name="  Петрова   Анна ",
            email="Anna@Example.org",
            school_name="Школа № 5",
            category="pupil",
        )
    assert registration.status == Status.UNCONFIRMED
    assert registration.full_name == "Петрова Анна" and registration.email == "anna@example.org"
    assert registering.places_left(event) == 1  # not until confirmed
    assert len(mail.outbox) == 1 and registration.code in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        same = registering.register_guest(
            event,
            full_name="Петрова Анна",
            email="anna@example.org",
            school_name="5",
            category="pupil",
        )
    assert same.pk == registration.pk and len(mail.outbox) == 1  # not again within minutes
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = registering.confirm_email(registration)
    assert confirmed.status == Status.CONFIRMED and confirmed.email_confirmed_at
    assert len(mail.outbox) == 2 and "Открытый день" in mail.outbox[1].subject
    assert registering.confirm_email(confirmed).status == Status.CONFIRMED  # twice is harmless


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"full_name": ""}, "имя|name"),
        ({"full_name": "Я" * 151}, "имя|name"),
        ({"school_name": ""}, "школ|school"),
        ({"email": "not-an-address"}, "адрес|address"),
        ({"category": "parent"}, "учени|pupil"),
    ],
)
def test_a_visitor_with_bad_input_is_refused(park, fields, match):
    event = make_event("Открытый день", slug="open-day-bad", guests_register=True)
    data = {
        "full_name": "Петрова Анна",
        "email": "anna@example.org",
        "school_name": "Школа № 5",
        "category": "pupil",
        **fields,
    }
    with pytest.raises(Refused, match=match):
        registering.register_guest(event, **data)
    assert not Registration.objects.filter(event=event).exists()


def test_a_visitor_cannot_register_where_only_accounts_may(park):
    with pytest.raises(Refused):
        registering.register_guest(
            park["master_class"],
            full_name="Петрова Анна",
            email="anna@example.org",
            school_name="Школа",
            category="pupil",
        )


def test_unconfirmed_visitors_lapse(park, settings):
    event = make_event("Открытый день", slug="open-day-lapse", guests_register=True)
    registration = register(event, status=Status.UNCONFIRMED, full_name="Гость", email="g@x.ru")
    registering.settle(event.pk, now=timezone.now() + timedelta(hours=49))
    registration.refresh_from_db()
    assert registration.status == Status.EXPIRED
    with pytest.raises(Refused):
        registering.confirm_email(registration)


def test_more_places_published_move_the_waiting_list(
    small, host, django_capture_on_commit_callbacks
):
    regs = [registering.register_self(small, p)[0] for p in host.pupils_a]
    assert regs[2].status == Status.WAITING
    small.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        small.save_revision().publish()
    regs[2].refresh_from_db()
    assert regs[2].status == Status.OFFERED


def test_a_move_and_a_cancellation_are_told_once(
    small, host, visiting, django_capture_on_commit_callbacks
):
    registering.register_self(small, host.pupils_a[0])
    registering.register_pupils(
        small, visiting.teacher_a, visiting.group_a, [visiting.pupils_a[0].pk]
    )
    small.starts_at += timedelta(days=1)
    small.ends_at += timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        small.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        small.save_revision().publish()  # published again unchanged: nobody told twice
    moved = Notification.objects.filter(key__startswith="event:changed")
    assert set(moved.values_list("user_id", flat=True)) == {
        host.pupils_a[0].pk,
        visiting.pupils_a[0].pk,
        visiting.teacher_a.pk,
    }
    small.is_cancelled = True
    small.cancellation_note = "Болеет ведущий."
    with django_capture_on_commit_callbacks(execute=True):
        small.save_revision().publish()
    cancelled = Notification.objects.filter(key__startswith="event:cancelled")
    assert cancelled.count() == 3
    assert "Болеет ведущий." in cancelled.first().title


def test_the_reminder_goes_once_the_day_before(park, host, django_capture_on_commit_callbacks):
    from events import reminders

    event = make_event("Завтра", slug="tomorrow", starts_in=timedelta(hours=20))
    registering.register_self(event, host.pupils_a[0])
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_tomorrow() >= 1
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.remind_tomorrow() == 0
    assert (
        Notification.objects.filter(user=host.pupils_a[0], key__startswith="event:reminder").count()
        == 1
    )
