"""Excel in and out of the inventory and the findings; the API (quota, strict bodies, 404s)."""

import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tongyun.core.excel import WorkbookInvalid
from tongyun.security import excel, inventory, services
from tongyun.security.choices import MlpsStatus
from tongyun.security.models import Assessment, Finding, MlpsRecord, SoftwareItem


def _book(sheet: str, header: list, rows: list) -> bytes:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


SOFTWARE_HEADER = ["系统序号", "系统名称", "类别", "名称", "版本", "备注"]
FINDING_HEADER = ["系统序号", "系统名称", "问题", "风险等级", "来源", "发现时间", "整改时限", "时限单位", "说明",
                  "整改期限", "状态"]


def test_software_round_trip(user_of, system_of):
    officer = user_of("security")
    system = system_of("区经信局")
    inventory.save_software(officer, system, kind="os", name="麒麟 V10", version="SP1")
    content = excel.export_inventory(officer, {})
    sheet = openpyxl.load_workbook(io.BytesIO(content))["软件清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(SOFTWARE_HEADER)
    assert (system.row_no, system.name, "操作系统", "麒麟 V10", "SP1") == rows[1][:5]
    changed = _book("软件清单", SOFTWARE_HEADER, [[system.row_no, "", "操作系统", "麒麟 V10", "SP3", ""],
                                              [system.row_no, "", "数据库", "达梦 DM8", "8.1", "主库"]])
    assert excel.import_inventory(officer, changed) == 2
    assert dict(SoftwareItem.objects.filter(system=system).values_list("name", "version")) == {
        "麒麟 V10": "SP3", "达梦 DM8": "8.1"}


def test_bad_inventory_names_row_and_column_and_changes_nothing(user_of, system_of):
    officer = user_of("security")
    system = system_of("区经信局")
    bad = _book("软件清单", SOFTWARE_HEADER, [[system.row_no, "", "操作系统", "好的一行", "1", ""],
                                          [system.row_no, "", "固件", "坏类别", "1", ""],
                                          [9999, "", "数据库", "没有的系统", "1", ""],
                                          ["abc", "", "数据库", "", "1", ""]])
    with pytest.raises(WorkbookInvalid) as invalid:
        excel.import_inventory(officer, bad)
    where = {(p.row, p.column) for p in invalid.value.problems}
    assert {(3, "类别"), (4, "系统序号"), (5, "系统序号"), (5, "名称")} <= where
    assert not SoftwareItem.objects.exists()
    # another unit's system is "not found" for a unit-scoped user, and a unit cannot import at all
    with pytest.raises(PermissionDenied):
        excel.import_inventory(user_of("unit01"), bad)


def test_findings_import_with_deadlines_and_errors(user_of, system_of):
    officer = user_of("security")
    system = system_of("区经信局")
    good = _book("安全问题", FINDING_HEADER, [
        [system.row_no, "", "弱口令", "高危", "漏洞扫描", "2026-09-30 18:00", 24, "小时", "", "", ""]])
    assert excel.import_findings(officer, good) == 1
    finding = Finding.objects.get(title="弱口令")
    assert finding.due_at.isoformat().startswith("2026-10-01T10:00")  # UTC of 18:00 Shanghai
    bad = _book("安全问题", FINDING_HEADER, [
        [system.row_no, "", "另一个", "高危", "漏洞扫描", "2026-09-31 18:00", 24, "小时", "", "", ""],
        [system.row_no, "", "第三个", "极高", "漏洞扫描", "2026-09-30 18:00", 0, "小时", "", "", ""]])
    with pytest.raises(WorkbookInvalid) as invalid:
        excel.import_findings(officer, bad)
    assert {(2, "发现时间"), (3, "风险等级"), (3, "整改时限")} <= {(p.row, p.column) for p in invalid.value.problems}
    assert Finding.objects.count() == 1
    exported = openpyxl.load_workbook(io.BytesIO(excel.export_findings(officer, {})))["安全问题"]
    assert list(exported.iter_rows(values_only=True))[1][2] == "弱口令"


def test_import_page_shows_the_problems(client_as, system_of):
    bad = _book("软件清单", SOFTWARE_HEADER, [[9999, "", "操作系统", "x", "1", ""]])
    response = client_as("security").post("/security/software/import/",
                                          {"file": SimpleUploadedFile("bad.xlsx", bad)})
    page = response.content.decode()
    assert response.status_code == 200 and "第 2 行" in page and "系统序号" in page
    assert not SoftwareItem.objects.exists()


@pytest.fixture
def register(db):
    services.seed_mlps_register()
    return MlpsRecord.objects


def test_api_quota_and_stages(register, api_as, client):
    bureau = api_as("bureau_admin")
    candidates = list(register.filter(level=2).exclude(status=MlpsStatus.UNIT_OWN).values_list("system_id",
                                                                                                 flat=True)[:39])
    for system_id in candidates[:38]:
        assert client.post("/api/v1/security/assessments", {"system_id": system_id}, content_type="application/json",
                           headers=bureau).status_code == 201
    refused = client.post("/api/v1/security/assessments", {"system_id": candidates[38]},
                          content_type="application/json", headers=bureau)
    assert refused.status_code == 422 and "38" in refused.content.decode()
    unknown = client.post("/api/v1/security/assessments", {"system_id": candidates[38], "levle": 2},
                          content_type="application/json", headers=bureau)
    assert unknown.status_code == 422 and "levle" in unknown.content.decode()
    progress = client.get("/api/v1/security/assessments/progress", headers=bureau).json()
    assert progress["levels"][0] == {"level": 2, "quota": 38, "selected": 38, "done": 0,
                                     "stages": {"filing": 38, "gap": 0, "remediation": 0, "formal": 0, "report": 0,
                                                "done": 0}}
    assessment = Assessment.objects.get(system_id=candidates[0])
    officer = api_as("security")
    url = f"/api/v1/security/assessments/{assessment.pk}"
    for _stage in range(4):
        assert client.post(f"{url}/advance", {"completed_on": "2026-04-01"}, content_type="application/json",
                           headers=officer).status_code == 200
    missing = client.post(f"{url}/advance", {"completed_on": "2026-04-01", "score": "90", "conclusion": "conform"},
                          content_type="application/json", headers=officer)
    assert missing.status_code == 422 and "report" in missing.content.decode()
    upload = client.post(f"{url}/report", {"report": SimpleUploadedFile("report.pdf", b"%PDF-1.4")}, headers=officer)
    assert upload.status_code == 200 and upload.json()["has_report"]
    done = client.post(f"{url}/advance", {"completed_on": "2026-04-02", "score": "90", "conclusion": "conform"},
                       content_type="application/json", headers=officer).json()
    assert done["stage"] == "done" and len(done["steps"]) == 5


def test_api_findings_fix_verify_and_cross_unit_404(api_as, client, system_of, user_of):
    system = system_of("区经信局")
    officer = api_as("security")
    created = client.post("/api/v1/security/findings", {
        "system_id": system.pk, "title": "API 问题", "severity": "high", "source": "scan",
        "found_at": "2026-09-30T18:00:00+08:00", "owner": "engineer"}, content_type="application/json",
        headers=officer)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["due_at"].startswith("2026-10-01T18:00") and body["owner"] == "engineer" and body["overdue"]
    finding_id = body["id"]
    control = client.post("/api/v1/security/findings", {"system_id": system.pk, "title": "a\x00b", "severity": "high"},
                          content_type="application/json", headers=officer)
    assert control.status_code == 422 and "title" in control.content.decode()
    for viewer in ("unit_admin_education", "electrician"):
        headers = api_as(viewer)
        assert client.get(f"/api/v1/security/findings/{finding_id}", headers=headers).status_code == 404
        assert client.post(f"/api/v1/security/findings/{finding_id}/verify", {"accepted": True},
                           content_type="application/json", headers=headers).status_code == 404
        assert client.post("/api/v1/security/findings", {"system_id": system.pk, "title": "x", "severity": "high"},
                           content_type="application/json", headers=headers).status_code == 404
        listed = client.get("/api/v1/security/findings", headers=headers).json()["results"]
        assert all(item["id"] != finding_id for item in listed)
    engineer = api_as("engineer")
    fixed = client.post(f"/api/v1/security/findings/{finding_id}/fix",
                        {"description": "已修复", "evidence": SimpleUploadedFile("fix.png", b"\x89PNG")},
                        headers=engineer)
    assert fixed.status_code == 200 and fixed.json()["status"] == "fixed"
    assert client.post(f"/api/v1/security/findings/{finding_id}/verify", {"accepted": True},
                       content_type="application/json", headers=engineer).status_code == 403
    verified = client.post(f"/api/v1/security/findings/{finding_id}/verify", {"accepted": True, "note": "ok"},
                           content_type="application/json", headers=officer)
    assert verified.json()["status"] == "fixed"  # the unit confirms next
    confirmed = client.post(f"/api/v1/security/findings/{finding_id}/verify", {"accepted": True, "note": "确认"},
                            content_type="application/json", headers=api_as("unit01"))
    assert confirmed.json()["status"] == "closed"
    assert client.get(f"/api/v1/security/findings/{finding_id}", headers=api_as("unit01")).status_code == 200


ITEM_HEADER = ["系统序号", "系统名称", "类别", "名称", "数量", "到期日", "更换周期（月）", "上次更换", "提前续期（月）",
               "到期前安装（天）", "签发/供应方", "备注", "应办日期", "续期提醒自", "安装窗口自"]


def test_expiring_items_import_export_round_trip_and_errors(user_of, system_of, client_as):
    import datetime as dt

    from django.utils import timezone

    from tongyun.security.models import ExpiringItem, Reminder

    pm, system = user_of("pm"), system_of("区经信局")
    soon = timezone.localdate() + dt.timedelta(days=5)
    good = _book("到期事项", ITEM_HEADER, [
        [system.row_no, "", "HTTPS 证书", "门户 HTTPS 证书", 1, soon, None, None, 1, 7, "CFCA", "", None, None, None],
        [system.row_no, "", "电池", "信标电池", 40, None, 48, dt.date(2024, 3, 1), 2, 0, "", "", None, None, None]])
    assert excel.import_items(pm, good) == 2
    certificate = ExpiringItem.objects.get(name="门户 HTTPS 证书")
    assert certificate.install_from == soon - dt.timedelta(days=7) and certificate.issuer == "CFCA"
    assert Reminder.objects.filter(item=certificate, kind="install").exists()  # inside the last week: at once
    assert ExpiringItem.objects.get(name="信标电池").due_on == dt.date(2028, 3, 1)
    # the export reads back in: the same items are updated, not duplicated
    exported = excel.export_items(pm, {})
    assert excel.import_items(pm, exported) >= 2
    assert ExpiringItem.objects.filter(name__in=["门户 HTTPS 证书", "信标电池"]).count() == 2
    before = sorted(ExpiringItem.objects.values_list("name", "due_on"))
    bad = _book("到期事项", ITEM_HEADER, [
        [system.row_no, "", "HTTPS 证书", "新证书", 1, soon, None, None, 1, 7, "", "", None, None, None],
        [system.row_no, "", "HTTPS 证书", "没有日期", 1, None, None, None, 1, 0, "", "", None, None, None],
        [9999, "", "许可证", "x", 1, soon, None, None, -1, 0, "", "", None, None, None]])
    with pytest.raises(WorkbookInvalid) as invalid:
        excel.import_items(pm, bad)
    assert {(4, "系统序号"), (4, "提前续期（月）")} <= {(p.row, p.column) for p in invalid.value.problems}
    assert sorted(ExpiringItem.objects.values_list("name", "due_on")) == before  # nothing changed
    with pytest.raises(WorkbookInvalid) as invalid:  # the sheet is fine, a row's save is refused
        excel.import_items(pm, _book("到期事项", ITEM_HEADER, [
            [system.row_no, "", "HTTPS 证书", "新证书", 1, soon, None, None, 1, 7, "", "", None, None, None],
            [system.row_no, "", "HTTPS 证书", "没有日期", 1, None, None, None, 1, 0, "", "", None, None, None]]))
    assert [(p.row, p.column) for p in invalid.value.problems] == [(3, "到期日")]
    assert not ExpiringItem.objects.filter(name="新证书").exists()  # the good row rolled back too
    with pytest.raises(PermissionDenied):
        excel.import_items(user_of("unit_admin"), good)
    page = client_as("pm").post("/security/items/import/", {"file": SimpleUploadedFile("bad.xlsx", bad)})
    assert page.status_code == 200 and "第 4 行" in page.content.decode()
