"""Certificates: codes, public names, issuing (once, only for those who came), revoking, the
public check page and its name check, the PDF and who may download it, "my certificates" and
issuing an event's certificates."""

from __future__ import annotations

import contextlib
import re
import zlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from events import certificate_pdf, certificate_views, certificates
from events.models import Certificate, Registration
from lms import roles
from lms.models import School
from tests import builders
from tests.events.builders import make_event, register

CODE_RE = re.compile(
    r"^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-"
    r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$"
)
XSS = "<script>alert('x')</script>"


def _past_event(**fields):
    """An event for pupils that was held the day before yesterday."""
    fields.setdefault("starts_in", -timedelta(days=2))
    return make_event(fields.pop("title", "Мастер-класс: свет и тень"), **fields)


def _came(event, user=None, **fields):
    fields.setdefault("attended_at", timezone.now() - timedelta(days=1))
    return register(event, user, **fields)


@pytest.fixture
def held(park):
    """A past master class: a visiting pupil registered by their teacher came (with a real
    name), a host pupil came by themself, another visiting pupil was registered but did not
    come."""
    visiting, host = park["two"].visiting, park["two"].host
    pupil = visiting.pupils_a[0]
    pupil.first_name, pupil.last_name = "Мария", "Иванова"
    pupil.save()
    event = _past_event()
    by_teacher = _came(
        event,
        pupil,
        full_name="Иванова Мария Петровна",
        source=Registration.Source.TEACHER,
        registered_by=visiting.teacher_a,
    )
    themself = _came(event, host.pupils_a[0])
    absent = register(
        event,
        visiting.pupils_a[1],
        source=Registration.Source.TEACHER,
        registered_by=visiting.teacher_a,
    )
    return {
        "event": event,
        "pupil": pupil,
        "by_teacher": by_teacher,
        "themself": themself,
        "absent": absent,
    }


@pytest.fixture
def certificate(held):
    return certificates.issue_for_registration(held["by_teacher"])


def _pdf_text(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to look for text in it."""
    parts = [data]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return b"\n".join(parts)


# --- Codes ---------------------------------------------------------------------------------


def test_codes_are_well_formed_and_unique():
    codes = {certificates._random_code() for _ in range(3000)}
    assert len(codes) == 3000
    assert all(CODE_RE.match(code) for code in codes)
    assert not set("".join(codes)) & set("01OIL")


@pytest.mark.django_db
def test_a_new_code_is_not_one_already_held(monkeypatch, certificate):
    draws = iter([certificate.code, "ABCD-EFGH-JKMN"])
    monkeypatch.setattr(certificates, "_random_code", lambda: next(draws))
    assert certificates.new_code() == "ABCD-EFGH-JKMN"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("K7QM-3XPA-9TZR", "K7QM-3XPA-9TZR"),
        ("k7qm3xpa9tzr", "K7QM-3XPA-9TZR"),
        ("  k7qm 3xpa – 9tzr ", "K7QM-3XPA-9TZR"),
        ("К7QМ-3ХРА-9ТZR", "K7QM-3XPA-9TZR"),  # Cyrillic К, М, Х, Р, А, Т
        ("K7QM-3XPA-9TZ", None),
        ("K7QM-3XPA-9TZRR", None),
        ("K0QM-3XPA-9TZR", None),
        ("KOQM-3XPA-9TZR", None),
        ("' OR 1=1 --", None),
        (XSS, None),
        ("\x00" * 12, None),
        ("A" * 5000, None),
        ("", None),
    ],
)
def test_codes_are_read_as_typed(typed, expected):
    assert certificates.normalise_code(typed) == expected


# --- Public names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("full_name", "shown"),
    [
        ("Иванова Мария", "Мария И."),
        ("Иванова Мария Петровна", "Мария И."),
        ("  Иванова   Мария\t Петровна ", "Мария И."),
        ("Мария", "Мария"),
        ("Петрова-Водкина Анна-Мария", "Анна-Мария П."),
        ("ёлкина дарья", "дарья Ё."),
        ("Smith John", "John S."),
        ("Иван\u202eова Мария", "Мария И."),
        ("", ""),
        ("   ", ""),
    ],
)
def test_public_name_of_a_written_name(full_name, shown):
    assert certificates.public_name(full_name) == shown


@pytest.mark.django_db
def test_public_name_of_an_account(park):
    pupil = park["two"].host.pupils_a[0]
    assert certificates.public_name_of_user(pupil) == pupil.username  # no names: the login
    pupil.first_name, pupil.last_name = "Анна Сергеевна", "Петрова-Водкина"
    assert certificates.public_name_of_user(pupil) == "Анна П."
    pupil.first_name, pupil.last_name, pupil.display_name = "", "", "Мария Иванова"
    assert certificates.public_name_of_user(pupil) == "Мария И."


# --- Dates -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_dates_in_the_parks_time_zone(park):
    # 20:30 UTC is 00:30 the next day in Samara (UTC+4).
    late = make_event("Ночь науки", starts_at=datetime(2026, 12, 11, 20, 30, tzinfo=UTC))
    assert certificates.held_on_for(late) == "12 декабря 2026"
    week = make_event(
        "Проектная неделя",
        starts_at=datetime(2026, 12, 12, 6, 0, tzinfo=UTC),
        length=timedelta(days=2, hours=8),
    )
    assert certificates.held_on_for(week) == "12–14 декабря 2026"
    across = make_event(
        "Зимняя школа",
        starts_at=datetime(2026, 11, 30, 6, 0, tzinfo=UTC),
        # Ends at midnight in Samara: the last day is 2 December.
        length=timedelta(days=2, hours=14),
    )
    assert certificates.held_on_for(across) == "30 ноября – 2 декабря 2026"
    with translation.override("en"):
        assert certificates.held_on_for(week) == "12–14 декабря 2026"  # the park's language


# --- Issuing ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_issue_is_idempotent(park):
    fields = {
        "kind": Certificate.Kind.DIPLOMA,
        "title": "Олимпиада по робототехнике",
        "holder_name": "Сидоров Пётр",
        "holder_public_name": "",
        "school_name": "Школа v",
        "award": "Победитель",
        "source_key": "contest-award:7",
    }
    first = certificates.issue(**fields)
    again = certificates.issue(**{**fields, "title": "Другое"})
    assert again.pk == first.pk and again.title == "Олимпиада по робототехнике"
    assert Certificate.objects.filter(source_key="contest-award:7").count() == 1
    assert first.holder_public_name == "Пётр С."  # derived when not given
    assert CODE_RE.match(first.code)


@pytest.mark.django_db
def test_issue_at_the_same_moment_returns_the_winners(monkeypatch, certificate):
    """The other request issued between our look-up and our insert: the unique key decides."""
    real_first, calls = QuerySet.first, []

    def first_misses_once(self):
        if not calls:
            calls.append(1)
            return None
        return real_first(self)

    monkeypatch.setattr(QuerySet, "first", first_misses_once)
    fields = {
        "kind": certificate.kind,
        "title": "x",
        "holder_name": "y",
        "holder_public_name": "y",
        "school_name": "",
        "source_key": certificate.source_key,
    }
    assert certificates.issue(**fields).pk == certificate.pk
    assert Certificate.objects.filter(source_key=certificate.source_key).count() == 1


@pytest.mark.django_db
def test_issue_refuses_what_it_cannot_store(park):
    with pytest.raises(ValueError):
        certificates.issue(
            kind="medal",
            title="t",
            holder_name="n",
            holder_public_name="",
            school_name="",
            source_key="k",
        )
    long = certificates.issue(
        kind=Certificate.Kind.PARTICIPATION,
        title="Т" * 1000,
        holder_name="Д" * 1000,
        holder_public_name="",
        school_name="Ш" * 1000,
        source_key="long",
    )
    assert len(long.title) == 300 and len(long.holder_name) == 300


@pytest.mark.django_db
def test_a_certificate_for_one_who_came(held, certificate):
    assert certificate.holder_name == "Иванова Мария Петровна"
    assert certificate.holder_public_name == "Мария И."
    assert certificate.user == held["pupil"]
    assert certificate.school_name == held["pupil"].school.name
    assert certificate.title == held["event"].title
    assert certificate.kind == Certificate.Kind.PARTICIPATION
    assert certificate.hours is None  # a master class gives no hours
    assert certificate.held_on == certificates.held_on_for(held["event"])
    assert certificates.issue_for_registration(held["by_teacher"]).pk == certificate.pk


@pytest.mark.django_db
def test_only_those_who_came_get_one(held):
    assert certificates.issue_for_registration(held["absent"]) is None
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_no_certificate_before_the_last_day_or_where_there_are_none(park, english):
    pupil = park["two"].host.pupils_a[0]
    upcoming = _came(park["master_class"], pupil)
    assert certificates.issue_for_registration(upcoming) is None
    assert "last day" in certificates.refusal(park["master_class"])
    no_papers = _came(_past_event(title="Экскурсия", certificates=False), pupil)
    assert certificates.issue_for_registration(no_papers) is None
    cancelled = _came(_past_event(title="Отменённый", is_cancelled=True), pupil)
    assert certificates.issue_for_registration(cancelled) is None
    # A week-long course that is on its last day now: certificates at its closing. It ends at
    # the park's midnight that closes today (whatever the hour the test runs at: an end an
    # hour from now is tomorrow's date after 23:00).
    now = timezone.localtime(timezone.now(), certificates.park_zone())
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    start = (now - timedelta(days=4)).replace(microsecond=0)
    closing = _past_event(title="Неделя", starts_at=start, length=midnight - start)
    assert certificates.issue_for_registration(_came(closing, pupil)) is not None
    assert not Certificate.objects.filter(source_key__endswith=f":{upcoming.pk}").exists()


@pytest.mark.django_db
def test_hours_where_the_event_gives_them(park):
    teacher = park["two"].visiting.teacher_a
    workshop = _past_event(
        title="Семинар", audience="teachers", kind="workshop", hours=Decimal("4.5")
    )
    certificate = certificates.issue_for_registration(
        _came(workshop, teacher, category=Registration.Category.TEACHER)
    )
    assert certificate.hours == Decimal("4.5")
    zero = _past_event(title="Семинар без часов", audience="teachers", hours=0)
    assert certificates.issue_for_registration(_came(zero, teacher)).hours is None


@pytest.mark.django_db
def test_issue_for_event_in_a_few_queries(park, django_assert_max_num_queries):
    event = _past_event(capacity=100)
    for n in range(30):
        _came(event, full_name=f"Гостев Гость{n}", email=f"g{n}@example.org")
    register(event, full_name="Не Пришёл", email="no@example.org")
    with django_assert_max_num_queries(8):
        assert certificates.issue_for_event(event) == (30, 0)
    assert certificates.issue_for_event(event) == (0, 30)
    assert Certificate.objects.count() == 30
    assert len(set(Certificate.objects.values_list("code", flat=True))) == 30
    assert certificates.issue_for_event(park["master_class"]) == (0, 0)  # not held yet


@pytest.mark.django_db
def test_issue_for_event_counts_those_issued_before(held, certificate):
    assert certificates.issue_for_event(held["event"]) == (1, 1)


@pytest.mark.django_db
def test_revoke(certificate):
    certificates.revoke(certificate, "Выдан по ошибке")
    certificate.refresh_from_db()
    first = certificate.revoked_at
    assert first and certificate.revoked_reason == "Выдан по ошибке"
    certificates.revoke(certificate, "Дубликат")
    certificate.refresh_from_db()
    assert certificate.revoked_at == first and certificate.revoked_reason == "Дубликат"
    with pytest.raises(Http404):
        certificate_views.pdf_response(certificate)


# --- The public check page -------------------------------------------------------------------


def _check_url(certificate):
    return reverse("certificates:check", args=[certificate.code])


@pytest.mark.django_db
def test_check_page_shows_the_public_name_only(client, certificate):
    response = client.get(_check_url(certificate))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Мария И." in page and certificate.school_name in page
    assert certificate.code in page and certificate.title in page
    assert "Иванова" not in page and "Петровна" not in page
    assert 'name="robots" content="noindex' in page
    assert reverse("certificates:pdf", args=[certificate.code]) not in page  # anonymous


@pytest.mark.django_db
def test_check_page_in_english(en, certificate):
    page = en.get(_check_url(certificate)).content.decode()
    assert "This certificate is genuine" in page and "Мария И." in page


@pytest.mark.django_db
def test_check_page_of_a_revoked_certificate(client, certificate):
    certificates.revoke(certificate, "Выдан по ошибке")
    response = client.get(_check_url(certificate))
    assert response.status_code == 200
    assert "cert-status-revoked" in response.content.decode()
    assert "Выдан по ошибке" in response.content.decode()
    assert 'name="name"' not in response.content.decode()  # nothing to check the name of
    response = client.post(_check_url(certificate), {"name": certificate.holder_name})
    assert "cert-result-match" not in response.content.decode()


@pytest.mark.django_db
def test_check_page_takes_the_code_as_typed(client, certificate):
    typed = certificate.code.lower().replace("-", "")
    response = client.get(f"/certificates/{typed}/")
    assert response.status_code == 302 and response.url == _check_url(certificate)
    response = client.get(reverse("certificates:lookup"), {"code": f" {typed} "})
    assert response.status_code == 302 and response.url == _check_url(certificate)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "garbage",
    [
        "ABCD-EFGH-JKMN",  # well formed, never issued
        "' OR 1=1 --",
        "1;DROP TABLE events_certificate",
        XSS,
        "%00%00",
        "..%2F..%2Fetc%2Fpasswd",
        "Я" * 2000,
    ],
)
def test_unknown_codes_get_a_friendly_404(client, park, garbage):
    client.force_login(park["two"].host.teacher_a)  # park staff: the PDF of any real code
    for response in (
        client.get(f"/certificates/{garbage}/"),
        client.get(reverse("certificates:lookup"), {"code": garbage}, follow=True),
        client.post(f"/certificates/{garbage}/", {"name": "x"}),
        client.get(f"/certificates/{garbage}/pdf/"),
    ):
        assert response.status_code == 404
        assert "<script>alert" not in response.content.decode()


@pytest.mark.django_db
def test_the_not_found_page_helps(client, park):
    page = client.get("/certificates/ABCD-EFGH-JKMN/").content.decode()
    assert 'name="code"' in page and "cert-status-unknown" in page


@pytest.mark.django_db
def test_text_fields_are_escaped_on_the_check_page(client, park):
    certificate = certificates.issue(
        kind=Certificate.Kind.DIPLOMA,
        title=XSS,
        holder_name=XSS,
        holder_public_name=XSS,
        school_name=XSS,
        award=XSS,
        held_on=XSS,
        source_key="xss",
    )
    page = client.get(_check_url(certificate)).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


# --- "Check the name on the paper" -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "matches"),
    [
        ("Иванова Мария Петровна", True),
        ("  иванова   МАРИЯ  петровна ", True),
        ("Мария Петровна Иванова", True),
        ("Иванова Мария", False),
        ("Иванов Мария Петровна", False),
        ("", False),
    ],
)
def test_name_matches(certificate, typed, matches):
    assert certificates.name_matches(certificate, typed) is matches


@pytest.mark.django_db
def test_name_check_with_yo(park):
    certificate = certificates.issue(
        kind=Certificate.Kind.PARTICIPATION,
        title="t",
        holder_name="Семёнова-Ершова Алёна",
        holder_public_name="",
        school_name="",
        source_key="yo",
    )
    assert certificates.name_matches(certificate, "семенова ершова алена")


@pytest.mark.django_db
def test_name_check_on_the_page(client, certificate):
    response = client.post(_check_url(certificate), {"name": "иванова мария петровна"})
    page = response.content.decode()
    assert response.status_code == 200 and "cert-result-match" in page
    assert "Иванова" not in page and "иванова" not in page  # not even as typed
    response = client.post(_check_url(certificate), {"name": "Петрова Мария"})
    assert "cert-result-mismatch" in response.content.decode()


@pytest.mark.django_db
def test_an_oversized_name_gets_a_message(client, certificate):
    response = client.post(_check_url(certificate), {"name": "Я" * 5000})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


@pytest.mark.django_db
def test_name_checks_are_limited_per_certificate(client, certificate, settings):
    settings.LMS_CERTIFICATE_NAME_CHECKS_PER_DAY = 3
    for _ in range(3):
        response = client.post(_check_url(certificate), {"name": "Петров Пётр"})
        assert "cert-result-mismatch" in response.content.decode()
    # Another address: the limit is the certificate's, whoever asks.
    response = client.post(
        _check_url(certificate), {"name": "Иванова Мария Петровна"}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429
    page = response.content.decode()
    assert "cert-result-throttled" in page and "cert-result-match" not in page


@pytest.mark.django_db
def test_name_checks_are_limited_per_address(client, certificate, settings, park):
    settings.LMS_CERTIFICATE_NAME_CHECKS_PER_ADDRESS_PER_HOUR = 2
    other = certificates.issue_for_registration(
        _came(_past_event(title="Ещё"), park["two"].host.pupils_b[0])
    )
    client.post(_check_url(certificate), {"name": "a"})
    client.post(_check_url(other), {"name": "a"})
    assert client.post(_check_url(certificate), {"name": "a"}).status_code == 429


# --- The PDF ---------------------------------------------------------------------------------


def _pdf_url(certificate):
    return reverse("certificates:pdf", args=[certificate.code])


@pytest.mark.django_db
def test_pdf_access(client, park, held, certificate):
    two = park["two"]
    other_school = School.objects.create(name="Школа w", kind=School.Kind.VISITING)
    allowed = {
        "the holder": held["pupil"],
        "the teacher who registered them": two.visiting.teacher_a,
        "their school's admin": two.visiting.admin,
        "park staff": two.host.teacher_b,
        "a methodologist": two.methodologist,
        "a superuser": two.superuser,
    }
    refused = {
        "another pupil of the class": two.visiting.pupils_a[1],
        "a teacher of the school who does not teach them": two.visiting.teacher_b,
        "another school's teacher": builders.make_user(
            "w_teacher", roles.TEACHER, school=other_school
        ),
        "a host pupil": two.host.pupils_a[0],
    }
    for who, user in allowed.items():
        client.force_login(user)
        response = client.get(_pdf_url(certificate))
        assert response.status_code == 200, who
        assert certificates.can_download(user, certificate), who
    for who, user in refused.items():
        client.force_login(user)
        assert client.get(_pdf_url(certificate)).status_code == 404, who
        assert not certificates.can_download(user, certificate), who
        assert not Certificate.objects.filter(certificates.visible_q(user)).exists(), who
    client.logout()
    assert client.get(_pdf_url(certificate)).url.startswith("/login/")  # anonymous: log in


@pytest.mark.django_db
def test_the_list_rule_and_the_one_object_rule_agree(park, held, certificate):
    other = certificates.issue_for_registration(held["themself"])
    two = park["two"]
    people = [
        held["pupil"],
        two.visiting.teacher_a,
        two.visiting.teacher_b,
        two.visiting.admin,
        two.visiting.pupils_a[1],
        two.host.pupils_a[0],
        two.host.teacher_a,
    ]
    for user in people:
        listed = set(
            Certificate.objects.filter(certificates.visible_q(user)).values_list("pk", flat=True)
        )
        one_by_one = {c.pk for c in (certificate, other) if certificates.can_download(user, c)}
        assert listed == one_by_one, user.username


@pytest.mark.django_db
def test_pdf_response(client, held, certificate):
    client.force_login(held["pupil"])
    response = client.get(_pdf_url(certificate))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert certificate.code.encode() in _pdf_text(response.content)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="certificate-{certificate.code}.pdf"' in disposition
    assert "filename*=UTF-8''" in disposition and "%D0%98%D0%B2" in disposition  # "Ив"
    assert disposition.isascii() and "\n" not in disposition
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_pdf_holds_the_code_and_the_check_link(certificate):
    data = certificate_pdf.render_pdf(certificate, compress=False)
    assert data.startswith(b"%PDF-")
    assert f"({certificate.code}) Tj".encode() in data  # drawn as text
    assert certificate_pdf.check_url(certificate).encode() in data  # the QR's link
    assert certificate_pdf.check_url(certificate) == (
        f"http://testserver/certificates/{certificate.code}/"
    )


@pytest.mark.django_db
def test_pdf_is_deterministic_when_asked(certificate):
    one = certificate_pdf.render_pdf(certificate, invariant=True)
    assert one == certificate_pdf.render_pdf(certificate, invariant=True)


@pytest.mark.django_db
def test_pdf_survives_long_and_hostile_text(park):
    hostile = certificates.issue(
        kind=Certificate.Kind.DIPLOMA,
        title=("Открытая олимпиада по робототехнике и программированию " * 10)[:300],
        holder_name=("Константинопольская-Длинноимённая Александра-Мария " * 4)[:150],
        holder_public_name="",
        school_name=f"{XSS} ) ( \\ %%EOF 🤖 \u202e",
        award="Я" * 200,
        held_on="30 ноября – 2 декабря 2026",
        hours=Decimal("1.5"),
        source_key="hostile",
    )
    data = certificate_pdf.render_pdf(hostile)
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert hostile.code.encode() in _pdf_text(data)
    unbroken = certificates.issue(
        kind=Certificate.Kind.PARTICIPATION,
        title="t",
        holder_name="Щ" * 150,  # one word wider than the page
        holder_public_name="",
        school_name="",
        source_key="one-word",
    )
    assert certificate_pdf.render_pdf(unbroken).startswith(b"%PDF-")


def test_long_text_shrinks_then_wraps():
    certificate_pdf.register_fonts()
    size, lines = certificate_pdf.fit(
        "Иванова Мария", certificate_pdf.BOLD, largest=32, smallest=12
    )
    assert size == 32 and lines == ["Иванова Мария"]
    name = "Константинопольская-Длинноимённая Александра-Мария Вячеславовна " * 2
    size, lines = certificate_pdf.fit(
        name, certificate_pdf.BOLD, largest=32, smallest=12, max_lines=3
    )
    assert 12 <= size < 32 and 1 < len(lines) <= 3
    assert " ".join(lines) == " ".join(name.split())  # nothing cut
    size, lines = certificate_pdf.fit(
        "Ж" * 2000, certificate_pdf.BOLD, largest=32, smallest=12, max_lines=2
    )
    assert size == 12 and len(lines) == 2 and lines[-1].endswith("…")


# --- My certificates -------------------------------------------------------------------------


@pytest.mark.django_db
def test_my_certificates_needs_a_login(client, park):
    response = client.get(reverse("certificates:mine"))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.django_db
def test_my_certificates(client, park, held, certificate):
    other = certificates.issue_for_registration(held["themself"])
    client.force_login(held["pupil"])
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.code in page and other.code not in page
    client.force_login(park["two"].visiting.teacher_a)
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.code in page and other.code not in page
    assert "Иванова Мария Петровна" in page  # their own pupil, registered by them
    client.force_login(park["two"].visiting.pupils_a[1])
    page = client.get(reverse("certificates:mine")).content.decode()
    assert certificate.code not in page and "cert-item" not in page


@pytest.mark.django_db
def test_my_certificates_in_constant_queries(client, park, django_assert_max_num_queries):
    teacher = park["two"].visiting.teacher_a
    event = _past_event(capacity=100)
    for n in range(25):
        _came(event, full_name=f"Ученик {n}", email=f"p{n}@example.org", registered_by=teacher)
    certificates.issue_for_event(event)
    client.force_login(teacher)
    client.get(reverse("certificates:mine"))  # warm: the Site (cms.sites), the roles
    with django_assert_max_num_queries(12):
        response = client.get(reverse("certificates:mine"))
    assert response.content.decode().count('class="card cert-item') == 25


# --- Issuing an event's certificates ---------------------------------------------------------


def _issue_url(event):
    return reverse("certificates:issue_for_event", args=[event.pk])


@pytest.mark.django_db
def test_issue_for_event_by_park_staff_only(client, park, held):
    url = _issue_url(held["event"])
    assert client.post(url).url.startswith("/login/")  # anonymous
    for user in (park["two"].visiting.teacher_a, held["pupil"], park["two"].host.pupils_a[0]):
        client.force_login(user)
        assert client.post(url).status_code == 404
    assert not Certificate.objects.exists()
    client.force_login(park["two"].host.teacher_a)
    assert client.get(url).status_code == 405
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_issue_for_event_twice(client, park, held):
    client.force_login(park["two"].host.teacher_a)
    response = client.post(_issue_url(held["event"]), follow=True)
    assert Certificate.objects.count() == 2
    messages = [str(m) for m in response.context["messages"]]
    assert any("2" in m for m in messages), messages
    response = client.post(_issue_url(held["event"]), follow=True)
    assert Certificate.objects.count() == 2
    messages = [str(m) for m in response.context["messages"]]
    assert any("0" in m and "2" in m for m in messages), messages


@pytest.mark.django_db
def test_issue_for_event_redirects_only_to_this_site(client, park, held):
    client.force_login(park["two"].host.teacher_a)
    response = client.post(_issue_url(held["event"]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response.url
    response = client.post(_issue_url(held["event"]), {"next": "/event/staff/"})
    assert response.url == "/event/staff/"


@pytest.mark.django_db
def test_issue_for_an_event_not_held_yet(client, park):
    _came(park["master_class"], park["two"].host.pupils_a[0])
    client.force_login(park["two"].host.teacher_a)
    response = client.post(_issue_url(park["master_class"]), follow=True)
    assert not Certificate.objects.exists()
    assert any(m.level_tag == "warning" for m in response.context["messages"])
    assert client.post("/certificates/event/999999/issue/").status_code == 404
