"""The bureau admin creates a unit admin, who logs in, is forced to change the password, and creates a unit
staff account."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_a_new_unit_admin_changes_the_password_and_creates_a_staff_account(new_page, login, seeded):
    from playwright.sync_api import expect

    from tongyun.parties.models import Organisation, User

    education = Organisation.objects.get(name="区教委")
    bureau = login(new_page(), "bureau_admin")
    bureau.goto(f"{seeded.url}/accounts/new/")
    form = bureau.locator("[data-testid=account-form]")
    form.locator("input[name=username]").fill("edu_admin_new")
    form.locator("input[name=full_name]").fill("区教委新管理员")
    form.locator("select[name=role]").select_option("unit_admin")
    form.locator("select[name=organisation]").select_option(str(education.pk))
    form.locator("input[name=password]").fill("Initial-Pass-2026")
    form.locator("button[type=submit]").click()
    expect(bureau.locator("[data-testid=account-state]")).to_contain_text("下次登录须修改密码")

    admin = new_page()
    admin.goto(f"{seeded.url}/login/")
    admin.fill("input[name=username]", "edu_admin_new")
    admin.fill("input[name=password]", "Initial-Pass-2026")
    admin.locator("main form button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/accounts/me/password/$"))
    expect(admin.locator("[data-testid=forced-change]")).to_be_visible()
    admin.fill("input[name=old_password]", "Initial-Pass-2026")
    admin.fill("input[name=new_password]", "password")  # refused: common, one class
    admin.fill("input[name=new_password2]", "password")
    admin.locator("main form button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/accounts/me/password/$"))
    admin.fill("input[name=old_password]", "Initial-Pass-2026")
    admin.fill("input[name=new_password]", "Own-Secret-77x")
    admin.fill("input[name=new_password2]", "Own-Secret-77x")
    admin.locator("main form button[type=submit]").click()
    expect(admin).to_have_url(re.compile(r"/accounts/me/$"))

    admin.goto(f"{seeded.url}/accounts/new/")
    form = admin.locator("[data-testid=account-form]")
    form.locator("input[name=username]").fill("edu_staff_new")
    form.locator("select[name=role]").select_option("unit_staff")
    form.locator("select[name=organisation]").select_option(str(education.pk))
    form.locator("input[name=password]").fill("Staff-Start-2026")
    form.locator("button[type=submit]").click()
    expect(admin.locator("[data-testid=account-state]")).to_contain_text("启用")
    staff = User.objects.get(username="edu_staff_new")
    assert staff.organisation == education and staff.role == "unit_staff" and staff.must_change_password
    assert not admin.requests.external()
