"""The check-in pages for park staff: the list on a phone (static/js/checkin.js keeps the marks
on the phone until the server has them), its JSON, the batch of marks, walk-ins, and the page a
registration's QR code opens. Thin views: events.checkin decides; anyone but park staff gets
404 (the QR page shows them only a neutral note)."""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events import checkin
from events.models import CheckIn, EventPage, Registration
from events.permissions import can_run_event, event_to_run_or_404


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch" or (
        "application/json" in request.headers.get("Accept", "")
    )


def _list_url(event: EventPage) -> str:
    return reverse("events:checkin", args=[event.pk])


def _render_list(request, event: EventPage, *, errors=None, values=None, status: int = 200):
    people = checkin.roster(event)
    context = {
        "event": event,
        "people": people,
        "counts": checkin.counts(people),
        "closed": checkin.closed_reason(event),
        "categories": Registration.Category.choices,
        "errors": errors or {},
        "values": values or {"category": _default_category(event)},
        "batch_limit": min(checkin.MAX_BATCH, 100),
    }
    return render(request, "events/checkin/list.html", context, status=status)


def _default_category(event: EventPage) -> str:
    if event.audience == EventPage.Audience.TEACHERS:
        return Registration.Category.TEACHER
    return Registration.Category.PUPIL


@login_required
@require_GET
def checkin_list(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_to_run_or_404(request.user, event_id)
    return _render_list(request, event)


@login_required
@require_GET
def checkin_data(request: HttpRequest, event_id: int) -> JsonResponse:
    event = event_to_run_or_404(request.user, event_id)
    people = checkin.roster(event)
    return JsonResponse(
        {
            "event": event.pk,
            "people": people,
            "counts": checkin.counts(people),
            "closed": checkin.closed_reason(event),
            "server_time": timezone.now().isoformat(),
        }
    )


def _bad_request(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


def _sync_form(request: HttpRequest, event: EventPage) -> HttpResponse:
    """The list without its script: each person's button posts `mark=in:<id>` or `undo:<id>`."""
    action, _sep, number = request.POST.get("mark", "").partition(":")
    results = checkin.sync(
        event,
        [{"id": str(uuid.uuid4()), "action": action, "registration": number}],
        request.user,
    )
    result = results[0]
    if result["ok"]:
        name = result["person"]["full_name"]
        if result["attended"]:
            messages.success(request, _("%(name)s: came.") % {"name": name})
        else:
            messages.info(request, _("%(name)s: mark undone.") % {"name": name})
        return redirect(f"{_list_url(event)}#person-{result['registration']}")
    messages.error(request, result["error"])
    return redirect(_list_url(event))


@login_required
@require_POST
def checkin_sync(request: HttpRequest, event_id: int) -> HttpResponse:
    """A batch of marks: {"marks": [...], "sent_at": ISO} → {"results": [...], "counts": ...}."""
    event = event_to_run_or_404(request.user, event_id)
    if request.content_type != "application/json":
        return _sync_form(request, event)
    try:
        body = json.loads(request.body or b"null")
    except RequestDataTooBig:
        return _bad_request(_("Too much at once: send the marks in smaller batches."))
    except (ValueError, RecursionError):
        return _bad_request(_("The marks could not be read (not valid JSON)."))
    if isinstance(body, dict):
        marks, sent_at = body.get("marks"), body.get("sent_at")
    else:
        marks, sent_at = body, None
    try:
        results = checkin.sync(
            event, marks, request.user, skew=checkin.clock_skew(sent_at, timezone.now())
        )
    except checkin.CheckInError as error:
        return _bad_request(str(error))
    return JsonResponse(
        {
            "results": results,
            "counts": checkin.summary(event),
            "server_time": timezone.now().isoformat(),
        }
    )


@login_required
@require_POST
def walk_in(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_to_run_or_404(request.user, event_id)
    fields = ("full_name", "school_name", "category", "school_class")
    values = {name: request.POST.get(name, "") for name in fields}
    try:
        registration = checkin.add_walk_in(
            event, by=request.user, marked_at=request.POST.get("at") or None, **values
        )
    except ValidationError as error:
        errors = (
            {name: " ".join(texts) for name, texts in error.message_dict.items()}
            if hasattr(error, "error_dict")
            else {"form": " ".join(error.messages)}
        )
        if _wants_json(request):
            first = next(iter(errors.values()))
            return JsonResponse({"ok": False, "error": first, "errors": errors}, status=400)
        return _render_list(request, event, errors=errors, values=values, status=400)
    person = checkin.entry(registration)
    if _wants_json(request):
        return JsonResponse({"ok": True, "person": person, "counts": checkin.summary(event)})
    messages.success(request, _("%(name)s added: came.") % {"name": registration.full_name})
    return redirect(f"{_list_url(event)}#person-{registration.pk}")


@require_http_methods(["GET", "POST"])
def checkin_code(request: HttpRequest, code: str) -> HttpResponse:
    """Where a registration's QR code points. Staff see who it is and mark them; anyone else
    (the person themself, most often) sees only what to do with the code."""
    registration = checkin.registration_by_code(code)
    if registration is None:
        raise Http404
    event = registration.event
    if not can_run_event(request.user, event):
        if request.method == "POST":
            raise Http404
        return render(request, "events/checkin/code_public.html", {"event": event})
    if request.method == "POST":
        result = checkin.mark(
            registration,
            action=CheckIn.Action.ARRIVED,
            client_id=uuid.uuid4(),
            marked_at=None,
            by=request.user,
        )
        if result.ok:
            messages.success(request, _("%(name)s: came.") % {"name": registration.full_name})
        else:
            messages.error(request, result.error)
        return redirect(request.path)
    context = {
        "registration": registration,
        "event": event,
        "closed": checkin.closed_reason(event),
        "confirmed": registration.status == Registration.Status.CONFIRMED,
    }
    return render(request, "events/checkin/code.html", context)
