"""Catalog workbook: export, edit, import — all or nothing, every problem named by sheet, row and column."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.utils import translation

from tongyun.catalog.models import Device, SlaTerm, System
from tongyun.catalog.selectors import system_list
from tongyun.catalog.services import import_catalog_workbook
from tongyun.core.excel import WorkbookInvalid

pytestmark = pytest.mark.django_db


def _export(client, query=""):
    response = client.get(f"/catalog/export.xlsx{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def _save(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _column(sheet, header):
    return [c.value for c in sheet[1]].index(header) + 1


def _row_of(sheet, system_id):
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, 1).value == system_id:
            return row
    raise AssertionError(system_id)


def _catalog_state():
    return (
        list(System.objects.order_by("id").values()),
        list(SlaTerm.objects.order_by("id").values()),
        list(Device.objects.order_by("id").values()),
    )


def test_export_holds_every_system_term_and_device(client_as):
    book = _export(client_as("bureau_admin"))
    assert book.sheetnames == ["系统", "SLA条款", "设备"]
    assert book["系统"].max_row - 1 == 154
    assert book["SLA条款"].max_row - 1 == SlaTerm.objects.count()
    assert book["设备"].max_row - 1 == Device.objects.count()
    system = System.objects.get(row_no=1)
    row = _row_of(book["系统"], system.pk)
    assert book["系统"].cell(row, _column(book["系统"], "类别")).value == "城市管理"
    assert book["系统"].cell(row, _column(book["系统"], "用户单位")).value == "区经信局"


def test_export_follows_the_filters_and_scope(client_as):
    book = _export(client_as("bureau_admin"), "?category=教育教务")
    assert book["系统"].max_row - 1 == System.objects.filter(category="教育教务").count()
    book = _export(client_as("unit_admin"))
    assert book["系统"].max_row - 1 == System.objects.filter(unit__name="区经信局").count()


def test_unchanged_round_trip_changes_nothing(client_as, user_of):
    content = _save(_export(client_as("bureau_admin")))
    before = _catalog_state()
    summary = import_catalog_workbook(user_of("bureau_admin"), content)
    assert summary["created"] == summary["updated"] == 0
    assert summary["unchanged"] == 154 + SlaTerm.objects.count() + Device.objects.count()
    assert _catalog_state() == before


def test_edited_workbook_updates_and_creates_with_audit(client_as, user_of):
    book = _export(client_as("bureau_admin"))
    system = System.objects.get(row_no=3)
    sheet = book["系统"]
    sheet.cell(_row_of(sheet, system.pk), _column(sheet, "等保级别")).value = 4
    sheet.cell(_row_of(sheet, system.pk), _column(sheet, "部署类型")).value = "公有云"
    devices = book["设备"]
    devices.append([None, system.pk, None, "交换机", "S5735", "SW-01", "SN123", 2, "三层机房", "10.0.0.1",
                     "2027-06-30"])
    summary = import_catalog_workbook(user_of("bureau_admin"), _save(book))
    assert (summary["updated"], summary["created"]) == (1, 1)
    system.refresh_from_db()
    assert (system.mlps_level, system.deployment_kind) == (4, "public_cloud")
    device = Device.objects.get(serial_number="SN123")
    assert (device.system, device.quantity, str(device.warranty_until)) == (system, 2, "2027-06-30")
    entry = LogEntry.objects.get_for_object(system).latest("timestamp")
    assert entry.actor == user_of("bureau_admin")
    assert entry.changes_dict["mlps_level"][1] == "4"


def test_bad_workbook_names_every_problem_and_changes_nothing(client_as, user_of):
    book = _export(client_as("bureau_admin"))
    systems, terms, devices = book["系统"], book["SLA条款"], book["设备"]
    good_edit = System.objects.get(row_no=4)
    systems.cell(_row_of(systems, good_edit.pk), _column(systems, "系统名称")).value = "改过的名字"  # valid
    bad = System.objects.get(row_no=5)
    bad_row = _row_of(systems, bad.pk)
    systems.cell(bad_row, _column(systems, "类别")).value = "外星科技"
    systems.cell(bad_row, _column(systems, "服务开始")).value = "明年春天"
    systems.cell(bad_row + 1, _column(systems, "用户单位")).value = "不存在的单位"
    terms.cell(2, _column(terms, "响应时限")).value = "很快"
    devices.append([999999999, bad.pk, None, "服务器", "", "", "", 1, "", "", None])
    before = _catalog_state()
    with pytest.raises(WorkbookInvalid) as invalid:
        import_catalog_workbook(user_of("bureau_admin"), _save(book))
    found = {(p.sheet, p.row, p.column) for p in invalid.value.problems}
    assert ("系统", bad_row, "类别") in found
    assert ("系统", bad_row, "服务开始") in found
    assert ("系统", bad_row + 1, "用户单位") in found
    assert ("SLA条款", 2, "响应时限") in found
    assert ("设备", devices.max_row, "ID") in found
    assert all(p.reason for p in invalid.value.problems)
    assert _catalog_state() == before  # the valid edit of row 4 was not applied either


def test_missing_sheet_and_column_are_reported(user_of):
    book = openpyxl.Workbook()
    book.active.title = "系统"
    book.active.append(["ID", "系统名称"])
    with pytest.raises(WorkbookInvalid) as invalid:
        import_catalog_workbook(user_of("bureau_admin"), _save(book))
    found = {(p.sheet, p.column) for p in invalid.value.problems}
    assert ("系统", "用户单位") in found
    assert ("SLA条款", None) in found and ("设备", None) in found


def test_a_file_that_is_not_a_workbook_is_refused(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_as("bureau_admin").post(
        "/catalog/import/", {"file": SimpleUploadedFile("catalog.xlsx", b"not a zip")})
    assert response.status_code == 422
    assert "无法读取 Excel 文件" in response.content.decode()


def test_import_page_lists_problems_with_row_and_column(client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("bureau_admin")
    book = _export(client)
    book["系统"].cell(2, _column(book["系统"], "驻场人数")).value = "三个"
    response = client.post("/catalog/import/", {"file": SimpleUploadedFile("c.xlsx", _save(book))})
    assert response.status_code == 422
    page = response.content.decode()
    assert "驻场人数" in page and "“三个”不是整数" in page


def test_only_the_bureau_admin_may_import(client_as, user_of):
    assert client_as("unit_admin").get("/catalog/import/").status_code == 403
    content = _save(_export(client_as("unit_admin")))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        import_catalog_workbook(user_of("unit_admin"), content)


def test_a_workbook_exported_in_english_imports(client_as, user_of):
    client = client_as("bureau_admin")
    client.post("/i18n/setlang/", {"language": "en"})
    book = _export(client)
    with translation.override("zh-hans"):
        summary = import_catalog_workbook(user_of("bureau_admin"), _save(book))
    assert summary["updated"] == 0
    assert len(system_list(user_of("bureau_admin"))) == 154
