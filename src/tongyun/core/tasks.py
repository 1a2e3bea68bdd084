"""Background work of the core (django-tasks, `tongyun db_worker`): large Excel imports (core/imports.py) and the
district overview's figures.

Every TONGYUN_OVERVIEW_REFRESH_SECONDS the worker recomputes the expensive district figures
(tongyun.core.snapshots) and queues its next run itself; `tongyun bootstrap` makes sure one is queued. A late
or doubled run does no harm: it overwrites the snapshot with fresher figures."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import snapshots


@task()
def refresh_overview() -> int:
    """Recompute and store the district figures, then queue the next run. → how many languages were stored."""
    rows = snapshots.refresh()
    schedule_overview(timezone.now() + dt.timedelta(seconds=settings.TONGYUN_OVERVIEW_REFRESH_SECONDS))
    return len(rows)


def schedule_overview(run_after: dt.datetime | None = None) -> bool:
    """Make sure one run is queued (bootstrap and each run call it). → whether one was queued now."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    # any queued run counts, whenever it is due (.ready() would miss those queued for later)
    if DBTaskResult.objects.filter(task_path=refresh_overview.module_path, status=TaskResultStatus.READY).exists():
        return False
    refresh_overview.using(run_after=run_after).enqueue()
    return True


@task()
def run_import(job_id: int) -> str:
    """Import one uploaded workbook (core/imports.py). → the job's final state."""
    from tongyun.core.imports import run_job

    return run_job(job_id)
