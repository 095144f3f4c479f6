"""The registration panel's context for EventPage.get_context (the page stays a description)."""

from events import presenting


def context(event, request) -> dict:
    return presenting.panel_context(event, request.user)
