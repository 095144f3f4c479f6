"""The gradebook: the pupils of a group x the assignments of a course, with released grades only,
and its exports (CSV, XLSX). The pupil's own grades are assessments.pupil_grades.

Rules (tests pin them):

* only RELEASED grades are read; a draft grade is invisible here, its attempt counts as awaiting;
* which attempt counts (best / last) is scoring.counted_score over the released attempts;
* a group's gradebook reads only the work done IN that group (submission.group), so a pupil
  who also learns elsewhere never shows that work here, and a pupil who left the group keeps
  their row (marked) with the work they did in it;
* columns are the non-archived assignments of the lessons the group is (or was) enrolled in,
  in outline order;
* a fixed number of queries whatever the numbers of pupils, assignments and attempts.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.db.models import Exists, OuterRef
from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.group_scope import CourseScope, enrolled_courses
from assessments.models import Assignment, Submission
from assessments.scoring import AttemptScore, counted_score, weighted_percent
from courses.models import CoursePage
from lms import names, roster_files
from lms.models import Membership, StudyGroup, User

ZERO = Decimal(0)


# --- The gradebook -----------------------------------------------------------------------------


class CellStatus(StrEnum):
    NOT_SUBMITTED = "not_submitted"
    AWAITING = "awaiting"
    GRADED = "graded"
    RETURNED = "returned"


STATUS_LABELS: dict[CellStatus, Promise] = {
    CellStatus.NOT_SUBMITTED: gettext_lazy("not submitted"),
    CellStatus.AWAITING: gettext_lazy("submitted, awaiting grade"),
    CellStatus.GRADED: gettext_lazy("graded"),
    CellStatus.RETURNED: gettext_lazy("returned for rework"),
}

SORT_NAME = "name"
SORT_TOTAL = "total"
ASSIGNMENT_SORT_PREFIX = "a"


@dataclass(frozen=True)
class Column:
    assignment_id: int
    number: int
    title: str
    lesson_title: str
    max_points: Decimal
    weight: Decimal
    counts: str
    kind: str = "project"

    @property
    def sort_key(self) -> str:
        return f"{ASSIGNMENT_SORT_PREFIX}{self.assignment_id}"


@dataclass
class Cell:
    assignment_id: int
    status: CellStatus = CellStatus.NOT_SUBMITTED
    points: Decimal | None = None  # final points of the counted attempt's released grade
    attempt: int | None = None  # the attempt that counts
    is_late: bool = False
    late_days: int = 0

    @property
    def status_label(self) -> Promise:
        return STATUS_LABELS[self.status]


@dataclass
class Row:
    pupil: User
    has_left: bool  # no longer a pupil of the group, but did work in it
    cells: list[Cell]
    percent: Decimal | None = None  # weighted course total over the graded assignments
    points: Decimal = ZERO

    @property
    def name(self) -> str:
        """As the list shows it: "Фамилия Имя"."""
        return names.surname_first(self.pupil)

    @property
    def graded(self) -> int:
        return sum(cell.points is not None for cell in self.cells)

    @property
    def has_no_work(self) -> bool:
        """Has handed in nothing at all (of the columns shown)."""
        return bool(self.cells) and all(
            cell.status == CellStatus.NOT_SUBMITTED for cell in self.cells
        )


@dataclass
class Gradebook:
    group: StudyGroup
    course: CoursePage
    columns: list[Column]
    rows: list[Row]
    sort: str = SORT_NAME
    descending: bool = False

    @property
    def current_rows(self) -> list[Row]:
        """The group's pupils now (not those who left)."""
        return [row for row in self.rows if not row.has_left]

    @property
    def no_work(self) -> list[Row]:
        """Current pupils who have handed in nothing yet."""
        return [row for row in self.current_rows if row.has_no_work]

    def status_counts(self) -> list[dict[CellStatus, int]]:
        """Per column, how many current pupils are at each status."""
        counts: list[dict[CellStatus, int]] = [dict.fromkeys(CellStatus, 0) for _c in self.columns]
        for row in self.current_rows:
            for index, cell in enumerate(row.cells):
                counts[index][cell.status] += 1
        return counts


@dataclass
class _Attempt:
    attempt: int
    status: str
    is_late: bool
    late_days: int
    released_points: Decimal | None  # None: no grade, a draft grade, or no points yet


def _cell(assignment_id: int, rule: str, attempts: list[_Attempt]) -> Cell:
    if not attempts:
        return Cell(assignment_id)
    latest = max(attempts, key=lambda a: a.attempt)
    released = [
        AttemptScore(a.attempt, a.released_points)
        for a in attempts
        if a.released_points is not None
    ]
    counted = counted_score(released, rule)
    if latest.status == Submission.Status.RETURNED:
        status = CellStatus.RETURNED
    elif latest.released_points is not None:
        status = CellStatus.GRADED
    else:  # submitted, or graded in a draft the pupil cannot see yet
        status = CellStatus.AWAITING
    # The late mark belongs to the attempt whose points are shown (else to the latest one).
    marked = next(a for a in attempts if a.attempt == counted.attempt) if counted else latest
    return Cell(
        assignment_id,
        status=status,
        points=counted.final_points if counted else None,
        attempt=counted.attempt if counted else None,
        is_late=marked.is_late,
        late_days=marked.late_days,
    )


def _columns(scope: CourseScope) -> list[Column]:
    assignments = (
        Assignment.objects.filter(course=scope.course, is_archived=False)
        .filter(scope.lessons_q())
        .order_by("lesson__path", "pk")
        .values_list("pk", "title", "lesson__title", "max_points", "weight", "counts", "kind")
    )
    return [Column(pk, number, *fields) for number, (pk, *fields) in enumerate(assignments, 1)]


def _pupils(group: StudyGroup, assignment_ids: list[int]) -> list[tuple[User, bool]]:
    """Pupils of the group, and those who left it but handed in work here: one query.

    The ids are a UNION of two indexed lookups: written as "member OR handed in", PostgreSQL
    cannot use an index for the OR and scans every account of the region (100,000 rows, and
    the JIT compiler on top: 0.2 s; bench/region.py found it)."""
    members = Membership.objects.filter(group=group, role=Membership.Role.PUPIL).values("user_id")
    worked_here = (
        Submission.objects.filter(group=group, assignment_id__in=assignment_ids)
        .exclude(status=Submission.Status.DRAFT)
        .values("pupil_id")
    )
    member = members.filter(user_id=OuterRef("pk"))
    ids = members.order_by().union(worked_here.order_by())  # no ORDER BY inside a UNION
    users = User.objects.filter(pk__in=ids).annotate(is_member=Exists(member))
    return [(user, not user.is_member) for user in users]


def _attempts(group: StudyGroup, assignment_ids: list[int]) -> dict[tuple[int, int], list]:
    """(pupil id, assignment id) -> handed-in attempts made in this group: one query."""
    rows = (
        Submission.objects.filter(group=group, assignment_id__in=assignment_ids)
        .exclude(status=Submission.Status.DRAFT)
        .values_list(
            "pupil_id",
            "assignment_id",
            "attempt",
            "status",
            "is_late",
            "late_days",
            "grade__is_released",
            "grade__final_points",
        )
    )
    found: dict[tuple[int, int], list[_Attempt]] = defaultdict(list)
    for pupil_id, assignment_id, attempt, status, late, days, released, points in rows:
        shown = points if released else None  # a draft grade is invisible
        found[(pupil_id, assignment_id)].append(_Attempt(attempt, status, late, days, shown))
    return found


def name_key(pupil: User) -> tuple[str, ...]:
    """Surname order, as the list shows names ("Фамилия Имя", lms.names)."""
    return names.surname_key(pupil)


def parse_sort(sort: str | None, direction: str | None, columns: list[Column]) -> tuple[str, bool]:
    """A known sort key (name, total, a<assignment id>) and whether descending; anything else
    falls back to the name, ascending."""
    keys = {SORT_NAME, SORT_TOTAL, *(column.sort_key for column in columns)}
    return (sort if sort in keys else SORT_NAME), direction == "desc"


def sort_rows(rows: list[Row], columns: list[Column], sort: str, descending: bool) -> list[Row]:
    """Current pupils first, then those who left; inside each, by the key. Empty values (no
    grade yet) always go last, whichever the direction; ties stay in name order."""
    by_name = sorted(rows, key=lambda row: name_key(row.pupil))
    if sort == SORT_NAME:
        ordered = list(reversed(by_name)) if descending else by_name
    else:
        if sort == SORT_TOTAL:

            def value(row: Row) -> Decimal | None:
                return row.percent
        else:
            index = next(i for i, c in enumerate(columns) if c.sort_key == sort)

            def value(row: Row) -> Decimal | None:
                return row.cells[index].points

        filled = [row for row in by_name if value(row) is not None]
        empty = [row for row in by_name if value(row) is None]
        ordered = sorted(filled, key=value, reverse=descending) + empty  # stable: names kept
    return [row for row in ordered if not row.has_left] + [row for row in ordered if row.has_left]


def build_gradebook(
    group: StudyGroup,
    course: CoursePage,
    *,
    scope: CourseScope | None = None,
    sort: str | None = None,
    direction: str | None = None,
) -> Gradebook:
    """The gradebook of one group in one course (4 queries; 3 when `scope` is given). The
    caller has checked access to the group and that the group takes the course."""
    if scope is None:
        scope = enrolled_courses(group).get(course.pk) or CourseScope(course)
    columns = _columns(scope)
    ids = [column.assignment_id for column in columns]
    attempts = _attempts(group, ids) if ids else {}
    rows = []
    for pupil, has_left in _pupils(group, ids):
        cells = [
            _cell(c.assignment_id, c.counts, attempts.get((pupil.pk, c.assignment_id), []))
            for c in columns
        ]
        graded = [
            (cell.points, column.max_points, column.weight)
            for cell, column in zip(cells, columns, strict=True)
            if cell.points is not None
        ]
        rows.append(
            Row(
                pupil=pupil,
                has_left=has_left,
                cells=cells,
                percent=weighted_percent(graded),
                points=sum((points for points, _m, _w in graded), start=ZERO),
            )
        )
    sort_key, descending = parse_sort(sort, direction, columns)
    return Gradebook(
        group=group,
        course=course,
        columns=columns,
        rows=sort_rows(rows, columns, sort_key, descending),
        sort=sort_key,
        descending=descending,
    )


# --- Export ------------------------------------------------------------------------------------


def number(value: Decimal | None) -> str:
    """As the teacher's spreadsheet reads it: "8,5" in Russian, "8.5" in English."""
    return "" if value is None else formats.number_format(value.normalize())


def export_table(book: Gradebook) -> tuple[list[str], list[list[str]]]:
    """Header and rows for roster_files.write_csv / write_xlsx (which neutralise formulas)."""
    header = [_("Pupil"), _("Login"), _("In the group")]
    header += [
        _("%(number)s. %(title)s (max %(max)s)")
        % {"number": c.number, "title": c.title, "max": number(c.max_points)}
        for c in book.columns
    ]
    header += [_("Total, %"), _("Points")]
    rows = []
    for row in book.rows:
        cells = [
            row.name,
            row.pupil.username,
            _("left the group") if row.has_left else _("yes"),
        ]
        cells += [number(cell.points) for cell in row.cells]
        cells += [number(row.percent), number(row.points)]
        rows.append(cells)
    return header, rows


def export_csv(book: Gradebook) -> bytes:
    return roster_files.write_csv(*export_table(book))


def export_xlsx(book: Gradebook) -> bytes:
    header, rows = export_table(book)
    return roster_files.write_xlsx(header, rows, sheet_title=book.group.name)
