"""The audit trail for people: logins, failures, denials and exports recorded; shown in Chinese with names
and labels; filtered; exported; kept tamper-evident by the hash chain."""

import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.test import Client

from tongyun.audit.chain import verify
from tongyun.audit.models import ChainLink, Event
from tongyun.catalog.models import System
from tongyun.catalog.services import system_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(user_of, password, client_as):
    Client().post("/login/", {"username": "unit_staff", "password": password}, REMOTE_ADDR="10.2.2.2")
    Client().post("/login/", {"username": "unit_staff", "password": "Wrong-Pass-1"}, REMOTE_ADDR="10.2.2.3")
    client_as("unit_staff").get("/catalog/import/")  # 403: a denial
    client_as("bureau_staff").get("/catalog/export.xlsx")  # a download
    system = System.objects.get(row_no=7)
    system_update(user_of("bureau_admin"), system, mlps_level=3, deployment="政务云（审计）")
    return system


def test_logins_failures_denials_and_exports_are_recorded(trail):
    login = Event.objects.get(kind="login", actor__username="unit_staff", remote_addr="10.2.2.2")
    assert login.username == "unit_staff"
    assert Event.objects.filter(kind="login_failed", username="unit_staff", remote_addr="10.2.2.3").exists()
    denial = Event.objects.get(kind="permission_denied", actor__username="unit_staff")
    assert denial.path == "/catalog/import/"
    export = Event.objects.get(kind="export", actor__username="bureau_staff")
    assert export.object_repr.endswith(".xlsx") and export.path == "/catalog/export.xlsx"


@pytest.mark.parametrize("viewer", ["auditadmin", "supervisor"])
def test_the_audit_administrator_reads_the_trail_in_chinese(viewer, trail, client_as):
    page = client_as(viewer).get("/audit/events/?operator=unit_staff").content.decode()
    assert "登录失败" in page and "越权访问被拒绝" in page and "10.2.2.3" in page
    table = page.split('data-testid="audit-events"')[1]
    assert "login_failed" not in table and "bureau_staff" not in table  # labels; filtered on the operator
    changes = client_as(viewer).get("/audit/?model=system").content.decode()
    assert "李建华（bureau_admin）" in changes and "修改" in changes and "政务云（审计）" in changes
    assert "None" not in changes.split('data-testid="audit-entries"')[1]


def test_changes_show_labels_and_names_not_codes_and_ids(client_as, user_of):
    from tongyun.parties.accounts import account_update
    from tongyun.parties.models import Organisation

    education = Organisation.objects.get(name="区教委")
    account_update(user_of("bureau_admin"), user_of("unit_staff"), role="unit_admin", organisation=education)
    page = client_as("auditadmin").get(f"/audit/?object={user_of('unit_staff').full_name}").content.decode()
    table = page.split('data-testid="audit-entries"')[1]
    assert "用户单位管理员" in table and "用户单位工作人员" in table and "区教委" in table and "用户" in table
    assert ">unit_admin<" not in table and f">{education.pk}<" not in table and "None" not in table


def test_filters_by_date_action_and_object(trail, client_as):
    client = client_as("auditadmin")
    assert "政务云（审计）" in client.get("/audit/?action=1&object=" + trail.name[:4]).content.decode()
    assert "政务云（审计）" not in client.get("/audit/?action=0").content.decode()
    assert "10.2.2.2" not in client.get("/audit/events/?date_to=2020-01-01").content.decode()
    assert "10.2.2.2" in client.get("/audit/events/?kind=login").content.decode()


def test_the_trail_exports_to_excel(trail, client_as):
    response = client_as("auditadmin").get("/audit/events/?format=xlsx&kind=login_failed")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["安全事件"].iter_rows(min_row=2, values_only=True))
    assert rows and all(row[2] == "登录失败" for row in rows)
    assert any(row[4] == "10.2.2.3" for row in rows)
    changes = client_as("auditadmin").get("/audit/?format=xlsx&model=system")
    sheet = openpyxl.load_workbook(io.BytesIO(changes.content))["数据变更"]
    assert any("政务云（审计）" in str(row) for row in sheet.iter_rows(values_only=True))


@pytest.mark.parametrize("viewer", ["bureau_admin", "sysadmin", "secadmin", "unit01", "pm"])
def test_others_cannot_read_the_peoples_trail(viewer, client_as):
    assert client_as(viewer).get("/audit/events/").status_code == 404


def test_the_audit_administrator_changes_nothing(client_as, user_of):
    client = client_as("auditadmin")
    target = user_of("unit_staff")
    assert client.post(f"/accounts/{target.pk}/edit/", {"full_name": "x", "role": "unit_staff",
                                                        "organisation": target.organisation_id}).status_code == 404
    assert client.get("/catalog/import/").status_code == 403
    assert client.get("/accounts/security/policy/").status_code == 403


def test_the_chain_is_intact_and_finds_an_altered_or_deleted_entry(trail):
    result = verify()
    assert result.intact, result.problems
    assert result.checked >= 5
    call_command("audit_verify")
    # someone with database access edits a change entry: found
    entry = LogEntry.objects.filter(object_repr=trail.name).latest("id")
    LogEntry.objects.filter(pk=entry.pk).update(changes={"deployment": ["x", "y"]})
    broken = verify()
    assert not broken.intact and any("altered" in p for p in broken.problems)
    with pytest.raises(CommandError):
        call_command("audit_verify")


def test_deleting_an_event_or_its_link_breaks_the_chain(trail):
    event = Event.objects.filter(kind="login_failed").latest("id")
    Event.objects.filter(pk=event.pk).delete()
    assert any("deleted" in p for p in verify().problems)


def test_removing_a_link_breaks_the_chain(trail):
    link = ChainLink.objects.order_by("id")[2]
    ChainLink.objects.filter(pk=link.pk).delete()
    assert not verify().intact


def test_retention_never_drops_less_than_six_months(trail, settings):
    from django.utils import timezone

    from tongyun.audit.retention import purge_before

    settings.TONGYUN_AUDIT_RETENTION_DAYS = 30
    assert purge_before(timezone.now()) == 0  # asked to drop everything: six months are kept anyway
    assert Event.objects.filter(kind="login").exists()


def test_the_api_gives_names_and_labels(trail, client, api_as):
    headers = api_as("auditadmin")
    entries = client.get("/api/v1/audit/entries?model=system", headers=headers).json()["results"]
    update = next(e for e in entries if e["actor"] == "bureau_admin")
    assert update["action"] == "update" and update["action_label"] == "修改"
    assert update["actor_name"] == "李建华（bureau_admin）" and update["model_label"] == "系统"
    events = client.get("/api/v1/audit/events?kind=login_failed", headers=headers).json()["results"]
    assert events and all(e["kind_label"] == "登录失败" for e in events)
    assert client.get("/api/v1/audit/events", headers=api_as("bureau_admin")).status_code == 404
