"""ProblemSpec -> a problem package (zip) in the layout package_read reads back to an equal spec.
Tests are written under their names when those are distinct numbers in ascending order, else
renumbered 01, 02, …; problem.yaml always states every setting, so no default decides."""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Mapping
from io import BytesIO
from typing import Any

import yaml

from .package_read import DEFAULT_EXTENSIONS
from .package_scoring import format_numbers
from .spec import ProblemSpec, Scoring, TestSpec

_DATE = (1980, 1, 1, 0, 0, 0)  # fixed, so the same spec gives the same bytes


def _test_names(tests: list[TestSpec]) -> list[str]:
    names = [t.name for t in tests]
    numbers = [int(n) if re.fullmatch(r"[0-9]{1,9}", n) else -1 for n in names]
    if all(n >= 0 for n in numbers) and all(a < b for a, b in itertools.pairwise(numbers)):
        return names
    width = max(2, len(str(len(tests))))
    return [str(i).zfill(width) for i in range(1, len(tests) + 1)]


def _extension_for(language: str, extensions: Mapping[str, str]) -> str:
    for ext, lang in extensions.items():
        if lang == language:
            return ext
    raise ValueError(f"No file extension is known for language {language!r}")


def _yaml(spec: ProblemSpec, numbers: list[int]) -> str:
    numbered = list(zip(numbers, spec.tests, strict=True))
    doc: dict[str, Any] = {
        "title": spec.title,
        "time_limit": spec.time_limit_s,
        "memory_limit": spec.memory_limit_mb,
        "output_limit": spec.output_limit_kb,
    }
    if spec.languages:  # none given reads back as every known language
        doc["languages"] = {
            code: {} if limits.time_limit_s is None else {"time_limit": limits.time_limit_s}
            for code, limits in spec.languages.items()
        }
    doc["comparison"] = spec.comparison.value
    doc["float_tolerance"] = spec.float_tolerance
    doc["scoring"] = spec.scoring.value
    doc["examples"] = [n for n, t in numbered if t.is_example]
    if spec.scoring == Scoring.SUBTASKS:
        doc["subtasks"] = []
        for index, subtask in enumerate(spec.subtasks):
            item: dict[str, Any] = {"points": subtask.points}
            item["tests"] = format_numbers([n for n, t in numbered if t.subtask == index])
            if subtask.title:
                item["title"] = subtask.title
            doc["subtasks"].append(item)
    if spec.scoring == Scoring.PER_TEST:
        doc["points"] = {n: t.points for n, t in numbered}
    return yaml.safe_dump(
        doc, allow_unicode=True, sort_keys=False, default_flow_style=None, width=100
    )


def write_package(
    spec: ProblemSpec, *, extensions: Mapping[str, str] = DEFAULT_EXTENSIONS
) -> bytes:
    """The spec as a zip package. Raises ValueError for a language with no known extension."""
    names = _test_names(spec.tests)
    files: dict[str, str] = {"problem.yaml": _yaml(spec, [int(n) for n in names])}
    if spec.statement:
        files["statement.md"] = spec.statement
    if spec.checker:
        files["checker.py"] = spec.checker
    for name, test in zip(names, spec.tests, strict=True):
        files[f"tests/{name}"] = test.input
        files[f"tests/{name}.a"] = test.answer
    for lang, source in spec.solutions.items():
        files[f"solutions/main{_extension_for(lang, extensions)}"] = source
    for lang, limits in spec.languages.items():
        if limits.starter_code:
            files[f"starter/main{_extension_for(lang, extensions)}"] = limits.starter_code
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, _DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            zf.writestr(info, text.encode("utf-8"))
    return out.getvalue()
