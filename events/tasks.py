"""Background work of events through Django's Tasks API (inline by default, in `db_worker`
processes when TASKS_BACKEND is the database backend)."""

from django_tasks import task

from events import certificates, messages, registering, reminders


@task()
def tell(items: list[list]) -> int:
    """Tell the people concerned about registrations that changed: [[kind, registration id]]."""
    return messages.tell(items)


@task()
def tell_event(kind: str, event_id: int, number: int = 0) -> int:
    """Tell everyone registered for an event of its reminder, a change or its cancellation."""
    return messages.tell_event(kind, event_id, number)


@task()
def run_due() -> int:
    """The periodic work: lapse expired offers and offer their places, the reminders the day
    before, certificates of events just ended; run it from cron every few minutes with
    `manage.py send_event_reminders`."""
    return (
        registering.settle_due()
        + reminders.remind_tomorrow()
        + certificates.issue_for_ended_events()
    )
