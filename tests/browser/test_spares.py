"""A spare-part replacement in a real browser: the engineer, on a 390×844 phone, records that a camera
cannot be repaired and asks for a spare; the unit (purchaser) and the supervisor approve on their pages."""

import re

import pytest

from tongyun.catalog.models import Device, System
from tongyun.incidents import services as incident_services
from tongyun.parties.models import User

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_engineer_requests_a_replacement_on_a_phone_and_both_parties_approve(new_page, login, seeded):
    from playwright.sync_api import expect

    from tongyun.spares.models import Replacement, SpareItem
    from tongyun.spares.seed import load_tender_spares

    load_tender_spares()
    system = System.objects.get(row_no=23)  # 公安局顺义分局, 各镇街智慧平安小区运维
    item = SpareItem.objects.get(system=system, name="智慧社区车辆卡口摄像机")
    device = Device.objects.create(system=system, kind="摄像机", name="卡口-07", model="OLD-CAM",
                                   location="石园街道", warranty_until="2024-12-31")
    engineer = User.objects.get(username="engineer")
    incident = incident_services.report_incident(User.objects.get(username="unit_admin_police"), system=system,
                                                 title="卡口不出图", severity="general", device=device)
    incident_services.take_action(User.objects.get(username="dispatcher"), incident, "dispatch", assignee=engineer)
    for action in ("acknowledge", "arrive"):
        incident_services.take_action(engineer, incident, action)

    phone = new_page(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    login(phone, "engineer")
    phone.goto(f"{seeded.url}/spares/incidents/{incident.pk}/replacement/")
    form = phone.get_by_test_id("replacement-form")
    expect(form).to_be_visible()
    form.locator("select[name=item]").select_option(str(item.pk))
    form.locator("textarea[name=reason]").fill("主板烧毁，无法修复")
    form.locator("input[name=proposed_model]").fill("DS-NEW-CAM")
    form.locator("input[name=photos]").set_input_files(
        {"name": "scene.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n"})
    submit = phone.get_by_test_id("replacement-submit")
    box = submit.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]  # fits the phone's width
    submit.click()
    expect(phone).to_have_url(re.compile(r"/spares/replacements/\d+/$"))
    expect(phone.get_by_test_id("replacement-state")).to_have_text("待确认")
    replacement = Replacement.objects.get()
    incident.refresh_from_db()
    assert incident.state == "waiting_parts" and replacement.photos.count() == 1

    for username in ("unit_admin_police", "supervisor"):
        page = new_page(viewport={"width": 1280, "height": 900})
        login(page, username)
        page.goto(f"{seeded.url}/spares/replacements/{replacement.pk}/")
        page.get_by_test_id("signoff-form").locator("textarea[name=comment]").fill("同意更换")
        page.get_by_test_id("signoff-approve").click()
        expect(page.get_by_test_id("signoff-panel").first).to_contain_text("同意")

    expect_page = new_page(viewport=PHONE, is_mobile=True)
    login(expect_page, "engineer")
    expect_page.goto(f"{seeded.url}/spares/replacements/{replacement.pk}/")
    expect(expect_page.get_by_test_id("replacement-state")).to_have_text("已确认，待更换")
    expect(expect_page.get_by_test_id("issue-form")).to_be_visible()
    replacement.refresh_from_db()
    incident.refresh_from_db()
    assert replacement.state == "approved" and incident.state == "in_progress"
    assert phone.requests.external() == []
