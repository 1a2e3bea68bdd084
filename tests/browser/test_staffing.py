"""Staffing in a real browser: the PM builds a week's duty roster for a 7×24 system and checks its coverage,
then asks to change an on-site person with 7 days' notice; the unit's administrator approves the change."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.parties.models import User
from tongyun.staffing import services
from tongyun.staffing.models import OnsiteChange, OnsitePost, StaffMember

pytestmark = pytest.mark.browser


def test_pm_builds_a_weeks_roster_and_the_unit_approves_a_staff_change(new_page, login, seeded):
    from playwright.sync_api import expect

    pm = User.objects.get(username="pm")
    services.seed_onsite_posts()
    people = [services.create_staff(pm, name=name, phone=f"1390000000{n}")
              for n, name in enumerate(["值班甲", "值班乙", "值班丙"])]
    post = OnsitePost.objects.get(system__row_no=3)  # 区经信局, one on-site person
    services.assign_onsite(pm, post, people[0], start=timezone.localdate())
    system = System.objects.get(row_no=15)  # 7×24 on site
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())

    # 1. The PM creates the roster and a daily rotation of three people from Monday 00:00.
    page = new_page(viewport={"width": 1280, "height": 900})
    login(page, "pm")
    page.goto(f"{seeded.url}/staffing/rosters/")
    page.get_by_text("新建值班表").click()
    form = page.get_by_test_id("roster-create")
    form.locator("select[name=system]").select_option(str(system.pk))
    form.locator("input[name=name]").fill("一周值班")
    form.get_by_role("button", name="创建").click()
    expect(page).to_have_url(re.compile(r"/staffing/rosters/\d+/$"))
    layer = page.get_by_test_id("layer-form")
    layer.locator("input[name=name]").fill("日班轮值")
    layer.locator("input[name=rotation_start]").fill(f"{monday.isoformat()}T00:00")
    layer.locator("input[name=shift_hours]").fill("24")
    layer.locator("select[name=members]").select_option([str(p.pk) for p in people])
    layer.get_by_role("button", name="添加").click()
    # turns follow the order of the list (names sorted): 丙, 乙, 甲
    expect(page.get_by_test_id("layers")).to_contain_text("值班丙 → 值班乙 → 值班甲")

    # the week from Monday is covered; a week starting before the rotation shows the gap
    page.goto(f"{page.url}?from={monday.isoformat()}&days=7")
    expect(page.get_by_test_id("covered")).to_be_visible()
    expect(page.get_by_test_id("schedule")).to_contain_text("值班丙")
    page.goto(page.url.split("?")[0] + f"?from={(monday - dt.timedelta(days=1)).isoformat()}&days=7")
    expect(page.get_by_test_id("gaps")).to_contain_text(f"{(monday - dt.timedelta(days=1)).isoformat()} 00:00")

    # 2. The PM asks to replace the on-site person of row 3: six days' notice is refused, seven accepted.
    page.goto(f"{seeded.url}/staffing/posts/{post.pk}/")
    change = page.get_by_test_id("change-form")
    change.locator("select[name=leaving]").select_option(str(people[0].pk))
    change.locator("select[name=replacement]").select_option(str(people[1].pk))
    change.locator("textarea[name=reason]").fill("原驻场人员调岗")
    change.locator("textarea[name=replacement_profile]").fill("三年机房运维经验")
    change.locator("input[name=effective_date]").fill((today + dt.timedelta(days=6)).isoformat())
    change.get_by_role("button", name="提交并通知用户单位").click()
    expect(page.locator("body")).to_contain_text("须提前 7 天书面通知用户单位")
    assert not OnsiteChange.objects.exists()
    change = page.get_by_test_id("change-form")
    change.locator("select[name=leaving]").select_option(str(people[0].pk))
    change.locator("select[name=replacement]").select_option(str(people[1].pk))
    change.locator("textarea[name=reason]").fill("原驻场人员调岗")
    change.locator("textarea[name=replacement_profile]").fill("三年机房运维经验")
    change.locator("input[name=effective_date]").fill((today + dt.timedelta(days=7)).isoformat())
    change.get_by_role("button", name="提交并通知用户单位").click()
    expect(page).to_have_url(re.compile(r"/staffing/changes/\d+/$"))
    expect(page.get_by_test_id("change-state")).to_have_text("待用户单位同意")
    change_url = page.url

    # 3. The unit's administrator finds it waiting and approves it.
    unit = new_page(viewport={"width": 1280, "height": 900})
    login(unit, "unit_admin")
    unit.goto(change_url)
    unit.locator("textarea[name=comment]").fill("同意更换")
    unit.get_by_test_id("signoff-approve").click()
    expect(unit.get_by_test_id("change-state")).to_have_text("已同意")
    effective = today + dt.timedelta(days=7)
    assert OnsiteChange.objects.get().effective_date == effective
    assert StaffMember.objects.get(name="值班乙").onsite_assignments.get().start == effective
    assert page.requests.external() == [] and unit.requests.external() == []
