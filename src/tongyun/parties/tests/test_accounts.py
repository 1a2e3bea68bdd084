"""Account administration: who manages whose accounts, forced password change, disable, unit contacts,
Excel in and out, and the separation of the three administrators (三员分立)."""

import io

import openpyxl
import pytest
from django.test import Client

from tongyun.audit.models import Event
from tongyun.core.permissions import CAPABILITIES
from tongyun.parties.choices import PLATFORM_ADMINISTRATORS, Role
from tongyun.parties.models import Organisation, User

pytestmark = pytest.mark.django_db
INITIAL = "Start-Pass-2026"


def new_account(client, **fields):
    return client.post("/accounts/new/", {"password": INITIAL, "full_name": "", "phone": "", "email": "", **fields})


def unit(name):
    return Organisation.objects.get(name=name)


def test_the_bureau_admin_creates_an_account_that_must_change_its_password(client_as):
    response = new_account(client_as("bureau_admin"), username="police_clerk", role="unit_staff",
                           organisation=unit("公安局顺义分局").pk, full_name="张三")
    assert response.status_code == 302
    account = User.objects.get(username="police_clerk")
    assert account.must_change_password and account.organisation.name == "公安局顺义分局"
    client = Client()
    assert client.post("/login/", {"username": "police_clerk", "password": INITIAL}).status_code == 302
    assert client.get("/catalog/systems/")["Location"] == "/accounts/me/password/"
    assert client.post("/accounts/me/password/", {"old_password": INITIAL, "new_password": "Own-Choice-88",
                                                 "new_password2": "Own-Choice-88"}).status_code == 302
    assert client.get("/catalog/systems/").status_code == 200


def test_a_role_must_match_its_organisation(client_as):
    response = new_account(client_as("bureau_admin"), username="odd", role="engineer",
                           organisation=unit("区教委").pk)
    assert response.status_code == 422 and not User.objects.filter(username="odd").exists()


def test_a_weak_initial_password_is_refused(client_as):
    response = new_account(client_as("bureau_admin"), username="weakling", role="unit_staff",
                           organisation=unit("区教委").pk, password="password")
    assert response.status_code == 422 and not User.objects.filter(username="weakling").exists()


def test_a_unit_admin_manages_only_its_own_unit(client_as, user_of):
    client = client_as("unit_admin_education")
    listing = client.get("/accounts/").content.decode()
    foreign = user_of("unit_staff")
    assert f'/accounts/{user_of("unit_admin_education").pk}/"' in listing
    assert f'/accounts/{foreign.pk}/"' not in listing and f'/accounts/{user_of("bureau_admin").pk}/"' not in listing
    # another unit's account: 404 on every page and action
    for url in (f"/accounts/{foreign.pk}/", f"/accounts/{foreign.pk}/edit/"):
        assert client.get(url).status_code == 404
    for url in (f"/accounts/{foreign.pk}/active/", f"/accounts/{foreign.pk}/password/",
                f"/accounts/{foreign.pk}/otp/remove/"):
        assert client.post(url, {"active": "0", "password": "Hijack-Pass-1"}).status_code == 404
    assert User.objects.get(pk=foreign.pk).is_active
    # it cannot create an account elsewhere, nor give a bureau role
    assert new_account(client, username="x1", role="unit_staff", organisation=unit("区经信局").pk).status_code == 422
    assert new_account(client, username="x2", role="bureau_admin",
                       organisation=user_of("bureau_admin").organisation_id).status_code == 422
    assert new_account(client, username="teacher", role="unit_staff", organisation=unit("区教委").pk).status_code == 302
    # the contact of its own unit, not of another
    own, other = unit("区教委"), unit("区经信局")
    assert client.post(f"/accounts/units/{own.pk}/contact/", {
        "contact_name": "李老师", "contact_phone": "010-69440000", "contact_email": "it@jw.example.cn"}
    ).status_code == 302
    own.refresh_from_db()
    assert (own.contact_name, own.contact_email) == ("李老师", "it@jw.example.cn")
    assert client.get(f"/accounts/units/{other.pk}/contact/").status_code == 404


def test_the_project_manager_manages_the_contractors_accounts(client_as, user_of):
    client = client_as("pm")
    listing = client.get("/accounts/").content.decode()
    assert f'/accounts/{user_of("engineer").pk}/"' in listing
    assert f'/accounts/{user_of("unit_staff").pk}/"' not in listing
    assert client.get(f"/accounts/{user_of('unit_staff').pk}/").status_code == 404
    assert new_account(client, username="engineer2", role="engineer",
                       organisation=user_of("pm").organisation_id).status_code == 302
    assert new_account(client, username="u2", role="unit_staff", organisation=unit("区教委").pk).status_code == 422


@pytest.mark.parametrize("viewer", ["auditadmin", "secadmin", "supervisor", "unit_staff", "engineer"])
def test_others_cannot_manage_accounts(viewer, client_as, user_of):
    client = client_as(viewer)
    target = user_of("unit_admin")
    assert client.get("/accounts/").status_code == 404
    assert client.get(f"/accounts/{target.pk}/edit/").status_code == 404
    assert client.post(f"/accounts/{target.pk}/edit/", {"full_name": "X", "role": "unit_admin",
                                                        "organisation": target.organisation_id}).status_code == 404
    assert client.post(f"/accounts/{target.pk}/active/", {"active": "0"}).status_code == 404
    assert new_account(client, username="intruder", role="unit_staff",
                       organisation=target.organisation_id).status_code == 403
    assert client.get("/accounts/import/").status_code == 403
    assert User.objects.get(pk=target.pk).is_active and not User.objects.filter(username="intruder").exists()
    assert Event.objects.filter(kind="permission_denied", actor__username=viewer).exists()


def test_the_three_administrators_are_separate_roles():
    managing = {role for role in Role if role in CAPABILITIES["accounts.manage"]}
    securing = set(CAPABILITIES["accounts.security"])
    auditing = set(CAPABILITIES["audit.people"])
    assert Role.SYSTEM_ADMIN in managing and Role.SECURITY_ADMIN in securing and Role.AUDIT_ADMIN in auditing
    # what everyone may do (read through scoping, export what one reads) is not an administrator's power
    powers = {name: roles for name, roles in CAPABILITIES.items() if roles != frozenset(Role.values)}
    for admin in PLATFORM_ADMINISTRATORS:
        held = [name for name, roles in powers.items() if admin in roles]
        others = PLATFORM_ADMINISTRATORS - {admin}
        assert not any(other in powers[name] for name in held for other in others), (admin, held)
    # the audit administrator can read, and change nothing
    assert {name for name, roles in powers.items() if Role.AUDIT_ADMIN in roles} == {"audit.view", "audit.people"}


def test_disabling_an_account_stops_its_logins_and_tokens(client_as, api_as, client, user_of, password):
    headers = api_as("unit_staff")
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 200
    target = user_of("unit_staff")
    assert client_as("unit_admin").post(f"/accounts/{target.pk}/active/", {"active": "0"}).status_code == 302
    assert client.get("/api/v1/auth/me", headers=headers).status_code == 401
    assert Client().post("/login/", {"username": "unit_staff", "password": password}).status_code == 200


def test_an_administrator_resets_a_password(client_as, user_of, password):
    target = user_of("unit_staff")
    admin = client_as("unit_admin")
    assert admin.post(f"/accounts/{target.pk}/password/", {"password": "password"}).status_code == 422
    assert admin.post(f"/accounts/{target.pk}/password/", {"password": "Reset-Pass-31"}).status_code == 302
    target.refresh_from_db()
    assert target.must_change_password and target.check_password("Reset-Pass-31")
    assert Event.objects.filter(kind="password_reset", actor__username="unit_admin",
                                object_repr="unit_staff").exists()


def test_nobody_disables_themselves_or_changes_their_own_role(client_as, user_of):
    me = user_of("unit_admin")
    client = client_as("unit_admin")
    client.post(f"/accounts/{me.pk}/active/", {"active": "0"})
    assert User.objects.get(pk=me.pk).is_active
    response = client.post(f"/accounts/{me.pk}/edit/", {"full_name": "x", "role": "unit_staff",
                                                        "organisation": me.organisation_id})
    assert response.status_code == 422 and User.objects.get(pk=me.pk).role == "unit_admin"


def workbook(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "账号"
    sheet.append(["用户名", "姓名", "角色", "所属单位", "手机", "邮箱", "初始密码"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "accounts.xlsx"
    return buffer


def test_importing_accounts_reports_every_bad_cell_and_changes_nothing(client_as):
    client = client_as("unit_admin_education")
    bad = client.post("/accounts/import/", {"file": workbook([
        ["teacher1", "王一", "用户单位工作人员", "区教委", "13800000001", "w1@example.cn", "Import-Pass-1"],
        ["unit_staff", "重名", "用户单位工作人员", "区教委", "", "", "Import-Pass-2"],
        ["teacher3", "", "甲方管理员", "区教委", "", "not-an-email", "Import-Pass-3"],
        ["teacher4", "", "用户单位工作人员", "区经信局", "", "", "password"],
    ])})
    assert bad.status_code == 422
    problems = {(p.row, p.column) for p in bad.context["problems"]}
    assert {(3, "用户名"), (4, "角色"), (4, "邮箱"), (5, "所属单位"), (5, "初始密码")} <= problems
    assert (2, "用户名") not in problems
    assert not User.objects.filter(username__startswith="teacher").exists()
    good = client.post("/accounts/import/", {"file": workbook([
        ["teacher1", "王一", "用户单位工作人员", "区教委", "13800000001", "w1@example.cn", "Import-Pass-1"],
        ["teacher2", "王二", "用户单位管理员", "区教委", 13800000002, "", "Import-Pass-2"],
    ])})
    assert good.status_code == 200 and good.context["created"] == 2
    teacher = User.objects.get(username="teacher2")
    assert teacher.must_change_password and teacher.phone == "13800000002" and teacher.role == "unit_admin"
    assert Event.objects.filter(kind="accounts_imported", actor__username="unit_admin_education").exists()


def test_the_accounts_export_holds_what_the_manager_manages(client_as):
    response = client_as("unit_admin_education").get("/accounts/export/")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    names = [row[0] for row in book["账号"].iter_rows(min_row=2, values_only=True)]
    assert "unit_admin_education" in names and "unit_staff" not in names
    assert Event.objects.filter(kind="export", actor__username="unit_admin_education").exists()
