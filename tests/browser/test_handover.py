"""The end-of-term hand-over in a real browser: the unit's administrator opens their system's checklist,
confirms an item the contractor handed over and sees the progress move; the bureau sees the district's
progress. Screenshots of both pages are saved into tmp_path."""

import datetime as dt

import pytest

from tongyun.catalog.models import System
from tongyun.handover import services
from tongyun.handover.models import Item
from tongyun.parties.models import User

pytestmark = pytest.mark.browser


def test_the_unit_confirms_an_item_and_the_bureau_sees_progress(new_page, login, seeded, tmp_path):
    from playwright.sync_api import expect

    system = System.objects.get(row_no=1)  # 区经信局's, signed for by unit_admin
    other = System.objects.get(row_no=2)
    bureau, pm = User.objects.get(username="bureau_admin"), User.objects.get(username="pm")
    assert services.open_checklists(bureau, systems=[system, other]) == 2
    documents = Item.objects.get(checklist__system=system, kind="documents")
    services.hand_over(pm, documents, handed_over_on=dt.date(2026, 12, 31), detail="运维手册、接口清单")
    total = Item.objects.filter(checklist__system=system).count()

    unit = new_page(viewport={"width": 1280, "height": 900})
    login(unit, "unit_admin")
    unit.goto(f"{seeded.url}/handover/")
    unit.get_by_test_id("checklists").get_by_role("link", name=system.name).click()
    expect(unit.get_by_role("heading", name=f"移交清单 · {system.row_no} {system.name}")).to_be_visible()
    expect(unit.get_by_text(f"已确认 0/{total}")).to_be_visible()
    item = unit.get_by_test_id("item-documents")
    expect(item.locator(".badge").first).to_have_text("待确认")
    expect(item.get_by_text("运维手册、接口清单")).to_be_visible()
    item.get_by_test_id("signoff-form").locator("textarea[name=comment]").fill("已收到全部技术文档")
    item.get_by_test_id("signoff-approve").click()
    item = unit.get_by_test_id("item-documents")
    expect(item.locator(".badge").first).to_have_text("已确认")
    expect(unit.get_by_text(f"已确认 1/{total}")).to_be_visible()
    expect(item.get_by_test_id("signoff-form")).to_have_count(0)  # confirmed once, not again
    unit.screenshot(path=tmp_path / "handover-unit-checklist.png", full_page=True)
    documents.refresh_from_db()
    assert documents.state == "confirmed"
    assert unit.requests.external() == []

    office = new_page(viewport={"width": 1280, "height": 900})
    login(office, "bureau_admin")
    office.goto(f"{seeded.url}/handover/")
    progress = office.get_by_test_id("handover-progress")
    expect(progress).to_contain_text("系统 2 个")
    expect(progress).to_contain_text("已确认 1")
    row = office.get_by_test_id("checklists").locator("tr", has_text=system.name)
    expect(row).to_contain_text(f"1/{total}")
    expect(office.get_by_test_id("checklists").locator("tr", has_text=other.name)).to_contain_text("0/")
    office.screenshot(path=tmp_path / "handover-bureau-progress.png", full_page=True)
    assert (tmp_path / "handover-unit-checklist.png").stat().st_size > 0
    assert (tmp_path / "handover-bureau-progress.png").stat().st_size > 0
