"""Background work of the core mechanisms, through django-tasks (`tongyun db_worker`)."""

from django_tasks import task


@task()
def run_import(job_id: int) -> str:
    """Import one uploaded workbook (core/imports.py). → the job's final state."""
    from tongyun.core.imports import run_job

    return run_job(job_id)
