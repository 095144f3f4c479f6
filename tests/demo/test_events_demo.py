"""The demo's events (demo/content/events.toml, demo/events.py) after `load_demo`: the index
lists upcoming and past events, a full master class has a waiting list of the visiting school's
pupils, past events have arrivals, a walk-in and certificates, the teacher workshop's have
hours, and loading again (the same day, or a later one) adds nothing.

The demo is loaded once for the module (a shared scenario) without the programming exercises:
judging their code in the sandbox takes a minute, and test_load_demo.py loads them for real."""

import io
import shutil
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import timezone
from wagtail.models import Revision

from assessments.models import Notification
from courses.models import CourseShare
from demo import events as demo_events
from demo import programming
from demo.manifests import CONTENT_DIR
from events import registering
from events.models import CheckIn, EventIndexPage, EventPage, EventState, Registration
from events.models.certificates import Certificate
from lms.models import School, User
from tests import scenario

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

Status = Registration.Status
DATA = demo_events.manifest()
PAST = [row["slug"] for row in DATA["events"] if demo_events.is_past(row)]
UPCOMING = [row["slug"] for row in DATA["events"] if not demo_events.is_past(row)]


@contextmanager
def loading():
    """load_demo as `make run` runs it, without judging the programming exercises, with what
    is queued for after the commit (notifications, the visitor's e-mails) run at the end."""
    with (
        mock.patch.object(programming, "ensure_programming"),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        yield


def load() -> str:
    out = io.StringIO()
    with loading():
        call_command("load_demo", stdout=out)
    return out.getvalue()


@scenario.shared
def demo():
    media = scenario.layer_dir()
    sent = len(getattr(mail, "outbox", []))
    with override_settings(MEDIA_ROOT=media):
        output = load()
    mails = [message.to for message in mail.outbox[sent:]]
    return {"output": output, "mails": mails, "media": media}


@pytest.fixture
def loaded(demo, settings, tmp_path):
    shutil.copytree(demo["media"], tmp_path, dirs_exist_ok=True)
    settings.MEDIA_ROOT = tmp_path
    return demo


def event(slug: str) -> EventPage:
    return EventPage.objects.get(slug=slug)


def certificates_of(page: EventPage):
    keys = [
        f"event-registration:{pk}"
        for pk in Registration.objects.filter(event=page).values_list("pk", flat=True)
    ]
    return Certificate.objects.filter(source_key__in=keys)


def snapshot() -> dict:
    return {
        "index": list(EventIndexPage.objects.values_list("slug", "title", "live")),
        "events": sorted(
            EventPage.objects.values_list(
                "slug", "starts_at", "ends_at", "capacity", "linked_page_id", "live"
            )
        ),
        "revisions": Revision.objects.filter(
            object_id__in=[str(pk) for pk in EventPage.objects.values_list("pk", flat=True)]
        ).count(),
        "registrations": sorted(
            Registration.objects.values_list(
                "event__slug",
                "full_name",
                "status",
                "source",
                "school_class",
                "attended_at",
                "created_at",
            )
        ),
        "marks": sorted(CheckIn.objects.values_list("client_id", "marked_at", "received_at")),
        "certificates": sorted(
            Certificate.objects.values_list("code", "holder_name", "hours", "held_on", "issued_at")
        ),
        "told": sorted(
            EventState.objects.values_list("event_id", "told_starts_at", "changes_told")
        ),
        "notifications": sorted(Notification.objects.values_list("user__username", "key")),
    }


def test_the_manifest_and_descriptions_have_no_mistakes():
    assert demo_events.problems() == []
    assert len(DATA["events"]) == 8 and len(PAST) == 4 and len(UPCOMING) == 4


def test_mistakes_in_the_manifest_are_named(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    text = (root / "events.toml").read_text(encoding="utf-8")
    text = text.replace('kind = "lecture"', 'kind = "party"', 1)
    text = text.replace('user = "pupil8"', 'user = "pupil99"', 1)
    text = text.replace('pupils = ["pupil1", "pupil2", "pupil3"]', 'pupils = ["pupil1", "pupil7"]')
    (root / "events.toml").write_text(text, encoding="utf-8")
    (root / "events" / "forgotten.md").write_text("Текст", encoding="utf-8")
    (root / "events" / "open-day.md").write_text(":::image robot\n:::\n", encoding="utf-8")
    found = "\n".join(demo_events.problems(root))
    assert "neural-networks-lecture: kind 'party' is not one of" in found
    assert "no user 'pupil99'" in found
    assert "'pupil7' is not in 'Робототехника — 1'" in found
    assert "events/forgotten.md: no event in events.toml has this slug" in found
    assert "events/open-day.md: an event's description has no :::image" in found


def test_the_index_lists_upcoming_and_past_events(loaded, client):
    index = EventIndexPage.objects.get()
    assert (index.slug, index.title, index.live) == ("events", "Мероприятия", True)
    assert index.get_parent().specific_class.__name__ == "HomePage"
    response = client.get("/events/")
    assert response.status_code == 200
    page = response.content.decode()
    for slug in UPCOMING:
        assert event(slug).title in page, slug
    past = client.get("/events/?when=past").content.decode()
    for slug in PAST:
        assert event(slug).title in past, slug
    now = timezone.now()
    assert all(event(slug).ends_at < now for slug in PAST)
    assert all(event(slug).starts_at > now for slug in UPCOMING)
    # The summary line, before the invite codes (the last line).
    lines = loaded["output"].splitlines()
    assert lines[-2] == "Events: 8 (4 past with 23 certificates, 4 upcoming) at /events/"


def test_the_events_are_of_many_kinds_tracks_and_places_and_every_page_opens(loaded, client):
    events = EventPage.objects.live()
    assert {e.kind for e in events} >= {
        "master_class", "open_day", "project_week", "workshop", "lecture", "excursion"
    }  # fmt: skip
    assert {e.track for e in events} == set(EventPage.Track.values)
    assert {e.audience for e in events} == set(EventPage.Audience.values)
    webinar = event("python-school-webinar")
    assert webinar.online_url.startswith("https://") and not webinar.place
    week = event("smart-city-project-week")
    assert week.ends_at - week.starts_at > timedelta(days=4)
    local = timezone.localtime(event("first-robot-arduino").starts_at)
    assert (local.hour, local.minute, str(local.tzinfo)) == (15, 0, "Europe/Samara")
    for page in events:
        assert [block.block_type for block in page.body][0] == "markdown", page.slug
    client.force_login(User.objects.get(username="guest_teacher"))
    for page in events:
        assert client.get(page.url).status_code == 200, page.url


def test_a_full_master_class_has_a_waiting_list_from_the_visiting_school(loaded):
    full = event("first-robot-arduino")
    visiting = School.objects.get(kind=School.Kind.VISITING)
    assert (full.min_class, full.max_class, full.capacity) == (5, 7, 5)
    assert registering.places_left(full) == 0
    registrations = Registration.objects.filter(event=full)
    assert registrations.filter(status=Status.CONFIRMED).count() == 5
    waiting = registrations.filter(status=Status.WAITING)
    assert waiting.count() == 2
    assert {r.school_id for r in waiting} == {visiting.pk}
    assert {r.registered_by.username for r in waiting} == {"guest_teacher"}
    assert {r.source for r in waiting} == {Registration.Source.TEACHER}
    # The teacher registered the whole group in one go: one batch, one of them got the place.
    batch = registrations.filter(registered_by__username="guest_teacher")
    assert batch.values("batch").distinct().count() == 1 and batch.count() == 3
    # The pupils on the list and their teacher were told (the site's 🔔).
    for registration in waiting:
        assert Notification.objects.filter(
            user=registration.user, key=f"event:registered:{registration.pk}"
        ).exists()
    assert Notification.objects.filter(
        user__username="guest_teacher", key__startswith="event:batch:"
    ).exists()
    # Linked to the Arduino module the park shares with the visiting school.
    assert CourseShare.objects.filter(module_id=full.linked_page_id, school=visiting).exists()


def test_past_events_have_arrivals_absences_a_walk_in_and_certificates(loaded):
    for slug in PAST:
        page = event(slug)
        registrations = Registration.objects.filter(event=page)
        came = registrations.filter(attended_at__isnull=False)
        assert 0 < came.count() < registrations.count(), slug  # some came, some did not
        for registration in registrations.exclude(source=Registration.Source.WALK_IN):
            assert registration.created_at < page.starts_at, slug  # registered beforehand
        marks = CheckIn.objects.filter(registration__event=page)
        assert set(marks.values_list("registration_id", flat=True)) == set(
            came.values_list("pk", flat=True)
        )
        for mark in marks:
            assert page.starts_at - timedelta(hours=1) < mark.marked_at < page.ends_at
            assert mark.received_at < page.ends_at  # not on the day the demo was loaded
        issued = certificates_of(page)
        assert sorted(issued.values_list("holder_name", flat=True)) == sorted(
            came.values_list("full_name", flat=True)
        ), slug
        assert all(c.held_on and c.revoked_at is None for c in issued)
    open_day = Registration.objects.filter(event=event("open-day"))
    walk_in = open_day.get(source=Registration.Source.WALK_IN)
    assert (walk_in.full_name, walk_in.attended_at is not None) == ("Горшков Илья", True)
    assert {r.user.username for r in open_day.filter(attended_at=None)} == {"pupil4", "pupil11"}
    schools = set(open_day.filter(attended_at__isnull=False).values_list("school_name", flat=True))
    assert {"Детский технопарк «Кванториум»", "Школа № 12 г. Тольятти"} <= schools
    # A child's name on a public page: first name and initial.
    certificate = certificates_of(event("open-day")).get(user__username="pupil1")
    assert certificate.holder_public_name == "Артём К."


def test_the_teacher_workshop_gives_certificates_with_hours_to_teachers_of_both_schools(loaded):
    seminar = event("arduino-teachers-seminar")
    assert (seminar.audience, seminar.kind, seminar.hours) == ("teachers", "workshop", 4)
    issued = certificates_of(seminar)
    assert issued.count() == 3
    assert {c.hours for c in issued} == {4}
    assert {c.user.school.kind for c in issued} == {School.Kind.HOST, School.Kind.VISITING}
    absent = Registration.objects.get(event=seminar, user__username="guest_admin")
    assert absent.attended_at is None
    assert not Certificate.objects.filter(user__username="guest_admin").exists()
    # The pupils' events give no hours.
    assert not certificates_of(event("open-day")).filter(hours__isnull=False).exists()


def test_the_visitor_the_moderated_excursion_and_the_upcoming_workshop(loaded):
    lecture = Registration.objects.filter(event=event("neural-networks-lecture"))
    visitor = lecture.get(source=Registration.Source.GUEST)
    assert visitor.user is None and visitor.status == Status.CONFIRMED
    assert visitor.email_confirmed_at is not None
    assert ["vera.zakharova@example.org"] in loaded["mails"]  # kept by the locmem backend
    excursion = event("university-lab-excursion")
    assert excursion.requires_moderation
    statuses = dict(
        Registration.objects.filter(event=excursion).values_list("user__username", "status")
    )
    assert statuses == {"pupil8": Status.CONFIRMED, "pupil10": Status.PENDING}
    webinar = Registration.objects.filter(event=event("python-school-webinar"))
    assert set(webinar.values_list("user__username", "category")) == {
        ("teacher2", "teacher"),
        ("guest_teacher", "teacher"),
    }
    # No one was told an event "changed" (the state row was made before any check-in).
    assert not Notification.objects.filter(key__startswith="event:changed").exists()


def test_loading_again_changes_nothing(loaded):
    before = snapshot()
    output = load()
    assert snapshot() == before
    assert loaded["output"].splitlines()[-2] in output


def test_on_a_later_day_the_events_move_with_the_calendar(loaded):
    before = snapshot()
    later = demo_events.today() + timedelta(days=3)
    with mock.patch.object(demo_events, "today", lambda: later):
        load()
    after = snapshot()
    assert len(after["events"]) == len(before["events"])
    for old, new in zip(before["events"], after["events"], strict=True):
        assert new[1] - old[1] == timedelta(days=3) and new[2] - old[2] == timedelta(days=3)
    assert len(after["registrations"]) == len(before["registrations"])
    assert len(after["certificates"]) == len(before["certificates"])
    # Past events' arrivals moved with them; nobody is told of a change.
    shifted = [
        (new[5] - old[5]) for old, new in zip(
            before["registrations"], after["registrations"], strict=True
        ) if old[0] in PAST and old[5] is not None
    ]  # fmt: skip
    assert shifted and set(shifted) == {timedelta(days=3)}
    assert after["notifications"] == before["notifications"]
    seminar = certificates_of(event("arduino-teachers-seminar")).first()
    assert seminar.held_on == demo_events.certificates.held_on_for(
        event("arduino-teachers-seminar")
    )
