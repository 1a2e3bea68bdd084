"""A JSON null for each field of the contracts' PATCH bodies (adjustments, memoranda, evaluation items): never a
500 — a 422 naming the field, or the null's documented meaning (clear a nullable value, keep the others)."""

import datetime as dt

from tongyun.catalog import services as catalog_services
from tongyun.contracts.models import EvaluationItem, FeeAdjustment, Memorandum
from tongyun.contracts.tests.test_money import in_force, incident, setup  # noqa: F401


def patch(client, path, headers, body):
    return client.patch(f"/api/v1/contracts{path}", body, content_type="application/json", headers=headers)


def named(response, field: str) -> bool:
    return response.status_code == 422 and field in response.content.decode()


def test_null_in_an_adjustment_clears_a_nullable_value_or_is_refused_by_name(setup, client, api_as, user_of):  # noqa: F811
    s, bureau = setup, api_as("bureau_admin")
    catalog_services.record_system_change(user_of("bureau_admin"), s["system"], kind="shutdown",
                                          effective_date=dt.date(2026, 7, 1), description="停运")
    (created,) = client.post("/api/v1/contracts/adjustments/sync", headers=bureau).json()
    path = f"/adjustments/{created['id']}"
    assert patch(client, path, bureau, {"override_fee": "60000", "override_reason": "按月核减", "new_annual_fee": "1",
                                        "bureau_notice_on": "2026-06-15", "unit_notice_on": "2026-06-20"}
                 ).status_code == 200
    assert named(patch(client, path, bureau, {"override_reason": None}), "override_reason")
    for field in ("override_fee", "new_annual_fee", "bureau_notice_on", "unit_notice_on"):
        response = patch(client, path, bureau, {field: None})
        assert response.status_code == 200, (field, response.content)
        assert getattr(FeeAdjustment.objects.get(pk=created["id"]), field) is None  # "null clears one"


def test_null_in_a_memorandum_keeps_its_cycle_and_standard_and_clears_the_cap(setup, client, api_as):  # noqa: F811
    s, unit = setup, api_as("unit_admin_education")
    memo = client.post("/api/v1/contracts/memoranda", {"system_id": s["system"].pk, "effective_month": "2026-01"},
                       content_type="application/json", headers=unit).json()
    path = f"/memoranda/{memo['id']}"
    assert patch(client, path, unit, {"cycle": "quarterly", "cap_fee_percent": "15"}).status_code == 200
    for field in ("cycle", "standard"):
        response = patch(client, path, unit, {field: None})
        assert response.status_code == 200 or named(response, field), (field, response.content)
    response = patch(client, path, unit, {"cap_fee_percent": None})
    assert response.status_code == 200 and response.json()["cap_fee_percent"] is None
    stored = Memorandum.objects.get(pk=memo["id"])
    assert stored.cycle == "quarterly" and stored.cap_fee_percent is None


def test_null_in_an_evaluation_item(setup, client, api_as):  # noqa: F811
    s = setup
    in_force(s)
    incident(s["system"], "general", (2026, 3, 3, 10), repair_hours_late=2)
    unit = api_as("unit_admin_education")
    evaluation = client.post("/api/v1/contracts/evaluations", {"month": "2026-03"}, content_type="application/json",
                             headers=unit).json()
    item = EvaluationItem.objects.filter(evaluation_id=evaluation["id"]).order_by("id").first()
    before = (item.points, item.amount)
    for field in ("points", "amount", "manual_value"):
        response = patch(client, f"/items/{item.pk}", unit, {field: None})
        assert response.status_code == 200, (field, response.content)  # null: the value is left as it is
    item.refresh_from_db()
    assert (item.points, item.amount) == before
    assert named(patch(client, f"/items/{item.pk}", unit, {"reason": None}), "reason")
