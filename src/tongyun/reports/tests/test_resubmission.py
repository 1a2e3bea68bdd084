"""A report returned to the contractor is resubmitted through its own page (reports.services.submit, a fresh
snapshot) — never approved at the contractor's step on the generic sign-off pages or API."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tongyun.catalog.models import Device
from tongyun.monitoring.models import Outage
from tongyun.reports import services
from tongyun.reports.choices import ReportState
from tongyun.reports.tests.test_engine import figures
from tongyun.signoffs import selectors as signoff_selectors
from tongyun.signoffs.choices import SignOffState

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(monthly, user_of):
    services.submit(user_of("pm"), monthly)
    monthly.refresh_from_db()
    services.decide(user_of("unit_admin"), monthly, "return", comment="请补录 10 月 20 日的停机")
    monthly.refresh_from_db()
    assert monthly.state == ReportState.RETURNED
    signoff = services.signoff_of(monthly)
    assert signoff.state == SignOffState.PENDING and signoff.current_position == 0
    # what the unit asked for happens after the first snapshot: a second outage in October
    device = Device.objects.get(system=monthly.system, name="GIS-01")
    Outage.objects.create(device=device, system=monthly.system, cause="monitoring",
                          start=dt.datetime(2026, 10, 20, 9, 0, tzinfo=SH),
                          end=dt.datetime(2026, 10, 20, 10, 0, tzinfo=SH))
    return monthly, signoff


def _unchanged(report, signoff, data_before):
    report.refresh_from_db()
    signoff.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.data == data_before
    assert signoff.state == SignOffState.PENDING and signoff.current_position == 0
    assert [e.action for e in signoff.events.all()] == ["start", "approve", "return"]


def test_the_generic_api_refuses_the_contractors_step(returned, client, api_as):
    report, signoff = returned
    data_before, pm = report.data, api_as("pm")
    answer = client.post(f"/api/v1/signoffs/{signoff.pk}/decision", {"decision": "approve", "comment": "再提交"},
                         content_type="application/json", headers=pm)
    assert answer.status_code == 422
    assert "在报告页面提交" in " ".join(answer.json()["errors"]["decision"])
    _unchanged(report, signoff, data_before)
    # the sign-off tells the PM they cannot decide it here, and it is not "awaiting" them as a sign-off
    assert client.get(f"/api/v1/signoffs/{signoff.pk}", headers=pm).json()["may_decide"] is False
    assert client.get("/api/v1/signoffs?awaiting_me=true", headers=pm).json() == []
    # (the unit still cannot decide the contractor's step at all)
    assert client.post(f"/api/v1/signoffs/{signoff.pk}/decision", {"decision": "approve"},
                       content_type="application/json", headers=api_as("unit_admin")).status_code == 403


def test_the_generic_page_points_to_the_report_and_refuses(returned, client_as):
    report, signoff = returned
    data_before, pm = report.data, client_as("pm")
    page = pm.get(f"/signoffs/{signoff.pk}/").content.decode()
    assert 'data-testid="signoff-subject-action"' in page and f'href="/reports/{report.pk}/"' in page
    assert 'data-testid="signoff-form"' not in page
    answer = pm.post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve", "comment": "再提交"}, follow=True)
    assert "在报告页面提交" in answer.content.decode()
    _unchanged(report, signoff, data_before)
    assert signoff_selectors.awaiting(signoff.started_by) == []


def test_resubmitting_on_the_reports_page_takes_a_fresh_snapshot(returned, client_as, user_of):
    report, signoff = returned
    assert figures(report.data, "availability.summary")["设备停机次数"] == 1  # the first snapshot
    page = client_as("pm").get(f"/reports/{report.pk}/").content.decode()
    assert f'action="/reports/{report.pk}/submit/"' in page
    client_as("pm").post(f"/reports/{report.pk}/submit/", {"comment": "已补录"})
    report.refresh_from_db()
    signoff.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert figures(report.data, "availability.summary")["设备停机次数"] == 2  # taken again at the resubmission
    assert signoff.current_position == 1 and [e.action for e in signoff.events.all()] == [
        "start", "approve", "return", "approve"]
    # and the unit signs what was resubmitted, through the generic page as before
    client_as("unit_admin").post(f"/signoffs/{signoff.pk}/decide/", {"decision": "approve"})
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED
