"""The apps form a stack: a module imports only from its own app and the apps below it, also
inside functions. A higher app reaches down; where a lower one must show something of a higher
one (the lesson's assignment block, the home page's catalogue), config/ wires it (settings,
URLconf) or the higher app registers itself (Wagtail hooks, template tags, signals).

Migrations are left out: they are generated history and name blocks and models by their path.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Bottom first. Apps on one level do not import each other.
LAYERS: list[frozenset[str]] = [
    frozenset({"lms"}),  # people, schools, groups, roles, the access core
    frozenset({"cms"}),  # content blocks, markdown and the one sanitiser, site chrome
    frozenset({"courses"}),  # the course tree, enrolments, progress, lesson and file access
    frozenset({"assessments"}),  # assignments, work, grading, gradebook
    frozenset({"events"}),  # events, registration, check-in, certificates, the park's report
    frozenset({"contests"}),  # olympiads: rounds, runs, sheets, standings, appeals, diplomas
    frozenset({"teaching", "schools"}),  # the teacher's and the school admin's pages
    frozenset({"demo"}),  # the demo technopark
    frozenset({"config"}),  # the project: settings, urls
]
LEVEL = {app: level for level, apps in enumerate(LAYERS) for app in apps}


def modules() -> list[Path]:
    found = []
    for app in LEVEL:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                found.append(path)
    return found


def imported_apps(path: Path) -> list[tuple[int, str]]:
    """(line, app) for every import of one of our apps, at any depth of the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            (node.lineno, name.split(".")[0]) for name in names if name.split(".")[0] in LEVEL
        ]
    return found


def test_every_app_is_placed_in_a_layer():
    apps = {path.name for path in ROOT.iterdir() if (path / "apps.py").exists()}
    assert apps <= set(LEVEL), f"place these apps in LAYERS: {sorted(apps - set(LEVEL))}"


def test_imports_point_down_only():
    wrong = []
    for path in modules():
        app = path.relative_to(ROOT).parts[0]
        for line, other in imported_apps(path):
            if other != app and LEVEL[other] >= LEVEL[app]:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {other}")
    assert not wrong, "upward or sideways imports:\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from courses.models import LessonPage", ["courses"]),
        ("def f():\n    import assessments.blocks", ["assessments"]),
        ("from . import views\nimport django", []),
    ],
)
def test_the_check_sees_imports_at_any_depth(tmp_path, source, expected):
    module = tmp_path / "m.py"
    module.write_text(source)
    assert [app for _line, app in imported_apps(module)] == expected
