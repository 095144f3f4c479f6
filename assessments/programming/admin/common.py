"""Pieces the problems' admin views share: the guard, the languages' package settings, the
reference report as the pages show it, and the once-only token of the create form."""

from __future__ import annotations

import uuid
from functools import wraps

from django.core.cache import cache
from django.http import Http404
from django.utils.translation import gettext as _

from assessments.programming import permissions
from assessments.programming.models import Problem, ProgrammingLanguage
from assessments.programming.spec import Verdict


def authors_only(view):
    """The problems' screens exist only for those who may author (404 for everyone else)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not permissions.may_use_problems(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def package_languages() -> tuple[list[str], dict[str, str]]:
    """The enabled languages' codes, and which file extension is which (for read_package)."""
    rows = list(ProgrammingLanguage.objects.filter(is_enabled=True))
    extensions = {
        (ext if ext.startswith(".") else f".{ext}").lower(): row.code
        for row in rows
        for ext in row.extensions
    }
    return [row.code for row in rows], extensions


def reference_rows(problem: Problem) -> list[dict]:
    """The last reference check per language, with the language's name and a verdict label."""
    names = dict(ProgrammingLanguage.objects.values_list("code", "name"))
    labels = {str(v): str(label) for v, label in _verdict_labels()}
    rows = []
    for entry in problem.reference_report or []:
        if not isinstance(entry, dict):
            continue
        verdict = str(entry.get("verdict", ""))
        rows.append(
            {
                "language": names.get(entry.get("language"), entry.get("language", "")),
                "verdict": verdict,
                "verdict_label": labels.get(verdict, verdict),
                "ok": verdict == Verdict.OK,
                "failed_tests": entry.get("failed_tests") or [],
                "max_time_s": entry.get("max_time_s") or 0,
                "message": entry.get("message") or "",
            }
        )
    return rows


def _verdict_labels():
    from assessments.programming.models.judging import VERDICTS

    return VERDICTS


# --- The create form's token: a second submit of the same form opens the first problem ------

_TOKEN_TTL = 6 * 3600
_PENDING = 0


def new_token() -> str:
    return uuid.uuid4().hex


def _key(user_id: int, token: str) -> str:
    return f"programming:create:{user_id}:{token}"


def claim_token(user_id: int, token: str) -> tuple[bool, int | None]:
    """(True, None) for a first submit; else (False, the problem it made or None while the
    first is still being saved). A token that is not ours (or none) is always a first submit."""
    if not (token and len(token) == 32 and token.isalnum()):
        return True, None
    if cache.add(_key(user_id, token), _PENDING, _TOKEN_TTL):
        return True, None
    return False, cache.get(_key(user_id, token)) or None


def settle_token(user_id: int, token: str, problem_id: int | None) -> None:
    """Record what the submit made; None: it failed, so the form may be sent again."""
    if not (token and len(token) == 32 and token.isalnum()):
        return
    if problem_id is None:
        cache.delete(_key(user_id, token))
    else:
        cache.set(_key(user_id, token), problem_id, _TOKEN_TTL)


def status_label(problem: Problem) -> str:
    return {
        Problem.Reference.PASSED: _("passed"),
        Problem.Reference.FAILED: _("failed"),
    }.get(problem.reference, _("not checked"))
