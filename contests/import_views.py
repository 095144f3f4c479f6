"""The jury's import page (/contests/<slug>/import/): upload a results file, see what would be
imported (counts, the first rows, every problem with its line), then confirm. Organisers only.

The upload is refused before its body is read when the request says it is too large, and read
into memory only up to the limit (assessments.quiz's CappedUpload). Between the preview and the
confirmation the file waits in the cache (Redis with several web nodes; never a file under
MEDIA_ROOT) under a random token bound to the user and the contest, for TTL_SECONDS; confirming
takes it out, so a double post imports once, and it is checked again as it is written."""

from __future__ import annotations

import re
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from assessments.quiz.admin.import_views import CappedUpload
from contests import importing, permissions
from contests.import_forms import TOKEN_PATTERN, ConfirmForm, UploadForm, megabytes
from contests.models import Contest

TTL_SECONDS = 30 * 60
FORM_SLACK = 64 * 1024  # the form's other fields and the multipart framing
NEW_NAMES_SHOWN = 30
_TOKEN = re.compile(TOKEN_PATTERN)


# --- The checked file, kept between the preview and the confirmation -------------------------


def _key(user_id: int, contest_id: int, token: str) -> str:
    return f"contests-import:{user_id}:{contest_id}:{token}"


def keep(user_id: int, contest_id: int, payload: dict) -> str:
    token = secrets.token_urlsafe(24)
    cache.set(_key(user_id, contest_id, token), payload, TTL_SECONDS)
    return token


def take(user_id: int, contest_id: int, token: str) -> dict | None:
    """The payload, once: of two requests racing for it, only the one whose delete removed
    the key gets it."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    key = _key(user_id, contest_id, token)
    payload = cache.get(key)
    if not isinstance(payload, dict) or not cache.delete(key):
        return None
    return payload


# --- The page ---------------------------------------------------------------------------------


def _too_large() -> str:
    return _("The file is too large: at most %(max)d MB.") % {"max": megabytes()}


def _page(
    request: HttpRequest,
    contest: Contest,
    form: UploadForm,
    *,
    plan: importing.Plan | None = None,
    file_error: str = "",
    token: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "contest": contest,
        "form": form,
        "plan": plan,
        "file_error": file_error,
        "confirm": ConfirmForm(initial={"token": token}) if token else None,
        "preview": plan.runs[: importing.PREVIEW_ROWS] if plan else [],
        "new_names": plan.new_participants[:NEW_NAMES_SHOWN] if plan else [],
        "ioi": contest.rules == Contest.Rules.IOI,
        "ttl_minutes": TTL_SECONDS // 60,
    }
    return render(request, "contests/import_runs.html", context, status=status)


@csrf_exempt  # checked in _posted, after the size: the token is in the body
@require_http_methods(["GET", "POST"])
@login_required
def import_runs(request: HttpRequest, slug: str) -> HttpResponse:
    contest = permissions.organised_contest_or_404(request.user, slug)
    if request.method == "GET":
        return csrf_protect(_shown)(request, contest)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > importing.max_bytes() + FORM_SLACK:  # refused before the body is read
        return _page(request, contest, UploadForm(), file_error=_too_large(), status=413)
    handler = CappedUpload(request, importing.max_bytes())
    try:
        request.upload_handlers = [handler]
    except AttributeError:  # the body was read already (by a middleware): checked below
        handler = None
    return csrf_protect(_posted)(request, contest, handler)


def _shown(request: HttpRequest, contest: Contest) -> HttpResponse:
    return _page(request, contest, UploadForm())


def _posted(request: HttpRequest, contest: Contest, handler: CappedUpload | None) -> HttpResponse:
    if request.POST.get("step") == "confirm":
        return _confirmed(request, contest)
    form = UploadForm(request.POST, request.FILES)
    if handler is not None and handler.too_large:
        return _page(request, contest, UploadForm(), file_error=_too_large(), status=413)
    if not form.is_valid():
        return _page(request, contest, form)
    data = form.cleaned_data["file"].read()
    create = form.cleaned_data["create_participants"]
    try:
        results = importing.read(data)
    except importing.ImportFileError as error:
        return _page(request, contest, form, file_error=str(error))
    plan = importing.check(contest, results, create_participants=create)
    token = ""
    if plan.ok and plan.runs:
        token = keep(request.user.pk, contest.pk, {"data": data, "create": create})
    return _page(request, contest, form, plan=plan, token=token)


def _confirmed(request: HttpRequest, contest: Contest) -> HttpResponse:
    payload = take(request.user.pk, contest.pk, request.POST.get("token", ""))
    if payload is None:
        messages.error(
            request,
            _(
                "The checked file is no longer kept (it waits %(minutes)d minutes and is "
                "imported once): upload it again to see what it would add."
            )
            % {"minutes": TTL_SECONDS // 60},
        )
        return redirect("contests:import_runs", contest.slug)
    try:
        results = importing.read(payload["data"])
    except importing.ImportFileError as error:  # not after a good preview; say so anyway
        return _page(request, contest, UploadForm(), file_error=str(error))
    plan = importing.import_runs(contest, results, create_participants=bool(payload["create"]))
    if not plan.ok:  # the contest changed since the preview
        return _page(request, contest, UploadForm(), plan=plan)
    messages.success(request, summary(plan))
    return redirect("contests:import_runs", contest.slug)


def summary(plan: importing.Plan) -> str:
    return _(
        "Imported. Runs added: %(runs)d; participants added: %(participants)d; rows imported "
        "before: %(already)d; repeated rows skipped: %(duplicates)d."
    ) % {
        "runs": plan.added,
        "participants": len(plan.new_participants),
        "already": plan.already_imported,
        "duplicates": plan.duplicates,
    }
