"""The person's own notifications: the list (opening it marks them read)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments import notifications
from assessments.models import Notification

SHOWN = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    items = list(Notification.objects.filter(user=request.user)[:SHOWN])
    unread = {item.pk for item in items if item.read_at is None}
    notifications.mark_all_read(request.user)
    return render(request, "assessments/notifications.html", {"items": items, "unread": unread})
