"""Where a page sits in the course tree (Catalogue › Course › Module › Lesson), from its
treebeard path alone: each level adds Page.steplen characters, so a lesson's module and course
are prefixes of its path and need no query."""

from __future__ import annotations

from wagtail.models import Page


def parent_path(path: str) -> str:
    """The path of the page's parent."""
    return path[: -Page.steplen]


def module_path_of(lesson_path: str) -> str:
    """The path of a lesson's module."""
    return parent_path(lesson_path)


def course_path_of(lesson_path: str) -> str:
    """The path of a lesson's course."""
    return parent_path(parent_path(lesson_path))
