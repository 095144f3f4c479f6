"""A refusal the person should read: a PermissionDenied whose message is translated text for
the user (the 403 page shows it), unlike Django's own, whose text is for developers."""

from django.core.exceptions import PermissionDenied


class ExplainedRefusal(PermissionDenied):
    """Raise with a translated, user-facing reason; lms.views.permission_denied shows it."""
