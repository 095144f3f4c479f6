"""What the Wagtail admin's dashboard shows an author: the courses they may edit, with their
modules and lessons counted, and the latest edits of the pages they may edit, by whom and when.

Which pages a user may edit is Wagtail's page permissions (lms.permissions.editable_pages).
Each list costs a fixed number of queries, whatever the size of the catalogue: the counts are
subqueries on the tree's paths, and the places of the edited pages are read in one query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from wagtail.models import Page

from courses.models import CoursePage
from courses.tree import parent_path
from lms import names, permissions
from lms.models import User

COURSES_SHOWN = 30  # a bigger catalogue is in the explorer
RECENT_EDITS_SHOWN = 10


def _count_below(levels: int) -> Coalesce:
    """How many pages lie `levels` below the row's page (its modules: 1, its lessons: 2)."""
    below = (
        Page.objects.filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + levels)
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(below, output_field=IntegerField()), Value(0))


@dataclass(frozen=True)
class CourseList:
    courses: list[CoursePage]  # in the catalogue's order, each with .module_count, .lesson_count
    more: int  # courses beyond COURSES_SHOWN
    more_under: int | None = None  # the page whose children they are (the catalogue's id)


def editable_courses(user: User) -> CourseList:
    """The courses the user may edit, in tree order. Two queries (one if the user's page
    permissions are already cached)."""
    editable = permissions.editable_pages(user)
    rows = list(
        CoursePage.objects.filter(pk__in=editable.values("pk"))
        .annotate(module_count=_count_below(1), lesson_count=_count_below(2))
        .order_by("path")[: COURSES_SHOWN + 1]
    )
    if len(rows) <= COURSES_SHOWN:
        return CourseList(courses=rows, more=0)
    # A catalogue this big: two more queries, for how many are left and where they are.
    rows = rows[:COURSES_SHOWN]
    more = CoursePage.objects.filter(pk__in=editable.values("pk")).count() - COURSES_SHOWN
    catalogue = Page.objects.filter(path=parent_path(rows[0].path)).values_list("pk", flat=True)
    return CourseList(courses=rows, more=more, more_under=catalogue.first())


@dataclass(frozen=True)
class RecentEdit:
    page: Page
    kind: str  # the page type's name: "lesson", "module", ...
    place: tuple[str, ...]  # titles of the parent and grandparent below the site's home
    by: User | None  # None: saved by a script, or the account was deleted
    at: datetime

    @property
    def by_name(self) -> str:
        return names.surname_first(self.by) if self.by else ""


def recent_edits(user: User, limit: int = RECENT_EDITS_SHOWN) -> list[RecentEdit]:
    """The latest saved revisions of the pages the user may edit, anyone's, newest first.
    Two queries, plus one for the user's page permissions if not cached yet."""
    pages = list(
        permissions.editable_pages(user)
        .filter(depth__gt=1, latest_revision__isnull=False)
        .select_related("content_type", "latest_revision__user")
        .order_by("-latest_revision_created_at", "-pk")[:limit]
    )
    wanted: set[str] = set()
    for page in pages:
        parent = parent_path(page.path)
        wanted.update((parent, parent_path(parent)))
    titles = dict(Page.objects.filter(path__in=wanted, depth__gt=2).values_list("path", "title"))
    edits = []
    for page in pages:
        parent = parent_path(page.path)
        place = tuple(titles[p] for p in (parent_path(parent), parent) if p in titles)
        model = page.content_type.model_class()
        revision = page.latest_revision
        edits.append(
            RecentEdit(
                page=page,
                kind=str(model._meta.verbose_name) if model else "",
                place=place,
                by=revision.user,
                at=revision.created_at,
            )
        )
    return edits
