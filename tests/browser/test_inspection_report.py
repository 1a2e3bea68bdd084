"""The monthly inspection report (a report of the engine, type `inspections.monthly`) in a real browser: the
PM opens it from the list, writes the 巡检总结 and submits it, the unit signs it, and the printable page,
printed to PDF by Chromium, carries the Chinese text (system name, the unit's signature) — proof that
Chinese renders in print, not just in HTML. The old address still leads to it."""

import datetime as dt
import io
import unicodedata

import pytest

from tongyun.catalog.models import System
from tongyun.inspections.models import MovedReport
from tongyun.reports import services, types

pytestmark = pytest.mark.browser
SYSTEM = "智慧顺义基础地理信息平台"


def test_report_submit_sign_and_print_to_pdf(new_page, login, seeded):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    system = System.objects.get(row_no=1)
    report, _created = services.generate(types.get("inspections.monthly"), start=dt.date(2026, 10, 1),
                                         end=dt.date(2026, 10, 31), system=system)
    MovedReport.objects.create(id=report.pk + 1000, report_id=report.pk)  # an address of the old flow

    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "pm")
    page.goto(f"{seeded.url}/inspections/reports/")  # the old list leads to the engine's, filtered
    page.get_by_role("link", name=report.title).click()
    expect(page.get_by_text("本月巡检任务").first).to_be_visible()
    page.get_by_label("巡检总结").fill("本月巡检总体正常，未发现重大隐患。")
    page.get_by_role("button", name="保存编制说明").click()
    page.locator("#submit-report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("签署中")

    unit = new_page(viewport={"width": 1280, "height": 900})
    login(unit, "unit_admin")
    unit.goto(f"{seeded.url}/inspections/reports/{report.pk + 1000}/")  # redirected to the report's page
    unit.get_by_test_id("signoff-form").locator("textarea[name=comment]").fill("确认")
    unit.get_by_test_id("signoff-approve").click()
    expect(unit.get_by_test_id("report-state")).to_have_text("已签署")
    report.refresh_from_db()
    assert report.state == "signed" and report.narratives["巡检总结"].startswith("本月巡检总体正常")
    signer = str(services.signoff_of(report).steps.get(position=1).decided_by)

    unit.goto(f"{seeded.url}/reports/{report.pk}/print/")
    unit.emulate_media(media="print")
    pdf = unit.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(p.extract_text() for p in reader.pages)
    # Noto CJK's ToUnicode maps some shared glyphs to Kangxi radicals (⽉ U+2F49 for 月): NFKC folds them
    # back, except ⼾ which folds to the traditional 戶
    compact = unicodedata.normalize("NFKC", "".join(text.split())).replace("戶", "户")
    assert SYSTEM in compact, text[:500]
    assert "用户单位签字确认" in compact and "月度巡检报告" in compact and "本月巡检总体正常" in compact
    assert "".join(signer.split()) in compact
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 3 and abs(float(box.height) - 842) < 3  # A4 in points
    assert unit.requests.external() == []
