"""The security officer records a finding found by a scan, records its fix with evidence and verifies it,
in a real browser."""

import re

import pytest

from tongyun.catalog.models import System
from tongyun.parties.choices import Role
from tongyun.parties.models import User
from tongyun.security.models import Finding

pytestmark = pytest.mark.browser

TITLE = "门户网站存在高危弱口令（漏洞扫描）"


def test_security_officer_records_a_finding_and_its_fix(new_page, login, nav_link, seeded, tmp_path):
    from playwright.sync_api import expect

    system = System.objects.get(row_no=3)
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "security")
    nav_link(page, "安全问题整改").click()
    expect(page.get_by_role("heading", name="安全问题整改")).to_be_visible()
    page.locator("main a", has_text="登记安全问题").click()
    page.select_option("select[name=system]", str(system.pk))
    page.fill("input[name=title]", TITLE)
    page.select_option("select[name=severity]", "high")
    page.select_option("select[name=source]", "scan")
    page.fill("textarea[name=description]", "admin 账号使用弱口令")
    page.fill("input[name=found_at]", "2026-09-30T18:30")
    page.fill("input[name=limit_value]", "24")
    page.select_option("select[name=limit_unit]", "hour")
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/security/findings/\d+/$"))
    finding = Finding.objects.get(title=TITLE)
    expect(page.get_by_test_id("status")).to_have_text("待整改")
    # 24 calendar hours, across the National Day holiday
    expect(page.get_by_test_id("due")).to_contain_text("2026-10-01 18:30")

    evidence = tmp_path / "修复截图.png"
    evidence.write_bytes(b"\x89PNG\r\n\x1a\n fixed")
    fix = page.get_by_test_id("fix-form")
    fix.locator("textarea[name=description]").fill("已修改为强口令并启用登录失败锁定")
    fix.locator("input[name=evidence]").set_input_files(str(evidence))
    fix.get_by_role("button", name="提交整改").click()
    expect(page.get_by_test_id("status")).to_have_text("已整改待验证")
    expect(page.get_by_role("link", name="整改证明")).to_be_visible()

    verify = page.get_by_test_id("verify-form")
    verify.locator("select[name=accepted]").select_option("1")
    verify.locator("textarea[name=note]").fill("复测通过")
    verify.get_by_role("button", name="提交验证结果").click()
    # verified by the officer; the system's unit confirms on its own page (sign-off officer → unit)
    expect(page.get_by_test_id("status")).to_have_text("已整改待验证")
    unit_admin = User.objects.filter(role=Role.UNIT_ADMIN, organisation=system.unit).order_by("id").first()
    unit_page = new_page(viewport={"width": 1280, "height": 900})
    login(unit_page, unit_admin.username)
    unit_page.goto(page.url)
    confirm = unit_page.get_by_test_id("verify-form")
    confirm.locator("select[name=accepted]").select_option("1")
    confirm.locator("textarea[name=note]").fill("单位确认")
    confirm.get_by_role("button", name="提交验证结果").click()
    expect(unit_page.get_by_test_id("status")).to_have_text("已验证关闭")
    finding.refresh_from_db()
    assert finding.status == "closed" and finding.fix_evidence and finding.fixed_at is not None
    assert [e.action for e in finding.events.all()] == ["recorded", "fixed", "verified"]

    nav_link(page, "安全问题整改").click()
    expect(page.get_by_test_id("finding-table")).to_contain_text(TITLE)
    assert not page.requests.external(), page.requests.external()
