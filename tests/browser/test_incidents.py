"""An incident in a real browser: the dispatcher logs a phone report and dispatches it; the engineer,
on a phone, finds it in 我的工单, watches the response countdown tick and acknowledges it."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.incidents.models import Incident

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TITLE = "地图服务无法访问（电话报障）"


def test_phone_report_dispatch_and_acknowledge_on_a_phone(new_page, login, nav_link, seeded, tmp_path):
    from playwright.sync_api import expect

    system = System.objects.get(row_no=1)  # 区经信局, assigned to `engineer`; 紧急: 30 分钟响应
    assert system.assignments.filter(user__username="engineer").exists()

    # 1. The dispatcher logs the call, received ten minutes ago.
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "dispatcher")
    nav_link(page, "故障工单").click()
    page.get_by_test_id("report-link").click()
    expect(page.get_by_role("heading", name="报障")).to_be_visible()
    received = timezone.localtime(timezone.now() - dt.timedelta(minutes=10))
    page.select_option("select[name=system]", str(system.pk))
    page.select_option("select[name=severity]", "urgent")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", "用户来电：地图服务打不开")
    page.select_option("select[name=source]", "phone")
    page.fill("input[name=reporter_name]", "王科长")
    page.fill("input[name=reporter_phone]", "010-69440000")
    page.fill("input[name=reported_at]", received.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_test_id("report-form").get_by_role("button", name="提交报障").click()

    expect(page).to_have_url(re.compile(r"/incidents/\d+/$"))
    incident = Incident.objects.get(title=TITLE)
    assert incident.source == "phone" and incident.reported_at == received.replace(second=0, microsecond=0)
    expect(page.get_by_test_id("incident-number")).to_have_text(incident.number)
    expect(page.get_by_test_id("incident-state")).to_have_text("已报告")
    expect(page.locator("[data-clock=response] [data-testid=countdown]")).to_contain_text("剩余")

    # ... and dispatches it to the engineer.
    dispatch = page.get_by_test_id("action-dispatch")
    engineer = system.assignments.get(user__username="engineer").user
    dispatch.locator("select[name=dispatch-assignee]").select_option(str(engineer.pk))
    dispatch.get_by_role("button", name="派单").click()
    expect(page.get_by_test_id("incident-state")).to_have_text("已派单")
    expect(page.get_by_test_id("incident-assignee")).to_have_text(str(engineer))
    assert page.requests.external() == []

    # 2. The engineer, on a phone, opens 我的工单.
    phone = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, "engineer")
    expect(phone.get_by_test_id("unread-count")).to_have_text("1")  # the "new dispatch" notification
    phone.get_by_test_id("menu-toggle").click()  # the menu is folded on a phone
    phone.get_by_role("link", name="我的工单").click()  # every group is open on a phone
    card = phone.locator(f"[data-testid=incident-card][data-incident='{incident.pk}']")
    expect(card).to_be_visible()
    expect(card).to_contain_text(TITLE)
    expect(card.get_by_test_id("card-state")).to_have_text("已派单")

    # The response countdown ticks in the browser (countdown.js, every second).
    countdown = card.get_by_test_id("countdown").first
    # (a response target of 20 minutes less the time this test has taken so far, on a busy machine too)
    expect(countdown).to_have_text(re.compile(r"^剩余 \d{1,2} 分 \d\d 秒$"))
    before = countdown.inner_text()
    assert 0 < int(re.match(r"剩余 (\d+) 分", before).group(1)) <= 20
    expect(countdown).not_to_have_text(before, timeout=5_000)
    assert "running" in countdown.get_attribute("class")
    phone.screenshot(path=tmp_path / "my-queue-phone.png", full_page=True)

    # The queue page does not scroll sideways on a phone.
    scroll_width = phone.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= PHONE["width"] + 1, scroll_width

    # 3. One tap acknowledges; the ticket stays in the queue with its new state.
    phone.locator(f"[data-testid=queue-item-{incident.pk}] [data-testid=queue-acknowledge]").click()
    expect(phone).to_have_url(re.compile(r"/incidents/mine/$"))
    expect(card.get_by_test_id("card-state")).to_have_text("已响应")
    incident.refresh_from_db()
    assert incident.state == "acknowledged" and incident.acknowledged_at is not None
    assert phone.requests.external() == []
