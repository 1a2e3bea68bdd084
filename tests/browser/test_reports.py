"""The report engine in a real browser: the PM submits a system's monthly O&M report from its page, the
unit's administrator signs it in the sign-off panel, and the report reads 已签署."""

import datetime as dt

import pytest

from tongyun.catalog.models import System
from tongyun.reports import services, types

pytestmark = pytest.mark.browser


def test_pm_submits_and_the_unit_signs(new_page, login, seeded):
    from playwright.sync_api import expect

    system = System.objects.get(row_no=1)
    report, _created = services.generate(types.get("om_monthly_system"), start=dt.date(2026, 10, 1),
                                         end=dt.date(2026, 10, 31), system=system)

    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "pm")
    page.goto(f"{seeded.url}/reports/{report.pk}/")
    expect(page.get_by_test_id("report-state")).to_have_text("草稿")
    page.locator("#submit-report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("签署中")

    unit = new_page(viewport={"width": 1280, "height": 900})
    login(unit, "unit_admin")
    unit.goto(f"{seeded.url}/reports/{report.pk}/")
    expect(unit.get_by_text(system.name).first).to_be_visible()
    unit.get_by_test_id("signoff-form").locator("textarea[name=comment]").fill("确认")
    unit.get_by_test_id("signoff-approve").click()
    expect(unit.get_by_test_id("report-state")).to_have_text("已签署")
    report.refresh_from_db()
    assert report.state == "signed"
    assert unit.requests.external() == []
