"""The worker opens the previous month's evaluations on the 1st (contracts.tasks)."""

import datetime as dt
from zoneinfo import ZoneInfo

from tongyun.contracts import evaluations, tasks
from tongyun.contracts.models import Evaluation
from tongyun.contracts.tests.test_money import in_force, setup  # noqa: F401

SH = ZoneInfo("Asia/Shanghai")


def test_the_monthly_run_opens_last_month_once_and_queues_the_next(setup, settings):  # noqa: F811
    s = setup
    in_force(s)
    assert tasks.previous_month(dt.datetime(2026, 4, 1, 2, 0, tzinfo=SH)) == dt.date(2026, 3, 1)
    assert tasks.previous_month(dt.datetime(2026, 1, 1, 0, 30, tzinfo=SH)) == dt.date(2025, 12, 1)
    assert tasks.next_run(dt.datetime(2026, 12, 15, tzinfo=SH)) == dt.datetime(2027, 1, 1, 2, tzinfo=SH)

    # a unit that opened March itself is left alone; every other unit gets March
    own = evaluations.prefill(s["unit"], s["system"].unit, dt.date(2026, 3, 1))
    opened = tasks.open_previous_month(dt.datetime(2026, 4, 1, 2, 0, tzinfo=SH))
    march = Evaluation.objects.filter(month=dt.date(2026, 3, 1))
    assert opened == march.count() - 1 > 50
    assert march.filter(unit=s["system"].unit).get() == own
    assert all(e.created_by.username == "bureau_admin" for e in march.exclude(pk=own.pk))
    # the pre-filled items come from the memorandum in force (the unit's system)
    assert own.items.filter(system=s["system"]).exists()
    assert tasks.open_previous_month(dt.datetime(2026, 4, 1, 3, 0, tzinfo=SH)) == 0  # twice does no harm

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    assert tasks.schedule_monthly_evaluations() is True
    assert tasks.schedule_monthly_evaluations() is False  # one queued is enough
    queued = DBTaskResult.objects.get(task_path=tasks.open_monthly_evaluations.module_path)
    assert queued.run_after == tasks.next_run()
    DBTaskResult.objects.all().delete()
    tasks.open_monthly_evaluations.call()  # the run itself queues the next one
    assert DBTaskResult.objects.filter(task_path=tasks.open_monthly_evaluations.module_path).count() == 1
