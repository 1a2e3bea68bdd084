"""Daily field work in a real browser (issue 15 items 3, 4, 7, 9): a unit user reports a fault with a photo
after finding the device among 10,000 by its code; a day with 122 inspection tasks keeps the calendar on one
screen; a missing page answers in Chinese; the demo month loads and the dispatcher's board shows it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone

from tongyun.catalog.models import Device, System
from tongyun.incidents.models import Incident, IncidentAttachment

pytestmark = pytest.mark.browser

SCREEN = {"width": 1280, "height": 900}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_unit_user_reports_a_fault_with_a_photo_finding_the_device_by_code(new_page, login, seeded, tmp_path):
    from playwright.sync_api import expect

    system = System.objects.get(row_no=1)  # 区经信局 = unit_admin's unit
    Device.objects.bulk_create(
        (Device(system=system, kind="摄像机", name="摄像机", code=f"SY-CAM-{n:05d}", location=f"顺义区第{n}号点位")
         for n in range(10_000)), batch_size=2000)
    wanted = Device.objects.get(code="SY-CAM-04711")
    photo = tmp_path / "现场.png"
    photo.write_bytes(PNG)

    page = new_page(viewport={"width": 390, "height": 844})
    login(page, "unit_admin")
    page.goto(f"{seeded.url}/catalog/systems/{system.pk}/")
    page.get_by_test_id("system-report").click()  # 报障 from the system's page: the system is chosen
    expect(page.locator("select[name=system]")).to_have_value(str(system.pk))
    expect(page.locator("input[name=reporter_name]")).not_to_have_value("")  # pre-filled contact
    with page.expect_response(lambda r: "/incidents/new/device-search/" in r.url and "04711" in r.url):
        page.get_by_test_id("device-search-input").fill("SY-CAM-04711")
    choices = page.get_by_test_id("device-choice")
    expect(choices).to_have_count(1)
    choices.first.locator("input").check()
    page.fill("input[name=title]", "路口摄像机黑屏")
    page.fill("input[name=location]", "府前街与光明街路口")
    page.fill("input[name=reporter_phone]", "13900001111")
    page.set_input_files("input[name=attachments]", str(photo))
    page.get_by_role("button", name="提交报障").click()
    expect(page.get_by_test_id("incident-state")).to_have_text("已报告")
    expect(page.get_by_test_id("incident-location")).to_have_text("府前街与光明街路口")
    expect(page.get_by_test_id("attachments").locator("img")).to_have_count(1)
    incident = Incident.objects.get(title="路口摄像机黑屏")
    assert incident.device == wanted and incident.reporter_phone == "13900001111"
    assert IncidentAttachment.objects.filter(incident=incident, is_image=True).count() == 1


def test_a_day_with_122_inspection_tasks_fits_one_screen(new_page, login, seeded):
    from playwright.sync_api import expect

    from tongyun.inspections.models import InspectionPlan, InspectionTask

    today = timezone.localdate()
    tasks = []
    for system in System.objects.order_by("row_no")[:122]:
        plan = InspectionPlan.objects.create(system=system, name="月度巡检", frequency="monthly")
        tasks.append(InspectionTask(plan=plan, system=system, scheduled_for=today,
                                    due_date=today + dt.timedelta(days=3)))
    InspectionTask.objects.bulk_create(tasks)
    page = new_page(viewport=SCREEN)
    login(page, "dispatcher")
    page.goto(f"{seeded.url}/inspections/")
    cell = page.locator(f"td[data-date='{today:%Y-%m-%d}']")
    expect(cell.get_by_test_id("day-count")).to_contain_text("122")
    # the month itself fits one screen (it was 5,373 px with one link per task); the page around it, with
    # the menu and the filters above it, stays within one and a half
    grid = page.get_by_test_id("month-grid").bounding_box()
    assert grid["height"] <= SCREEN["height"], grid
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 1.5 * SCREEN["height"], height
    cell.get_by_test_id("day-count").click()  # drill down to the day's list
    expect(page.get_by_test_id("task-table").locator("tbody tr")).to_have_count(50)  # first page of 122


def test_a_missing_page_is_chinese(new_page, login, seeded):
    from playwright.sync_api import expect

    page = new_page(viewport=SCREEN)
    login(page, "unit_admin")
    response = page.goto(f"{seeded.url}/incidents/987654321/")
    assert response.status == 404
    expect(page.get_by_text("页面不存在").first).to_be_visible()
    page.get_by_role("button", name="返回首页").first.click()
    expect(page).to_have_url(f"{seeded.url}/")


def test_the_demo_month_loads_and_the_board_shows_its_tickets(new_page, login, seeded):
    from playwright.sync_api import expect

    call_command("demo_month")
    page = new_page(viewport=SCREEN)
    login(page, "dispatcher")
    page.goto(f"{seeded.url}/incidents/board/")
    expect(page.get_by_text("【演示】门户网站无法访问").first).to_be_visible()
    expect(page.get_by_text("【演示】地图服务加载缓慢").first).to_be_visible()
