"""iCal downloads: one event ("add to calendar") and the feed one subscribes to."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from events import ical, listing
from events.models import EventPage


def _calendar_response(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _page_url(request: HttpRequest, event: EventPage) -> str:
    # An event outside every site has no page URL; its download link still names it.
    return event.get_full_url(request) or request.build_absolute_uri(
        reverse("events:ical", args=[event.pk])
    )


@require_safe
def event_ics(request: HttpRequest, event_id: int) -> HttpResponse:
    """One published, public event; a draft or a private one answers 404."""
    event = listing.visible_events().filter(pk=event_id).first()
    if event is None:
        raise Http404
    return _calendar_response(
        ical.event_ical(event, _page_url(request, event)), f"event-{event.pk}.ics"
    )


@require_safe
def feed_ics(request: HttpRequest) -> HttpResponse:
    """Upcoming and recent events for the audience, class and track in the query string."""
    events = listing.feed_events(listing.parse_filters(request.GET))
    body = ical.feed_ical([(event, _page_url(request, event)) for event in events])
    return _calendar_response(body, "events.ics")
