"""What a pupil has to do next, and how each of their works stands: the rules behind the pupil's
home ("next" panel), a course page's list of its assignments and the work due and waiting on
"My grades".

A pupil's assignments are those of the courses and modules their active groups take, each
taken through the group whose enrolment came first: the list form of
`assessments.submissions.pupil_group` (the one-object form the assignment page uses; a test
holds them together). Its dates are that group's (`deadlines.timetable_for` with the group's
own dates and the pupil's extension there). Archived assignments and unpublished lessons or
courses are left out.

A work's state comes from its latest attempt: none (not started), a draft, handed in (waiting
for a grade), returned for rework, graded (a released grade). Returned work takes a new
attempt whatever its dates (`PupilState.reopened`).

`pupil_work` costs a fixed number of queries (at most five, one more to close a timed quiz
attempt whose time is up), whatever the numbers of groups, courses, assignments and attempts;
none when the shared cache holds the pupil's groups, assignments and hand-ins (the work scope
and `assessments.work_cache`), as it does from the second page on;
`next_steps` and `excerpt` are plain functions."""

from __future__ import annotations

import hashlib
import html
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from assessments import work_cache
from assessments.deadlines import Timetable, Window, timetable_for
from assessments.models import Assignment, Extension, GroupDeadline, Submission
from assessments.scoring import AttemptScore, counted_score
from cms import public_cache
from cms.markdown import render_markdown
from courses.lesson_body import ASSIGNMENTS_GENERATION_KEY
from courses.models import Enrolment
from lms import access_cache, generations
from lms.models import Membership, User

# The "next" panel shows this many works due and returned; the rest are "N more" (My grades).
DUE_SHOWN = 5
RETURNED_SHOWN = 3
EXCERPT_CHARS = 160

Status = Submission.Status
# What the rules read of an assignment (its instructions can be long and are not shown here).
WORK_SCOPE_CACHE_VERSION = "1"
WORK_SCOPE_CACHE_SECONDS = 300

ASSIGNMENT_FIELDS = (
    *("pk", "kind", "title", "course_id", "lesson_id", "max_points", "counts"),
    *("opens_at", "due_at", "cutoff_at"),
)


class State(StrEnum):
    NOT_STARTED = "not_started"
    DRAFT = "draft"
    HANDED_IN = "handed_in"
    RETURNED = "returned"
    GRADED = "graded"


STATE_LABELS: dict[State, Promise] = {
    State.NOT_STARTED: _("not started"),
    State.DRAFT: _("draft, not handed in yet"),
    State.HANDED_IN: _("handed in, waiting for a grade"),
    State.RETURNED: _("returned for rework"),
    State.GRADED: _("graded"),
}


@dataclass(frozen=True)
class Work:
    """One assignment as one pupil sees it."""

    assignment_id: int
    kind: str
    title: str
    course_id: int
    course_title: str
    lesson_title: str
    lesson_path: str
    max_points: Decimal
    group_id: int
    timetable: Timetable
    window: Window
    state: State
    reopened: bool = False  # the last attempt handed in was returned: one more, whatever the dates
    returned_attempt: int = 0  # that attempt's number
    points: Decimal | None = None  # the counted released points, once graded
    feedback: str = ""  # the teacher's words on the returned attempt (markdown)

    @property
    def due_at(self) -> datetime | None:
        return self.timetable.due_at

    @property
    def state_label(self) -> Promise:
        return STATE_LABELS[self.state]

    @property
    def url(self) -> str:
        if self.kind == Assignment.Kind.QUIZ:
            return reverse("quiz:quiz", args=[self.assignment_id])
        if self.kind == Assignment.Kind.CODE:
            return reverse("programming:exercise", args=[self.assignment_id])
        url = reverse("assessments:assignment", args=[self.assignment_id])
        return f"{url}#attempt-{self.returned_attempt}" if self.reopened else url

    @property
    def can_hand_in(self) -> bool:
        """Whether the dates (or a return for rework) let the pupil hand in now."""
        return self.reopened or self.window in (Window.OPEN, Window.LATE)

    @property
    def to_do(self) -> bool:
        """Work the pupil still has to do and may do now (returned work included)."""
        return self.can_hand_in and self.state in (State.NOT_STARTED, State.DRAFT, State.RETURNED)

    @property
    def is_late(self) -> bool:
        return self.window is Window.LATE and not self.reopened and self.to_do

    @property
    def date_kind(self) -> str:
        """Which date the pupil needs to read: "opens", "closed", "late", "due", "none" (work
        to do without a due date) or "" (nothing: returned work takes a new attempt anytime)."""
        if self.reopened:
            return ""
        if self.window is Window.NOT_OPEN:
            return "opens"
        if self.window is Window.CLOSED and self.state in (State.NOT_STARTED, State.DRAFT):
            return "closed"
        if self.due_at is None:
            return "none" if self.to_do else ""
        return "late" if self.is_late else "due"

    @property
    def feedback_excerpt(self) -> str:
        return excerpt(self.feedback)


@dataclass(frozen=True)
class NextSteps:
    """The "next" panel: work due (soonest first), work returned for rework, and how many works
    wait for a grade."""

    due: list[Work]
    returned: list[Work]
    waiting: list[Work]

    @property
    def due_shown(self) -> list[Work]:
        return self.due[:DUE_SHOWN]

    @property
    def due_more(self) -> int:
        return max(len(self.due) - DUE_SHOWN, 0)

    @property
    def returned_shown(self) -> list[Work]:
        return self.returned[:RETURNED_SHOWN]

    @property
    def returned_more(self) -> int:
        return max(len(self.returned) - RETURNED_SHOWN, 0)

    @property
    def is_empty(self) -> bool:
        return not (self.due or self.returned or self.waiting)


# --- Plain rules ---------------------------------------------------------------------------


def state_of(attempts: list[Submission]) -> State:
    """The state of a work from its attempts, oldest first."""
    if not attempts:
        return State.NOT_STARTED
    latest = attempts[-1]
    if latest.status == Status.DRAFT:
        return State.DRAFT
    if latest.status == Status.RETURNED:
        return State.RETURNED
    if latest.status == Status.GRADED:
        return State.GRADED
    return State.HANDED_IN


def _due_order(work: Work) -> tuple:
    # Soonest first (late work is the soonest); no due date last; then in outline order.
    return (
        work.due_at is None,
        work.due_at or datetime.max.replace(tzinfo=UTC),
        work.course_title,
        work.lesson_path,
        work.assignment_id,
    )


def next_steps(works: list[Work]) -> NextSteps:
    """Split a pupil's works into the panel's parts. Returned work is listed once, apart from
    the work due, whether or not its new attempt is started."""
    returned = [w for w in works if w.reopened and w.state in (State.RETURNED, State.DRAFT)]
    returned_ids = {w.assignment_id for w in returned}
    due = [w for w in works if w.to_do and w.assignment_id not in returned_ids]
    waiting = [w for w in works if w.state is State.HANDED_IN]
    return NextSteps(
        due=sorted(due, key=_due_order),
        returned=sorted(returned, key=_due_order),
        waiting=sorted(waiting, key=_due_order),
    )


_SPACES = re.compile(r"\s+")


def excerpt(markdown_text: str, limit: int = EXCERPT_CHARS) -> str:
    """The start of a teacher's feedback as plain text (markdown rendered through the one
    sanitiser, then its tags dropped), cut at a word near `limit` characters with an ellipsis.
    The template escapes it."""
    if not markdown_text or not markdown_text.strip():
        return ""
    text = html.unescape(strip_tags(str(render_markdown(markdown_text))))
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.—-") + "…"


# --- Reading -----------------------------------------------------------------------------------


def _enrolments(pupil: User, course_id: int | None) -> list[tuple[int, int, str | None]]:
    """(group, course, module path or None) of the pupil's active groups' active enrolments,
    first made first (as `submissions.pupil_group` picks them). One query, then kept with the
    pupil's access facts (lms.access_cache: enrolments, memberships, groups and page moves
    move them)."""

    def rows() -> list[tuple[int, int, str | None]]:
        found = Enrolment.objects.filter(
            is_active=True,
            group__is_archived=False,
            group__memberships__user=pupil,
            group__memberships__role=Membership.Role.PUPIL,
        )
        return list(found.order_by("pk").values_list("group_id", "course_id", "module__path"))

    every = access_cache.remembered(pupil, "pupil_enrolments", rows)
    return [row for row in every if course_id is None or row[1] == course_id]


def _assignments_and_group_dates(
    enrolments: list[tuple[int, int, str | None]],
) -> tuple[list[Assignment], dict[tuple[int, int], GroupDeadline]]:
    """The live assignments these enrolments take, in outline order, and their groups' own
    dates: the same for every pupil of those groups, so kept in the shared cache under two
    generations, the public one (a page published, moved, retitled: cms.public_cache) and the
    assignments' (an assignment or a group's dates saved or deleted: courses.lesson_body).
    Two queries when the cache does not hold them."""
    digest = hashlib.blake2b(repr(enrolments).encode(), digest_size=16).hexdigest()
    key = f"lms:work-scope:{WORK_SCOPE_CACHE_VERSION}:{digest}"
    cached, generation = generations.read(
        key, public_cache.GENERATION_KEY, ASSIGNMENTS_GENERATION_KEY
    )
    if cached is not None:
        return cached  # type: ignore[return-value]
    found = _assignments_and_group_dates_from_database(enrolments)
    generations.write(key, generation, found, WORK_SCOPE_CACHE_SECONDS)
    return found


def _assignments_and_group_dates_from_database(
    enrolments: list[tuple[int, int, str | None]],
) -> tuple[list[Assignment], dict[tuple[int, int], GroupDeadline]]:
    assignments = list(
        Assignment.objects.filter(
            _scope(enrolments), is_archived=False, lesson__live=True, course__live=True
        )
        .annotate(
            course_title=F("course__title"),
            lesson_title=F("lesson__title"),
            lesson_path=F("lesson__path"),
        )
        .only(*ASSIGNMENT_FIELDS)
        .order_by("course__title", "course_id", "lesson__path", "pk")
    )
    if not assignments:
        return [], {}
    groups = {group for group, _course, _module in enrolments}
    group_dates = {
        (d.assignment_id, d.group_id): d
        for d in GroupDeadline.objects.filter(
            assignment_id__in=[a.pk for a in assignments], group_id__in=groups
        )
    }
    return assignments, group_dates


def _scope(enrolments: list[tuple[int, int, str | None]]) -> Q:
    whole = {course for _group, course, module in enrolments if module is None}
    condition = Q(pk__in=[])
    if whole:
        condition |= Q(course_id__in=whole)
    for _group, course, module in enrolments:
        if module is not None and course not in whole:
            condition |= Q(course_id=course, lesson__path__startswith=module)
    return condition


def _group_for(assignment: Assignment, enrolments: list[tuple[int, int, str | None]]) -> int | None:
    for group, course, module in enrolments:
        if course == assignment.course_id and (
            module is None or assignment.lesson_path.startswith(module)
        ):
            return group
    return None


def _hand_ins(pupil: User, ids: list[int], groups: list[int]) -> tuple[dict, dict]:
    """The pupil's extensions (by assignment and group) and attempts (by assignment)."""
    extensions = {
        (e.assignment_id, e.group_id): e
        for e in Extension.objects.filter(pupil=pupil, assignment_id__in=ids, group_id__in=groups)
    }
    return extensions, dict(_attempts_by_assignment(pupil, ids))


def _attempts_by_assignment(pupil: User, ids: list[int]) -> dict[int, list[Submission]]:
    attempts: dict[int, list[Submission]] = defaultdict(list)
    rows = (
        Submission.objects.filter(pupil=pupil, assignment_id__in=ids)
        .select_related("grade")
        .defer("text")  # up to 20,000 characters an attempt, and never shown here
        .order_by("assignment_id", "attempt")
    )
    for submission in rows:
        attempts[submission.assignment_id].append(submission)
    return attempts


def _close_overdue_quizzes(pupil: User, quiz_drafts: list[int]) -> int:
    """A timed quiz attempt whose time is up counts as handed in: close it before reading
    (the lazy path, as the pupil's other pages do; no query when there is no quiz draft)."""
    if not quiz_drafts:
        return 0
    from assessments.quiz.attempts import close_overdue

    return close_overdue(submission__pupil=pupil, submission_id__in=quiz_drafts)


def _released(submission: Submission):
    grade = getattr(submission, "grade", None)  # no row: RelatedObjectDoesNotExist
    return grade if grade is not None and grade.is_released else None


def _work(
    assignment: Assignment,
    group_id: int,
    timetable: Timetable,
    attempts: list[Submission],
    now: datetime,
) -> Work:
    handed_in = [s for s in attempts if s.status != Status.DRAFT]
    returned = handed_in[-1] if handed_in and handed_in[-1].status == Status.RETURNED else None
    returned_grade = _released(returned) if returned is not None else None
    scores = [
        AttemptScore(s.attempt, grade.final_points)
        for s in handed_in
        if (grade := _released(s)) is not None and grade.final_points is not None
    ]
    counted = counted_score(scores, assignment.counts)
    return Work(
        assignment_id=assignment.pk,
        kind=assignment.kind,
        title=assignment.title,
        course_id=assignment.course_id,
        course_title=assignment.course_title,
        lesson_title=assignment.lesson_title,
        lesson_path=assignment.lesson_path,
        max_points=assignment.max_points,
        group_id=group_id,
        timetable=timetable,
        window=timetable.window(now),
        state=state_of(attempts),
        reopened=returned is not None,
        returned_attempt=returned.attempt if returned is not None else 0,
        points=counted.final_points if counted is not None else None,
        feedback=returned_grade.feedback if returned_grade is not None else "",
    )


def pupil_work(
    pupil: User, *, course_id: int | None = None, now: datetime | None = None
) -> list[Work]:
    """Every assignment the pupil takes (of one course, if given), in outline order, with its
    dates and state. Nothing (one query) for a pupil without groups or with groups that take
    nothing."""
    if not pupil.is_authenticated:
        return []
    now = now or timezone.now()
    enrolments = _enrolments(pupil, course_id)
    if not enrolments:
        return []
    assignments, group_dates = _assignments_and_group_dates(enrolments)
    if not assignments:
        return []
    ids = [a.pk for a in assignments]
    groups = sorted({group for group, _course, _module in enrolments})
    extensions, attempts = work_cache.remembered(
        pupil.pk, (*ids, "groups", *groups), lambda: _hand_ins(pupil, ids, groups)
    )
    quiz_ids = {a.pk for a in assignments if a.kind == Assignment.Kind.QUIZ}
    quiz_drafts = [
        s.pk
        for assignment_id in quiz_ids
        for s in attempts.get(assignment_id, [])
        if s.status == Status.DRAFT
    ]
    if _close_overdue_quizzes(pupil, quiz_drafts):
        attempts = _attempts_by_assignment(pupil, ids)
    works = []
    for assignment in assignments:
        group_id = _group_for(assignment, enrolments)
        if group_id is None:  # not reached: the scope is built from the same enrolments
            continue
        timetable = timetable_for(
            assignment,
            group_dates.get((assignment.pk, group_id)),
            extensions.get((assignment.pk, group_id)),
        )
        works.append(_work(assignment, group_id, timetable, attempts.get(assignment.pk, []), now))
    return works


# --- What courses' pages show (settings.LMS_PUPIL_WORK names these) -----------------------------


def home_context(request: HttpRequest) -> dict:
    """The pupil's home: the "next" panel's work."""
    return {"next_steps": next_steps(pupil_work(request.user))}


def course_context(request: HttpRequest, course) -> dict:
    """A course page: the course's assignments with their dates and states, in outline order."""
    return {"course_work": pupil_work(request.user, course_id=course.pk)}
