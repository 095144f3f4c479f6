"""What every page's header needs from assessments: the number of unread notifications on
the 🔔. A callable, so a page that does not show the bell asks nothing; the count is cached per
person and dropped whenever a notification is delivered or marked read
(assessments.notifications), so a page costs no query for it once warm."""

from assessments import notifications as notices


def notifications(request) -> dict:
    return {"unread_notifications": lambda: notices.unread_count(request.user)}
