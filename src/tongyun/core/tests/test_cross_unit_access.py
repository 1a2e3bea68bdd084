"""Walk every page and every API endpoint as users who must not see another unit's data.

Detail pages and endpoints answer 404 (not 403: that would confirm the object exists, and never a 500);
list pages and endpoints leave the other unit out. A URL or API path that is not classified below
fails the test, so a new endpoint cannot ship without its access check.

A domain added later classifies its own pages and endpoints in `tongyun/<app>/tests/access.py`, with any
of: NOT_SCOPED_PAGES, DETAIL_PAGES, LIST_PAGES, EXCEL_PAGES (list pages answering a workbook),
NOT_SCOPED_API, API_PARAMS, POST_BODY (fields every POST body carries), and
`foreign_objects(foreign, user_of) -> dict` adding the domain's objects of the foreign unit to the fixture.
"""

import datetime as dt
import importlib
import io
import re

import openpyxl
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver

from tongyun.api import api
from tongyun.availability import services as availability_services
from tongyun.catalog import services as catalog_services
from tongyun.catalog.models import Device, SlaTerm, System
from tongyun.core.scoping import scoped
from tongyun.incidents import services as incident_services
from tongyun.inspections import services as inspection_services
from tongyun.inspections.models import ChecklistItem, ChecklistTemplate, InspectionPlan, MovedReport
from tongyun.monitoring.models import AlertSource, Check, CorrelationGroup, DeviceState, Event
from tongyun.reports import services as report_services
from tongyun.reports import types as report_types

FOREIGN_UNIT = "区经信局"
# (viewer, why they must not see 区经信局): a unit admin of another unit, and field staff
# assigned to another unit's systems.
VIEWERS = ["unit_admin_education", "electrician"]

# Pages that are not about catalog data (login, language switch, admin site, home).
NOT_SCOPED_PAGES = {"login", "logout", "set_language", "home", "catalog:import",
                    "incidents:notifications_mark_read",
                    # the .ics feed has no login: its secret token is the key (tested in inspections/tests)
                    "inspections:feed",
                    # the working calendar and the 重保期 are district-wide; the bureau keeps them (403 for
                    # others; the bureau staff and the supervisor read them); tested in test_settings_pages
                    "incidents:calendar", "incidents:calendar_import", "incidents:calendar_template",
                    "incidents:calendar_correction", "incidents:calendar_correction_remove",
                    "incidents:business_hours", "incidents:major_events", "incidents:major_event_create",
                    "incidents:major_event_edit", "incidents:major_event_delete",
                    # the old list of monthly inspection reports: a redirect to reports:list (walked as a list)
                    "inspections:report_list",
                    # alert sources are district-wide and hold the receivers' keys: bureau admin only
                    # (403 for others), tested in monitoring/tests/test_receivers
                    "monitoring:sources", "monitoring:source_create", "monitoring:source_edit",
                    "monitoring:source_token",
                    # request / record forms: 403 for roles that may not request; their system pickers are
                    # scoped (tested in availability/tests/test_requests)
                    "availability:window_create", "availability:accepted_create", "availability:outage_create"}
# Pages whose URL names one object: which object of the foreign unit to put in.
DETAIL_PAGES = {
    "catalog:system_detail": lambda f: {"pk": f["system"].pk},
    "catalog:system_change_create": lambda f: {"pk": f["system"].pk},
    "catalog:system_assign": lambda f: {"pk": f["system"].pk},
    "catalog:system_unassign": lambda f: {"pk": f["system"].pk, "assignment_id": f["assignment"].pk},
    "catalog:unit_detail": lambda f: {"pk": f["system"].unit_id},
    "catalog:device_detail": lambda f: {"pk": f["device"].pk},
    "audit:object_history": lambda f: {"model": "system", "object_id": f["system"].pk},
    "incidents:detail": lambda f: {"pk": f["incident"].pk},
    "incidents:action": lambda f: {"pk": f["incident"].pk},
    "incidents:reclassify": lambda f: {"pk": f["incident"].pk},
    "incidents:comment": lambda f: {"pk": f["incident"].pk},
    "inspections:plan_detail": lambda f: {"pk": f["plan"].pk},
    "inspections:plan_edit": lambda f: {"pk": f["plan"].pk},
    "inspections:plan_approve": lambda f: {"pk": f["plan"].pk},
    "inspections:task_detail": lambda f: {"pk": f["task"].pk},
    "inspections:task_complete": lambda f: {"pk": f["task"].pk},
    "inspections:task_item": lambda f: {"pk": f["task"].pk, "item_id": f["item"].pk},
    "inspections:task_item_incident": lambda f: {"pk": f["task"].pk, "item_id": f["item"].pk},
    "inspections:feed_revoke": lambda f: {"pk": f["feed"].pk},
    "inspections:report_detail": lambda f: {"pk": f["report"].pk},
    "inspections:report_action": lambda f: {"pk": f["report"].pk, "action": "confirm"},
    "inspections:report_print": lambda f: {"pk": f["report"].pk},
    "inspections:report_docx": lambda f: {"pk": f["report"].pk},
    "inspections:report_xlsx": lambda f: {"pk": f["report"].pk},
    "monitoring:system_status": lambda f: {"pk": f["system"].pk},
    "monitoring:check_bulk": lambda f: {"pk": f["system"].pk},
    "monitoring:check_detail": lambda f: {"pk": f["check"].pk},
    "monitoring:check_toggle": lambda f: {"pk": f["check"].pk},
    "monitoring:group_detail": lambda f: {"pk": f["group"].pk},
    "availability:system_devices": lambda f: {"pk": f["system"].pk},
    "availability:window_approve": lambda f: {"pk": f["window"].pk},
    "availability:window_reject": lambda f: {"pk": f["window"].pk},
    "availability:accepted_approve": lambda f: {"pk": f["accepted"].pk},
    "availability:accepted_reject": lambda f: {"pk": f["accepted"].pk},
    "availability:evidence": lambda f: {"pk": f["accepted"].pk},
}
LIST_PAGES = {"catalog:system_list", "catalog:unit_list", "catalog:device_list", "audit:entry_list",
              "catalog:export", "incidents:list", "incidents:report", "incidents:board",
              "incidents:mine", "incidents:notifications", "inspections:calendar", "inspections:task_list",
              "inspections:overdue", "inspections:plan_list", "inspections:stats", "inspections:feeds",
              "incidents:compliance", "incidents:compliance_export",
              "monitoring:status_index", "monitoring:wall", "monitoring:wall_data", "monitoring:checks",
              "monitoring:events", "monitoring:groups", "availability:monthly", "availability:export",
              "availability:windows", "availability:accepted"}

API_PARAMS = {
    "unit_id": lambda f: f["system"].unit_id,
    "system_id": lambda f: f["system"].pk,
    "device_id": lambda f: f["device"].pk,
    "term_id": lambda f: f["term"].pk,
    "assignment_id": lambda f: f["assignment"].pk,
    "incident_id": lambda f: f["incident"].pk,
    "model": lambda f: "system",
    "object_id": lambda f: f["system"].pk,
    "plan_id": lambda f: f["plan"].pk,
    "task_id": lambda f: f["task"].pk,
    "report_id": lambda f: f["report"].pk,
    "group_id": lambda f: f["group"].pk,
    "window_id": lambda f: f["window"].pk,
    "accepted_outage_id": lambda f: f["accepted"].pk,
}


def valid_post_body(foreign) -> dict:
    """A body every POST endpoint accepts, so the answer depends on access, not on validation."""
    return {"kind": "other", "effective_date": "2026-03-01", "description": "x", "username": "onsite",
            "system_id": foreign["system"].pk, "title": "x", "severity": "minor", "action": "acknowledge",
            "note": "x", "start": "09:00", "end": "17:00", "device_id": foreign["device"].pk,
            "starts_at": "2026-03-01T08:00:00+08:00", "ends_at": "2026-03-01T10:00:00+08:00", "reason": "x",
            **{key: value(foreign) if callable(value) else value for key, value in POST_BODY.items()}}


def declared_fields(operation: dict, components: dict) -> set[str] | None:
    """The fields the operation's JSON body declares (bodies refuse unknown fields), None if it has none."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    fields: set[str] = set()
    pending = [content["application/json"].get("schema", {})]
    while pending:
        schema = pending.pop()
        if "$ref" in schema:
            schema = components[schema["$ref"].rsplit("/", 1)[-1]]
        fields |= set(schema.get("properties", {}))
        pending += schema.get("anyOf", []) + schema.get("oneOf", []) + schema.get("allOf", [])
    return fields


def body_for(operation: dict, components: dict, foreign) -> dict:
    """The shared valid body, cut down to what this endpoint declares: the answer depends on access only."""
    fields = declared_fields(operation, components)
    body = valid_post_body(foreign)
    return body if fields is None else {key: value for key, value in body.items() if key in fields}


NOT_SCOPED_API = {
    # the working calendar and the major-event periods are district-wide, not per unit
    "/api/v1/calendar/years", "/api/v1/calendar/years/{year}", "/api/v1/calendar/years/{year}/import",
    "/api/v1/calendar/corrections", "/api/v1/calendar/corrections/{day}", "/api/v1/calendar/days",
    "/api/v1/major-events", "/api/v1/major-events/{period_id}",
    # one's own account and tokens
    "/api/v1/auth/token", "/api/v1/auth/tokens", "/api/v1/auth/tokens/{token_id}", "/api/v1/auth/me",
    # alert receivers: authenticated by the alert source's own token, not by a user (401 for a user token);
    # tested in monitoring/tests/test_receivers
    "/api/v1/monitoring/alertmanager", "/api/v1/monitoring/zabbix", "/api/v1/monitoring/events",
    # alert sources are district-wide, bureau admin only (403 for others)
    "/api/v1/monitoring/sources", "/api/v1/monitoring/sources/{source_id}",
    "/api/v1/monitoring/sources/{source_id}/token",
}

EXCEL_PAGES = {"catalog:export", "incidents:compliance_export", "availability:export"}
MOVED_PAGES: set[str] = set()  # old addresses answering a redirect to the page that moved
POST_BODY: dict = {}


def _domain_access_specs():
    """The tests/access.py of every installed tongyun app that has one."""
    for config in apps.get_app_configs():
        if not config.name.startswith("tongyun."):
            continue
        try:
            yield importlib.import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError as error:
            if error.name not in (f"{config.name}.tests", f"{config.name}.tests.access"):
                raise


DOMAIN_SPECS = list(_domain_access_specs())
for _spec in DOMAIN_SPECS:
    NOT_SCOPED_PAGES |= set(getattr(_spec, "NOT_SCOPED_PAGES", ()))
    DETAIL_PAGES.update(getattr(_spec, "DETAIL_PAGES", {}))
    LIST_PAGES |= set(getattr(_spec, "LIST_PAGES", ())) | set(getattr(_spec, "EXCEL_PAGES", ()))
    EXCEL_PAGES |= set(getattr(_spec, "EXCEL_PAGES", ()))
    MOVED_PAGES |= set(getattr(_spec, "MOVED_PAGES", ()))
    NOT_SCOPED_API |= set(getattr(_spec, "NOT_SCOPED_API", ()))
    API_PARAMS.update(getattr(_spec, "API_PARAMS", {}))
    POST_BODY.update(getattr(_spec, "POST_BODY", {}))


def _named_patterns(patterns=None, namespace=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in ("admin", "api"):
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


@pytest.fixture
def foreign(db, user_of):
    """Objects of 区经信局 — a system with an SLA term, a device and a recorded change."""
    system = System.objects.filter(unit__name=FOREIGN_UNIT).order_by("row_no").first()
    device = Device.objects.create(system=system, kind="服务器", model="FOREIGN-MODEL-X", location="机房")
    catalog_services.record_system_change(user_of("bureau_admin"), system, kind="start_date",
                                          effective_date=dt.date(2026, 2, 1), description="调整开始日期")
    term = SlaTerm.objects.filter(system=system).first()
    assert term is not None
    assignment = catalog_services.assign_staff(user_of("pm"), system, user_of("onsite"))
    incident = incident_services.report_incident(user_of("unit_admin"), system=system, title="FOREIGN-INCIDENT",
                                                 severity="general", device=device)
    template = ChecklistTemplate.objects.create(name="FOREIGN-CHECKLIST", category=system.category, system=system)
    item = ChecklistItem.objects.create(template=template, section="hardware", label="FOREIGN-ITEM")
    plan = InspectionPlan.objects.create(system=system, name="FOREIGN-PLAN", frequency="monthly",
                                         rrule="FREQ=MONTHLY;BYMONTHDAY=1")
    inspection_services.generate_tasks(plan, today=dt.date(2026, 1, 1))
    task = plan.tasks.order_by("scheduled_for").first()
    feed = inspection_services.create_feed(user_of("unit_admin"), system)
    # a monthly inspection report of the engine, reached by its old address (the redirect answers 404)
    moved, _created = report_services.generate(report_types.get("inspections.monthly"), start=dt.date(2026, 1, 1),
                                               end=dt.date(2026, 1, 31), system=system)
    report = MovedReport.objects.create(id=moved.pk, report_id=moved.pk)
    check = Check.objects.create(system=system, device=device, kind="tcp", target="192.0.2.1:443")
    group = CorrelationGroup.objects.create(key=f"{system.pk}:dev:{device.pk}", system=system, incident=incident,
                                            opened_at=incident.reported_at, last_event_at=incident.reported_at)
    Event.objects.create(source=AlertSource.objects.create(name="FOREIGN-SOURCE", kind="generic", token_hash="f" * 64),
                         fingerprint="foreign", status="firing", starts_at=incident.reported_at, system=system,
                         device=device, summary="FOREIGN-EVENT", group=group)
    DeviceState.objects.create(device=device, status="down", detail="FOREIGN-STATE")
    window = availability_services.request_window(user_of("pm"), system, start=incident.reported_at,
                                                  end=incident.reported_at + dt.timedelta(hours=2), reason="FOREIGN")
    accepted = availability_services.request_acceptance(
        user_of("pm"), system, kind="construction", start=incident.reported_at,
        end=incident.reported_at + dt.timedelta(hours=2), description="FOREIGN-ACCEPTED",
        evidence=ContentFile(b"%PDF-1.4", name="foreign.pdf"))
    objects = {"system": system, "device": device, "term": term, "assignment": assignment, "incident": incident,
               "plan": plan, "task": task, "item": item, "feed": feed, "report": report,
               "check": check, "group": group, "window": window, "accepted": accepted}
    for spec in DOMAIN_SPECS:
        if hasattr(spec, "foreign_objects"):
            objects.update(spec.foreign_objects(objects, user_of))
    return objects


def test_every_page_is_classified():
    names = set(_named_patterns())
    unclassified = names - NOT_SCOPED_PAGES - set(DETAIL_PAGES) - LIST_PAGES
    assert not unclassified, f"pages without an access check in this test: {unclassified}"


def test_every_api_path_is_classified():
    paths = set(api.get_openapi_schema()["paths"])
    for path in paths - NOT_SCOPED_API:
        params = re.findall(r"{(\w+)}", path)
        assert all(p in API_PARAMS for p in params), f"API path with unknown parameter: {path}"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_detail_pages_of_another_unit_answer_404(viewer, foreign, client_as):
    from django.urls import reverse

    client = client_as(viewer)
    for name, kwargs in DETAIL_PAGES.items():
        url = reverse(name, kwargs=kwargs(foreign))
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in (404, 405), (viewer, name, method, response.status_code)
            if response.status_code == 405:
                continue
            assert foreign["system"].name not in response.content.decode(), (viewer, name)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_list_pages_leave_out_another_unit(viewer, foreign, client_as, user_of):
    from django.urls import reverse

    client = client_as(viewer)
    own = scoped(System.objects.all(), user_of(viewer))
    assert own.exists(), "the viewer must see something, or the test proves nothing"
    for name in sorted(LIST_PAGES):
        for query in ("", f"?unit={foreign['system'].unit_id}", f"?system={foreign['system'].pk}",
                      "?q=FOREIGN-MODEL-X"):
            response = client.get(reverse(name) + query)
            assert response.status_code in (200, 404), (viewer, name, query, response.status_code)
            if name in EXCEL_PAGES:
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
            else:
                text = response.content.decode()
            assert foreign["system"].name not in text, (viewer, name, query)
            assert f"/catalog/devices/{foreign['device'].pk}/" not in text, (viewer, name, query)
            assert f"/catalog/systems/{foreign['system'].pk}/" not in text, (viewer, name, query)
    # and the lists do show the viewer's own systems (the check above is not vacuous)
    page = client.get(reverse("catalog:system_list")).content.decode()
    assert own.first().name in page


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_api_endpoint_hides_another_unit(viewer, foreign, client, api_as, user_of):
    headers = api_as(viewer)
    user = user_of(viewer)
    visible_systems = set(scoped(System.objects.all(), user).values_list("id", flat=True))
    visible_units = set(scoped(System.objects.all(), user).values_list("unit_id", flat=True))
    assert visible_systems
    document = api.get_openapi_schema()
    schema, components = document["paths"], document["components"]["schemas"]
    checked = 0
    for path, operations in schema.items():
        if path in NOT_SCOPED_API:
            continue
        params = re.findall(r"{(\w+)}", path)
        url = re.sub(r"{(\w+)}", lambda m: str(API_PARAMS[m.group(1)](foreign)), path)
        for method in operations:
            body = body_for(operations[method], components, foreign) if method in ("post", "put", "patch") else None
            response = getattr(client, method)(url, body, content_type="application/json", headers=headers) \
                if body is not None else getattr(client, method)(url, headers=headers)
            checked += 1
            if params:
                assert response.status_code == 404, (viewer, method, path, response.status_code)
                continue
            assert response.status_code in (200, 404), (viewer, method, path, response.status_code)
            if response.status_code == 404 or not response.get("Content-Type", "").startswith("application/json"):
                continue
            payload = response.json()
            items = payload.get("results", payload) if isinstance(payload, dict) else payload
            for item in items:
                if "system_id" in item:
                    assert item["system_id"] in visible_systems, (path, item)
                if "unit_id" in item:
                    assert item["unit_id"] in visible_units, (path, item)
                if path.endswith("/units"):
                    assert item["id"] in visible_units, (path, item)
            assert foreign["system"].name not in response.content.decode()
    assert checked >= 10


def test_unauthenticated_api_is_refused(client, foreign):
    for path in ("/api/v1/systems", f"/api/v1/systems/{foreign['system'].pk}", "/api/v1/devices"):
        assert client.get(path).status_code == 401
        assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_anonymous_pages_redirect_to_login(client, foreign):
    response = client.get(f"/catalog/systems/{foreign['system'].pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("viewer", ["bureau_admin", "supervisor", "unit01"])
def test_the_same_pages_and_endpoints_open_for_those_who_may_see(viewer, foreign, client_as, api_as, client):
    """The 404s above come from scoping, not from broken endpoints: the owner unit and the bureau get 200."""
    from django.urls import reverse

    page_client = client_as(viewer)
    for name, kwargs in DETAIL_PAGES.items():
        if name == "audit:object_history" and viewer == "unit01":
            continue  # the audit trail is for the bureau and the supervisor
        response = page_client.get(reverse(name, kwargs=kwargs(foreign)), follow=name in MOVED_PAGES)
        assert response.status_code in (200, 405), (viewer, name, response.status_code)
    headers = api_as(viewer)
    for path, operations in api.get_openapi_schema()["paths"].items():
        if path in NOT_SCOPED_API or "{" not in path or "get" not in operations:
            continue
        if path.startswith("/api/v1/audit/") and viewer == "unit01":
            continue
        url = re.sub(r"{(\w+)}", lambda m: str(API_PARAMS[m.group(1)](foreign)), path)
        assert client.get(url, headers=headers).status_code == 200, (viewer, path)
