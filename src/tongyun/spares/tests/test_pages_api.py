"""Pages, API and Excel of spare parts: what each party sees and may do, bad input named, nothing changed."""

import io

import openpyxl
import pytest
from django.utils import timezone

from tongyun.catalog.models import Device
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.spares import excel, replacements
from tongyun.spares.models import RemovedDevice, Replacement, SpareItem, StockEntry

pytestmark = pytest.mark.django_db


def test_the_replacement_flow_through_the_api(camera, seeded_spares, working_incident, api_as, client):
    incident = working_incident()
    engineer = api_as("engineer")
    answer = client.post(f"/api/v1/spares/items/{camera.pk}/entries", {"kind": "receipt", "quantity": 2,
                         "warehouse_id": seeded_spares.pk}, content_type="application/json", headers=api_as("pm"))
    assert answer.status_code == 201 and answer.json()[0]["balance"] == 2
    body = {"incident_id": incident.pk, "item_id": camera.pk, "reason": "镜头进水无法修复", "proposed_model": "X2"}
    answer = client.post("/api/v1/spares/replacements", body, content_type="application/json", headers=engineer)
    assert answer.status_code == 201, answer.content
    replacement = answer.json()
    assert replacement["state"] == "requested" and len(replacement["signoff_ids"]) == 1
    signoff_id = replacement["signoff_ids"][0]
    issue = {"warehouse_id": seeded_spares.pk, "removal_reason": "进水", "location": "卡口", "kept_at": "库房",
             "new_serial": "SN-API"}
    early = client.post(f"/api/v1/spares/replacements/{replacement['id']}/issue", issue,
                        content_type="application/json", headers=engineer)
    assert early.status_code == 422 and "共同确认" in early.json()["errors"]["state"][0]
    for user in ("unit_admin_police", "supervisor"):
        decided = client.post(f"/api/v1/signoffs/{signoff_id}/decision", {"decision": "approve", "comment": "同意"},
                              content_type="application/json", headers=api_as(user))
        assert decided.status_code == 200, decided.content
    done = client.post(f"/api/v1/spares/replacements/{replacement['id']}/issue", issue,
                       content_type="application/json", headers=engineer)
    assert done.status_code == 200 and done.json()["state"] == "issued"
    assert Device.objects.get(pk=incident.device_id).serial_number == "SN-API"
    settlement = client.get(f"/api/v1/spares/systems/{camera.system_id}/settlement", headers=engineer).json()
    row = next(r for r in settlement if r["item_id"] == camera.pk)
    assert (row["used"], row["remaining"], row["stock"], row["used_value"]) == (1, 45, 1, "3999.99")
    removed = client.get("/api/v1/spares/removed-devices", headers=api_as("unit_admin_police")).json()["results"]
    assert [r["replacement_id"] for r in removed] == [replacement["id"]]


def test_api_names_the_bad_field_and_refuses_unknown_ones(camera, seeded_spares, api_as, client):
    headers = api_as("pm")
    bad = client.post(f"/api/v1/spares/items/{camera.pk}/entries", {"kind": "steal", "quantity": 1,
                      "warehouse_id": seeded_spares.pk}, content_type="application/json", headers=headers)
    assert bad.status_code == 422 and "kind" in bad.content.decode()
    extra = client.post(f"/api/v1/spares/items/{camera.pk}/entries", {"kind": "receipt", "quantity": 1,
                        "warehouse_id": seeded_spares.pk, "balance": 99}, content_type="application/json",
                        headers=headers)
    assert extra.status_code == 422 and "balance" in extra.content.decode()
    short = client.post(f"/api/v1/spares/items/{camera.pk}/entries", {"kind": "transfer", "quantity": 1,
                        "warehouse_id": seeded_spares.pk, "target_warehouse_id": seeded_spares.pk},
                        content_type="application/json", headers=headers)
    assert short.status_code == 422
    assert not StockEntry.objects.filter(item=camera).exists()
    price = client.patch(f"/api/v1/spares/items/{camera.pk}", {"unit_price": "10.00"},
                         content_type="application/json", headers=headers)
    assert price.status_code == 403  # only the bureau enters prices


def test_units_see_their_items_and_the_engineer_requests_on_the_page(camera, seeded_spares, working_incident,
                                                                     client_as):
    police = client_as("unit_admin_police").get("/spares/").content.decode()
    assert "智慧社区车辆卡口摄像机" in police
    education = client_as("unit_admin_education").get("/spares/").content.decode()
    assert "智慧社区车辆卡口摄像机" not in education
    incident = working_incident()
    engineer = client_as("engineer")
    page = engineer.get(f"/spares/incidents/{incident.pk}/replacement/")
    assert page.status_code == 200 and 'data-testid="replacement-form"' in page.content.decode()
    refused = engineer.post(f"/spares/incidents/{incident.pk}/replacement/", {"item": camera.pk, "quantity": 1,
                                                                            "reason": ""})
    assert refused.status_code == 400 and not Replacement.objects.exists()
    photo = io.BytesIO(b"\x89PNG\r\n\x1a\n")
    photo.name = "scene.png"
    sent = engineer.post(f"/spares/incidents/{incident.pk}/replacement/", {
        "item": camera.pk, "quantity": 1, "reason": "主板损坏", "device": incident.device_id, "photos": photo})
    replacement = Replacement.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/spares/replacements/{replacement.pk}/"
    assert replacement.photos.count() == 1
    detail = client_as("unit_admin_police").get(sent["Location"]).content.decode()
    assert 'data-testid="signoff-form"' in detail  # the purchaser's turn
    assert 'data-testid="signoff-form"' not in client_as("supervisor").get(sent["Location"]).content.decode()
    # the unit sees the photo, another unit does not
    picture = replacement.photos.get()
    assert client_as("unit_admin_police").get(f"/spares/photos/{picture.pk}/").status_code == 200
    assert client_as("unit_admin_education").get(f"/spares/photos/{picture.pk}/").status_code == 404


def test_the_warranty_page_sends_a_device_to_the_vendor(camera, row23, working_incident, client_as):
    device = Device.objects.create(system=row23, kind="摄像机", name="质保内", warranty_until="2099-12-31")
    incident = working_incident(device=device)
    engineer = client_as("engineer")
    page = engineer.get(f"/spares/incidents/{incident.pk}/replacement/").content.decode()
    assert 'data-testid="warranty-vendor"' in page
    engineer.post(f"/spares/incidents/{incident.pk}/vendor/")
    incident.refresh_from_db()
    assert incident.state == "waiting_vendor"


def _items_book(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = excel.ITEM_SHEET.title
    sheet.append([c.header for c in excel.ITEM_SHEET.columns])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_excel_import_of_row_8s_list_and_bad_files(seeded_spares, client_as):
    pm = client_as("pm")
    good = _items_book([[8, None, "视频终端", "Group 700", "", "台", 12000, 2026, 2, 2, "第 8 行 L4353–L4387"],
                        [8, None, "MCU", "RMX 1800", "", "台", None, 2026, 1, 1, ""]])
    bad = _items_book([[8, None, "视频终端", "Group 700", "", "台", 12000, 2026, 2, 2, ""],
                       [999, None, "X", "", "", "台", None, 2026, 1, 0, ""],
                       [8, None, "", "", "", "台", "十元", 2026, "两", 0, ""]])
    answer = pm.post("/spares/import/", {"file": io.BytesIO(bad)})
    text = answer.content.decode()
    assert answer.status_code == 400
    assert "第 3 行" in text and "系统序号" in text and "第 4 行" in text and "[名称]" in text
    assert "[单价（元）]" in text and "[数量上限]" in text
    assert not SpareItem.objects.filter(system__row_no=8).exists()  # nothing changed
    assert pm.post("/spares/import/", {"file": io.BytesIO(good)}).status_code == 200
    assert sorted(SpareItem.objects.filter(system__row_no=8).values_list("model", "cap")) == [
        ("Group 700", 2), ("RMX 1800", 1)]
    assert client_as("unit_admin_police").get("/spares/import/").status_code == 403


def test_excel_export_has_every_ledger(camera, seeded_spares, user_of, client_as):
    from tongyun.spares import services

    services.record_movement(user_of("pm"), camera, seeded_spares, "receipt", 4, note="EXPORT-ME")
    RemovedDevice.objects.create(system=camera.system, device_name="REMOVED-ME", removal_reason="x", location="x",
                                 removed_at=timezone.now(), kept_at="x")
    content = client_as("unit_admin_police").get("/spares/export.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["备品备件", "库存", "库存流水", "拆除设备台账", "备品备件维修记录"]
    text = " ".join(str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row)
    assert "EXPORT-ME" in text and "REMOVED-ME" in text and "智慧社区车辆卡口摄像机" in text
    other = client_as("unit_admin_education").get("/spares/export.xlsx").content
    assert "EXPORT-ME" not in " ".join(str(c) for ws in openpyxl.load_workbook(io.BytesIO(other))
                                       for row in ws.iter_rows(values_only=True) for c in row)


def test_signoffs_of_spares_await_the_right_people(camera, seeded_spares, working_incident, user_of):
    replacement = replacements.request_replacement(user_of("engineer"), working_incident(), camera, reason="坏")
    signoff = signoff_selectors.signoff_for(replacement, replacements.REPLACEMENT_FLOW)
    assert signoff in signoff_selectors.awaiting(user_of("unit_admin_police"))
    assert signoff in signoff_selectors.awaiting(user_of("bureau_admin"))
    assert signoff not in signoff_selectors.awaiting(user_of("unit_admin_education"))
    assert signoff not in signoff_selectors.awaiting(user_of("supervisor"))


def test_the_incident_page_links_the_replacement_form_for_those_who_may_request(working_incident, client_as):
    """The link comes through core.panels (incidents does not import spares)."""
    from tongyun.incidents import services as incident_services

    incident = working_incident()
    url = f"/spares/incidents/{incident.pk}/replacement/"
    page = client_as("engineer").get(f"/incidents/{incident.pk}/")
    assert page.status_code == 200
    assert 'data-testid="spares-replacement-link"' in page.content.decode() and url in page.content.decode()
    assert client_as("engineer").get(url).status_code == 200
    # the unit reports and follows the incident but does not request spares
    unit_page = client_as("unit_admin_police").get(f"/incidents/{incident.pk}/").content.decode()
    assert url not in unit_page
    # once resolved, no replacement can be requested: no link
    incident_services.take_action(incident.assignee, incident, "resolve", cause="镜头老化", action_taken="已修复")
    assert url not in client_as("engineer").get(f"/incidents/{incident.pk}/").content.decode()
