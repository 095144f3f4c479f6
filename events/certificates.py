"""Issuing certificates: the verification code, the name a public page may show, issuing once
per source (an event registration here; a contest's diploma reuses `issue` with its own key),
revoking, and who may download which one.

Certificates for an event: a registration that was marked as come (attended_at) of an event
that gives certificates, is not cancelled and has reached its last day in the park's time
zone. The last day, not the end: a closing ceremony hands them out before the event is over,
while someone who came on the first day of a week-long course does not get one before the
week's last day. Hours are written for everyone the event gives hours (teachers' professional
development, mostly). A certificate, once issued, is a fixed document: editing the event later
changes nothing on it; a mistake is revoked."""

from __future__ import annotations

import hmac
import re
import secrets
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast, Concat
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from events import permissions
from events.models import Certificate, EventPage, Registration
from lms.models import User
from lms.permissions import AnyUser
from lms.text import clean_line

Kind = Certificate.Kind

# --- Verification codes --------------------------------------------------------------------

# No 0/O, 1/I/L: a code is read off paper and typed by hand. 31 symbols, 12 of them: 59.4 bits.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
# Cyrillic letters that look like Latin ones (a code typed on a Russian keyboard layout).
_LOOK_ALIKES = str.maketrans("АВЕЗКМНОРСТУХ", "ABE3KMHOPCTYX")
_SEPARATORS = frozenset(" -_.·\u2010\u2011\u2012\u2013\u2014\u2212")


def _random_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def new_code() -> str:
    """A fresh verification code such as "K7QM-3XPA-9T", not held by any certificate. Issuing
    still relies on the unique constraint for the last word (two issuers may draw the same)."""
    for _attempt in range(10):
        code = _random_code()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise RuntimeError("No free certificate code after 10 draws")  # 2**59 codes: never


def normalise_code(raw: str) -> str | None:
    """The code in its stored form ("K7QM-3XPA-9T") from what a person typed or a URL held
    (any case, spaces, dashes, Cyrillic look-alikes), or None if it cannot be a code."""
    if not raw or len(raw) > 64:
        return None
    text = unicodedata.normalize("NFKC", raw).upper().translate(_LOOK_ALIKES)
    chars = [char for char in text if char not in _SEPARATORS]
    if len(chars) != CODE_LENGTH or any(char not in ALPHABET for char in chars):
        return None
    joined = "".join(chars)
    return f"{joined[:4]}-{joined[4:8]}-{joined[8:]}"


def by_code(raw: str) -> Certificate | None:
    code = normalise_code(raw)
    if code is None:
        return None
    return Certificate.objects.filter(code=code).first()


# --- The name a public page may show -------------------------------------------------------

_FIRST_NAME_LIMIT = 60


def _initial(surname: str) -> str:
    for char in surname:
        if char.isalpha():
            return f"{char.upper()}."
    return ""


def _short(first: str, surname: str) -> str:
    return " ".join(part for part in (first[:_FIRST_NAME_LIMIT], _initial(surname)) if part)


def public_name(full_name: str) -> str:
    """First name and the surname's initial, from a name written "Фамилия Имя [Отчество]":
    "Иванова Мария Петровна" → "Мария И.". One word is taken as the first name; a patronymic
    is never shown."""
    words = clean_line(full_name).split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:_FIRST_NAME_LIMIT]
    return _short(words[1], words[0])


def public_name_of_user(user: User) -> str:
    """The same from an account: its first and last name fields where set, else its display
    name (written "Имя Фамилия", lms.accounts), else the login."""
    first_words = clean_line(user.first_name).split()
    if first_words:
        return _short(first_words[0], clean_line(user.last_name))
    display = clean_line(user.display_name).split()
    if len(display) > 1:
        return _short(display[0], display[-1])
    if display:
        return display[0][:_FIRST_NAME_LIMIT]
    return public_name(user.last_name or user.username)


# --- Dates ---------------------------------------------------------------------------------


def park_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def event_days(event: EventPage) -> tuple[date, date]:
    """The first and last day of the event in the park's time zone (an event that ends at
    midnight ends on the day before)."""
    zone = park_zone()
    first = timezone.localtime(event.starts_at, zone).date()
    last = timezone.localtime(event.ends_at - timedelta(microseconds=1), zone).date()
    return first, max(first, last)


def dates_label(first: date, last: date) -> str:
    """ "12 декабря 2026", "12–14 декабря 2026", "30 ноября – 2 декабря 2026", in the active
    language."""
    full = formats.date_format(last, "j E Y")
    if first == last:
        return full
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{full}"
    if first.year == last.year:
        return f"{formats.date_format(first, 'j E')} – {full}"
    return f"{formats.date_format(first, 'j E Y')} – {full}"


def held_on_for(event: EventPage) -> str:
    """The event's dates as written on its certificates: in the park's language (a certificate
    is one fixed document whoever issues it)."""
    with translation.override(settings.LANGUAGE_CODE):
        return dates_label(*event_days(event))


# --- Issuing -------------------------------------------------------------------------------


def _fit(value: object, field: str) -> str:
    limit = Certificate._meta.get_field(field).max_length
    return clean_line(str(value or ""))[:limit]


def _certificate(
    *,
    kind: str,
    title: str,
    holder_name: str,
    holder_public_name: str,
    school_name: str,
    user: User | None,
    hours: Decimal | int | None,
    held_on: str,
    award: str,
    source_key: str,
    code: str,
) -> Certificate:
    if kind not in Kind.values:
        raise ValueError(f"Unknown certificate kind: {kind!r}")
    if not source_key or len(source_key) > Certificate._meta.get_field("source_key").max_length:
        raise ValueError("A certificate needs a source key of at most 100 characters")
    name = _fit(holder_name, "holder_name")
    shown = _fit(holder_public_name, "holder_public_name") or _fit(
        public_name(name), "holder_public_name"
    )
    return Certificate(
        code=code,
        kind=kind,
        title=_fit(title, "title"),
        award=_fit(award, "award"),
        holder_name=name,
        holder_public_name=shown,
        school_name=_fit(school_name, "school_name"),
        user=user,
        hours=Decimal(str(hours)) if hours else None,
        held_on=_fit(held_on, "held_on"),
        source_key=source_key,
    )


def issue(
    *,
    kind: str,
    title: str,
    holder_name: str,
    holder_public_name: str,
    school_name: str,
    user: User | None = None,
    hours: Decimal | int | None = None,
    held_on: str = "",
    award: str = "",
    source_key: str,
) -> Certificate:
    """The certificate for `source_key`, issued now unless it already was (then the one issued
    before, as it was, revoked or not). Safe when two requests issue at once: the unique source
    key decides, and the loser returns the winner's. An empty public name is derived from the
    full one (public_name)."""
    existing = Certificate.objects.filter(source_key=source_key).first()
    if existing is not None:
        return existing
    fields = {
        "kind": kind,
        "title": title,
        "holder_name": holder_name,
        "holder_public_name": holder_public_name,
        "school_name": school_name,
        "user": user,
        "hours": hours,
        "held_on": held_on,
        "award": award,
        "source_key": source_key,
    }
    for _attempt in range(5):
        certificate = _certificate(**fields, code=new_code())
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
            return certificate
        except IntegrityError:
            existing = Certificate.objects.filter(source_key=source_key).first()
            if existing is not None:
                return existing
            # Otherwise another issuer took the same code in the meantime: draw again.
    raise RuntimeError(f"Could not issue a certificate for {source_key}")


def revoke(certificate: Certificate, reason: str) -> Certificate:
    """Marks the certificate as revoked (its check page says so; it has no PDF any more).
    Revoking again keeps the first date and takes the new reason."""
    certificate.revoked_reason = _fit(reason, "revoked_reason")
    certificate.revoked_at = certificate.revoked_at or timezone.now()
    certificate.save(update_fields=["revoked_at", "revoked_reason"])
    return certificate


# --- Certificates of an event --------------------------------------------------------------

REGISTRATION_KEY = "event-registration:"


def registration_key(registration_id: int) -> str:
    return f"{REGISTRATION_KEY}{registration_id}"


def _registration_keys(registrations: QuerySet[Registration]) -> QuerySet:
    """A subquery: the source keys of these registrations' certificates."""
    return registrations.annotate(
        certificate_key=Concat(
            models.Value(REGISTRATION_KEY),
            Cast("pk", models.CharField()),
            output_field=models.CharField(),
        )
    ).values("certificate_key")


def refusal(event: EventPage, now: datetime | None = None) -> str | None:
    """Why the event's certificates cannot be issued now, or None."""
    if not event.certificates:
        return _("This event gives no certificates.")
    if event.is_cancelled:
        return _("The event is cancelled.")
    today = timezone.localtime(now or timezone.now(), park_zone()).date()
    last_day = event_days(event)[1]
    if today < last_day:
        return _("Certificates are issued from the event’s last day, %(day)s.") % {
            "day": formats.date_format(last_day, "j E Y")
        }
    return None


def _registration_fields(registration: Registration, event: EventPage, held_on: str) -> dict:
    """What `issue` takes for a registration's certificate."""
    user = registration.user
    if user is not None and (user.first_name or user.display_name):
        shown = public_name_of_user(user)
    else:
        shown = public_name(registration.full_name)
    school_name = registration.school_name or (
        registration.school.name if registration.school_id else ""
    )
    return {
        "kind": Kind.PARTICIPATION,
        "title": event.title,
        "holder_name": registration.full_name,
        "holder_public_name": shown,
        "school_name": school_name,
        "user": user,
        "hours": event.hours,
        "held_on": held_on,
        "award": "",
        "source_key": registration_key(registration.pk),
    }


def issue_for_registration(registration: Registration) -> Certificate | None:
    """The registration's certificate: the one issued before, else a new one if the person
    came and the event's certificates may be issued now (module docstring); else None."""
    existing = Certificate.objects.filter(source_key=registration_key(registration.pk)).first()
    if existing is not None:
        return existing
    event = registration.event
    if registration.attended_at is None or refusal(event) is not None:
        return None
    return issue(**_registration_fields(registration, event, held_on_for(event)))


def issue_for_event(event: EventPage) -> tuple[int, int]:
    """Certificates for everyone who came: (issued now, issued before). Nothing when the
    event's certificates may not be issued now (see `refusal`). A few queries whatever the
    number of people; safe to run twice or at once."""
    if refusal(event) is not None:
        return 0, 0
    came = Registration.objects.filter(event=event, attended_at__isnull=False).select_related(
        "user", "school"
    )
    keys = {registration_key(r.pk): r for r in came}
    before = set(
        Certificate.objects.filter(source_key__in=list(keys)).values_list("source_key", flat=True)
    )
    held_on = held_on_for(event)
    wanted = {
        key: _registration_fields(registration, event, held_on)
        for key, registration in keys.items()
        if key not in before
    }
    drafts = [_certificate(**fields, code=_random_code()) for fields in wanted.values()]
    with transaction.atomic():
        # Conflicts (a key issued at the same moment, or a code drawn twice) are skipped here
        # and sorted out below.
        Certificate.objects.bulk_create(drafts, ignore_conflicts=True)
    ours = set(
        Certificate.objects.filter(
            code__in=[d.code for d in drafts], source_key__in=list(wanted)
        ).values_list("source_key", flat=True)
    )
    issued = len(ours)
    for key in wanted.keys() - ours:
        if not Certificate.objects.filter(source_key=key).exists():
            issue(**wanted[key])  # its code had been taken: drawn again
            issued += 1
    return issued, len(keys) - issued


# --- Who sees which certificate ------------------------------------------------------------
# Park staff see all; anyone else their own and those of the registrations they may see
# (events.permissions: those they made, and their own pupils'). Rules for events.permissions
# to take over; kept here, beside the source keys they read.


def visible_q(user: AnyUser) -> Q:
    """A filter for certificates whose PDF this user may download."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if permissions.is_park_staff(user):
        return Q()
    registrations = Registration.objects.filter(permissions.registrations_visible_q(user))
    return Q(user=user) | Q(source_key__in=_registration_keys(registrations))


def can_download(user: AnyUser, certificate: Certificate) -> bool:
    if not user.is_authenticated:
        return False
    if certificate.user_id == user.pk:
        return True
    return Certificate.objects.filter(visible_q(user), pk=certificate.pk).exists()


def mine_q(user: AnyUser) -> Q:
    """ "My certificates": one's own and those of the people one registered (a teacher's
    pupils), also for park staff (who reach the rest through each event)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    made = Registration.objects.filter(registered_by=user)
    return Q(user=user) | Q(source_key__in=_registration_keys(made))


# --- "Check the name on the paper" ---------------------------------------------------------

NAME_CHECK_MAX_LENGTH = 300
_NAME_SPLIT = re.compile(r"[\s\-\u2010-\u2015.,'’`]+")


def name_key(name: str) -> str:
    """A name as compared: case, ё/е, spacing, hyphens and word order do not matter."""
    text = unicodedata.normalize("NFKC", clean_line(name)).casefold().replace("ё", "е")
    return " ".join(sorted(word for word in _NAME_SPLIT.split(text) if word))


def name_matches(certificate: Certificate, typed: str) -> bool:
    typed_key = name_key(typed[:NAME_CHECK_MAX_LENGTH])
    if not typed_key:
        return False
    return hmac.compare_digest(typed_key.encode(), name_key(certificate.holder_name).encode())


def take_name_check(code: str) -> bool:
    """Whether one more name check of this certificate is allowed today, counting it: a few
    a day whoever asks (so guessing a surname takes years), in the shared cache
    (LMS_CERTIFICATE_NAME_CHECKS_PER_DAY). The views add a limit per address."""
    limit = int(getattr(settings, "LMS_CERTIFICATE_NAME_CHECKS_PER_DAY", 10))
    key = f"events:certificate-name:{code}:{timezone.now():%Y%m%d}"
    cache.add(key, 0, timeout=26 * 3600)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=26 * 3600)
        used = 1
    return used <= limit


def issue_for_ended_events(
    now: datetime | None = None, within: timedelta = timedelta(days=7)
) -> int:
    """For the periodic command: certificates for those who came to events that ended lately
    (the organisers may also issue them at once from the registrations list)."""
    now = now or timezone.now()
    ended = EventPage.objects.live().filter(
        certificates=True, is_cancelled=False, ends_at__lte=now, ends_at__gt=now - within
    )
    return sum(issue_for_event(event)[0] for event in ended)
