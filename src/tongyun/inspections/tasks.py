"""Background work of inspections, through django-tasks (database backend by default: `tongyun db_worker`).

On the 1st of each month (01:00 Asia/Shanghai) the previous month's reports are generated (drafts created,
drafts and returned ones refreshed). The task schedules its next run itself; `tongyun bootstrap` makes
sure one run is queued. A run that comes late (worker down) still generates the previous month of the
moment it runs, and generation is idempotent, so running twice does no harm.
"""

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import services

RUN_HOUR = 1


def previous_month(now: dt.datetime | None = None) -> dt.date:
    today = timezone.localtime(now or timezone.now(), services._shanghai()).date()
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def next_run(now: dt.datetime | None = None) -> dt.datetime:
    """01:00 Asia/Shanghai on the 1st of the next month."""
    today = timezone.localtime(now or timezone.now(), services._shanghai()).date()
    following = services.following_month(today.replace(day=1))
    return dt.datetime(following.year, following.month, 1, RUN_HOUR, tzinfo=services._shanghai())


@task()
def generate_previous_month_reports() -> int:
    """Generate last month's reports and queue next month's run. → reports created or refreshed."""
    outcome = services.generate_monthly_reports(previous_month())
    schedule_monthly_reports()
    return outcome.created + outcome.refreshed


def schedule_monthly_reports(run_after: dt.datetime | None = None) -> bool:
    """Make sure one generation is queued (called by bootstrap and by each run; the running one is no longer
    READY). Any queued one counts, whenever it is due — unlike DBTaskResult.objects.ready(), which leaves
    out the future ones. → whether one was queued now."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return False
    waiting = DBTaskResult.objects.filter(task_path=generate_previous_month_reports.module_path,
                                          status=TaskResultStatus.READY)
    if waiting.exists():
        return False
    generate_previous_month_reports.using(run_after=run_after or next_run()).enqueue()
    return True
