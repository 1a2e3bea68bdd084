"""Background work of the report engine, through django-tasks (`tongyun db_worker`).

Every day at 01:00 Asia/Shanghai: the drafts due (the 1st of the month: last month's monthly reports; the
1st of a quarter: last quarter's; the first day of a quarter's last month: the running quarter's reports
due inside it, row 13) and the reminders. The task queues its next run itself; `tongyun bootstrap` makes
sure one is queued. Generation and reminders are idempotent, so a late or repeated run does no harm.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import reminders, services

SHANGHAI = ZoneInfo("Asia/Shanghai")
RUN_HOUR = 1


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """01:00 Asia/Shanghai of the next day."""
    today = timezone.localtime(now or timezone.now(), SHANGHAI).date()
    following = today + dt.timedelta(days=1)
    return dt.datetime(following.year, following.month, following.day, RUN_HOUR, tzinfo=SHANGHAI)


@task()
def daily_reports() -> int:
    """Generate the drafts due today and send the reminders; queue tomorrow's run. → drafts created."""
    outcome = services.generate_due()
    reminders.remind()
    schedule_daily_reports()
    return outcome.created


def schedule_daily_reports(run_after: dt.datetime | None = None) -> bool:
    """Make sure one run is queued (bootstrap and each run call it). → whether one was queued now."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    if DBTaskResult.objects.filter(task_path=daily_reports.module_path, status=TaskResultStatus.READY).exists():
        return False
    daily_reports.using(run_after=run_after or next_run()).enqueue()
    return True
