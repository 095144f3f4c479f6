"""A quiz's reports for one group: the attempts overview (pupils × slots), Moodle's item
analysis per slot, Kolibri's difficult questions and the answer distribution of each question.
Each is built from a constant number of queries, whatever the number of pupils or questions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from assessments.gradebook import name_key, number
from assessments.models import Submission
from assessments.quiz import item_reports, marking, quiz_marks, statistics
from assessments.quiz.charts import bar_chart_svg
from assessments.quiz.models import AttemptQuestion, MarkChange, Quiz, QuizAttempt, Regrade
from assessments.quiz.spec import QType
from lms import names, roster_files
from lms.models import StudyGroup, User

Status = Submission.Status


@dataclass
class Cell:
    points: Decimal | None
    max_mark: Decimal
    state: str  # marking state, or "" when the slot is missing from the attempt

    @property
    def css(self) -> str:
        return self.state or "none"


@dataclass
class AttemptRow:
    pupil: User
    submission: Submission
    attempt: QuizAttempt
    cells: list[Cell]
    total: Decimal | None  # the released or draft grade's points; None: essays wait
    released: bool


@dataclass
class Overview:
    quiz: Quiz
    group: StudyGroup
    slots: list[tuple[int, Decimal]]  # slot number, mark
    rows: list[AttemptRow] = field(default_factory=list)
    not_started: list[User] = field(default_factory=list)
    in_progress: int = 0
    questions: dict[int, list[AttemptQuestion]] = field(default_factory=dict)  # by attempt


def _finished_attempts(quiz: Quiz, group: StudyGroup) -> list[QuizAttempt]:
    return list(
        QuizAttempt.objects.filter(quiz=quiz, submission__group=group)
        .select_related("submission__pupil", "submission__grade")
        .order_by("submission__pupil_id", "submission__attempt")
    )


def overview(quiz: Quiz, group: StudyGroup) -> Overview:
    slots = list(quiz.slots.order_by("number").values_list("number", "mark"))
    report = Overview(quiz, group, slots)
    attempts = _finished_attempts(quiz, group)
    by_attempt: dict[int, list[AttemptQuestion]] = defaultdict(list)
    for question in AttemptQuestion.objects.filter(attempt__in=attempts).select_related("version"):
        by_attempt[question.attempt_id].append(question)
    report.questions = by_attempt
    started = set()
    for attempt in attempts:
        submission = attempt.submission
        started.add(submission.pupil_id)
        if submission.status == Status.DRAFT:
            report.in_progress += 1
            continue
        held = {q.slot_number: q for q in by_attempt.get(attempt.pk, [])}
        cells = []
        for slot_number, mark in slots:
            question = held.get(slot_number)
            if question is None:
                cells.append(Cell(None, mark, ""))
                continue
            state = question.state
            if question.manual_mark is not None and question.max_mark:
                state = _state_of(question.manual_mark / question.max_mark)
            cells.append(Cell(quiz_marks.question_points(question), question.max_mark, state))
        grade = getattr(submission, "grade", None)
        report.rows.append(
            AttemptRow(
                pupil=submission.pupil,
                submission=submission,
                attempt=attempt,
                cells=cells,
                total=grade.final_points if grade else None,
                released=bool(grade and grade.is_released),
            )
        )
    report.rows.sort(key=lambda row: (name_key(row.pupil), row.submission.attempt))
    report.not_started = sorted(
        (pupil for pupil in User.objects.pupils_of(group) if pupil.pk not in started),
        key=name_key,
    )
    return report


@dataclass
class RegradeSummary:
    regrade: Regrade
    changes: list[MarkChange]  # this group's, at most 100


def last_regrade(quiz: Quiz, group: StudyGroup) -> RegradeSummary | None:
    """The latest regrade that changed marks in this group, with what it changed."""
    changes = list(
        MarkChange.objects.filter(regrade__quiz=quiz, question__attempt__submission__group=group)
        .select_related("regrade__done_by", "question__attempt__submission__pupil")
        .order_by("-regrade__done_at", "-regrade_id", "question__attempt__submission__pupil_id")[
            :100
        ]
    )
    if not changes:
        return None
    latest = changes[0].regrade
    return RegradeSummary(latest, [c for c in changes if c.regrade_id == latest.pk])


def _state_of(fraction: Decimal) -> str:
    if fraction >= 1:
        return "right"
    return "wrong" if fraction <= 0 else "partial"


# --- Item analysis -------------------------------------------------------------------------------


@dataclass
class QuestionChart:
    title: str
    svg: str
    answered: int


@dataclass
class SlotReport:
    stats: statistics.SlotStats
    title: str
    qtype: str
    is_random: bool
    charts: list[QuestionChart]
    subquestions: list[tuple[statistics.SlotStats, str]] = field(default_factory=list)


@dataclass
class ItemAnalysis:
    overview: Overview
    quiz_stats: statistics.QuizStats | None
    slots: list[SlotReport]
    difficult: list[tuple[item_reports.DifficultQuestion, str]]
    which: str


def _handed_in(view: Overview, which: str) -> list[AttemptRow]:
    rows = view.rows
    if which == "first":
        first: dict[int, AttemptRow] = {}
        for row in rows:
            first.setdefault(row.pupil.pk, row)
        return list(first.values())
    return rows


def item_analysis(quiz: Quiz, group: StudyGroup, which: str = "all") -> ItemAnalysis:
    view = overview(quiz, group)
    rows = _handed_in(view, which)
    random_slots = set(quiz.slots.filter(question__isnull=True).values_list("number", flat=True))
    marks, specs, titles, version_titles = [], {}, {}, {}
    by_slot: dict[int, list[AttemptQuestion]] = defaultdict(list)
    for row in rows:
        slot_marks = []
        for question in view.questions.get(row.attempt.pk, []):
            version = question.version
            if version.qtype == QType.DESCRIPTION:
                continue
            points = quiz_marks.question_points(question)
            slot_marks.append(
                statistics.SlotMark(
                    slot=question.slot_number,
                    mark=None if points is None else float(points),
                    max_mark=float(question.max_mark),
                    question_id=version.question_id,
                    version=version.number,
                )
            )
            specs[(version.question_id, version.number)] = version.spec
            version_titles[(version.question_id, version.number)] = version.title
            titles[question.slot_number] = version.title
            by_slot[question.slot_number].append(question)
        if slot_marks:
            marks.append(statistics.AttemptMarks(slot_marks))
    if not marks:
        return ItemAnalysis(view, None, [], [], which)
    report = statistics.quiz_statistics(marks, question_specs=specs, random_slots=random_slots)
    slots = []
    for stats in report.slots:
        held = by_slot.get(stats.slot, [])
        qtype = held[0].version.qtype if held else ""
        title = _("Random question") if stats.slot in random_slots else titles.get(stats.slot, "")
        slots.append(SlotReport(stats, title, qtype, stats.slot in random_slots, _charts(held)))
    difficult = item_reports.difficult_questions(
        [
            item_reports.ItemResult(
                item=question.slot_number,
                learner=row.pupil.pk,
                fraction=_attempted_fraction(question),
            )
            for row in rows
            for question in view.questions.get(row.attempt.pk, [])
            # A question left unanswered is not difficult: only answers count, the latest
            # answer of each pupil (a later attempt that skipped it does not erase it).
            if question.version.qtype != QType.DESCRIPTION
            and _attempted_fraction(question) is not None
        ],
        threshold=None,
    )
    named = [(item, titles.get(item.item, "")) for item in difficult if item.wrong]
    return ItemAnalysis(view, report.quiz, slots, named, which)


def _attempted_fraction(question: AttemptQuestion) -> float | None:
    """None for an unanswered question: Kolibri does not count it as difficult."""
    if question.response is None or not marking.is_answered(
        question.version.spec, question.response
    ):
        return None
    points = quiz_marks.question_points(question)
    if points is None or not question.max_mark:
        return None
    return float(points / question.max_mark)


def _charts(held: list[AttemptQuestion]) -> list[QuestionChart]:
    """One answer distribution per question the slot held (a random slot holds several)."""
    by_question: dict[int, list[AttemptQuestion]] = defaultdict(list)
    for question in held:
        by_question[question.version.question_id].append(question)
    charts = []
    for items in by_question.values():
        spec = items[-1].version.spec
        if spec.qtype == QType.ESSAY:
            continue
        choices, right = _choices(spec)
        summaries = [marking.response_summary(q.version.spec, q.response) or None for q in items]
        distribution = item_reports.answer_distribution(
            summaries, choices=choices, right_answers=right
        )
        title = items[-1].version.title
        svg = bar_chart_svg(
            distribution.bars(),
            title=title,
            highlight=distribution.highlight(),
            muted=distribution.muted(),
        )
        answered = sum(1 for summary in summaries if summary)
        charts.append(QuestionChart(title, svg, answered))
    return charts


def _choices(spec) -> tuple[list[str], list[str]]:
    """The labels every answer has in response_summary, and the right ones."""
    if spec.qtype in (QType.SINGLE, QType.MISSING_WORD, QType.TRUE_FALSE):
        labels = [marking.response_summary(spec, {"choice": i}) for i in range(len(spec.answers))]
        right = [label for label, a in zip(labels, spec.answers, strict=True) if a.fraction >= 1]
        return labels, right
    if spec.qtype == QType.MULTIPLE:
        return [], []
    right = [marking.right_answer_summary(spec)]
    return [], right


# --- Export ------------------------------------------------------------------------------------


def export_table(view: Overview) -> tuple[list[str], list[list[str]]]:
    header = [_("Pupil"), _("Login"), _("Attempt"), _("Handed in"), _("Points")]
    header += [
        _("Q%(number)d (max %(max)s)") % {"number": slot, "max": number(mark)}
        for slot, mark in view.slots
    ]
    rows = []
    for row in view.rows:
        cells = [
            names.surname_first(row.pupil),
            row.pupil.username,
            str(row.submission.attempt),
            row.submission.submitted_at.isoformat(timespec="minutes")
            if row.submission.submitted_at
            else "",
            number(row.total),
        ]
        cells += [number(cell.points) for cell in row.cells]
        rows.append(cells)
    return header, rows


def export_csv(view: Overview) -> bytes:
    return roster_files.write_csv(*export_table(view))


def export_xlsx(view: Overview) -> bytes:
    header, rows = export_table(view)
    return roster_files.write_xlsx(header, rows, sheet_title=view.group.name)
