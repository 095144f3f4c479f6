"""Marking time of one whole quiz attempt: 50 questions of every type, in-process.

    .venv/bin/python bench/quiz_grading.py               # 500 runs of the 50-question attempt
    .venv/bin/python bench/quiz_grading.py --runs 2000
    .venv/bin/python bench/quiz_grading.py --questions 200

Prints the median and p95 of marking the whole attempt (`mark` on every question), of cleaning
it (`valid_response`, what the page does before it stores an answer) and of the answer labels
(`response_summary`), and the first run with an empty wildcard cache. The budget is well under
20 ms an attempt. A ratio to a bare view does not apply here: this is CPU time of pure functions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

BUDGET_MS = 20.0


def main() -> int:
    import django

    django.setup()
    from assessments.quiz import marking

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--questions", type=int, default=50)
    args = parser.parse_args()

    attempt = _attempt(args.questions)
    kinds = sorted({spec.qtype.value for spec, _ in attempt})
    print(f"{len(attempt)} questions ({', '.join(kinds)}), {args.runs} runs:")

    marking._pattern.cache_clear()
    started = time.perf_counter()
    _mark_all(marking, attempt)
    first = (time.perf_counter() - started) * 1000

    results = {}
    for name, function in [
        ("mark", _mark_all),
        ("valid_response", _clean_all),
        ("response_summary", _summarise_all),
    ]:
        times = sorted(_timed(function, marking, attempt) for _ in range(args.runs))
        results[name] = times
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        per_question = median * 1000 / len(attempt)
        print(
            f"  {name:17} median {median:6.3f} ms  p95 {p95:6.3f} ms  "
            f"({per_question:5.1f} µs a question)"
        )
    print(f"  first mark run, empty wildcard cache: {first:.3f} ms")
    states = [marking.mark(spec, response).state for spec, response in attempt]
    counts = ", ".join(f"{state} {states.count(state)}" for state in sorted(set(states)))
    print(f"  states: {counts}")
    p95 = results["mark"][int(args.runs * 0.95) - 1]
    verdict = "within" if p95 <= BUDGET_MS else "OVER"
    print(f"mark p95 {p95:.3f} ms, {verdict} the {BUDGET_MS:.0f} ms budget")
    return 0


def _timed(function, marking, attempt) -> float:
    started = time.perf_counter()
    function(marking, attempt)
    return (time.perf_counter() - started) * 1000


def _mark_all(marking, attempt) -> None:
    for spec, response in attempt:
        marking.mark(spec, response)


def _clean_all(marking, attempt) -> None:
    for spec, response in attempt:
        marking.valid_response(spec, response)


def _summarise_all(marking, attempt) -> None:
    for spec, response in attempt:
        marking.response_summary(spec, response)


def _attempt(count: int) -> list:
    """`count` questions cycling through the templates below; each gets one of its responses in
    turn (right, partly right, wrong, unanswered), as a class of pupils would give them."""
    templates = _templates()
    attempt = []
    for i in range(count):
        spec, responses = templates[i % len(templates)]
        attempt.append((spec, responses[(i // len(templates)) % len(responses)]))
    return attempt


def _templates() -> list:
    from assessments.quiz.spec import Answer, QType, QuestionSpec

    def spec(qtype, answers, **extra):
        return QuestionSpec(qtype, "Текст вопроса", title="Вопрос", answers=answers, **extra)

    ohm = [
        Answer(fraction=1.0, value=5.0, tolerance=0.5, feedback="Верно: I = U / R."),
        Answer(fraction=0.5, value=5.0, tolerance=1.0, feedback="Почти: проверьте округление."),
        Answer(fraction=0.0, value=None, feedback="Разделите напряжение на сопротивление."),
    ]
    sensors = [
        Answer("Ультразвуковой дальномер", 0.5, "Измеряет расстояние."),
        Answer("Датчик линии", 0.5, "Различает светлое и тёмное."),
        Answer("Сервопривод", -0.5, "Это исполнительное устройство."),
        Answer("Светодиод", -0.5, "Он излучает свет, а не измеряет."),
        Answer("Пьезопищалка", 0.0),
    ]
    matching = [
        Answer("Сила тока", match="ампер"),
        Answer("Напряжение", match="вольт"),
        Answer("Сопротивление", match="ом"),
        Answer("Мощность", match="ватт"),
        Answer("", match="ньютон"),
    ]
    return [
        (
            spec(
                QType.SINGLE,
                [Answer("13", 1.0, "Да."), Answer("12", 0.0, "Нет."), Answer("A0", 0.0)],
            ),
            [{"choice": 0}, {"choice": "1"}, {"choice": 2}, {}],
        ),
        (spec(QType.MULTIPLE, sensors), [{"choices": [0, 1]}, {"choices": [0, 2]}, {}]),
        (
            spec(QType.TRUE_FALSE, [Answer("true", 1.0, "Да."), Answer("false", 0.0, "Нет.")]),
            [{"choice": 0}, {"choice": 1}],
        ),
        (
            spec(
                QType.SHORT,
                [
                    Answer("светодиод", 1.0),
                    Answer("LED", 1.0),
                    Answer("*диод*", 0.5, "Какой именно диод?"),
                ],
            ),
            [{"text": "Светодиод"}, {"text": "  led "}, {"text": "диод Шоттки"}, {"text": "лампа"}],
        ),
        (spec(QType.NUMERICAL, ohm), [{"text": "5"}, {"text": "4,2"}, {"text": "−12"}, {}]),
        (
            spec(QType.MATCHING, matching),
            [{"pairs": {"0": 0, "1": 1, "2": 2, "3": 3}}, {"pairs": {"0": 1, "1": 0, "2": 4}}],
        ),
        (
            spec(
                QType.MISSING_WORD,
                [Answer("цифровой", 0.0), Answer("аналоговый", 1.0), Answer("силовой", 0.0)],
            ),
            [{"choice": 1}, {"choice": 0}],
        ),
        (
            spec(QType.NUMERICAL, [Answer(fraction=1.0, value=1.5, tolerance=0.5)]),
            [{"text": "1,75"}, {"text": "2 000"}, {"text": "пять"}],
        ),
        (
            spec(
                QType.SHORT,
                [Answer("Ом", 1.0), Answer("Georg Simon Ohm", 1.0), Answer("*ом*", 0.5)],
                case_sensitive=False,
            ),
            [{"text": "ом"}, {"text": "георг ом"}, {"text": "x" * 1_500}],
        ),
        (spec(QType.ESSAY, []), [{"text": "Мой робот ездит по линии. " * 40}, {"text": ""}]),
        (spec(QType.DESCRIPTION, []), [{}]),
    ]


if __name__ == "__main__":
    raise SystemExit(main())
