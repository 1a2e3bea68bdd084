"""Background work (django-tasks): the reminder sweep — expiring items entering their lead times,
findings past their deadline, duties past their due day. Each run queues the next one an hour later;
every reminder exists at most once (unique key), so a late or doubled run does no harm."""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import duties, obligations, services

SWEEP_SECONDS = 3600


def sweep(now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    return {"expiring": obligations.sweep_expiry_reminders(today),
            "findings": services.sweep_overdue_findings(now),
            "duties": duties.sweep_overdue_duties(today)}


@task()
def sweep_security_reminders() -> dict:
    created = sweep()
    schedule_sweep(timezone.now() + dt.timedelta(seconds=SWEEP_SECONDS))
    return created


def schedule_sweep(run_after: dt.datetime | None = None) -> None:
    """Make sure one future sweep is queued (called by bootstrap and by each sweep)."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        waiting = DBTaskResult.objects.filter(task_path=sweep_security_reminders.module_path,
                                              status=TaskResultStatus.READY)
        if waiting.exists():
            return
        sweep_security_reminders.using(run_after=run_after).enqueue()


def seed_from_tender(year: int = 2026) -> dict:
    """The MLPS register, the tender's expiring items and its recurring duties (idempotent)."""
    return {"mlps": services.seed_mlps_register(), "items": obligations.seed_tender_items(),
            "duties": duties.seed_tender_duties(year)}


def after_catalog_loaded() -> str:
    """Hook "tender_catalog_loaded" (tongyun bootstrap): seed, and keep one sweep queued."""
    created = seed_from_tender()
    schedule_sweep()
    return f"security: {created} created from the tender"
