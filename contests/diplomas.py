"""Diplomas and participation certificates of a contest: events.Certificate rows issued with
events.certificates.issue, so they share its verification codes, its PDF (QR code of the
public check page) and that check page.

Who holds one: a participant without member accounts (a code, an import) gets one in its own
name, keyed "contest-participant:<id>"; so does one with a single member in a contest of
individuals (the member's account is the certificate's user, so they may download it). In a
team contest each member gets their own, keyed "contest-member:<member id>".

Kinds: an award gives a DIPLOMA (award = the award's name), everyone else who took part a
PARTICIPATION certificate. Issuing is idempotent (issue returns the one issued before). When
the results are published again and a holder's award has changed, the old certificate is
revoked (its check page says so) and a new one issued under the next key version:
"contest-participant:<id>:2", ":3"… The first certificate keeps the bare key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from contests.models import Award, Contest, Member, Participant
from events import certificates
from events.models import Certificate
from lms.models import User
from lms.names import surname_first
from lms.text import clean_line

PARTICIPANT_KEY = "contest-participant:"
MEMBER_KEY = "contest-member:"
AWARD_LIMIT = Certificate._meta.get_field("award").max_length
CHUNK = 500  # keys per IN (): well under SQLite's parameter limit


@dataclass(frozen=True)
class Holder:
    key: str  # the base source key (versions add ":2", ":3"…)
    name: str
    user: User | None


def participant_key(participant_id: int) -> str:
    return f"{PARTICIPANT_KEY}{participant_id}"


def member_key(member_id: int) -> str:
    return f"{MEMBER_KEY}{member_id}"


def holders(contest: Contest, participant: Participant, members: list[Member]) -> list[Holder]:
    """Whose names the participant's certificates bear (the module's docstring)."""
    if contest.teams and members:
        return [
            Holder(member_key(m.pk), surname_first(m.user) or participant.name, m.user)
            for m in members
        ]
    user = members[0].user if len(members) == 1 else None
    name = participant.name or participant.team_name
    return [Holder(participant_key(participant.pk), name, user)]


def held_on(contest: Contest) -> str:
    """The contest's dates as written on its certificates (the park's zone and language)."""
    zone = certificates.park_zone()
    first = timezone.localtime(contest.starts_at, zone).date()
    last = timezone.localtime(contest.ends_at - timedelta(microseconds=1), zone).date()
    with translation.override(settings.LANGUAGE_CODE):
        return certificates.dates_label(first, max(first, last))


def _version(key: str, base: str) -> int:
    if key == base:
        return 1
    tail = key[len(base) + 1 :]
    return int(tail) if tail.isdigit() else 0


def _latest(base: str, bare: Certificate | None) -> Certificate | None:
    """The holder's latest certificate: the bare key's while it stands, else the highest
    version (one query, only for holders whose certificate was replaced)."""
    if bare is None or bare.revoked_at is None:
        return bare
    later = list(Certificate.objects.filter(source_key__startswith=f"{base}:"))
    later = [c for c in later if _version(c.source_key, base) > 1]
    if not later:
        return bare
    return max(later, key=lambda c: _version(c.source_key, base))


def _bare_certificates(keys: list[str]) -> dict[str, Certificate]:
    found: dict[str, Certificate] = {}
    for start in range(0, len(keys), CHUNK):
        for certificate in Certificate.objects.filter(source_key__in=keys[start : start + CHUNK]):
            found[certificate.source_key] = certificate
    return found


def _wanted(award: Award) -> tuple[str, str]:
    name = clean_line(award.award)[:AWARD_LIMIT]
    return (Certificate.Kind.DIPLOMA if name else Certificate.Kind.PARTICIPATION), name


def _in_park_language(text) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text())


def _members_by_participant(participant_ids: list[int]) -> dict[int, list[Member]]:
    members: dict[int, list[Member]] = {}
    found = Member.objects.filter(participant_id__in=participant_ids).select_related("user")
    for member in found.order_by("pk"):
        members.setdefault(member.participant_id, []).append(member)
    return members


def issue_for_awards(
    contest: Contest, awards: list[Award], participants: dict[int, Participant]
) -> int:
    """Certificates for these awards (diplomas for an award, else participation): issued
    once, replaced when the award changed. Sets Award.certificate to the first holder's.
    Returns how many were issued now."""
    members = _members_by_participant([a.participant_id for a in awards])
    plan = []
    for award in awards:
        participant = participants[award.participant_id]
        plan.append(
            (award, participant, holders(contest, participant, members.get(participant.pk, [])))
        )
    bare = _bare_certificates([h.key for _a, _p, hs in plan for h in hs])
    dates = held_on(contest)
    issued = 0
    for award, participant, people in plan:
        first = None
        for holder in people:
            certificate, new = _one(
                contest, award, participant, holder, bare.get(holder.key), dates
            )
            issued += new
            first = first or certificate
        if award.certificate_id != first.pk:
            award.certificate = first
            award.save(update_fields=["certificate"])
    return issued


def _one(
    contest: Contest,
    award: Award,
    participant: Participant,
    holder: Holder,
    bare: Certificate | None,
    dates: str,
) -> tuple[Certificate, bool]:
    kind, name = _wanted(award)
    current = _latest(holder.key, bare)
    if current is not None and current.revoked_at is None:
        if current.kind == kind and current.award == name:
            return current, False
        certificates.revoke(
            current, _in_park_language(lambda: _("Replaced: the contest's awards were revised."))
        )
    key = holder.key
    if current is not None:
        key = f"{holder.key}:{_version(current.source_key, holder.key) + 1}"
    school = participant.school_name or (participant.school.name if participant.school else "")
    certificate = certificates.issue(
        kind=kind,
        title=contest.title,
        holder_name=holder.name,
        holder_public_name=certificates.public_name(holder.name),
        school_name=school,
        user=holder.user,
        held_on=dates,
        award=name,
        source_key=key,
    )
    return certificate, True


def withdraw(awards: list[Award]) -> int:
    """Revokes the certificates of participants who no longer count (withdrawn since)."""
    if not awards:
        return 0
    ids = [a.participant_id for a in awards]
    member_ids = Member.objects.filter(participant_id__in=ids).values_list("pk", flat=True)
    bases = [participant_key(pk) for pk in ids] + [member_key(pk) for pk in member_ids]
    query = Q()
    for base in bases:
        query |= Q(source_key=base) | Q(source_key__startswith=f"{base}:")
    reason = _in_park_language(lambda: _("The participant no longer counts in the results."))
    revoked = 0
    for certificate in Certificate.objects.filter(query, revoked_at__isnull=True):
        certificates.revoke(certificate, reason)
        revoked += 1
    return revoked


def standing_by_participant(participant_ids: list[int]) -> dict[int, list[Certificate]]:
    """Each participant's standing certificates (one per holder, the latest version), in a
    few queries (one more per holder whose certificate was replaced)."""
    members = _members_by_participant(participant_ids)
    bases: dict[str, int] = {participant_key(pk): pk for pk in participant_ids}
    for pk, people in members.items():
        for member in people:
            bases[member_key(member.pk)] = pk
    bare = _bare_certificates(list(bases))
    found: dict[int, list[Certificate]] = {pk: [] for pk in participant_ids}
    for base, pk in bases.items():
        certificate = _latest(base, bare.get(base))
        if certificate is not None and certificate.revoked_at is None:
            found[pk].append(certificate)
    return found


def certificates_of(participant: Participant, user: User | None = None) -> list[Certificate]:
    """The participant's standing certificates; for a team member (`user`) only their own."""
    found = standing_by_participant([participant.pk])[participant.pk]
    if user is None or not user.is_authenticated:
        return found
    own = [c for c in found if c.user_id == user.pk]
    return own or [c for c in found if c.source_key.startswith(PARTICIPANT_KEY)]
