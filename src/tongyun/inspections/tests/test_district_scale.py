"""Inspections at district scale: day counts in the calendar, filters, bulk assignment, default inspector."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tongyun.catalog.models import Assignment, System
from tongyun.inspections import selectors, services
from tongyun.inspections.choices import TaskState
from tongyun.inspections.models import InspectionPlan, InspectionTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_day(db):
    """122 tasks on one day (one per system, as the district had it), a few done and a few overdue."""
    today = timezone.localdate()
    systems = list(System.objects.order_by("row_no")[:122])
    tasks = []
    for n, system in enumerate(systems):
        plan = InspectionPlan.objects.create(system=system, name="月度巡检", frequency="monthly")
        state = TaskState.DONE if n < 10 else TaskState.PENDING
        due = today - dt.timedelta(days=1) if 10 <= n < 15 else today + dt.timedelta(days=5)
        tasks.append(InspectionTask(plan=plan, system=system, scheduled_for=today, due_date=due, state=state))
    return InspectionTask.objects.bulk_create(tasks)


def test_calendar_cell_counts_by_state_and_links_to_the_day(busy_day, client_as, user_of):
    today = timezone.localdate()
    weeks = selectors.month_grid(user_of("dispatcher"), today.replace(day=1))
    cell = next(d for w in weeks for d in w if d["date"] == today)
    assert cell["counts"] == {"total": 122, "done": 10, "missed": 5, "in_progress": 0, "pending": 107}
    page = client_as("dispatcher").get(reverse("inspections:calendar")).content.decode()
    assert f"date_from={today:%Y-%m-%d}&amp;date_to={today:%Y-%m-%d}" in page
    assert "122 项" in page and page.count('class="task ') == 0  # counts, not 122 links
    # the day's list, filtered by unit, keeps only that unit's tasks
    unit = busy_day[0].system.unit
    listed = client_as("dispatcher").get(reverse("inspections:task_list"), {
        "date_from": f"{today}", "date_to": f"{today}", "unit": unit.pk},
        headers={"HX-Request": "true"}).content.decode()
    assert busy_day[0].system.name in listed
    other = next(t for t in busy_day if t.system.unit_id != unit.pk)
    assert other.system.name not in listed


def test_a_unit_user_counts_only_their_tasks(busy_day, user_of):
    today = timezone.localdate()
    user = user_of("unit_admin_education")
    weeks = selectors.month_grid(user, today.replace(day=1))
    cell = next(d for w in weeks for d in w if d["date"] == today)
    mine = sum(1 for t in busy_day if t.system.unit_id == user.organisation_id)
    assert 0 < cell["counts"]["total"] == mine < 122


def test_bulk_assignment(busy_day, user_of, client_as):
    engineer, dispatcher = user_of("engineer"), user_of("dispatcher")
    picked = [t.pk for t in busy_day[10:20]]
    assert services.assign_tasks(dispatcher, picked, engineer) == 10
    assert set(InspectionTask.objects.filter(pk__in=picked).values_list("assignee", flat=True)) == {engineer.pk}
    assert Assignment.objects.filter(user=engineer, system=busy_day[12].system).exists()
    with pytest.raises(ValidationError) as refused:  # a done task refuses the whole batch
        services.assign_tasks(dispatcher, [busy_day[0].pk, busy_day[30].pk], user_of("onsite"))
    assert "tasks" in refused.value.message_dict
    assert InspectionTask.objects.get(pk=busy_day[30].pk).assignee_id is None
    with pytest.raises(ValidationError) as refused:
        services.assign_tasks(dispatcher, [busy_day[30].pk], user_of("security"))
    assert "inspector" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.assign_tasks(engineer, [busy_day[30].pk], engineer)
    # through the page: check boxes + one inspector
    response = client_as("dispatcher").post(reverse("inspections:task_assign"), {
        "tasks": [busy_day[40].pk, busy_day[41].pk], "inspector": user_of("onsite").pk, "back": "state=pending"})
    assert response.status_code == 302 and response["Location"].endswith("?state=pending")
    assert InspectionTask.objects.get(pk=busy_day[41].pk).assignee == user_of("onsite")
    page = client_as("dispatcher").get(reverse("inspections:task_list")).content.decode()
    assert 'data-testid="bulk-assign"' in page and 'name="tasks"' in page
    unit_page = client_as("unit_admin").get(reverse("inspections:task_list")).content.decode()
    assert 'data-testid="bulk-assign"' not in unit_page


def test_foreign_task_ids_refuse_the_assignment(busy_day, user_of):
    # a unit admin may not assign at all; a dispatcher sees every task, so a bogus id stands for a foreign one
    with pytest.raises(ValidationError) as refused:
        services.assign_tasks(user_of("dispatcher"), [busy_day[50].pk, 10**9], user_of("engineer"))
    assert "10" in refused.value.message_dict["tasks"][0]
    assert InspectionTask.objects.get(pk=busy_day[50].pk).assignee_id is None


def test_generated_tasks_default_to_the_systems_assigned_staff(user_of):
    engineer = user_of("engineer")
    system = System.objects.filter(assignments__user=engineer).order_by("row_no").first()
    plan = InspectionPlan.objects.create(system=system, name="每月巡检", frequency="monthly",
                                         rrule="FREQ=MONTHLY;BYMONTHDAY=1")
    services.generate_tasks(plan, today=dt.date(2026, 1, 1))
    assignees = set(plan.tasks.values_list("assignee", flat=True))
    assert assignees == {services.default_inspectors([system.pk])[system.pk]}
    assert None not in assignees
