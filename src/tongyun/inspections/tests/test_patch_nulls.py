"""A JSON null for each field of PATCH /api/v1/inspections/plans/{id}: never a 500 — a null is a field not
sent, and the plan keeps its value."""

from tongyun.inspections.models import InspectionPlan
from tongyun.inspections.tests.test_tasks import task  # noqa: F401


def test_null_in_a_plan_patch_keeps_the_value(task, client, api_as):  # noqa: F811
    plan = task.plan
    before = (plan.name, plan.frequency, plan.mode, plan.rrule, plan.assignee_id)
    for field in ("name", "frequency", "mode", "rrule", "assignee"):
        response = client.patch(f"/api/v1/inspections/plans/{plan.pk}", {field: None},
                                content_type="application/json", headers=api_as("pm"))
        assert response.status_code == 200, (field, response.content)
    plan = InspectionPlan.objects.get(pk=plan.pk)
    assert (plan.name, plan.frequency, plan.mode, plan.rrule, plan.assignee_id) == before
