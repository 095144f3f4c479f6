"""What a pupil's assignment page shows first: how the work stands, the teacher's latest word,
and the one thing to do next. Plain functions of a `submissions.PupilState`; no query.

The state is the work's (`next_steps.state_of`: not started, draft, handed in, returned,
graded). The next step, the page's one primary button:

* not started, and the pupil may hand in now: **Start** (the form is on the page);
* a draft the pupil may still hand in: **Continue** (to the form);
* returned for rework, no new attempt yet: **Improve and hand in again** (starts the attempt as
  a copy of the returned one);
* handed in (waiting), graded, archived, not open yet or closed: no primary button. A pupil
  who may still try again gets "Start a new attempt" as a secondary one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from assessments.models import Grade, Submission
from assessments.next_steps import State, state_of
from assessments.scoring import AttemptScore, counted_score
from assessments.submissions import PupilState


class Step(StrEnum):
    START = "start"
    CONTINUE = "continue"
    IMPROVE = "improve"
    NONE = "none"


@dataclass(frozen=True)
class PageTop:
    state: State
    step: Step
    can_retry: bool  # a secondary "Start a new attempt" (waiting or graded, attempts left)
    latest: Submission | None  # the latest attempt handed in
    result: Grade | None  # its released grade (points and/or feedback), if any
    counted_points: Decimal | None  # the points that count (best or last rule), once graded
    several_graded: bool  # more than one graded attempt: say which one counts


def released_grade(submission: Submission | None) -> Grade | None:
    if submission is None:
        return None
    grade = getattr(submission, "grade", None)  # no row: RelatedObjectDoesNotExist
    return grade if grade is not None and grade.is_released else None


def page_top(state: PupilState) -> PageTop:
    submitted = state.submitted
    latest = submitted[-1] if submitted else None
    work = state_of(state.attempts)
    may_work = state.refusal() is None
    if work is State.NOT_STARTED:
        step = Step.START if may_work else Step.NONE
    elif work is State.DRAFT:
        step = Step.CONTINUE if may_work else Step.NONE
    elif work is State.RETURNED:
        step = Step.IMPROVE if may_work else Step.NONE
    else:
        step = Step.NONE
    scores = [
        AttemptScore(s.attempt, grade.final_points)
        for s in submitted
        if (grade := released_grade(s)) is not None and grade.final_points is not None
    ]
    counted = counted_score(scores, state.assignment.counts)
    return PageTop(
        state=work,
        step=step,
        can_retry=may_work and work in (State.HANDED_IN, State.GRADED),
        latest=latest,
        result=released_grade(latest),
        counted_points=counted.final_points if counted is not None else None,
        several_graded=len(scores) > 1,
    )
