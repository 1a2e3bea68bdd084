"""Background work, through django-tasks (database backend by default: `tongyun db_worker`)."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import services


@task()
def deliver_notifications() -> int:
    return services.deliver_pending()


@task()
def sweep_sla_clocks() -> int:
    """Sweep the clocks, deliver, and schedule the next sweep. A missed hour is caught up by the next
    run; two sweeps at once do no harm (notifications are unique)."""
    created = services.sweep_clocks()
    services.deliver_pending()
    schedule_sweep(timezone.now() + dt.timedelta(seconds=settings.TONGYUN_SLA_SWEEP_SECONDS))
    return created


def schedule_sweep(run_after: dt.datetime | None = None) -> None:
    """Make sure one future sweep is queued (called by bootstrap and by each sweep)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        # any queued sweep counts, whenever it is due (.ready() would miss those queued for later)
        waiting = DBTaskResult.objects.filter(task_path=sweep_sla_clocks.module_path, status=TaskResultStatus.READY)
        if waiting.exists():
            return
        sweep_sla_clocks.using(run_after=run_after).enqueue()
