"""Inspection tasks follow changes made elsewhere: a system's new service start, the bureau's calendar."""

import datetime as dt

import pytest

from tongyun.catalog.services import record_system_change
from tongyun.incidents.services import correct_calendar_day
from tongyun.inspections import services
from tongyun.inspections.models import InspectionPlan, InspectionTask

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def plans(db):
    services.create_plans_from_catalog()      # tasks from today to the end of the service year


@pytest.fixture
def daily_plan():
    plan = InspectionPlan.objects.filter(frequency="working_daily").select_related("system").first() \
        or InspectionPlan.objects.filter(frequency="daily").select_related("system").first()
    assert plan is not None
    return plan


def test_a_later_service_start_removes_the_tasks_before_it(daily_plan, user_of):
    system = daily_plan.system
    new_start = dt.date.today() + dt.timedelta(days=10)
    before = InspectionTask.objects.filter(plan=daily_plan, scheduled_for__gte=dt.date.today(),
                                           scheduled_for__lt=new_start)
    assert before.exists(), "the fixture plan must have tasks in the next ten days"
    record_system_change(user_of("pm"), system, kind="start_date", effective_date=new_start,
                         description="推迟上线")
    assert not before.exists()
    assert InspectionTask.objects.filter(plan=daily_plan, scheduled_for__gte=new_start).exists()


def test_a_calendar_correction_moves_working_day_tasks(user_of):
    plan = InspectionPlan.objects.filter(frequency="working_daily").first()
    if plan is None:
        pytest.skip("no every-working-day plan in the catalog")
    day = InspectionTask.objects.filter(plan=plan, scheduled_for__gt=dt.date.today()).order_by(
        "scheduled_for").values_list("scheduled_for", flat=True).first()
    assert day is not None
    correct_calendar_day(user_of("bureau_admin"), day, False, "临时停工")
    assert not InspectionTask.objects.filter(plan=plan, scheduled_for=day).exists()
