"""Background work of the contract (django-tasks, database backend: `tongyun db_worker`).

On the 1st of each month at 02:00 Asia/Shanghai (after the inspections' 01:00 run) the worker opens the
previous month's evaluations for every unit: the same pre-fill as the bureau's "open the month"
(evaluations.prefill_units), acting for the bureau administrator (recorded as the creator). A month is
evaluated once it is over, when its facts are complete. Units that already opened the month themselves are
left alone, so a late or doubled run does no harm. The task queues its next run itself; `tongyun bootstrap`
(hook "tender_catalog_loaded") makes sure one is queued.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from tongyun.incidents.compliance import SHANGHAI

RUN_HOUR = 2


def previous_month(now: dt.datetime | None = None) -> dt.date:
    today = timezone.localtime(now or timezone.now(), SHANGHAI).date()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """02:00 Asia/Shanghai on the 1st of the next month."""
    today = timezone.localtime(now or timezone.now(), SHANGHAI).date()
    return dt.datetime(today.year + today.month // 12, today.month % 12 + 1, 1, RUN_HOUR, tzinfo=SHANGHAI)


def open_previous_month(now: dt.datetime | None = None) -> int:
    """Open last month's evaluations for the units that have not yet. → evaluations created."""
    from . import evaluations

    return len(evaluations.open_month(previous_month(now)))


@task()
def open_monthly_evaluations() -> int:
    opened = open_previous_month()
    schedule_monthly_evaluations()
    return opened


def schedule_monthly_evaluations(run_after: dt.datetime | None = None) -> bool:
    """Make sure one run is queued (bootstrap and each run). → whether one was queued now."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    if DBTaskResult.objects.filter(task_path=open_monthly_evaluations.module_path,
                                   status=TaskResultStatus.READY).exists():
        return False
    open_monthly_evaluations.using(run_after=run_after or next_run()).enqueue()
    return True


def after_catalog_loaded() -> str:
    """Hook "tender_catalog_loaded" (tongyun bootstrap): keep one monthly run queued."""
    queued = schedule_monthly_evaluations()
    return "contracts: monthly evaluation run " + ("queued" if queued else "already queued")
