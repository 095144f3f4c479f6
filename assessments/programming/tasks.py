"""Background work of programming exercises (Django's Tasks API): judging a submission, a run
that is not counted, and a problem's reference solutions. With the inline backend (make run)
they run at once, still in the sandbox; with the database backend, in `manage.py db_worker`."""

from django_tasks import task


@task()
def judge_submission(code_submission_id: int) -> bool:
    from assessments.programming import judging

    judging.requeue_stale()
    return judging.judge_submission(code_submission_id)


@task()
def run_code(run_id: int) -> bool:
    from assessments.programming import runs

    return runs.perform(run_id)


@task()
def check_reference(problem_id: int) -> str:
    from assessments.programming import authoring

    return authoring.check_reference(problem_id).reference
