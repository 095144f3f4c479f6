"""`manage.py db_worker` is ours (lms replaces django_tasks_db's): it waits and polls again
when the database goes away instead of exiting; bench/rush.py restarts PostgreSQL under it."""

from unittest import mock

from django.core.management import get_commands
from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker as upstream

from lms.management.commands import db_worker


def _worker() -> db_worker.Worker:
    return db_worker.Worker(
        queue_names=["default"], interval=0.1, batch=False, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip


def test_manage_py_db_worker_is_ours():
    assert get_commands()["db_worker"] == "lms"


def test_a_lost_database_is_waited_out_and_polling_goes_on():
    worker = _worker()
    outcomes = [OperationalError("terminating connection"), InterfaceError("closed"), None]

    def parent_run(self):
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    with (
        mock.patch.object(upstream.Worker, "run", parent_run),
        mock.patch.object(db_worker.time, "sleep") as sleep,
    ):
        worker.run()
    assert outcomes == []  # ran three times: two outages, then it ended normally
    assert [call.args[0] for call in sleep.call_args_list] == [1.0, 2.0]  # waits grow


def test_other_errors_still_stop_it():
    worker = _worker()
    with mock.patch.object(upstream.Worker, "run", side_effect=ValueError("a bug")):
        try:
            worker.run()
        except ValueError:
            pass
        else:
            raise AssertionError("a bug must not be retried forever")


def test_the_command_runs_our_worker_and_puts_the_name_back():
    seen = []
    with mock.patch.object(db_worker.Worker, "run", lambda self: seen.append(type(self))):
        db_worker.Command().handle(
            verbosity=0, queue_name="default", interval=0.1, batch=True, backend_name="default",
            startup_delay=False, reload=False, max_tasks=None, worker_id="t", exclude_queues="",
        )  # fmt: skip
    assert seen == [db_worker.Worker]
    assert upstream.Worker is not db_worker.Worker
