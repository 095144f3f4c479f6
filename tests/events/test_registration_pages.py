"""The registration pages: the panel on the event page, registering oneself, a teacher's pupils,
a visitor; one's registration by its link; "My events"; the organisers' list."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import registering
from events.models import Registration
from tests.events.builders import make_event, register

Status = Registration.Status
XSS = '<script>alert("x")</script>'


def test_the_event_page_offers_what_each_person_may_do(client, park, host, visiting):
    event = park["master_class"]
    page = client.get(event.url)
    assert page.status_code == 200
    assert reverse("login") in page.content.decode()
    client.force_login(host.pupils_a[0])
    assert reverse("events:register", args=[event.pk]) in client.get(event.url).content.decode()
    client.force_login(visiting.teacher_a)
    html = client.get(event.url).content.decode()
    assert reverse("events:register_group", args=[event.pk]) in html
    assert reverse("events:manage", args=[event.pk]) not in html
    client.force_login(host.teacher_a)
    assert reverse("events:manage", args=[event.pk]) in client.get(event.url).content.decode()


def test_a_pupil_registers_and_sees_the_qr(client, park, host):
    event = park["master_class"]
    client.force_login(host.pupils_a[0])
    response = client.post(reverse("events:register", args=[event.pk]))
    registration = Registration.objects.get(event=event, user=host.pupils_a[0])
    assert response.url == reverse("events:registration", args=[registration.code])
    page = client.get(response.url)
    assert page.status_code == 200 and "<svg" in page.content.decode()
    again = client.post(reverse("events:register", args=[event.pk]), follow=True)
    assert Registration.objects.filter(event=event, user=host.pupils_a[0]).count() == 1
    assert re.search("уже|already", again.content.decode())


def test_register_is_post_only_and_needs_login(client, park):
    event = park["master_class"]
    assert client.get(reverse("events:register", args=[event.pk])).status_code == 405
    response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_refusal_is_said_on_the_event_page(client, park, host):
    client.force_login(host.pupils_a[0])
    response = client.post(reverse("events:register", args=[park["workshop"].pk]), follow=True)
    assert response.status_code == 200
    assert re.search("учител|teachers", response.content.decode())
    assert not Registration.objects.filter(event=park["workshop"]).exists()


def test_drafts_and_unknown_events_are_404(client, park, host):
    client.force_login(host.pupils_a[0])
    draft = make_event("Черновик", slug="draft-event")
    draft.unpublish()
    assert client.post(reverse("events:register", args=[draft.pk])).status_code == 404
    assert client.post(reverse("events:register", args=[999999])).status_code == 404


def test_a_teacher_registers_pupils_of_their_group(client, park, visiting):
    event = park["master_class"]
    client.force_login(visiting.teacher_a)
    url = reverse("events:register_group", args=[event.pk])
    page = client.get(url)
    assert page.status_code == 200
    for pupil in visiting.pupils_a:
        assert registering.full_name_of(pupil) in page.content.decode()
    chosen = [visiting.pupils_a[0].pk, visiting.pupils_a[1].pk]
    response = client.post(url, {"group": visiting.group_a.pk, "pupils": chosen})
    assert response.status_code == 302 and response.url == reverse("events:mine")
    rows = Registration.objects.filter(event=event, registered_by=visiting.teacher_a)
    assert set(rows.values_list("user_id", flat=True)) == set(chosen)
    mine = client.get(reverse("events:mine")).content.decode()
    assert registering.full_name_of(visiting.pupils_a[0]) in mine


def test_a_teacher_cannot_reach_another_schools_group(client, park, host, visiting):
    event = park["master_class"]
    client.force_login(visiting.teacher_a)
    url = reverse("events:register_group", args=[event.pk])
    assert client.get(url, {"group": host.group_a.pk}).status_code == 404
    assert client.get(url, {"group": "x"}).status_code == 404
    response = client.post(url, {"group": visiting.group_a.pk, "pupils": [host.pupils_a[0].pk]})
    assert response.status_code == 200  # the form refuses a pupil not on the list
    assert not Registration.objects.filter(event=event).exists()
    client.force_login(visiting.pupils_a[0])
    assert client.get(url).status_code == 404  # pupils have no groups to register


def test_a_visitor_registers_and_confirms_by_the_link(
    client, park, django_capture_on_commit_callbacks
):
    event = make_event("День открытых дверей", slug="doors", guests_register=True)
    url = reverse("events:register_guest", args=[event.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url,
            {
                "full_name": f"Гостева Ольга {XSS}",
                "school_name": "Школа № 7",
                "email": "olga@example.org",
                "category": "pupil",
            },
        )
    assert response.status_code == 200
    assert "olga@example.org" in response.content.decode()
    registration = Registration.objects.get(event=event)
    assert registration.code not in response.content.decode()  # the link only by e-mail
    assert registration.code in mail.outbox[0].body
    link = reverse("events:registration", args=[registration.code])
    page = client.get(link)
    assert XSS not in page.content.decode() and "&lt;script&gt;" in page.content.decode()
    assert (
        Registration.objects.get(pk=registration.pk).status == Status.UNCONFIRMED
    )  # GET changes nothing
    client.post(reverse("events:registration_action", args=[registration.code, "confirm-email"]))
    assert Registration.objects.get(pk=registration.pk).status == Status.CONFIRMED


def test_a_visitor_form_with_bad_input_says_why(client, park):
    event = make_event("День открытых дверей", slug="doors-bad", guests_register=True)
    url = reverse("events:register_guest", args=[event.pk])
    response = client.post(url, {"full_name": "", "school_name": "", "email": "nope"})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    assert not Registration.objects.filter(event=event).exists()
    assert (
        client.get(reverse("events:register_guest", args=[park["master_class"].pk])).status_code
        == 404
    )


def test_one_registration_page_by_code_and_its_actions(client, park, host):
    event = make_event("На двоих", slug="two", capacity=1)
    first, _ = registering.register_self(event, host.pupils_a[0])
    second, _ = registering.register_self(event, host.pupils_a[1])
    assert client.get(reverse("events:registration", args=["no-such-code"])).status_code == 404
    assert client.get(reverse("events:registration", args=["x" * 300])).status_code == 404
    cancel = reverse("events:registration_action", args=[first.code, "cancel"])
    assert client.get(cancel).status_code == 405
    client.post(cancel)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    page = client.get(reverse("events:registration", args=[second.code])).content.decode()
    assert reverse("events:registration_action", args=[second.code, "accept"]) in page
    client.post(reverse("events:registration_action", args=[second.code, "accept"]))
    second.refresh_from_db()
    assert second.status == Status.CONFIRMED
    assert (
        client.post(reverse("events:registration_action", args=[second.code, "drop"])).status_code
        == 404
    )


def test_my_events_cancel_only_what_is_mine(client, park, host, visiting):
    event = park["master_class"]
    outcome = registering.register_pupils(
        event, visiting.teacher_a, visiting.group_a, [visiting.pupils_a[0].pk]
    )
    theirs = outcome.created[0]
    client.force_login(host.teacher_a)  # park staff may cancel on someone's behalf
    client.force_login(visiting.teacher_b)  # another teacher of the same school, another group
    assert client.post(reverse("events:cancel_mine", args=[theirs.pk])).status_code == 404
    client.force_login(visiting.teacher_a)
    client.post(reverse("events:cancel_mine", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.status == Status.CANCELLED


def test_the_organisers_list_moderation_and_csv(client, park, host, visiting):
    event = make_event("По заявкам", slug="moderated-page", requires_moderation=True)
    pending = register(
        event, visiting.pupils_a[0], status=Status.PENDING, full_name=f"=HYPERLINK {XSS}"
    )
    url = reverse("events:manage", args=[event.pk])
    for outsider in (visiting.teacher_a, visiting.admin, host.pupils_a[0]):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        approve = reverse("events:moderate", args=[event.pk, pending.pk, "approve"])
        assert client.post(approve).status_code == 404
    client.force_login(host.teacher_b)
    page = client.get(url)
    assert page.status_code == 200 and "&lt;script&gt;" in page.content.decode()
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK" in csv.content.decode("utf-8-sig")
    client.post(reverse("events:moderate", args=[event.pk, pending.pk, "approve"]))
    pending.refresh_from_db()
    assert pending.status == Status.CONFIRMED
    other = make_event("Чужое", slug="other-event")
    assert (
        client.post(reverse("events:moderate", args=[other.pk, pending.pk, "cancel"])).status_code
        == 404
    )


@pytest.mark.parametrize("action", ["approve", "reject", "cancel"])
def test_moderation_actions_are_post_only(client, park, host, action):
    event = park["master_class"]
    registration = register(event, host.pupils_a[0])
    client.force_login(host.admin)
    url = reverse("events:moderate", args=[event.pk, registration.pk, action])
    assert client.get(url).status_code == 405


def test_a_past_event_offers_no_registration(client, park, host):
    past = make_event("Было", slug="was", starts_in=-timedelta(days=3))
    client.force_login(host.pupils_a[0])
    html = client.get(past.url).content.decode()
    assert reverse("events:register", args=[past.pk]) not in html
    assert past.ends_at < timezone.now()


@pytest.mark.parametrize("who", ["anonymous", "pupil", "visiting_teacher", "park_staff"])
def test_the_event_page_takes_a_fixed_number_of_queries(
    client, park, host, visiting, who, django_assert_num_queries
):
    """The page with its registration panel, whatever the number of registrations."""
    event = park["master_class"]
    user = {"pupil": host.pupils_a[0], "visiting_teacher": visiting.teacher_a}.get(who)
    user = host.teacher_a if who == "park_staff" else user
    if user:
        client.force_login(user)
    registering.register_pupils(
        event, visiting.teacher_a, visiting.group_a, [p.pk for p in visiting.pupils_a]
    )
    client.get(event.url)  # warm: the site root, the page chain (cms.routing), the session
    # The user, the roles and group rights come from the shared cache too (lms.user_cache,
    # lms.access_cache).
    expected = {"anonymous": 1, "pupil": 3, "visiting_teacher": 7, "park_staff": 7}[who]
    with django_assert_num_queries(expected):
        assert client.get(event.url).status_code == 200
