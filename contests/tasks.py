"""Background work of contests (Django's Tasks API, as assessments/programming/tasks.py):
judging a run. With the inline backend (make run) it runs at once, still in the sandbox; with
the database backend, in `manage.py db_worker`."""

from django_tasks import task


@task()
def judge_run(run_id: int) -> bool:
    from contests import judging

    judging.requeue_stale()
    return judging.judge_run(run_id)
