"""problem.yaml's test lists, examples, subtasks and points, read onto the tests (and written
back by package_write). Tests are named by number: "tests: 1-5" means tests/01 … tests/05,
whatever gaps the numbering has."""

from __future__ import annotations

import math
import re
from typing import Any

from django.utils.translation import gettext as _

from .package_zip import list_names
from .spec import SubtaskSpec, TestSpec

_RANGE = re.compile(r"\s*([0-9]{1,9})\s*(?:-\s*([0-9]{1,9})\s*)?")


def as_number(value: Any) -> float | None:
    """A finite number from YAML; strings too, since YAML 1.1 reads “1e-6” as a string."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and len(value) < 40:
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _as_test_number(key: Any) -> int | None:
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if isinstance(key, str) and (m := _RANGE.fullmatch(key)) and not m[2]:
        return int(m[1])
    return None


def format_numbers(numbers: list[int]) -> str:
    """[1, 2, 3, 5] -> "1-3,5"."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ",".join(f"{a}-{b}" if b > a else str(a) for a, b in runs)


def default_points(count: int) -> list[float]:
    """100 shared equally, rounded to 2 decimals, the remainder on the last test."""
    share = round(100 / count, 2)
    return [share] * (count - 1) + [round(100 - share * (count - 1), 2)]


class TestKeys:
    """Reads the yaml's test-related keys onto already-read tests; messages go to the lists."""

    def __init__(self, tests: list[TestSpec], errors: list[str], warnings: list[str]) -> None:
        self.tests = tests
        self.numbers = {int(t.name): i for i, t in enumerate(tests)}
        self.errors = errors
        self.warnings = warnings

    def test_numbers(self, raw: Any, what: str) -> list[int] | None:
        """“1-5,7”, 3 or [1, 2, "4-6"] -> test numbers, each an existing test."""
        out: list[int] = []
        for item in raw if isinstance(raw, list) else [raw]:
            if isinstance(item, int) and not isinstance(item, bool):
                out.append(item)
                continue
            found = [_RANGE.fullmatch(p) for p in item.split(",")] if isinstance(item, str) else []
            # A range longer than the test count cannot be all existing tests: refused unexpanded.
            spans = [int(m[2] or m[1]) - int(m[1]) if m else -1 for m in found]
            if not found or not all(0 <= s <= len(self.numbers) for s in spans):
                shown = str(item)[:40] if isinstance(item, str | int | float) else ""
                self.errors.append(
                    _("problem.yaml, %(what)s: “%(value)s” is not a list of tests such as “1-5,7”.")
                    % {"what": what, "value": shown}
                )
                return None
            for m in found:
                assert m is not None
                out.extend(range(int(m[1]), int(m[2] or m[1]) + 1))
        missing = sorted({n for n in out if n not in self.numbers})
        if missing:
            self.errors.append(
                _("problem.yaml, %(what)s: there is no test %(numbers)s.")
                % {"what": what, "numbers": list_names([str(n) for n in missing])}
            )
            return None
        return out

    def examples(self, doc: dict[str, Any]) -> None:
        if "examples" not in doc:
            self.tests[0].is_example = True
            return
        raw = doc["examples"]
        chosen = [] if raw is None or raw == [] else self.test_numbers(raw, "examples")
        for n in chosen or []:
            self.tests[self.numbers[n]].is_example = True

    def subtasks(self, raw: Any) -> list[SubtaskSpec]:
        if not isinstance(raw, list) or not raw:
            self.errors.append(
                _(
                    "problem.yaml: scoring “subtasks” needs a list of subtasks, "
                    "such as “- {points: 30, tests: 1-5}”."
                )
            )
            return []
        subtasks: list[SubtaskSpec] = []
        owner: dict[int, int] = {}
        unreadable = False  # a list already reported: its tests are not "in no subtask" too
        for index, item in enumerate(raw):
            what = _("subtask %(number)d") % {"number": index + 1}
            if not isinstance(item, dict):
                self.errors.append(
                    _(
                        "problem.yaml, %(what)s: must be a mapping "
                        "such as “{points: 30, tests: 1-5}”."
                    )
                    % {"what": what}
                )
                unreadable = True
                continue
            points = as_number(item.get("points"))
            if points is None or points < 0:
                self.errors.append(
                    _("problem.yaml, %(what)s: points must be a number of at least 0.")
                    % {"what": what}
                )
            title = item.get("title", "")
            if not isinstance(title, str):
                self.errors.append(
                    _("problem.yaml, %(what)s: the title must be text.") % {"what": what}
                )
            if set(item) - {"points", "tests", "title"}:
                self.warnings.append(
                    _("problem.yaml, %(what)s: only points, tests and title are read.")
                    % {"what": what}
                )
            listed = self.test_numbers(item["tests"], what) if "tests" in item else []
            unreadable = unreadable or listed is None
            if listed == []:
                self.errors.append(_("problem.yaml, %(what)s: lists no tests.") % {"what": what})
            for n in listed or []:
                if owner.setdefault(n, index) != index:
                    self.errors.append(
                        _(
                            "problem.yaml: test %(test)d is in subtasks %(first)d and %(second)d; "
                            "a test belongs to one subtask."
                        )
                        % {"test": n, "first": owner[n] + 1, "second": index + 1}
                    )
            title = title if isinstance(title, str) else ""
            subtasks.append(SubtaskSpec(points=points or 0.0, title=title))
        outside = [t.name for t in self.tests if int(t.name) not in owner]
        if outside and not unreadable:
            self.errors.append(
                _("problem.yaml: tests %(names)s are in no subtask.")
                % {"names": list_names(outside)}
            )
        for test in self.tests:
            test.subtask = owner.get(int(test.name), 0)
        return subtasks

    def points(self, raw: Any) -> None:
        """Per-test points: a mapping test -> points, one number for every test, or the default."""
        if raw is None:
            for test, points in zip(self.tests, default_points(len(self.tests)), strict=True):
                test.points = points
            return
        if not isinstance(raw, str | dict) and (each := as_number(raw)) is not None and each >= 0:
            for test in self.tests:
                test.points = each
            return
        if not isinstance(raw, dict):
            self.errors.append(
                _(
                    "problem.yaml: “points” must map test numbers to points, "
                    "such as “{1: 10, 2: 20}”."
                )
            )
            return
        given: set[int] = set()
        for key, value in raw.items():
            number, points = _as_test_number(key), as_number(value)
            if number is None or number not in self.numbers:
                self.errors.append(
                    _("problem.yaml, points: there is no test “%(key)s”.") % {"key": str(key)[:40]}
                )
            elif points is None or points < 0:
                self.errors.append(
                    _("problem.yaml: the points of test %(number)d must be a number of at least 0.")
                    % {"number": number}
                )
            else:
                self.tests[self.numbers[number]].points = points
                given.add(number)
        unlisted = [t.name for t in self.tests if int(t.name) not in given]
        if unlisted and not self.errors:
            self.warnings.append(
                _("Tests without points score 0: %(names)s.") % {"names": list_names(unlisted)}
            )
