from events.models.certificates import Certificate
from events.models.pages import EventIndexPage, EventPage
from events.models.registrations import CheckIn, EventState, Registration

__all__ = ["Certificate", "CheckIn", "EventIndexPage", "EventPage", "EventState", "Registration"]
