"""Background work (django-tasks): the daily certificate sweep. Each run queues the next one a day later;
every notice exists at most once (unique key), so a late or doubled run does no harm."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import notices

SWEEP_SECONDS = 24 * 3600


@task()
def sweep_certificates() -> int:
    created = notices.sweep_certificate_notices()
    schedule_sweep(timezone.now() + dt.timedelta(seconds=SWEEP_SECONDS))
    return created


def schedule_sweep(run_after: dt.datetime | None = None) -> None:
    """Make sure one future sweep is queued (called by bootstrap and by each sweep)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        waiting = DBTaskResult.objects.filter(task_path=sweep_certificates.module_path,
                                              status=TaskResultStatus.READY)
        if waiting.exists():
            return
        sweep_certificates.using(run_after=run_after).enqueue()
