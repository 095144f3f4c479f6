"""Small pieces the bank's views share: addresses, the preview of a question as a pupil sees
it, and the guard every view starts with."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from assessments.quiz import marking
from assessments.quiz import permissions as quiz_permissions
from assessments.quiz.admin.banks import Bank
from assessments.quiz.rendering import QuestionView, question_view
from assessments.quiz.spec import QuestionSpec


def authors_only(view):
    """The bank's screens exist only for those who may author (404 for everyone else)."""

    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not quiz_permissions.may_use_question_banks(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return guarded


def bank_url(bank: Bank, category_id: int | None = None, **params) -> str:
    query = {"bank": bank.key}
    if category_id is not None:
        query["category"] = category_id
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return f"{reverse('quiz_admin:index')}?{urlencode(query)}"


def with_bank(url: str, bank: Bank, **params) -> str:
    query = {"bank": bank.key, **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{url}?{urlencode(query)}"


def id_or_none(value) -> int | None:
    """A positive id from a query string, or None for anything else."""
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 0 < len(value) <= 18:
        return int(value)
    return None


def preview_document(views: list[QuestionView]) -> str:
    """Questions exactly as the pupil's attempt page shows them (the same include and the
    site's stylesheet), as a document for a sandboxed frame: the site's styles stay off the
    admin's, and nothing in it can run a script or send a form."""
    return render_to_string(
        "quiz/admin/preview_document.html", {"questions": views, "lang": get_language()}
    )


def preview(spec: QuestionSpec) -> dict:
    """One question's preview, and its right answer as the review states it."""
    return {
        "document": preview_document([question_view(1, spec, None, None)]),
        "right_answer": marking.right_answer_summary(spec),
    }
