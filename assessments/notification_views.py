"""The person's own notifications: the list (opening it marks them read)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import notifications

SHOWN = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items, unread = notifications.inbox(request.user, SHOWN)
    return render(request, "assessments/notifications.html", {"items": items, "unread": unread})
