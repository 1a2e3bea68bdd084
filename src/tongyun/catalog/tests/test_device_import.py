"""The real device inventory (设备台账): import by Excel and API, re-import by code, topology, all or nothing."""

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest

from tongyun.catalog import device_import, device_records
from tongyun.catalog.models import Device, System
from tongyun.core.excel import WorkbookInvalid

pytestmark = pytest.mark.django_db

HEADERS = [header for header, *_rest in device_import.FIELDS.values()]


def workbook(rows: list[dict], headers=HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = device_import.SHEET_TITLE
    sheet.append(headers)
    fields = {header: field for field, (header, *_rest) in device_import.FIELDS.items()}
    for row in rows:
        sheet.append([row.get(fields[h]) for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def police(system_of):
    return system_of("公安局顺义分局")


@pytest.fixture
def foreign_system(system_of):
    return system_of("区经信局")


def camera(code, system, **fields):
    return {"code": code, "system_id": system.pk, "name": f"{code} 摄像机", "kind": "枪机", "device_class": "摄像机",
            "model": "DS-2CD", "location": "顺义区仁和镇某路 1 号", "town": "仁和镇", "latitude": "40.130001",
            "longitude": "116.650002", "ip_address": f"10.23.0.{int(code[-3:]) % 250 + 1}",
            "gb28181_id": f"110113000013200{int(code[-3:]):05d}", "upstream_code": "SW-001",
            "install_date": "2024-05-01", "warranty_until": "2027-04-30", **fields}


def switch(system):
    return {"code": "SW-001", "system_id": system.pk, "name": "仁和镇汇聚交换机", "kind": "汇聚交换机",
            "device_class": "交换机", "ip_address": "10.23.0.254"}


def test_excel_import_creates_devices_with_every_field_and_their_topology(user_of, police):
    # the cameras come before their switch in the file: the upstream is still found
    rows = [camera(f"CAM-{i:03d}", police) for i in range(1, 4)] + [switch(police)]
    summary = device_import.import_device_workbook(user_of("pm"), workbook(rows))
    assert summary.as_dict() == {"created": 4, "updated": 0, "unchanged": 0}
    sw = Device.objects.get(code="SW-001")
    cam = Device.objects.get(code="CAM-002")
    assert cam.upstream == sw and sw.upstream is None
    assert (cam.device_class, cam.kind, cam.town, cam.ip_address) == ("camera", "枪机", "仁和镇", "10.23.0.3")
    assert cam.latitude == Decimal("40.130001") and cam.longitude == Decimal("116.650002")
    assert cam.gb28181_id == "11011300001320000002"
    assert cam.install_date == dt.date(2024, 5, 1) and cam.warranty_until == dt.date(2027, 4, 30)
    assert cam.quantity == 1 and cam.system == police


def test_reimport_updates_by_code_and_leaves_the_rest(user_of, police):
    rows = [switch(police), camera("CAM-001", police), camera("CAM-002", police)]
    device_import.import_device_workbook(user_of("pm"), workbook(rows))
    ids = dict(Device.objects.filter(code__in=["CAM-001", "CAM-002"]).values_list("code", "pk"))
    rows[1] = camera("CAM-001", police, ip_address="10.23.9.9", name="改名后", upstream_code="")
    summary = device_import.import_device_workbook(user_of("pm"), workbook(rows))
    assert summary.as_dict() == {"created": 0, "updated": 1, "unchanged": 2}
    changed = Device.objects.get(code="CAM-001")
    assert changed.pk == ids["CAM-001"] and changed.ip_address == "10.23.9.9" and changed.name == "改名后"
    assert changed.upstream is None
    assert Device.objects.get(code="CAM-002").upstream.code == "SW-001"


def test_a_bad_file_names_every_problem_by_row_and_column_and_changes_nothing(user_of, police, foreign_system):
    device_import.import_device_workbook(user_of("pm"), workbook([switch(police), camera("CAM-001", police)]))
    before = list(Device.objects.order_by("pk").values())
    rows = [
        camera("CAM-001", police, name="不会写入"),                      # row 2: good (an update) — not applied
        camera("CAM-002", police, ip_address="10.0.0.300"),            # row 3
        camera("CAM-003", police, gb28181_id="1101"),                  # row 4
        camera("CAM-004", police, latitude="95"),                      # row 5
        camera("CAM-005", police, upstream_code="SW-404"),             # row 6
        camera("CAM-006", foreign_system) | {"system_id": 999999},     # row 7
        camera("CAM-001", police),                                     # row 8: duplicate code
        camera("CAM-008", police) | {"code": ""},                      # row 9
        camera("CAM-009", police, install_date="明年"),                 # row 10
        camera("CAM-010", police, longitude=""),                       # row 11
    ]
    with pytest.raises(WorkbookInvalid) as raised:
        device_import.import_device_workbook(user_of("pm"), workbook(rows))
    found = {(p.row, p.column) for p in raised.value.problems}
    assert found == {(3, "IP 地址"), (4, "国标编码"), (5, "纬度"), (6, "上联设备编码"), (7, "系统ID"),
                     (8, "设备编码"), (9, "设备编码"), (10, "安装日期"), (11, "经度")}
    reasons = {(p.row, p.column): p.reason for p in raised.value.problems}
    assert "10.0.0.300" in reasons[(3, "IP 地址")] and "20 位" in reasons[(4, "国标编码")]
    assert "第 2 条" in reasons[(8, "设备编码")]
    assert list(Device.objects.order_by("pk").values()) == before


def test_another_units_system_or_device_code_is_refused(user_of, police, foreign_system):
    device_import.import_device_workbook(user_of("bureau_admin"), workbook([switch(foreign_system)]))
    # unit01 (区经信局) may not import at all; a PM may — the bureau's rows are checked against scope
    with pytest.raises(Exception) as denied:
        device_import.import_device_workbook(user_of("unit_admin_education"), workbook([switch(police)]))
    assert type(denied.value).__name__ == "PermissionDenied"
    rows = [camera("CAM-001", police, upstream_code=""), switch(police)]  # SW-001 belongs to 区经信局's system
    rows[1]["system_id"] = police.pk
    device_import.import_device_workbook(user_of("pm"), workbook([camera("CAM-001", police, upstream_code="")]))
    assert Device.objects.get(code="SW-001").system == foreign_system  # not moved by the file above


def test_a_loop_of_upstream_devices_is_refused(user_of, police):
    rows = [camera("CAM-001", police, upstream_code="CAM-002"), camera("CAM-002", police, upstream_code="CAM-001")]
    with pytest.raises(WorkbookInvalid) as raised:
        device_import.import_device_workbook(user_of("pm"), workbook(rows))
    assert {p.row for p in raised.value.problems} == {2, 3}
    assert all("环路" in p.reason for p in raised.value.problems)
    assert not Device.objects.exclude(code="").exists()


def test_a_missing_required_column_is_named(user_of, police):
    with pytest.raises(WorkbookInvalid) as raised:
        device_import.import_device_workbook(user_of("pm"), workbook([switch(police)],
                                                                     headers=[h for h in HEADERS if h != "设备编码"]))
    assert [(p.row, p.column, p.reason) for p in raised.value.problems] == [(1, "设备编码", "缺少此列")]


def test_export_reads_back_unchanged(user_of, police, client_as):
    device_import.import_device_workbook(user_of("pm"), workbook([switch(police), camera("CAM-001", police)]))
    response = client_as("pm").get(f"/catalog/devices/export.xlsx?system={police.pk}")
    assert response.status_code == 200
    summary = device_import.import_device_workbook(user_of("pm"), response.content)
    # only the registered devices: the tender's summary rows (no code) are in the catalog workbook
    assert summary.as_dict() == {"created": 0, "updated": 0, "unchanged": 2}


def test_api_upsert_and_its_errors(api_as, client, police):
    headers = api_as("pm")
    body = {"devices": [switch(police), camera("CAM-001", police)]}
    response = client.post("/api/v1/devices/upsert", body, content_type="application/json", headers=headers)
    assert response.status_code == 200, response.content
    assert response.json() == {"created": 2, "updated": 0, "unchanged": 0}
    bad = {"devices": [camera("CAM-001", police, ip_address="x"), camera("CAM-002", police, upstream_code="NONE")]}
    response = client.post("/api/v1/devices/upsert", bad, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {("body", "devices", 0, "ip_address"),
                                                                    ("body", "devices", 1, "upstream_code")}
    assert not Device.objects.filter(code="CAM-002").exists()
    unknown = {"devices": [switch(police) | {"colour": "red"}]}
    response = client.post("/api/v1/devices/upsert", unknown, content_type="application/json", headers=headers)
    assert response.status_code == 422 and "colour" in response.content.decode()
    device = Device.objects.get(code="CAM-001")
    topology = client.get(f"/api/v1/devices/{device.pk}/topology", headers=headers).json()
    assert [d["code"] for d in topology["upstream"]] == ["SW-001"] and topology["device"]["code"] == "CAM-001"
    sw = Device.objects.get(code="SW-001")
    behind = client.get(f"/api/v1/devices/{sw.pk}/topology", headers=headers).json()
    assert [d["code"] for d in behind["downstream"]] == ["CAM-001"]


def test_api_excel_import(api_as, client, police):
    headers = api_as("pm")
    upload = io.BytesIO(workbook([switch(police), camera("CAM-001", police, ip_address="bad")]))
    upload.name = "devices.xlsx"
    response = client.post("/api/v1/devices/import", {"file": upload}, headers=headers)
    assert response.status_code == 422
    assert response.json()["detail"] == [{"sheet": "设备台账", "row": 3, "column": "IP 地址",
                                          "reason": "“bad”不是有效的 IP 地址"}]
    upload = io.BytesIO(workbook([switch(police), camera("CAM-001", police)]))
    upload.name = "devices.xlsx"
    response = client.post("/api/v1/devices/import", {"file": upload}, headers=headers)
    assert response.status_code == 200 and response.json()["created"] == 2


def test_topology_api(api_as, client, police, foreign_system, user_of):
    device_import.import_device_workbook(user_of("bureau_admin"), workbook(
        [switch(police), camera("CAM-001", police, upstream_code=""), camera("CAM-002", police, upstream_code=""),
         {"code": "FOREIGN-SW", "system_id": foreign_system.pk, "name": "x", "kind": "交换机"}]))
    headers = api_as("pm")
    links = {"links": [{"code": "CAM-001", "upstream_code": "SW-001"}, {"code": "CAM-002", "upstream_code": "CAM-001"}]}
    response = client.post("/api/v1/devices/topology", links, content_type="application/json", headers=headers)
    assert response.status_code == 200 and response.json() == {"changed": 2}
    assert Device.objects.get(code="CAM-002").upstream.upstream.code == "SW-001"
    loop = {"links": [{"code": "SW-001", "upstream_code": "CAM-002"}]}
    response = client.post("/api/v1/devices/topology", loop, content_type="application/json", headers=headers)
    assert response.status_code == 422 and response.json()["detail"] == [
        {"loc": ["body", "links", 0, "upstream_code"], "msg": "上联关系形成环路"}]
    assert Device.objects.get(code="SW-001").upstream is None
    # a unit admin may not change the topology; and cannot even see another unit's device
    unit_headers = api_as("unit_admin_police")
    response = client.post("/api/v1/devices/topology", {"links": [{"code": "FOREIGN-SW", "upstream_code": None}]},
                           content_type="application/json", headers=unit_headers)
    assert response.status_code == 403
    response = client.post("/api/v1/devices/topology", {"links": [{"code": "CAM-001", "upstream_code": "FOREIGN-SW"}]},
                           content_type="application/json", headers=headers)
    assert response.status_code == 200  # the PM sees the whole district
    foreign = Device.objects.get(code="FOREIGN-SW")
    assert client.get(f"/api/v1/devices/{foreign.pk}/topology", headers=unit_headers).status_code == 404


def test_import_page_lists_problems_and_imports(client_as, police):
    client = client_as("pm")
    assert client.get("/catalog/devices/import/").status_code == 200
    assert client_as("unit_admin_police").get("/catalog/devices/import/").status_code == 403
    upload = io.BytesIO(workbook([switch(police), camera("CAM-001", police, gb28181_id="abc")]))
    upload.name = "d.xlsx"
    response = client.post("/catalog/devices/import/", {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert "国标编码" in page and "20 位数字" in page and not Device.objects.filter(code="SW-001").exists()
    upload = io.BytesIO(workbook([switch(police), camera("CAM-001", police)]))
    upload.name = "d.xlsx"
    response = client.post("/catalog/devices/import/", {"file": upload})
    assert response.status_code == 200 and "新增 2 台" in response.content.decode()


def test_system_page_shows_the_tender_kinds_of_row_23(client_as):
    system = System.objects.get(row_no=23)
    page = client_as("bureau_admin").get(f"/catalog/systems/{system.pk}/").content.decode()
    for kind, count in [("车卡（车辆出入口抓拍机）", 1529), ("多功能设备（AI多摄网络摄像机）", 3638),
                        ("门禁（智慧门禁设备）", 417), ("人卡（社区人脸抓拍机）", 2306)]:
        assert kind in page and f"<td>{count}</td>" in page
    assert "共 7890 台（套）" in page
    # the fragments the page break left: "备）：417 台" in 系统简介, "门禁（智慧门禁设人卡（…" in 配套硬件
    assert "备）：417" not in system.description and "接入软件" not in system.work_content
    assert "设人卡" not in page


def test_reimport_links_a_registered_device_to_a_new_one_of_the_same_file(user_of, police):
    device_import.import_device_workbook(user_of("pm"), workbook([switch(police), camera("CAM-001", police)]))
    new_switch = switch(police) | {"code": "SW-002", "ip_address": "10.23.0.253"}
    rows = [camera("CAM-001", police, upstream_code="SW-002"), new_switch, switch(police)]
    summary = device_import.import_device_workbook(user_of("pm"), workbook(rows))
    assert summary.as_dict() == {"created": 1, "updated": 1, "unchanged": 1}
    assert Device.objects.get(code="CAM-001").upstream.code == "SW-002"
    # only a coordinate changes (the last of six places): an update; the same file again: nothing changes
    rows[0]["latitude"] = "40.130002"
    assert device_import.import_device_workbook(user_of("pm"), workbook(rows)).as_dict() == {
        "created": 0, "updated": 1, "unchanged": 2}
    assert Device.objects.get(code="CAM-001").latitude == Decimal("40.130002")
    assert device_import.import_device_workbook(user_of("pm"), workbook(rows)).as_dict() == {
        "created": 0, "updated": 0, "unchanged": 3}


def test_compact_rows_read_back_every_value():
    # the worker keeps each checked row packed (device_records.CheckedRow); blanks, None and a value holding the
    # separator come back as they went in
    values = {"code": "C-1", "system_id": 3, "name": "摄像机\x1f甲", "kind": "枪机", "device_class": "camera",
              "model": "", "serial_number": "", "location": "顺义区", "town": "", "latitude": Decimal("40.100000"),
              "longitude": Decimal("116.200000"), "ip_address": None, "gb28181_id": "", "upstream_code": "",
              "install_date": dt.date(2024, 1, 1), "warranty_until": None}
    for name in ("摄像机\x1f甲", "摄像机 甲"):
        row = device_records.CheckedRow(values | {"name": name}, where=7)
        assert row.where == 7 and row["name"] == name and row["ip_address"] is None and row.get("serial_number") == ""
        assert row["latitude"] == "40.100000" and row["install_date"] == dt.date(2024, 1, 1)
        assert row.fields() == {f: (str(v) if isinstance(v, Decimal) else v)
                                for f, v in (values | {"name": name}).items() if f in device_records.MODEL_FIELDS}
    assert isinstance(device_records.CheckedRow(values | {"name": "摄像机 甲"})._packed, bytes)


def test_reimport_that_changes_every_field_stores_what_a_new_import_stores(user_of, police, foreign_system):
    """The changed devices are written by core/bulk.update_rows, not the ORM's save: every kind of column
    (text, decimal, date, address, system, upstream) reads back as it does for a device created from the
    same row."""
    pm = user_of("pm")
    device_import.import_device_workbook(pm, workbook([switch(police), camera("CAM-001", police)]))
    changed = camera("CAM-001", police, name="改后", kind="球机", model="iDS-9", location="顺义区杨镇 2 号",
                     town="杨镇", latitude="40.2", longitude="116.7", ip_address="2001:DB8:0:0::1",
                     gb28181_id="11011300001320099999", install_date="2025-01-02", warranty_until="2029-12-31")
    twin = changed | {"code": "CAM-002"}
    summary = device_import.import_device_workbook(pm, workbook([switch(police), changed, twin]))
    assert summary.as_dict() == {"created": 1, "updated": 1, "unchanged": 1}
    fields = [*device_records.MODEL_FIELDS, "upstream_id", "quantity"]
    updated, created = (Device.objects.filter(code=c).values(*fields).get() for c in ("CAM-001", "CAM-002"))
    assert updated == created
    assert updated["latitude"] == Decimal("40.200000") and updated["install_date"] == dt.date(2025, 1, 2)
    assert updated["ip_address"] == "2001:db8::1" and updated["name"] == "改后"
