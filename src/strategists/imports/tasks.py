"""Large imports run in the background: the task takes an import id and calls the service."""

from django_tasks import task

from strategists.imports.services import import_run


@task()
def run_import(job_id: int) -> str:
    return import_run(job_id=job_id).state
