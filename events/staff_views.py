"""The organisers' list of an event's registrations: counts, the waiting list in order,
moderation, cancelling on someone's behalf, and the list as CSV. Park staff only (404 else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import permissions, registering
from events.models import Registration
from events.registering import Refused
from lms.roster_files import write_csv

Status = Registration.Status
ORDER = [
    Status.PENDING,
    Status.CONFIRMED,
    Status.OFFERED,
    Status.WAITING,
    Status.UNCONFIRMED,
    Status.CANCELLED,
    Status.REJECTED,
    Status.EXPIRED,
]


@login_required
def manage(request: HttpRequest, event_id: int) -> HttpResponse:
    event = permissions.event_to_run_or_404(request.user, event_id)
    rows = list(
        Registration.objects.filter(event=event)
        .select_related("registered_by")
        .order_by("created_at", "pk")
    )
    if request.GET.get("format") == "csv":
        return _csv(event, rows)
    sections = [
        {
            "status": status,
            "label": Status(status).label,
            "rows": [r for r in rows if r.status == status],
        }
        for status in ORDER
    ]
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "page": event,
            "sections": [s for s in sections if s["rows"]],
            "places_left": registering.places_left(event),
            "came": sum(1 for r in rows if r.attended_at),
            "total_active": sum(1 for r in rows if r.status == Status.CONFIRMED),
        },
    )


def _csv(event, rows: list[Registration]) -> HttpResponse:
    header = [
        _("Name"),
        _("School"),
        _("Category"),
        _("Class"),
        _("Status"),
        _("How registered"),
        _("Registered by"),
        _("Registered"),
        _("Came"),
    ]
    lines = [
        [
            row.full_name,
            row.school_name,
            row.get_category_display(),
            str(row.school_class or ""),
            row.get_status_display(),
            row.get_source_display(),
            str(row.registered_by or ""),
            _local(row.created_at),
            _local(row.attended_at) if row.attended_at else "",
        ]
        for row in rows
    ]
    response = HttpResponse(write_csv(header, lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="event-{event.pk}-registrations.csv"'
    return response


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


STAFF_ACTIONS = {
    "approve": lambda r, note: registering.approve(r),
    "reject": lambda r, note: registering.reject(r, note=note),
    "cancel": lambda r, note: registering.cancel(r, by_staff=True),
}


@login_required
@require_POST
def moderate(request: HttpRequest, event_id: int, registration_id: int, action: str):
    event = permissions.event_to_run_or_404(request.user, event_id)
    if action not in STAFF_ACTIONS:
        raise Http404
    item = Registration.objects.filter(event=event, pk=registration_id).first()
    if item is None:
        raise Http404
    try:
        item = STAFF_ACTIONS[action](item, request.POST.get("note", ""))
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": item.full_name, "status": item.get_status_display()},
        )
    return redirect("events:manage", event.pk)
