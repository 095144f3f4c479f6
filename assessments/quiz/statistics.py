"""Quiz statistics computed the way Moodle's quiz statistics report computes them.

Sources (moodle/moodle):
- per slot and per question drawn by a random slot:
  ``question/classes/statistics/questions/calculator.php`` (``initial_steps_walker``,
  ``initial_question_walker``, ``secondary_steps_walker``, ``secondary_question_walker``, the
  effective weight loop in ``calculate``) and ``calculated.php``;
- whole quiz: ``mod/quiz/report/statistics/classes/calculator.php`` (``calculate``, ``median``,
  ``sum_of_powers_of_difference_to_mean``), explained in Moodle's developer docs "Quiz
  statistics calculations";
- random guess score: each qtype's ``get_random_guess_score``;
- displayed units: ``mod/quiz/report/statistics/statistics_table.php`` (facility, sd and random
  guess score as % of the mark; effective weight, discrimination index and efficiency are
  already % in the calculator; intended weight = slot max mark / quiz sumgrades).

Plain data in, plain data out: no models, no database. The caller picks the attempts (Moodle's
"all attempts" or "first attempts" set) and leaves description slots out, as Moodle's report
counts only real questions as positions.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from assessments.quiz.spec import QType, QuestionSpec

QuestionKey = tuple[Hashable, Hashable]  # (question id, version) a slot held in an attempt


@dataclass(frozen=True)
class SlotMark:
    """One slot of one attempt: Moodle's latest step, ``fraction * maxmark``."""

    slot: int
    mark: float | None  # None: not graded yet (an essay); Moodle's NULL adds as 0
    max_mark: float
    question_id: Hashable = None  # the question the slot held in this attempt
    version: Hashable = None

    @property
    def question(self) -> QuestionKey:
        return (self.question_id, self.version)


@dataclass(frozen=True)
class AttemptMarks:
    slots: Sequence[SlotMark]
    # quiz_attempts.sumgrades: the quiz-level figures use it, as Moodle's do. None: the sum of
    # the slot marks. (The per-slot figures always use the sum of the slot marks, as Moodle's.)
    total: float | None = None


@dataclass(frozen=True)
class SlotStats:
    """One row of Moodle's question statistics table: a slot, or a question inside a random slot
    (``is_subquestion``). Percentages are 0..100 as Moodle shows them; None where undefined."""

    slot: int
    n: int  # Moodle's ``s``: attempts that held this slot (or this question)
    max_mark: float
    facility: float | None  # mean mark, % of the max mark
    sd: float | None  # standard deviation of the mark (n - 1), % of the max mark
    random_guess_score: float | None
    intended_weight: float | None  # max mark, % of the quiz's sumgrades
    effective_weight: float | None  # slots only; None when the covariance is negative
    discrimination_index: float | None
    discriminative_efficiency: float | None
    question: QuestionKey | None = None  # the question, if only one appeared here
    is_subquestion: bool = False
    different_weights: bool = False  # max mark varied between attempts (Moodle's flag)
    # Moodle's own intermediate figures, in marks (what qstats00.csv lists).
    mark_average: float = 0.0
    sd_marks: float | None = None
    mark_variance: float | None = None
    other_mark_variance: float | None = None
    covariance: float | None = None
    covariance_max: float | None = None
    covariance_with_overall_mark: float | None = None
    sub_questions: tuple[SlotStats, ...] = ()


@dataclass(frozen=True)
class QuizStats:
    """Moodle's quiz information table. Mean, median, sd and standard error in marks; cic and
    error ratio in %; skewness and kurtosis unitless."""

    n: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    cic: float | None  # coefficient of internal consistency (Cronbach's alpha), %
    error_ratio: float | None  # %
    standard_error: float | None
    sumgrades: float | None = None  # the quiz's maximum total

    def as_percent(self, value: float | None) -> float | None:
        """A figure in marks as % of the quiz's maximum (how Moodle shows mean and median)."""
        if value is None or not self.sumgrades:
            return None
        return 100 * value / self.sumgrades


@dataclass(frozen=True)
class QuizReport:
    quiz: QuizStats
    slots: tuple[SlotStats, ...]

    def slot(self, number: int) -> SlotStats:
        for stats in self.slots:
            if stats.slot == number:
                return stats
        raise KeyError(number)


# --- random guess score -------------------------------------------------------------------


def random_guess_score(spec: QuestionSpec | None) -> float | None:
    """The fraction (0..1) a pupil would get by guessing, or None if Moodle cannot tell.

    As each Moodle qtype's ``get_random_guess_score``: multichoice single (and GIFT's missing
    word, which Moodle imports as multichoice) the mean fraction of all choices, multiple
    choice null; truefalse 0.5; match 1 / number of distinct right-hand choices; shortanswer and
    numerical the fraction of a ``*`` answer, else 0; essay 0 (question_type's default);
    description null."""
    if spec is None:
        return None
    qtype = spec.qtype
    if qtype in (QType.SINGLE, QType.MISSING_WORD):
        if not spec.answers:  # newer Moodle guards the same: no choices, no score
            return None
        return math.fsum(answer.fraction for answer in spec.answers) / len(spec.answers)
    if qtype == QType.TRUE_FALSE:
        return 0.5
    if qtype == QType.MATCHING:
        choices = {answer.match for answer in spec.answers if answer.match != ""}
        return 1 / len(choices) if choices else None
    if qtype in (QType.SHORT, QType.NUMERICAL):
        for answer in spec.answers:
            if answer.text.strip() == "*":
                return answer.fraction
        return 0.0
    if qtype == QType.ESSAY:
        return 0.0
    return None  # description; multiple choice ("pretty much impossible to compute")


# --- per slot / per question ---------------------------------------------------------------


@dataclass
class _Bucket:
    """The marks one stats row accumulates (Moodle's ``markarray`` / ``othermarksarray``)."""

    slot: int
    max_mark: float
    marks: list[float] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    overall: list[float] = field(default_factory=list)  # sum of marks of the same attempts
    questions: list[QuestionKey] = field(default_factory=list)
    different_weights: bool = False


def _mean(values: Sequence[float]) -> float:
    # Equal values give their own value back, so that their variance is exactly 0 and the
    # "undefined" branches below trigger (fsum/len may be off by one ulp).
    if min(values) == max(values):
        return values[0]
    return math.fsum(values) / len(values)


def _moments(bucket: _Bucket) -> dict[str, float | None]:
    """``initial_question_walker`` + ``secondary_steps_walker`` + ``secondary_question_walker``."""
    s = len(bucket.marks)
    mark_avg = _mean(bucket.marks)
    other_avg = _mean(bucket.others)
    # Moodle's summarksaverage stays 0 (totalsummarks is never added to); as the mark
    # differences sum to 0 the covariance is the same with the true mean, which is steadier.
    overall_avg = _mean(bucket.overall)
    figures: dict[str, float | None] = {
        "mark_average": mark_avg,
        "facility": mark_avg / bucket.max_mark if bucket.max_mark != 0 else None,
    }
    if s > 1:
        dm = [m - mark_avg for m in bucket.marks]
        do = [o - other_avg for o in bucket.others]
        dt = [t - overall_avg for t in bucket.overall]
        sorted_dm = [m - mark_avg for m in sorted(bucket.marks)]
        sorted_do = [o - other_avg for o in sorted(bucket.others)]
        mark_variance = math.fsum(d * d for d in dm) / (s - 1)
        other_variance = math.fsum(d * d for d in do) / (s - 1)
        covariance = math.fsum(a * b for a, b in zip(dm, do, strict=True)) / (s - 1)
        covariance_max = math.fsum(a * b for a, b in zip(sorted_dm, sorted_do, strict=True)) / (
            s - 1
        )
        with_overall = math.fsum(a * b for a, b in zip(dm, dt, strict=True)) / (s - 1)
        sd_marks: float | None = math.sqrt(mark_variance)
    else:
        mark_variance = other_variance = covariance = covariance_max = with_overall = None
        sd_marks = None
    figures.update(
        sd_marks=sd_marks,
        mark_variance=mark_variance,
        other_mark_variance=other_variance,
        covariance=covariance,
        covariance_max=covariance_max,
        covariance_with_overall_mark=with_overall,
    )
    product = (mark_variance or 0.0) * (other_variance or 0.0)
    figures["discrimination_index"] = (
        100 * covariance / math.sqrt(product) if product and covariance is not None else None
    )
    figures["discriminative_efficiency"] = (
        100 * covariance / covariance_max if covariance_max and covariance is not None else None
    )
    return figures


def _row(
    bucket: _Bucket,
    *,
    sumgrades: float | None,
    guess: float | None,
    is_subquestion: bool,
    effective_weight: float | None = None,
    sub_questions: tuple[SlotStats, ...] = (),
    figures: dict[str, float | None] | None = None,
) -> SlotStats:
    f = figures if figures is not None else _moments(bucket)
    distinct = set(bucket.questions)
    sd_marks = f["sd_marks"]
    return SlotStats(
        slot=bucket.slot,
        n=len(bucket.marks),
        max_mark=bucket.max_mark,
        facility=None if f["facility"] is None else 100 * f["facility"],
        sd=100 * sd_marks / bucket.max_mark if sd_marks is not None and bucket.max_mark else None,
        random_guess_score=None if guess is None else 100 * guess,
        intended_weight=100 * bucket.max_mark / sumgrades if sumgrades else None,
        effective_weight=effective_weight,
        discrimination_index=f["discrimination_index"],
        discriminative_efficiency=f["discriminative_efficiency"],
        question=next(iter(distinct)) if len(distinct) == 1 else None,
        is_subquestion=is_subquestion,
        different_weights=bucket.different_weights,
        mark_average=f["mark_average"] or 0.0,
        sd_marks=sd_marks,
        mark_variance=f["mark_variance"],
        other_mark_variance=f["other_mark_variance"],
        covariance=f["covariance"],
        covariance_max=f["covariance_max"],
        covariance_with_overall_mark=f["covariance_with_overall_mark"],
        sub_questions=sub_questions,
    )


def _add(
    buckets: dict, key: Hashable, slot: SlotMark, mark: float, other: float, overall: float
) -> None:
    bucket = buckets.get(key)
    if bucket is None:
        bucket = buckets[key] = _Bucket(slot=slot.slot, max_mark=slot.max_mark)
    elif bucket.max_mark != slot.max_mark:
        bucket.different_weights = True  # Moodle keeps the first max mark and raises this flag
    bucket.marks.append(mark)
    bucket.others.append(other)
    bucket.overall.append(overall)
    bucket.questions.append(slot.question)


def quiz_statistics(
    attempts: Iterable[AttemptMarks],
    *,
    sumgrades: float | None = None,
    slot_specs: Mapping[int, QuestionSpec | None] | None = None,
    question_specs: Mapping[QuestionKey, QuestionSpec] | None = None,
    random_slots: Iterable[int] = (),
) -> QuizReport:
    """Per-slot and quiz-level statistics of the attempts given, as Moodle computes them.

    ``sumgrades``: the quiz's maximum total (default: the sum of the slots' max marks).
    ``slot_specs``: the question of each fixed slot, for the random guess score (a random slot
    has none: Moodle's null). ``question_specs``: the questions random slots drew, by
    (question id, version). Sub-question rows are made for ``random_slots`` and for every slot
    whose attempts held more than one question; unlike Moodle, which pools a question over all
    the random slots sharing a category, a sub-question row here belongs to one slot.
    """
    attempts = list(attempts)
    slot_specs = slot_specs or {}
    question_specs = question_specs or {}
    slot_buckets: dict[int, _Bucket] = {}
    sub_buckets: dict[tuple[int, QuestionKey], _Bucket] = {}
    totals: list[float] = []
    for attempt in attempts:
        marks = [(slot, slot.mark or 0.0) for slot in attempt.slots]
        summarks = math.fsum(mark for _slot, mark in marks)
        totals.append(summarks if attempt.total is None else float(attempt.total))
        for slot, mark in marks:
            # A slot's "other marks" is the rest of the quiz; a sub-question's is the whole
            # total (Moodle's initial_steps_walker with $positionstat false).
            _add(slot_buckets, slot.slot, slot, mark, summarks - mark, summarks)
            _add(sub_buckets, (slot.slot, slot.question), slot, mark, summarks, summarks)

    random_set = set(random_slots) | {
        number for number, bucket in slot_buckets.items() if len(set(bucket.questions)) > 1
    }
    if sumgrades is None:
        sumgrades = math.fsum(bucket.max_mark for bucket in slot_buckets.values())

    # Effective weight: sqrt(covariance with the total) over the sum of those that are >= 0.
    moments = {number: _moments(bucket) for number, bucket in slot_buckets.items()}
    roots = [
        math.sqrt(m["covariance_with_overall_mark"])
        for m in moments.values()
        if m["covariance_with_overall_mark"] is not None and m["covariance_with_overall_mark"] >= 0
    ]
    sum_of_roots = math.fsum(roots)

    rows = []
    for number in sorted(slot_buckets):
        bucket = slot_buckets[number]
        with_overall = moments[number]["covariance_with_overall_mark"]
        weight = None
        if sum_of_roots and with_overall is not None and with_overall >= 0:
            weight = 100 * math.sqrt(with_overall) / sum_of_roots
        subs: tuple[SlotStats, ...] = ()
        if number in random_set:
            subs = tuple(
                _row(
                    sub,
                    sumgrades=sumgrades,
                    guess=random_guess_score(question_specs.get(key[1])),
                    is_subquestion=True,
                )
                for key, sub in sub_buckets.items()
                if key[0] == number
            )
        spec = None if number in random_set else slot_specs.get(number)
        rows.append(
            _row(
                bucket,
                sumgrades=sumgrades,
                guess=random_guess_score(spec),
                is_subquestion=False,
                effective_weight=weight,
                sub_questions=subs,
                figures=moments[number],
            )
        )

    # Moodle adds up the slots' mark variances (null, for one attempt, adds as 0).
    sum_of_mark_variance = math.fsum(m["mark_variance"] or 0.0 for m in moments.values())
    quiz = quiz_totals_statistics(
        totals,
        positions=len(slot_buckets),
        sum_of_mark_variance=sum_of_mark_variance,
        sumgrades=sumgrades,
    )
    return QuizReport(quiz=quiz, slots=tuple(rows))


# --- whole quiz -----------------------------------------------------------------------------


def _median(values: Sequence[float]) -> float:
    """Moodle's ``median``: the middle total, or the mean of the two middle ones."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def quiz_totals_statistics(
    totals: Sequence[float],
    *,
    positions: int,
    sum_of_mark_variance: float,
    sumgrades: float | None = None,
) -> QuizStats:
    """Moodle's ``quiz_statistics\\calculator::calculate`` over the attempts' totals.

    ``positions`` is Moodle's ``p`` (number of slots); ``sum_of_mark_variance`` the sum of the
    slots' mark variances (``get_sum_of_mark_variance``). sd needs 2 attempts, skewness 3 and a
    non-zero variance, kurtosis 4; cic, error ratio and standard error need 3 attempts, 2 slots
    and a non-zero variance."""
    s = len(totals)
    if s == 0:
        return QuizStats(0, None, None, None, None, None, None, None, None, sumgrades)
    mean = _mean(totals)
    median = _median(totals)
    sd = skewness = kurtosis = cic = error_ratio = standard_error = None
    if s > 1:
        diffs = [t - mean for t in totals]
        power2 = math.fsum(d**2 for d in diffs)
        power3 = math.fsum(d**3 for d in diffs)
        power4 = math.fsum(d**4 for d in diffs)
        sd = math.sqrt(power2 / (s - 1))
        if s > 2:
            # Moodle's k-statistics: see "Quiz item analysis calculations in practise".
            m2, m3, m4 = power2 / s, power3 / s, power4 / s
            k2 = s * m2 / (s - 1)
            k3 = s * s * m3 / ((s - 1) * (s - 2))
            if k2 != 0:
                skewness = k3 / k2**1.5
                if s > 3:
                    k4 = (
                        s
                        * s
                        * ((s + 1) * m4 - 3 * (s - 1) * m2 * m2)
                        / ((s - 1) * (s - 2) * (s - 3))
                    )
                    kurtosis = k4 / (k2 * k2)
                if positions > 1:
                    cic = (100 * positions / (positions - 1)) * (1 - sum_of_mark_variance / k2)
                    radicand = 1 - cic / 100
                    if -1e-12 < radicand < 0:  # rounding at cic = 100, not a real overshoot
                        radicand = 0.0
                    if radicand >= 0:  # PHP would give NAN; we say "undefined"
                        error_ratio = 100 * math.sqrt(radicand)
                        standard_error = error_ratio * sd / 100
    return QuizStats(
        n=s,
        mean=mean,
        median=median,
        sd=sd,
        skewness=skewness,
        kurtosis=kurtosis,
        cic=cic,
        error_ratio=error_ratio,
        standard_error=standard_error,
        sumgrades=sumgrades,
    )
