"""Background work of monitoring, through django-tasks (database backend: `tongyun db_worker`)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import checks


@task()
def run_checks() -> dict:
    """One round of the built-in checks, then schedule the next one (TONGYUN_CHECK_ROUND_SECONDS after this
    one started; at once when the round took longer). Two rounds at once do no harm: a check just run is
    not due, and each state change is recorded once (events are unique)."""
    started = timezone.now()
    try:
        return checks.run_round(started)
    finally:
        schedule_checks(started + dt.timedelta(seconds=settings.TONGYUN_CHECK_ROUND_SECONDS))


def schedule_checks(run_after: dt.datetime | None = None) -> None:
    """Make sure one future check round is queued (called by bootstrap and by each round)."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        # any queued round, due or deferred (`.ready()` would leave out the deferred one: a second chain)
        if DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=run_checks.module_path).exists():
            return
        run_checks.using(run_after=run_after).enqueue()
