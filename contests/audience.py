"""Who may take part in a contest, in which category, and when one may register: the rules as
plain functions of the contest, the person and the moment. Each refusal is a sentence a pupil or
a teacher understands, in their language.

Audience (Contest.audience):
- park: pupils of the host park's schools (School.Kind.HOST);
- schools: the host park's pupils and those of the contest's chosen schools;
- all: pupils of any school on the platform;
- open: anyone with an account (a teacher, a parent's account, a pupil without a school).

Registration window: from `registration_opens_at` (empty: as soon as the contest is published)
to `registration_closes_at`. With no closing time set, registration stays open until the round
ends (`ends_at`), for a fixed window and for individual windows alike: a late pupil still gets
the rest of a fixed round, and an individual window is cut at the end of the period anyway
(contests.timing), so there is no moment after which joining is pointless before the end.
The organisers' own additions (participant codes, the jury's participants) are not bound by the
window: a school that prints its codes on the morning of the round must be able to.

Categories: a category takes a class when the class lies in [min_class, max_class] (an empty
bound is open). Several may take the same class (setup warns of that): the first in order is
the default, and the person or the teacher may choose another that takes the class. With the
class unknown, any category may be chosen. A contest without categories puts nobody in one.
There is no class field on accounts (lms.models.people), so the class is asked on the
registration forms and kept on Participant.class_number."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contests.models import Category, Contest
from events.certificates import park_zone
from lms import roles
from lms.models import School
from lms.permissions import AnyUser, user_roles

LOWEST_CLASS, HIGHEST_CLASS = 1, 11


class Refused(Exception):
    """A registration (or a change of one) that may not be made; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- The registration window -------------------------------------------------------------------


def registration_closes(contest: Contest) -> datetime:
    return contest.registration_closes_at or contest.ends_at


def window_refusal(contest: Contest, now: datetime | None = None) -> str | None:
    now = now or timezone.now()
    if not contest.is_published:
        return _("This contest is not open yet.")
    if contest.registration_opens_at and now < contest.registration_opens_at:
        return _("Registration opens %(when)s.") % {"when": local(contest.registration_opens_at)}
    closes = registration_closes(contest)
    if now >= closes:
        return _("Registration closed %(when)s.") % {"when": local(closes)}
    return None


def is_registration_open(contest: Contest, now: datetime | None = None) -> bool:
    return window_refusal(contest, now) is None


# --- Who may take part -------------------------------------------------------------------------


def is_pupil(user: AnyUser) -> bool:
    return user.is_authenticated and roles.PUPIL in user_roles(user)


def school_refusal(contest: Contest, school: School | None) -> str | None:
    """May pupils of this school take part? (None: yes.)"""
    audience = contest.audience
    if audience == Contest.Audience.OPEN:
        return None
    if school is None:
        return _("This contest is for pupils of schools on the platform.")
    if audience == Contest.Audience.ALL or school.kind == School.Kind.HOST:
        return None
    if audience == Contest.Audience.SCHOOLS and _chosen(contest, school.pk):
        return None
    if audience == Contest.Audience.PARK:
        return _("This contest is for the park's own pupils.")
    return _("This contest is not open to pupils of %(school)s.") % {"school": school.name}


def _chosen(contest: Contest, school_id: int) -> bool:
    # The detail page prefetches the chosen schools; elsewhere one indexed query.
    cached = getattr(contest, "_prefetched_objects_cache", {}).get("schools")
    if cached is not None:
        return any(school.pk == school_id for school in cached)
    return contest.schools.filter(pk=school_id).exists()


def schools_q(contest: Contest) -> Q:
    """A filter for schools whose pupils may take part."""
    audience = contest.audience
    if audience in (Contest.Audience.ALL, Contest.Audience.OPEN):
        return Q()
    host = Q(kind=School.Kind.HOST)
    if audience == Contest.Audience.SCHOOLS:
        return host | Q(pk__in=contest.schools.values("pk"))
    return host


def allowed_schools(contest: Contest) -> QuerySet[School]:
    return School.objects.filter(schools_q(contest)).order_by("name")


def person_refusal(contest: Contest, user: AnyUser) -> str | None:
    """May this person take part (audience only; the window and the way are asked apart)?"""
    if not user.is_authenticated:
        return _("Log in to register.")
    if contest.audience == Contest.Audience.OPEN:
        return None
    if not is_pupil(user):
        return _("This contest is for pupils.")
    return school_refusal(contest, user.school)


def self_refusal(contest: Contest, user: AnyUser, now: datetime | None = None) -> str | None:
    """The first reason this person may not register themselves now, or None."""
    if contest.is_published and not contest.self_registration:
        return _("For this contest, pupils are registered by their teachers or get a code.")
    return window_refusal(contest, now) or person_refusal(contest, user)


def teacher_refusal(contest: Contest, now: datetime | None = None) -> str | None:
    """The first reason a teacher may not register pupils now, or None (per pupil, the
    school is asked with school_refusal)."""
    return window_refusal(contest, now)


# --- Classes and categories --------------------------------------------------------------------


def checked_class(value) -> int | None:
    """A class from a form or a file: a number from 1 to 11, or None when not given."""
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise Refused(_("The class is a number from 1 to 11.")) from None
    if not LOWEST_CLASS <= number <= HIGHEST_CLASS:
        raise Refused(_("The class is a number from 1 to 11."))
    return number


def takes_class(category: Category, class_number: int | None) -> bool:
    if class_number is None:
        return True
    low = category.min_class if category.min_class is not None else LOWEST_CLASS
    high = category.max_class if category.max_class is not None else HIGHEST_CLASS
    return low <= class_number <= high


def not_for_class(category: Category, class_number: int | None) -> str:
    return _("The category «%(name)s» is for %(classes)s, not for class %(n)d.") % {
        "name": category.name,
        "classes": classes_label(category),
        "n": class_number,
    }


def needs_class(categories: Sequence[Category]) -> bool:
    """Whether the class decides the category (some category has a class bound)."""
    return any(c.min_class is not None or c.max_class is not None for c in categories)


def categories_for(categories: Iterable[Category], class_number: int | None) -> list[Category]:
    """The categories one of this class may be in, in order (all with the class unknown)."""
    return [c for c in categories if takes_class(c, class_number)]


def choose_category(
    categories: Sequence[Category], class_number: int | None, chosen_id: int | str | None = None
) -> Category | None:
    """The category for a participant: the chosen one if it takes the class, else the first that
    does. A contest without categories: None. Refused when none fits, or the class is needed."""
    if not categories:
        return None
    if class_number is None and needs_class(categories) and not chosen_id:
        raise Refused(
            _("Say which class the pupil is in: the categories are %(list)s.")
            % {"list": categories_label(categories)}
        )
    fitting = categories_for(categories, class_number)
    if chosen_id not in (None, ""):
        chosen = next((c for c in categories if str(c.pk) == str(chosen_id)), None)
        if chosen is None:
            raise Refused(_("Choose one of this contest's categories."))
        if chosen not in fitting:
            raise Refused(not_for_class(chosen, class_number))
        return chosen
    if not fitting:
        raise Refused(
            _("No category of this contest is for class %(n)d: the categories are %(list)s.")
            % {"n": class_number, "list": categories_label(categories)}
        )
    return fitting[0]


def classes_label(category: Category) -> str:
    low, high = category.min_class, category.max_class
    if low is not None and high is not None and low == high:
        return _("class %(n)d") % {"n": low}
    if low is not None and high is not None:
        return _("classes %(low)d–%(high)d") % {"low": low, "high": high}
    if low is not None:
        return _("classes %(low)d and up") % {"low": low}
    if high is not None:
        return _("classes up to %(high)d") % {"high": high}
    return _("any class")


def category_label(category: Category) -> str:
    if category.min_class is None and category.max_class is None:
        return category.name
    return f"{category.name} ({classes_label(category)})"


def categories_label(categories: Iterable[Category]) -> str:
    return "; ".join(category_label(c) for c in categories)


# --- In plain words ----------------------------------------------------------------------------


def audience_label(contest: Contest, schools: Iterable[School] = ()) -> str:
    """Who may take part, in a sentence (with the chosen schools named)."""
    if contest.audience == Contest.Audience.SCHOOLS:
        names = ", ".join(school.name for school in schools)
        if names:
            return _("Pupils of the park and of these schools: %(names)s.") % {"names": names}
    labels = {
        Contest.Audience.PARK: _("The park's own pupils."),
        Contest.Audience.SCHOOLS: _("The park's pupils and chosen schools."),
        Contest.Audience.ALL: _("Pupils of every school on the platform."),
        Contest.Audience.OPEN: _("Anyone with an account on the site."),
    }
    return labels.get(contest.audience, "")


def local(moment: datetime) -> str:
    """A moment in the park's time zone, as the contest pages show it."""
    return formats.date_format(timezone.localtime(moment, park_zone()), "j E Y, H:i")
