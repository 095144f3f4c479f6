"""The person's own notifications: the list, and marking them read (by POST: the page's script
sends it as soon as the list is shown, and the button does without script)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from assessments import notifications

SHOWN = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items, unread = notifications.inbox(request.user, SHOWN)
    newest = items[0].pk if items else None
    return render(
        request,
        "assessments/notifications.html",
        {"items": items, "unread": unread, "newest": newest},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    try:
        up_to = int(request.POST.get("up_to", ""))
    except ValueError:
        up_to = None  # no number: everything unread so far
    notifications.mark_all_read(request.user, up_to)
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    return redirect("assessments:notifications")
