"""Background work through Django's Tasks API (the django-tasks backport): inline by default,
in `manage.py db_worker` processes when TASKS_BACKEND is django_tasks_db.DatabaseBackend."""

from django_tasks import task

from assessments import notifications


@task()
def notify(kind: str, subject_id: int) -> int:
    """Tell the people concerned about one event; returns how many were newly told."""
    return notifications.deliver(notifications.messages_for(kind, subject_id))


@task()
def remind_due_soon() -> int:
    """The day-before reminders; run it from cron with `manage.py send_due_reminders`."""
    return notifications.deliver(notifications.due_soon_messages())
