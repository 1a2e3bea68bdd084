"""Home = my work, in a real browser: each role's home shows its own items (screenshots of each are saved
for the hand-in), the engineer's day on a 390×844 phone without sideways scrolling on any page it visits,
and the bureau's district overview whose figures open their lists."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.utils import timezone

from tongyun.catalog.models import System

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
SHOTS = Path(os.environ.get("TONGYUN_SHOTS", "/work/brief/shots"))


def _expect():
    from playwright.sync_api import expect

    return expect


def _shot(page, name: str, tmp_path) -> None:
    target = SHOTS if SHOTS.parent.is_dir() else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=target / f"{name}.png", full_page=True)


def _no_sideways_scroll(page, where: str) -> None:
    width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, (where, width, inner)


@pytest.fixture
def work(seeded):
    """A day's work: tickets in several states, inspections due and overdue."""
    from tongyun.incidents import services
    from tongyun.inspections.models import InspectionPlan, InspectionTask
    from tongyun.parties.models import User

    users = {u.username: u for u in User.objects.filter(username__in=[
        "dispatcher", "engineer", "unit_admin", "pm", "bureau_admin"])}
    row1 = System.objects.get(row_no=1)  # 区经信局, assigned to the engineer
    now = timezone.now()

    def report(title, ago=dt.timedelta(0), severity="urgent", by="dispatcher"):
        return services.report_incident(users[by], system=row1, title=title, severity=severity,
                                        reported_at=now - ago, now=now)

    unassigned = report("地图服务无法访问", ago=dt.timedelta(hours=2))
    mine = report("门户网站登录失败", severity="serious")
    services.take_action(users["dispatcher"], mine, "dispatch", assignee=users["engineer"])
    resolved = report("内网打印服务中断", by="unit_admin", severity="general")
    services.take_action(users["dispatcher"], resolved, "dispatch", assignee=users["engineer"])
    for action in ("acknowledge", "start"):
        services.take_action(users["engineer"], resolved, action)
    services.take_action(users["engineer"], resolved, "resolve", cause="驱动异常", action_taken="重装驱动")
    today = timezone.localdate()
    plan = InspectionPlan.objects.create(system=row1, name="月度巡检", frequency="monthly")
    overdue = InspectionTask.objects.create(plan=plan, system=row1, scheduled_for=today - dt.timedelta(days=8),
                                            due_date=today - dt.timedelta(days=1), assignee=users["engineer"])
    due_today = InspectionTask.objects.create(plan=plan, system=row1, scheduled_for=today, due_date=today,
                                              assignee=users["engineer"])
    return {"unassigned": unassigned, "mine": mine, "resolved": resolved, "overdue": overdue,
            "due_today": due_today}


def test_each_roles_home_shows_its_own_work(new_page, login, work, tmp_path):
    expect = _expect()
    my_work = "[data-testid=my-work]"

    page = new_page(viewport=DESKTOP)
    login(page, "dispatcher")
    section = page.locator(my_work)
    expect(section.locator(f"a[href='/incidents/{work['unassigned'].pk}/']")).to_be_visible()
    expect(section.locator("a[href='/incidents/?clock=unassigned']")).to_be_visible()
    expect(section.locator("a[href='/inspections/overdue/']")).to_be_visible()
    expect(page.locator("#category-chart")).to_have_count(0)  # the counts+pie landing is gone
    _shot(page, "home-dispatcher", tmp_path)

    page = new_page(viewport=DESKTOP)
    login(page, "unit_admin")
    expect(page.get_by_test_id("report-button")).to_be_visible()
    section = page.locator(my_work)
    expect(section.locator(".work-group", has_text="待我确认修复")
           .locator(f"a[href='/incidents/{work['resolved'].pk}/']")).to_be_visible()
    expect(section.locator(f"a[href='/incidents/{work['unassigned'].pk}/']")).to_be_visible()
    _shot(page, "home-unit-admin", tmp_path)
    page.get_by_test_id("report-button").click()
    expect(page).to_have_url(re.compile(r"/incidents/new/$"))

    page = new_page(viewport=DESKTOP)
    login(page, "pm")
    expect(page.locator(my_work).locator("a[href='/incidents/?clock=breached']")).to_be_visible()
    expect(page.get_by_test_id("district-figures")).to_have_count(0)
    _shot(page, "home-pm", tmp_path)

    for username in ("bureau_admin", "supervisor"):
        page = new_page(viewport=DESKTOP)
        login(page, username)
        figures = page.get_by_test_id("district-figures")
        expect(figures.locator("[data-indicator='incidents.open_breached']")).to_be_visible()
        expect(page.locator(my_work).locator("a[href='/incidents/?clock=breached']")).to_be_visible()
        _shot(page, f"home-{username.replace('_', '-')}", tmp_path)

    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(page, "engineer")
    section = page.locator(my_work)
    expect(section.locator(f"a[href='/incidents/{work['mine'].pk}/']")).to_be_visible()
    expect(section.locator(f"a[href='/inspections/tasks/{work['overdue'].pk}/']")).to_be_visible()
    expect(section.locator(f"a[href='/inspections/tasks/{work['due_today'].pk}/']")).to_be_visible()
    expect(section.locator(f"a[href='/incidents/{work['unassigned'].pk}/']")).to_have_count(0)
    _shot(page, "home-engineer-phone", tmp_path)
    assert page.requests.external() == []


def test_the_engineers_day_on_a_phone_never_scrolls_sideways(new_page, login, work, seeded, tmp_path):
    expect = _expect()
    page = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(page, "engineer")
    _no_sideways_scroll(page, "home")
    # the menu is folded: the page starts with the work, not with 20 links
    nav = page.get_by_test_id("nav-items")
    expect(nav).to_be_hidden()
    assert page.get_by_test_id("my-work").bounding_box()["y"] < PHONE["height"] * 0.45
    page.get_by_test_id("menu-toggle").click()
    expect(nav).to_be_visible()
    page.get_by_test_id("menu-toggle").click()
    expect(nav).to_be_hidden()

    # the ticket from the work list: deadline at the top, the next action first
    page.locator(f"[data-testid=my-work] a[href='/incidents/{work['mine'].pk}/']").click()
    expect(page.get_by_test_id("deadline-strip")).to_be_visible()
    assert page.get_by_test_id("deadline-strip").bounding_box()["y"] < PHONE["height"]
    _no_sideways_scroll(page, "ticket")
    expect(page.locator(".primary-action")).to_have_count(1)
    page.locator(".primary-action button[type=submit]").click()  # 响应
    expect(page.get_by_test_id("incident-state")).to_have_text("已响应")
    expect(page.locator(".primary-action")).to_have_attribute("data-testid", "action-arrive")
    page.locator(".primary-action button[type=submit]").click()  # 到达现场
    expect(page.get_by_test_id("incident-state")).to_have_text("已到场")
    expect(page.locator(".primary-action")).to_have_attribute("data-testid", "action-start")
    page.locator(".primary-action button[type=submit]").click()  # 开始处理
    expect(page.get_by_test_id("incident-state")).to_have_text("处理中")
    # work has started: 到达现场 is no longer offered; 修复完成 is the primary card, the rest folded
    expect(page.get_by_test_id("action-arrive")).to_have_count(0)
    expect(page.locator(".primary-action")).to_have_attribute("data-testid", "action-resolve")
    expect(page.get_by_test_id("action-wait_parts")).to_be_hidden()
    _no_sideways_scroll(page, "ticket in progress")
    _shot(page, "engineer-ticket-phone", tmp_path)

    # the spare-part request of the ticket, the inspection task, the queue, the notifications
    for url, where in ((f"/spares/incidents/{work['mine'].pk}/replacement/", "spare-part request"),
                       (f"/inspections/tasks/{work['due_today'].pk}/", "inspection task"),
                       ("/incidents/mine/", "my queue"), ("/incidents/notifications/", "notifications"),
                       (f"/incidents/{work['mine'].pk}/", "ticket again")):
        response = page.goto(seeded.url + url)
        assert response.status == 200, (where, response.status)
        _no_sideways_scroll(page, where)
    assert page.requests.external() == []


def test_the_bureau_opens_the_overview_and_clicks_through_a_figure(new_page, login, work, seeded, tmp_path):
    expect = _expect()
    page = new_page(viewport=DESKTOP)
    login(page, "bureau_admin")
    page.get_by_test_id("district-figures").get_by_role("link", name="查看区级总览").click()
    expect(page).to_have_url(re.compile(r"/overview/$"))
    overview = page.get_by_test_id("overview")
    # the charts are drawn by the vendored ECharts
    expect(page.locator("[data-panel] canvas, [data-panel] svg").first).to_be_visible()
    assert page.evaluate("typeof window.echarts") == "object"
    _shot(page, "overview-bureau", tmp_path)
    card = overview.locator("[data-indicator='incidents.open_breached']")
    assert card.locator(".figure").inner_text().startswith("1")
    card.click()
    expect(page).to_have_url(re.compile(r"/incidents/\?clock=open_breached$"))
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(work["unassigned"].number)
    assert page.requests.external() == []

    # the big-screen mode
    page.goto(seeded.url + "/overview/?screen=1")
    expect(page.locator(".screen")).to_be_visible()
    _shot(page, "overview-screen", tmp_path)
