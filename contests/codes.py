"""Personal participant codes (the Sirius school-stage pattern): the organisers, or a school's
own teacher, make N participants for a school and a category; the school prints a card per
participant; on the day each child types their code at /contests/<slug>/code/ on any computer,
without an account.

A code is the key (contests.permissions.participant_of), so guessing one is made hopeless: 8
symbols of 31 (about 8.5·10^11 codes per contest), and wrong codes are counted per browser
session and per address (a school sits behind one address, so that limit is generous). A wrong
code says only that it is wrong; a right one is remembered in the session.

What a child types is forgiven: any case, spaces and dashes, and the Cyrillic letters that look
like Latin ones (a Russian keyboard layout)."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Sequence

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contests import audience, permissions
from contests.audience import Refused
from contests.models import Category, Contest, Participant
from contests.models.participants import CODE_ALPHABET, new_code
from events.rate_limits import client_address
from lms import permissions as lms_permissions
from lms import qr
from lms.models import School, User
from lms.permissions import AnyUser
from lms.text import clean_line

CODE_LENGTH = 8
MAX_NAME = 300
# Cyrillic look-alikes of Latin capitals (and З for 3). О has no partner: O is not in the
# alphabet, so a code with it is wrong either way.
_LOOK_ALIKES = str.maketrans("АВЕЗКМНОРСТУХ", "ABE3KMHOPCTYX")
_SEPARATORS = frozenset(" -_.·\u00a0\u2010\u2011\u2012\u2013\u2014\u2212")

SESSION_CLIENT = "contests.code_client"


def max_batch() -> int:
    return int(getattr(settings, "CONTESTS_MAX_BATCH", settings.LMS_EVENT_MAX_BATCH))


# --- The code itself ---------------------------------------------------------------------------


def normalise_code(raw: str | None) -> str | None:
    """The code as stored ("K7QM3XPA") from what was typed, or None if it cannot be one."""
    if not raw or len(raw) > 64:
        return None
    text = unicodedata.normalize("NFKC", raw).upper().translate(_LOOK_ALIKES)
    chars = [char for char in text if char not in _SEPARATORS]
    if len(chars) != CODE_LENGTH or any(char not in CODE_ALPHABET for char in chars):
        return None
    return "".join(chars)


def shown(code: str) -> str:
    """How a code is printed: two groups of four ("K7QM-3XPA"), easier to copy."""
    if len(code) == CODE_LENGTH:
        return f"{code[:4]}-{code[4:]}"
    return code


def fresh_codes(contest_id: int, count: int) -> list[str]:
    """`count` distinct codes that no participant of the contest holds (two batches made at
    once may still draw the same: the unique constraint has the last word)."""
    codes: set[str] = set()
    while len(codes) < count:
        codes.add(new_code())
        if len(codes) == count:
            taken = set(
                Participant.objects.filter(contest_id=contest_id, code__in=codes).values_list(
                    "code", flat=True
                )
            )
            codes -= taken
    return list(codes)


def address_qr(address: str) -> SafeString:
    """The code sheet's QR: the address where codes are typed, never a code (as login cards
    never carry a password): a photographed card's QR gives away nothing."""
    return mark_safe(qr.svg(address, scale=4, fluid=True))  # noqa: S308 - segno's own SVG


# --- Who makes and sees codes ------------------------------------------------------------------


def schools_for_codes(user: AnyUser, contest: Contest) -> QuerySet[School]:
    """The schools this user may make codes for: any school the contest is open to for the
    organisers; a teacher or school admin, their own school if it is."""
    if permissions.is_organiser(user):
        return audience.allowed_schools(contest)
    if not lms_permissions.is_school_staff(user) or not user.school_id:
        return School.objects.none()
    return audience.allowed_schools(contest).filter(pk=user.school_id)


def may_make_codes(user: AnyUser, contest: Contest) -> bool:
    if permissions.is_organiser(user):
        return True
    return schools_for_codes(user, contest).exists()


def visible_codes(user: AnyUser, contest: Contest) -> QuerySet[Participant]:
    """Code participants this user may see (and print): all for the organisers, a school
    admin's school's, a teacher's own."""
    rows = Participant.objects.filter(contest=contest, source=Participant.Source.CODE)
    if permissions.is_organiser(user):
        return rows
    if not user.is_authenticated or not user.school_id:
        return rows.none()
    if lms_permissions.is_school_admin(user, user.school_id):
        return rows.filter(school_id=user.school_id)
    if lms_permissions.is_school_staff(user):
        return rows.filter(school_id=user.school_id, registered_by=user)
    return rows.none()


# --- Making them -------------------------------------------------------------------------------


def placeholder_name(number: int) -> str:
    return _("Participant %(n)d") % {"n": number}


def typed_names(text: str) -> list[str]:
    """One name a line (empty lines skipped), cleaned as every name is."""
    return [name for name in (clean_line(line) for line in (text or "").splitlines()) if name]


def create_codes(
    contest: Contest,
    by: User,
    *,
    school: School,
    category: Category | None,
    names: Sequence[str] = (),
    count: int | None = None,
    class_number=None,
) -> list[Participant]:
    """Code participants for a school: one per name, or `count` of them named "Participant 1…N"
    (numbered on from the school's earlier ones) for the jury to name later. All or nothing."""
    names = [clean_line(name) for name in names if clean_line(name)]
    if not schools_for_codes(by, contest).filter(pk=school.pk).exists():
        raise Refused(
            audience.school_refusal(contest, school) or _("You may not make codes for that school.")
        )
    if names and count:
        raise Refused(_("Give either the names or how many codes, not both."))
    if not names and not count:
        raise Refused(_("Give the participants' names, or how many codes to make."))
    wanted = len(names) or int(count)
    if wanted < 1 or wanted > max_batch():
        raise Refused(_("From 1 to %(n)d codes at once.") % {"n": max_batch()})
    too_long = next((name for name in names if len(name) > MAX_NAME), None)
    if too_long:
        raise Refused(_("A name is longer than %(n)d characters.") % {"n": MAX_NAME})
    class_number = audience.checked_class(class_number)
    categories = list(contest.categories.all())
    if category is not None and category.contest_id != contest.pk:
        raise Refused(_("Choose one of this contest's categories."))
    if categories and category is None:
        raise Refused(_("Choose the category of these participants."))
    if category is not None and not audience.takes_class(category, class_number):
        raise Refused(audience.not_for_class(category, class_number))
    for attempt in range(2):
        try:
            with transaction.atomic():
                made = _make(contest, by, school, category, names, wanted, class_number)
                _invalidate_on_commit(contest.pk)
                return made
        except IntegrityError:  # two batches drew the same code at once: draw again
            if attempt:
                raise
    raise AssertionError("unreachable")


def _make(contest, by, school, category, names, wanted, class_number) -> list[Participant]:
    start = Participant.objects.filter(
        contest=contest, school=school, source=Participant.Source.CODE
    ).count()
    codes = fresh_codes(contest.pk, wanted)
    rows = [
        Participant(
            contest=contest,
            category=category,
            name=names[n] if names else placeholder_name(start + n + 1),
            school=school,
            school_name=school.name,
            class_number=class_number,
            code=code,
            source=Participant.Source.CODE,
            registered_by=by,
        )
        for n, code in enumerate(codes)
    ]
    return Participant.objects.bulk_create(rows)


def _invalidate_on_commit(contest_id: int) -> None:
    from contests import standings  # the standings area's module

    transaction.on_commit(lambda: standings.invalidate(contest_id))


# --- Entering a code ---------------------------------------------------------------------------


def _limits() -> tuple[int, int, int]:
    """(wrong codes per session, per address, in seconds)."""
    return (
        int(getattr(settings, "CONTESTS_CODE_TRIES_PER_SESSION", 10)),
        int(getattr(settings, "CONTESTS_CODE_TRIES_PER_ADDRESS", 300)),
        int(getattr(settings, "CONTESTS_CODE_TRIES_WINDOW_SECONDS", 15 * 60)),
    )


def _keys(request: HttpRequest) -> tuple[str, str]:
    client = request.session.get(SESSION_CLIENT)
    if not client:
        client = secrets.token_hex(12)
        request.session[SESSION_CLIENT] = client
    return f"contests:code:s:{client}", f"contests:code:a:{client_address(request)}"


def is_blocked(request: HttpRequest) -> bool:
    per_session, per_address, _window = _limits()
    session_key, address_key = _keys(request)
    return (cache.get(session_key) or 0) >= per_session or (
        cache.get(address_key) or 0
    ) >= per_address


def _count_wrong(request: HttpRequest) -> None:
    _per_session, _per_address, window = _limits()
    for key in _keys(request):
        if not cache.add(key, 1, window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)


def blocked_message() -> str:
    minutes = max(1, _limits()[2] // 60)
    return ngettext(
        "Too many wrong codes: try again in %(n)d minute.",
        "Too many wrong codes: try again in %(n)d minutes.",
        minutes,
    ) % {"n": minutes}


def enter(request: HttpRequest, contest: Contest, raw: str) -> Participant:
    """The participant whose code was typed, remembered in this session; Refused otherwise
    (a wrong code, or too many wrong ones: nothing tells which codes exist)."""
    if is_blocked(request):
        raise Refused(blocked_message())
    code = normalise_code(raw)
    participant = None
    if code is not None:
        participant = Participant.objects.filter(
            contest=contest, code=code, withdrawn_at__isnull=True
        ).first()
    if participant is None:
        _count_wrong(request)
        raise Refused(
            _("There is no such participant code in this contest. Check the letters and digits.")
        )
    request.session.cycle_key()  # a session planted before the code was typed is not reused
    permissions.remember_code(request, participant)
    return participant
