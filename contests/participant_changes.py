"""The organisers' changes to one participant (the participants page): extra time, another
category, a name for a code participant, taking a withdrawal back. Each is checked first and
saved alone; each moves the standings (contests.standings.invalidate on commit).

And the list itself: the participants in the page's order (category, school, name) with the
filters of the query string, and its CSV export (lms.roster_files: Excel-friendly, formulas made
inert)."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contests import audience
from contests.audience import Refused
from contests.models import Category, Contest, Participant
from contests.registering import MAX_NAME, MAX_TEAM_NAME, invalidate_on_commit
from events.certificates import park_zone
from lms.roster_files import write_csv
from lms.text import clean_line

MAX_EXTRA_MINUTES = 24 * 60


def set_extra_minutes(participant: Participant, raw) -> Participant:
    try:
        minutes = int(str(raw).strip())
    except (TypeError, ValueError):
        raise Refused(_("Extra time is a whole number of minutes.")) from None
    if not 0 <= minutes <= MAX_EXTRA_MINUTES:
        raise Refused(_("Extra time is from 0 to %(n)d minutes.") % {"n": MAX_EXTRA_MINUTES})
    return _save(participant, extra_minutes=minutes)


def move_category(participant: Participant, category_id) -> Participant:
    """Any category of the contest: the organisers may place someone outside their class's
    range (a younger pupil competing with the older ones)."""
    category = Category.objects.filter(
        contest_id=participant.contest_id, pk=_int(category_id)
    ).first()
    if category is None:
        raise Refused(_("Choose one of this contest's categories."))
    return _save(participant, category=category)


def rename(participant: Participant, name: str, team_name: str | None = None) -> Participant:
    name = clean_line(name)
    if not name or len(name) > MAX_NAME:
        raise Refused(_("Give the name (at most %(n)d characters).") % {"n": MAX_NAME})
    fields = {"name": name}
    if team_name is not None and participant.contest.teams:
        team_name = clean_line(team_name)
        if len(team_name) > MAX_TEAM_NAME:
            raise Refused(_("A team's name is at most %(n)d characters.") % {"n": MAX_TEAM_NAME})
        fields["team_name"] = team_name
    return _save(participant, **fields)


def reinstate(participant: Participant) -> Participant:
    return _save(participant, withdrawn_at=None)


def set_class(participant: Participant, raw) -> Participant:
    return _save(participant, class_number=audience.checked_class(raw))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _save(participant: Participant, **fields) -> Participant:
    with transaction.atomic():
        for name, value in fields.items():
            setattr(participant, name, value)
        participant.save(update_fields=list(fields))
        invalidate_on_commit(participant.contest_id)
    return participant


# --- The list ----------------------------------------------------------------------------------


def listed(contest: Contest, *, category_id=None, school_id=None) -> QuerySet[Participant]:
    """The participants in the page's order: category, school, name (names are stored surname
    first, so this is surname order)."""
    rows = (
        Participant.objects.filter(contest=contest)
        .select_related("category", "school", "registered_by")
        .order_by("category__order", "category__pk", Lower("school_name"), Lower("name"), "pk")
    )
    if _int(category_id):
        rows = rows.filter(category_id=_int(category_id))
    if _int(school_id):
        rows = rows.filter(school_id=_int(school_id))
    return rows


def _when(moment) -> str:
    if moment is None:
        return ""
    return formats.date_format(timezone.localtime(moment, park_zone()), "Y-m-d H:i")


def csv_export(contest: Contest, rows) -> bytes:
    header = [
        _("Participant"),
        _("Team"),
        _("School"),
        _("Class"),
        _("Category"),
        _("How registered"),
        _("Participant code"),
        _("Started"),
        _("Extra time, minutes"),
        _("Withdrawn"),
    ]
    body = [
        [
            p.name,
            p.team_name,
            p.school_name,
            str(p.class_number or ""),
            p.category.name if p.category else "",
            p.get_source_display(),
            p.code,
            _when(p.started_at),
            str(p.extra_minutes),
            _when(p.withdrawn_at),
        ]
        for p in rows
    ]
    return write_csv(header, body)
