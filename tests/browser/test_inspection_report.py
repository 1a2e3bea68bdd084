"""The monthly inspection report in a real browser: the PM opens the report from the list, submits it,
the unit confirms it, and the printable page, printed to PDF by Chromium, carries the Chinese text
(system name, signature) — proof that Chinese renders in print, not just in HTML."""

import datetime as dt
import io
import unicodedata

import pytest

from tongyun.catalog.models import System
from tongyun.inspections import services
from tongyun.inspections.models import MonthlyInspectionReport

pytestmark = pytest.mark.browser
SYSTEM = "智慧顺义基础地理信息平台"


def test_report_submit_confirm_and_print_to_pdf(new_page, login, seeded):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    system = System.objects.get(row_no=1)
    services.generate_monthly_reports("2026-10", systems=[system])
    report = MonthlyInspectionReport.objects.get(system=system, month=dt.date(2026, 10, 1))

    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "pm")
    page.goto(f"{seeded.url}/inspections/reports/?month=2026-10")
    page.get_by_test_id("report-table").get_by_role("link", name=SYSTEM).click()
    expect(page.get_by_test_id("report-title")).to_contain_text(SYSTEM)
    page.get_by_test_id("report-form").locator("textarea[name=summary]").fill("本月巡检总体正常，未发现重大隐患。")
    page.get_by_test_id("report-form").get_by_role("button").click()
    page.get_by_test_id("report-submit").click()
    expect(page.get_by_test_id("report-state")).to_have_text("已提交")

    unit = new_page(viewport={"width": 1280, "height": 900})
    login(unit, "unit_admin")
    unit.goto(f"{seeded.url}/inspections/reports/{report.pk}/")
    unit.get_by_test_id("report-confirm").click()
    expect(unit.get_by_test_id("report-state")).to_have_text("已确认")
    report.refresh_from_db()
    signer = str(report.confirmed_by)

    unit.goto(f"{seeded.url}/inspections/reports/{report.pk}/print/")
    expect(unit.get_by_test_id("print-title")).to_contain_text(SYSTEM)
    unit.emulate_media(media="print")
    pdf = unit.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    # Noto CJK's ToUnicode maps some shared glyphs to Kangxi radicals (⽉ U+2F49 for 月): NFKC folds them
    # back, except ⼾ which folds to the traditional 戶
    compact = unicodedata.normalize("NFKC", "".join(text.split())).replace("戶", "户")
    assert SYSTEM in compact, text[:500]
    assert "签字确认" in compact and "月度巡检报告" in compact
    assert "".join(signer.split()) in compact
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 in points
    assert unit.requests.external() == []
