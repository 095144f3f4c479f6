"""Who runs a contest besides the organisers: the jury (named on the contest: the live
standings with full names, appeals) and the judges (score sheets of a category and a task, or
all). Staff accounts only (lms.permissions.is_staff_account): a pupil never judges pupils. Found
by login or name with a short search, never a list of every account."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from contests.models import Category, Contest, JudgeAssignment, Task
from contests.setup import SetupError
from lms import roles
from lms.models import User
from lms.permissions import is_staff_account

SEARCH_LIMIT = 20
STAFF_ROLES = (roles.TEACHER, roles.SCHOOL_ADMIN, roles.METHODOLOGIST)


def staff_accounts() -> QuerySet[User]:
    """The queryset twin of lms.permissions.is_staff_account (active accounts only)."""
    staff = Q(is_superuser=True) | Q(groups__name__in=STAFF_ROLES)
    return User.objects.filter(staff, is_active=True).distinct()


def find_staff(query: str, *, limit: int = SEARCH_LIMIT) -> list[User]:
    """Staff accounts whose login or name contains the query (at least two characters)."""
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    words = Q()
    for word in query.split(" ")[:3]:
        words &= (
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(display_name__icontains=word)
        )
    found = staff_accounts().filter(words).select_related("school")
    return list(found.order_by("last_name", "first_name", "username")[:limit])


def staff_by_login(login: str) -> User:
    user = User.objects.filter(username__iexact=login.strip()[:150], is_active=True).first()
    if user is None:
        raise SetupError(_("There is no account with the login «%(login)s».") % {"login": login})
    if not is_staff_account(user):
        raise SetupError(
            _("«%(login)s» is a pupil's account: the jury and judges are staff only.")
            % {"login": user.username}
        )
    return user


def add_jury(contest: Contest, login: str) -> User:
    user = staff_by_login(login)
    contest.jury.add(user)  # adding twice is harmless
    return user


def add_judge(
    contest: Contest, login: str, category: Category | None, task: Task | None
) -> tuple[JudgeAssignment, bool]:
    user = staff_by_login(login)
    if category is not None and category.contest_id != contest.pk:
        raise SetupError(_("That category is not of this contest."))
    if task is not None and task.contest_id != contest.pk:
        raise SetupError(_("That task is not of this contest."))
    # get_or_create would not match NULLs under the unique constraint's rules on every
    # database; look up explicitly, inside a transaction, so a double submit adds one row.
    with transaction.atomic():
        found = JudgeAssignment.objects.filter(
            contest=contest, user=user, category=category, task=task
        ).first()
        if found is not None:
            return found, False
        return (
            JudgeAssignment.objects.create(
                contest=contest, user=user, category=category, task=task
            ),
            True,
        )
