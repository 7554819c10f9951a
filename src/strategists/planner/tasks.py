"""Plans run in the background: the task takes a run id and calls the planning service."""

from django_tasks import task

from strategists.planner.services import run_execute


@task()
def plan_year(run_id: int) -> str:
    return run_execute(run_id=run_id).status
