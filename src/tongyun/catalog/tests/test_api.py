import pytest

from tongyun.catalog.models import Device, SlaTerm, System, SystemChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(api_as):
    return api_as("bureau_admin")


def _all(client, url, headers):
    """Follow the cursor pages to the end."""
    items, pages = [], 0
    while url:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        url, pages = body["next"], pages + 1
    return items, pages


def test_openapi_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/auth/token", "/api/v1/systems", "/api/v1/systems/{system_id}", "/api/v1/devices",
                 "/api/v1/sla-terms", "/api/v1/units"):
        assert path in schema["paths"]


def test_every_reference_in_the_openapi_document_resolves(client):
    # a body documented by hand (openapi_extra) once named enums that were not in the components: the
    # contract run skipped those bodies' fields as "unresolvable references"
    import json
    import re

    schema = client.get("/api/v1/openapi.json").json()
    named = set(re.findall(r'"#/components/schemas/([^"]+)"', json.dumps(schema)))
    assert "FindingIn" in named
    assert named - set(schema["components"]["schemas"]) == set()


def test_systems_list_walks_every_system_once_across_pages(client, bureau):
    items, pages = _all(client, "/api/v1/systems?page_size=40", bureau)
    assert pages == 4
    assert len(items) == 154 == len({i["id"] for i in items})
    assert {i["row_no"] for i in items} == set(range(1, 155))


@pytest.mark.parametrize("query, check", [
    ("category=教育教务", lambda s: s.category == "教育教务"),
    ("deployment_kind=gov_cloud", lambda s: s.deployment_kind == "gov_cloud"),
    ("mlps_level=3", lambda s: s.mlps_level == 3),
    ("start_month=7", lambda s: s.service_start and s.service_start.month == 7),
    ("q=视频", lambda s: "视频" in s.name + s.unit.name + s.description),
])
def test_system_filters_match_the_database(client, bureau, query, check):
    items, _pages = _all(client, f"/api/v1/systems?{query}", bureau)
    expected = {s.id for s in System.objects.select_related("unit") if check(s)}
    assert expected, "the filter must select something in the real catalog"
    assert {i["id"] for i in items} == expected


def test_unit_filter(client, bureau):
    system = System.objects.get(row_no=1)
    items, _pages = _all(client, f"/api/v1/systems?unit={system.unit_id}", bureau)
    assert {i["id"] for i in items} == set(System.objects.filter(unit=system.unit).values_list("id", flat=True))
    assert all(i["unit_name"] == system.unit.name for i in items)


def test_bad_filter_names_the_parameter(client, bureau):
    response = client.get("/api/v1/systems?start_month=13", headers=bureau)
    assert response.status_code == 422
    assert "start_month" in response.content.decode()
    response = client.get("/api/v1/systems?category=nonsense", headers=bureau)
    assert response.status_code == 400
    assert "category" in response.json()["detail"]


def test_system_detail_carries_its_obligations(client, bureau):
    system = System.objects.get(row_no=1)
    body = client.get(f"/api/v1/systems/{system.pk}", headers=bureau).json()
    assert body["name"] == "智慧顺义基础地理信息平台"
    assert body["source_line_start"] < body["source_line_end"]
    minor = next(t for t in body["sla_terms"] if t["tier_key"] == "minor")
    assert (float(minor["response_value"]), minor["response_unit"]) == (8, "hour")
    assert (float(minor["repair_value"]), minor["repair_unit"]) == (7, "working_day")
    assert [c["frequency"] for c in body["inspection_cadences"]] == ["monthly"]


def test_sla_terms_and_devices_filter_by_system(client, bureau):
    system = System.objects.filter(devices__isnull=False).first()
    devices, _ = _all(client, f"/api/v1/devices?system={system.pk}", bureau)
    assert {d["id"] for d in devices} == set(Device.objects.filter(system=system).values_list("id", flat=True))
    terms, _ = _all(client, f"/api/v1/sla-terms?system={system.pk}", bureau)
    assert {t["id"] for t in terms} == set(SlaTerm.objects.filter(system=system).values_list("id", flat=True))
    one = client.get(f"/api/v1/devices/{devices[0]['id']}", headers=bureau).json()
    assert one["system_id"] == system.pk


def test_recording_a_change_through_the_api(client, api_as):
    system = System.objects.get(row_no=1)
    headers = api_as("pm")
    response = client.post(f"/api/v1/systems/{system.pk}/changes", {
        "kind": "start_date", "effective_date": "2026-03-01", "description": "合同补充协议：推迟开始",
    }, content_type="application/json", headers=headers)
    assert response.status_code == 201, response.content
    assert response.json()["before"] == {"service_start": "2026-01-01"}
    assert response.json()["after"] == {"service_start": "2026-03-01"}
    system.refresh_from_db()
    assert str(system.service_start) == "2026-03-01"
    listed = client.get(f"/api/v1/systems/{system.pk}/changes", headers=headers).json()
    assert [c["description"] for c in listed] == ["合同补充协议：推迟开始"]


@pytest.mark.parametrize("body, field", [
    ({"kind": "teleport", "effective_date": "2026-03-01", "description": "x"}, "kind"),
    ({"kind": "upgrade", "effective_date": "2026-13-01", "description": "x"}, "effective_date"),
    ({"kind": "shutdown", "effective_date": "2026-03-01", "description": " "}, "description"),
    ({"kind": "shutdown", "effective_date": "2026-03-01", "description": "x", "changes": {"name": "y"}}, "name"),
])
def test_bad_change_is_refused_naming_the_field_and_changes_nothing(client, api_as, body, field):
    system = System.objects.get(row_no=2)
    before = (system.name, system.service_start, system.service_end)
    response = client.post(f"/api/v1/systems/{system.pk}/changes", body, content_type="application/json",
                           headers=api_as("pm"))
    assert response.status_code == 422, response.content
    assert field in response.content.decode()
    system.refresh_from_db()
    assert (system.name, system.service_start, system.service_end) == before
    assert not SystemChange.objects.filter(system=system).exists()


def test_unit_users_may_not_record_changes(client, api_as):
    system = System.objects.get(row_no=1)
    response = client.post(f"/api/v1/systems/{system.pk}/changes",
                           {"kind": "other", "effective_date": "2026-03-01", "description": "x"},
                           content_type="application/json", headers=api_as("unit_admin"))
    assert response.status_code == 403
    assert not SystemChange.objects.exists()


def test_bureau_edits_an_sla_term_with_history(client, api_as, user_of):
    from auditlog.models import LogEntry

    term = SlaTerm.objects.get(system__row_no=1, tier_key="minor")
    response = client.patch(f"/api/v1/sla-terms/{term.pk}", {"repair_value": "5", "repair_unit": "working_day",
                                                               "repair_from_arrival": True},
                            content_type="application/json", headers=api_as("bureau_admin"))
    assert response.status_code == 200, response.content
    term.refresh_from_db()
    assert (term.repair_value, term.repair_unit, term.repair_from_arrival) == (5, "working_day", True)
    entry = LogEntry.objects.get_for_object(term).latest("timestamp")
    assert entry.actor == user_of("bureau_admin") and entry.changes_dict["repair_value"] == ["7.00", "5"]


@pytest.mark.parametrize("username, body, status, field", [
    ("pm", {"repair_value": "5"}, 403, None),
    ("bureau_admin", {"repair_unit": "fortnight"}, 422, "repair_unit"),
    ("bureau_admin", {"repair_value": None}, 422, "repair_unit"),
    ("bureau_admin", {"repair_value": "5", "repair_from_arrival": None}, 422, "repair_from_arrival"),
    ("bureau_admin", {"repair_value": "5", "applies_when": None}, 422, "applies_when"),
])
def test_bad_sla_term_edit_is_refused(client, api_as, username, body, status, field):
    term = SlaTerm.objects.get(system__row_no=1, tier_key="minor")
    response = client.patch(f"/api/v1/sla-terms/{term.pk}", body, content_type="application/json",
                            headers=api_as(username))
    assert response.status_code == status
    if field:
        assert field in response.content.decode()
    term.refresh_from_db()
    assert (term.repair_value, term.repair_unit) == (7, "working_day")


def test_a_null_text_in_a_patch_is_the_empty_text(client, api_as):
    term = SlaTerm.objects.get(system__row_no=1, tier_key="minor")
    response = client.patch(f"/api/v1/sla-terms/{term.pk}", {"tier_label": None, "notes": None},
                            content_type="application/json", headers=api_as("bureau_admin"))
    assert response.status_code == 200, response.content
    term.refresh_from_db()
    assert (term.tier_label, term.notes) == ("", "")


def test_a_null_for_each_field_of_the_sla_term_patch_is_never_a_500(client, api_as):
    from tongyun.catalog.schemas import SlaTermPatch

    term = SlaTerm.objects.get(system__row_no=1, tier_key="minor")
    outcomes = {}
    for field in SlaTermPatch.model_fields:
        response = client.patch(f"/api/v1/sla-terms/{term.pk}", {field: None}, content_type="application/json",
                                headers=api_as("bureau_admin"))
        assert response.status_code in (200, 422), (field, response.content)
        if response.status_code == 422:  # named: the field, or for a time limit its value/unit pair
            pair = field.rsplit("_", 1)[0]
            assert field in response.json()["errors"] or f"{pair}_unit" in response.json()["errors"], field
        outcomes[field] = response.status_code
    assert outcomes["repair_from_arrival"] == outcomes["applies_when"] == 422  # columns that cannot be empty
    assert outcomes["tier_label"] == outcomes["notes"] == outcomes["definition"] == 200
