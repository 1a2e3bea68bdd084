"""Findings: deadlines on the SLA clock, fix with evidence, verification by the security officer,
overdue reminders, facts and work items."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from tongyun.core import facts, worklist
from tongyun.security import services
from tongyun.security.choices import FindingStatus, ReminderKind
from tongyun.security.models import Finding, Reminder

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def system(system_of):
    return system_of("区经信局")


def _evidence():
    return ContentFile(b"%PDF-1.4 fixed", name="evidence.pdf")


def test_24_hours_across_national_day_is_calendar_time_and_overdue_exactly_on_time(system, user_of):
    # rows 129/130/132/143/145: "24 小时内完成整改" — reported the evening before the National Day holiday
    found = dt.datetime(2026, 9, 30, 18, 30, tzinfo=SH)
    finding = services.record_finding(user_of("security"), system, title="高危端口暴露", severity="high",
                                      source="scan", found_at=found, owner=user_of("engineer"))
    assert finding.due_at == dt.datetime(2026, 10, 1, 18, 30, tzinfo=SH)  # on the holiday, not the next working day
    assert not finding.is_overdue(finding.due_at - dt.timedelta(microseconds=1))
    assert finding.is_overdue(finding.due_at)
    assert services.sweep_overdue_findings(finding.due_at - dt.timedelta(seconds=1)) == 0
    assert services.sweep_overdue_findings(finding.due_at) == 1
    assert services.sweep_overdue_findings(finding.due_at + dt.timedelta(hours=5)) == 0  # once
    reminder = Reminder.objects.get(finding=finding)
    assert reminder.kind == ReminderKind.FINDING_OVERDUE and reminder.system_id == system.pk


def test_working_day_limit_follows_the_working_calendar(system, user_of):
    found = dt.datetime(2026, 9, 30, 10, 0, tzinfo=SH)
    finding = services.record_finding(user_of("security"), system, title="弱口令", severity="medium",
                                      source="inspection", found_at=found, limit_value=1, limit_unit="working_day")
    # 10-01 … 10-07 is the holiday; 10-08 is the first working day after the day of report
    assert finding.due_at.astimezone(SH) == dt.datetime(2026, 10, 8, 17, 30, tzinfo=SH)


def test_fix_needs_evidence_and_only_the_security_officer_verifies(system, user_of):
    officer, engineer = user_of("security"), user_of("engineer")
    found = dt.datetime.now(SH).replace(microsecond=0) - dt.timedelta(hours=30)
    finding = services.record_finding(officer, system, title="中间件版本过旧", severity="high", source="assessment",
                                      found_at=found, owner=engineer)
    with pytest.raises(ValidationError):
        services.fix_finding(engineer, finding, description="已升级")
    with pytest.raises(PermissionDenied):
        services.fix_finding(user_of("unit01"), finding, description="x", evidence=_evidence())
    finding = services.fix_finding(engineer, finding, description="已升级到 9.0.1", evidence=_evidence(),
                                   fixed_at=found + dt.timedelta(hours=6))
    assert finding.status == FindingStatus.FIXED and not finding.is_overdue(finding.due_at + dt.timedelta(days=9))
    for username in ("engineer", "pm", "bureau_admin"):
        with pytest.raises(PermissionDenied):
            services.verify_finding(user_of(username), finding, accepted=True)
    with pytest.raises(ValidationError):  # returning needs a reason
        services.verify_finding(officer, finding, accepted=False)
    finding = services.verify_finding(officer, finding, accepted=False, note="版本仍有漏洞")
    assert finding.status == FindingStatus.OPEN and finding.fixed_at is None
    finding = services.fix_finding(engineer, finding, description="已升级到 9.0.2", evidence=_evidence())
    finding = services.verify_finding(officer, finding, accepted=True, note="复测通过")
    # verified by the officer, the system's unit confirms next (a sign-off: officer → unit)
    assert finding.status == FindingStatus.FIXED and finding.closed_at is None
    signoff = services.finding_signoff(finding)
    assert signoff.flow == services.FINDING_FLOW and signoff.current_position == 1 and signoff.version == 2
    for username in ("unit_admin_education", "security"):  # another unit; the officer who already signed
        with pytest.raises(PermissionDenied):
            services.verify_finding(user_of(username), finding, accepted=True)
    finding = services.verify_finding(user_of("unit_admin"), finding, accepted=True, note="单位确认")
    assert finding.status == FindingStatus.CLOSED and finding.closed_at is not None
    assert [e.action for e in finding.events.all()] == ["recorded", "fixed", "returned", "fixed", "verified"]
    signoff = services.finding_signoff(finding)
    assert signoff.is_complete and [s.decided_by.username for s in signoff.steps.order_by("position")] == [
        "security", "unit_admin"]
    with pytest.raises(ValidationError):
        services.verify_finding(officer, finding, accepted=True)


def test_the_unit_may_refuse_a_verified_fix(system, user_of):
    officer, engineer = user_of("security"), user_of("engineer")
    finding = services.record_finding(officer, system, title="弱口令", severity="high", source="scan", owner=engineer)
    services.fix_finding(engineer, finding, description="已改", evidence=_evidence())
    services.verify_finding(officer, finding, accepted=True)
    finding = services.verify_finding(user_of("unit_admin"), finding, accepted=False, note="仍可登录")
    assert finding.status == FindingStatus.OPEN and finding.fixed_at is None
    assert [e.action for e in finding.events.all()] == ["recorded", "fixed", "returned"]
    assert finding.events.last().by.username == "unit_admin"


def _month_before_last() -> dt.date:
    """A whole month in the past, whatever today is (the facts cut the current month at now)."""
    first = dt.datetime.now(SH).date().replace(day=1)
    return (first - dt.timedelta(days=40)).replace(day=1)


def test_facts_open_and_overdue_findings_per_system(system, system_of, user_of):
    officer = user_of("security")
    other = system_of("区教委")
    month = _month_before_last()
    at = lambda day, hour: dt.datetime.combine(month.replace(day=day), dt.time(hour), SH)  # noqa: E731
    late = services.record_finding(officer, system, title="a", severity="high", source="scan", found_at=at(10, 9))
    services.record_finding(officer, system, title="b", severity="low", source="scan", found_at=at(12, 9))
    on_time = services.record_finding(officer, other, title="c", severity="low", source="scan", found_at=at(20, 9))
    services.fix_finding(officer, on_time, description="ok", evidence=_evidence(), fixed_at=at(20, 12))
    services.verify_finding(officer, on_time, accepted=True)  # verified now: it was open at that month's end
    services.verify_finding(user_of("unit_admin_education"), on_time, accepted=True)
    services.fix_finding(officer, late, description="late", evidence=_evidence(), fixed_at=at(13, 9))
    ids = [system.pk, other.pk]
    assert facts.values("security.open_findings", ids, month) == {system.pk: 2, other.pk: 1}
    # both of system's were due in the month and not fixed within 24 hours; other's was on time
    assert facts.values("security.overdue_findings", ids, month) == {system.pk: 2, other.pk: 0}
    assert facts.values("security.open_findings", ids, dt.datetime.now(SH).date()) == {system.pk: 2, other.pk: 0}
    earlier = (month - dt.timedelta(days=1)).replace(day=1)
    assert facts.values("security.open_findings", ids, earlier) == {system.pk: 0, other.pk: 0}
    assert facts.values("security.open_findings", ids, dt.date(2999, 6, 1)) == {system.pk: None, other.pk: None}


def test_work_items_for_the_officer_the_owner_and_the_unit(system, user_of):
    officer, engineer = user_of("security"), user_of("engineer")
    finding = services.record_finding(officer, system, title="待整改问题", severity="high", source="scan",
                                      found_at=dt.datetime.now(SH) - dt.timedelta(days=3), owner=engineer)
    mine = [item.title for item in worklist.items_for(engineer)]
    assert "整改：待整改问题" in mine
    unit_items = [item.title for item in worklist.items_for(user_of("unit01"))]
    assert any("超期未整改" in title for title in unit_items)
    assert not any("超期未整改" in item.title for item in worklist.items_for(user_of("unit_admin_education")))
    services.fix_finding(engineer, finding, description="done", evidence=_evidence())
    assert any("待验证" in item.title for item in worklist.items_for(officer))
    assert Finding.objects.get(pk=finding.pk).status == FindingStatus.FIXED


def test_finding_pages_record_fix_and_verify(system, user_of, client_as):
    officer = client_as("security")
    response = officer.post("/security/findings/new/", {
        "system": system.pk, "title": "页面登记的问题", "severity": "high", "source": "inspection",
        "description": "", "found_at": "2026-06-30T09:00", "limit_value": 24, "limit_unit": "hour",
        "owner": user_of("engineer").pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    finding = Finding.objects.get(title="页面登记的问题")
    assert finding.due_at == dt.datetime(2026, 7, 1, 9, 0, tzinfo=SH)
    page = client_as("engineer").get(f"/security/findings/{finding.pk}/").content.decode()
    assert "记录整改" in page
    client_as("engineer").post(f"/security/findings/{finding.pk}/fix/",
                               {"description": "已处理", "evidence": _evidence()})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FIXED
    officer.post(f"/security/findings/{finding.pk}/verify/", {"accepted": "1", "note": "ok"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.FIXED
    unit = client_as("unit_admin")
    page = unit.get(f"/security/findings/{finding.pk}/").content.decode()
    assert 'data-testid="verify-form"' in page and "用户单位确认" in page
    unit.post(f"/security/findings/{finding.pk}/verify/", {"accepted": "1", "note": "确认"})
    finding.refresh_from_db()
    assert finding.status == FindingStatus.CLOSED
    assert client_as("unit01").get("/security/findings/new/").status_code == 403
    assert client_as("unit_admin_education").get(f"/security/findings/{finding.pk}/").status_code == 404


def test_vulnerability_and_patch_pages(system, client_as):
    from tongyun.catalog.models import System
    from tongyun.security.models import Patch, Vulnerability

    pm = client_as("pm")
    assert pm.get("/security/vulnerabilities/new/").status_code == 200
    bad = pm.post("/security/vulnerabilities/new/", {"system": system.pk, "title": "Log4j", "cve": "CVE-20x",
                                                     "severity": "high", "source": "scan", "found_on": "2026-05-01"})
    assert bad.status_code == 200 and "CVE-2026-12345" in bad.content.decode() and not Vulnerability.objects.exists()
    done = pm.post("/security/vulnerabilities/new/", {"system": system.pk, "title": "Log4j", "cve": "cve-2021-44228",
                                                      "severity": "high", "source": "scan", "found_on": "2026-05-01"})
    assert done.status_code == 302 and Vulnerability.objects.get().cve == "CVE-2021-44228"
    vulnerability = Vulnerability.objects.get()
    other = System.objects.exclude(pk=system.pk).order_by("row_no").first()
    # the patch names the vulnerability it fixes: another system's patch cannot, and nothing is stored
    wrong = pm.post("/security/patches/new/", {"system": other.pk, "name": "log4j 2.17.1",
                                               "applied_at": "2026-05-02T10:00", "vulnerability": vulnerability.pk})
    assert wrong.status_code == 200 and "不属于该系统" in wrong.content.decode() and not Patch.objects.exists()
    done = pm.post("/security/patches/new/", {"system": system.pk, "name": "log4j 2.17.1", "restarted": "on",
                                              "applied_at": "2026-05-02T10:00", "vulnerability": vulnerability.pk})
    assert done.status_code == 302 and Patch.objects.get().restarted
    assert Patch.objects.get().vulnerability == vulnerability
    vulnerability.refresh_from_db()
    assert str(vulnerability.fixed_on) == "2026-05-02"
    assert client_as("unit_admin").get("/security/patches/new/").status_code == 403
