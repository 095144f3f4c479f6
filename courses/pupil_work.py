"""The pupil's work (assignments, due dates, their states) on courses' pages. It belongs to
assessments, a layer above: `settings.LMS_PUPIL_WORK` names the functions that provide it
(config wires assessments' in) and this module imports them by path, so courses never imports
assessments. Each returns a dict for the page's template; unset, the pages show no work."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.utils.module_loading import import_string

from courses.models import CoursePage


def _provider(name: str) -> Callable[..., dict] | None:
    path = getattr(settings, "LMS_PUPIL_WORK", {}).get(name)
    return import_string(path) if path else None


def home(request: HttpRequest) -> dict:
    """The pupil's home ("next" panel): what the provider says, or nothing."""
    provide = _provider("home")
    return provide(request) if provide else {}


def course(request: HttpRequest, course_page: CoursePage) -> dict:
    """A course page: its assignments as the pupil sees them, or nothing."""
    provide = _provider("course")
    return provide(request, course_page) if provide else {}
