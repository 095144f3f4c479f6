"""`manage.py db_worker` (django_tasks_db's, which this one replaces: `lms` comes first in
INSTALLED_APPS), made to outlive a database restart.

django_tasks_db's worker exits on the first database error that is not a lock: a PostgreSQL
restart or fail-over would stop every worker until someone starts them again, and the pupils'
programs would wait in the queue. This one closes its connections, waits (1, 2, 4 … 30 s) and
goes on polling; SIGTERM still stops it at once between tasks. A task that was running when
the database went away stays claimed in the queue: judging takes such submissions back by
itself (assessments.programming.judging.requeue_stale, `manage.py requeue_judging`)."""

from __future__ import annotations

import logging
import time

from django.db import InterfaceError, OperationalError, connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("django_tasks_db")

DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
MAX_WAIT_SECONDS = 30.0
HEALTHY_SECONDS = 60.0  # a run this long was healthy: the next outage starts the waits again


class Worker(db_worker.Worker):
    def run(self) -> None:
        wait = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return  # --batch or --max-tasks ended it
            except DATABASE_UNAVAILABLE as exc:
                if time.monotonic() - started > HEALTHY_SECONDS:
                    wait = 1.0
                logger.warning("Database unavailable (%s); polling again in %.0f s", exc, wait)
                self._forget_connections()
                time.sleep(wait)
                wait = min(wait * 2, MAX_WAIT_SECONDS)

    @staticmethod
    def _forget_connections() -> None:
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except DATABASE_UNAVAILABLE:
                connection.connection = None  # already gone: open a new one next time


class Command(db_worker.Command):
    help = db_worker.Command.help + " Outlives a database restart (waits and polls again)."

    def handle(self, *args, **options) -> None:
        # The parent's handle builds its Worker by this module-level name: ours, for this run.
        original = db_worker.Worker
        db_worker.Worker = Worker
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original
