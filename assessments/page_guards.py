"""Nothing lost: pages holding pupils' work stay published, in place and undeleted.

A page holds work when a pupil has a Submission (of any status) for an Assignment whose lesson is
that page or a page below it. If such a page were unpublished, deleted or moved to another
course, pupils would get 404 on their own work and grades. The rule is `pages_holding_work`;
everything here asks it.

Two layers. The admin hooks (assessments/wagtail_hooks.py) refuse with a friendly message and a
redirect. Below them the model-level guards here refuse whatever path reaches the database, so
a new admin view, a bulk action or `Page.unpublish()` from a command cannot skip the rule:

* a save turning a live page into a not-live one (every unpublish path saves the page first,
  before it writes anything else);
* `pre_page_move` changing a page's parent (sent before Wagtail writes the move; reordering
  under the same parent stays allowed);
* deleting, twice: Wagtail's delete action first logs "wagtail.delete" for each page of the
  subtree, then treebeard lowers the parent's `numchild`, then Django collects and deletes.
  Refusing only at the end would leave the parent's `numchild` wrong outside a transaction
  (a later delete of the parent would then orphan the subtree), so the log entry of a page
  holding work is refused, before treebeard writes anything. Behind it, for deletes that log
  nothing, `on_delete` of Assignment.lesson and .course (models/assignments.py), which Django
  runs while collecting, before deleting anything and before it would send `pre_delete`.

Each raises `PageHoldsWork` (deleting a page whose assignments have no work yet: the sibling
`PageHasAssignments`, as Assignment.lesson is PROTECT), a PermissionDenied: a 403, never a 500
(inside the Wagtail admin, its generic "no permission" redirect). Wagtail's admin delete and
bulk views run in a transaction, so the log rows of pages before the refused one are undone
there too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page, PageLogEntry
from wagtail.signals import pre_page_move

from assessments.models import Assignment, Submission
from lms.quotes import inner_quotes
from lms.refusals import ExplainedRefusal

log = logging.getLogger("assessments")

DELETE, UNPUBLISH, MOVE = "delete", "unpublish", "move"

# One message per refused action, for the admin hooks and the exception alike.
REFUSALS = {
    DELETE: _(
        "“%(title)s” holds pupils' submitted work, so it cannot be deleted. "
        "Archive its assignments instead."
    ),
    UNPUBLISH: _(
        "“%(title)s” holds pupils' submitted work, so it stays published: pupils must "
        "still see their work and grades."
    ),
    MOVE: _(
        "“%(title)s” holds pupils' submitted work, so it cannot be moved to another place: "
        "pupils must still find their work and grades."
    ),
}
BULK_REFUSALS = {
    DELETE: _("Nothing was deleted: these pages hold pupils' submitted work: %(titles)s."),
    UNPUBLISH: _(
        "Nothing was unpublished: these pages hold pupils' submitted work, which pupils must "
        "still see: %(titles)s."
    ),
    MOVE: _(
        "Nothing was moved: these pages hold pupils' submitted work and stay where they are: "
        "%(titles)s."
    ),
}


# Deleting a page with assignments but no work yet is refused too (Assignment.lesson is
# PROTECT): with this message instead of a 500.
HAS_ASSIGNMENTS = _(
    "“%(title)s” has assignments, so it cannot be deleted: delete them first, or move them to "
    "another lesson."
)
BULK_HAS_ASSIGNMENTS = _(
    "Nothing was deleted: these pages have assignments; delete them first, or move them to "
    "another lesson: %(titles)s."
)


class PageHasAssignments(ExplainedRefusal):
    """Refused: deleting the page would delete assignments (none with work yet)."""

    def __init__(self, page: Page):
        self.page = page
        super().__init__(str(HAS_ASSIGNMENTS) % {"title": inner_quotes(page.title)})


class PageHoldsWork(ExplainedRefusal):
    """Refused: the page (or one below it) holds pupils' work. str() is the translated reason."""

    def __init__(self, page: Page, action: str):
        self.page = page
        self.action = action
        super().__init__(refusal(page, action))


def refusal(page: Page, action: str) -> str:
    """Why `action` (DELETE, UNPUBLISH, MOVE) is refused for `page`, in the active language."""
    return str(REFUSALS[action]) % {"title": inner_quotes(page.title)}


# --- the rules -----------------------------------------------------------------------------------


def assignment_has_work() -> Exists:
    """The rule for assignments, as a filter: pupils have handed in work for it."""
    return Exists(Submission.objects.filter(assignment=OuterRef("pk")))


def assignment_holds_work(assignment: Assignment) -> bool:
    """The same rule for one assignment: it cannot be deleted, only archived."""
    return Assignment.objects.filter(pk=assignment.pk).filter(assignment_has_work()).exists()


def _pages_above(pages: Iterable[Page], rows: QuerySet, lesson_path: str) -> list[Page]:
    """Those of `pages` with a row of `rows` whose lesson is the page or below it (one query)."""
    pages = list(pages)
    if not pages:
        return []
    below = Q()
    for page in pages:
        below |= Q(**{f"{lesson_path}__startswith": page.path})
    paths = set(rows.filter(below).order_by().values_list(lesson_path, flat=True).distinct())
    return [page for page in pages if any(p.startswith(page.path) for p in paths)]


def pages_holding_work(pages: Iterable[Page]) -> list[Page]:
    """Those of `pages` with pupils' work at or below them (one query for any number)."""
    return _pages_above(pages, Submission.objects.all(), "assignment__lesson__path")


def pages_with_assignments(pages: Iterable[Page]) -> list[Page]:
    """Those of `pages` with assignments at or below them (one query for any number)."""
    return _pages_above(pages, Assignment.objects.all(), "lesson__path")


def holds_work(page: Page) -> bool:
    """Whether pupils have handed in work for an assignment of this page or a page below it."""
    return bool(pages_holding_work([page]))


def delete_refusal(page: Page) -> str | None:
    """Why the page cannot be deleted (work, else assignments below it), or None."""
    if holds_work(page):
        return refusal(page, DELETE)
    if pages_with_assignments([page]):
        return str(HAS_ASSIGNMENTS) % {"title": inner_quotes(page.title)}
    return None


# --- model-level guards --------------------------------------------------------------------------


def refuse_deleting_assignments(assignments: Iterable[Assignment]) -> None:
    """Called while a lesson or course is being deleted, with its assignments: name the first
    lesson holding work, else the first with assignments."""
    pks = [a.pk for a in assignments]
    rows = Assignment.objects.filter(pk__in=pks).select_related("lesson").order_by("lesson__path")
    held = rows.filter(assignment_has_work()).first()
    if held is not None:
        raise PageHoldsWork(held.lesson, DELETE)
    first = rows.first()
    if first is not None:
        raise PageHasAssignments(first.lesson)


def _refuse_unpublishing(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw or not isinstance(instance, Page) or instance.live or instance.pk is None:
        return
    if update_fields is not None and "live" not in update_fields:
        return
    was_live = Page.objects.filter(pk=instance.pk, live=True).exists()
    if was_live and holds_work(instance):
        raise PageHoldsWork(instance, UNPUBLISH)


def _refuse_logging_deletion(sender, instance, raw=False, **kwargs) -> None:
    if raw or instance.action != "wagtail.delete" or instance.page_id is None:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    if holds_work(page):
        raise PageHoldsWork(page, DELETE)
    if pages_with_assignments([page]):
        raise PageHasAssignments(page)


def _refuse_moving_away(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    if parent_page_before.pk != parent_page_after.pk and holds_work(instance):
        raise PageHoldsWork(instance, MOVE)


def connect() -> None:
    """Called once from AssessmentsConfig.ready()."""
    pre_save.connect(_refuse_unpublishing, dispatch_uid="assessments.keep_work_published")
    pre_save.connect(
        _refuse_logging_deletion, sender=PageLogEntry, dispatch_uid="assessments.keep_work"
    )
    pre_page_move.connect(_refuse_moving_away, dispatch_uid="assessments.keep_work_in_place")


# --- scheduled unpublishing ----------------------------------------------------------------------


def unpublish_expired_pages(now: datetime) -> list[Page]:
    """What `publish_scheduled` does with expired pages, but a page holding work is kept live
    and its "expire at" cleared, with a log line. Returns the pages kept."""
    kept = []
    for page in Page.objects.filter(live=True, expire_at__lt=now).order_by("expire_at"):
        try:
            with transaction.atomic():
                page.unpublish(set_expired=True, log_action="wagtail.unpublish.scheduled")
        except PageHoldsWork:
            Page.objects.filter(pk=page.pk).update(expire_at=None)
            log.warning(
                "Not unpublishing page %s (“%s”) on schedule: it holds pupils' work; "
                "its expiry was cleared.",
                page.pk,
                page.title,
            )
            kept.append(page)
    return kept
