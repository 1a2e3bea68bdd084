"""The bureau keeps the calendar and the major-event periods through the API; others may read them."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tongyun.catalog.models import System
from tongyun.incidents import services
from tongyun.incidents.models import CalendarDay, CalendarYear, MajorEventPeriod

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_declare_a_year_and_read_it_back(client, api_as):
    bureau = api_as("bureau_admin")
    body = {"source": "国办发明电〔2026〕X号", "days": [
        {"date": "2027-01-01", "type": "off", "name": "元旦"}, {"date": "2027-02-20", "type": "work", "name": "春节"}]}
    response = client.put("/api/v1/calendar/years/2027", body, content_type="application/json", headers=bureau)
    assert response.status_code == 200, response.content
    days = client.get("/api/v1/calendar/days?start=2026-12-31&end=2027-01-04", headers=api_as("unit01")).json()
    assert [(d["date"], d["is_working"], d["known"]) for d in days] == [
        ("2026-12-31", True, True), ("2027-01-01", False, True), ("2027-01-02", False, True),
        ("2027-01-03", False, True), ("2027-01-04", True, True)]
    assert client.get("/api/v1/calendar/days?start=2028-01-01&end=2028-01-01", headers=bureau).json()[0]["known"] \
        is False
    years = client.get("/api/v1/calendar/years", headers=api_as("supervisor")).json()
    assert years[0]["year"] == 2027 and len(years[0]["days"]) == 2


def test_a_day_outside_the_year_is_named_and_nothing_changes(client, api_as):
    body = {"days": [{"date": "2027-01-01", "type": "off"}, {"date": "2028-01-01", "type": "off"}]}
    response = client.put("/api/v1/calendar/years/2027", body, content_type="application/json",
                          headers=api_as("bureau_admin"))
    assert response.status_code == 422
    assert "2028-01-01" in response.json()["errors"]
    assert not CalendarYear.objects.exists() and not CalendarDay.objects.exists()


def test_import_excel_with_a_bad_row(client, api_as):
    book = openpyxl.Workbook()
    book.active.title = "日历"
    book.active.append(["日期", "类型", "名称"])
    book.active.append(["2027-01-01", "休", "元旦"])
    book.active.append(["2027-01-32", "休", "元旦"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = client.post("/api/v1/calendar/years/2027/import",
                           {"file": SimpleUploadedFile("2027.xlsx", buffer.getvalue())}, headers=api_as("bureau_admin"))
    assert response.status_code == 422
    assert response.json()["problems"] == [{"sheet": "日历", "row": 3, "column": "日期",
                                            "reason": "“2027-01-32”不是日期（应为 2026-01-31）"}]
    assert not CalendarDay.objects.exists()


def test_only_the_bureau_admin_writes(client, api_as):
    pm = api_as("pm")
    assert client.put("/api/v1/calendar/corrections/2026-03-12", {"is_working": False},
                      content_type="application/json", headers=pm).status_code == 403
    assert client.post("/api/v1/major-events", {"name": "x", "start": "2026-03-04T00:00:00+08:00",
                                                "end": "2026-03-12T00:00:00+08:00"},
                       content_type="application/json", headers=pm).status_code == 403
    assert not MajorEventPeriod.objects.exists() and not CalendarDay.objects.exists()


def test_major_event_period_through_the_api_tightens_new_tickets(client, api_as, user_of):
    bureau = api_as("bureau_admin")
    system = System.objects.get(row_no=1)
    response = client.post("/api/v1/major-events", {
        "name": "全国两会", "start": "2026-03-04T00:00:00+08:00", "end": "2026-03-12T00:00:00+08:00",
        "all_systems": False, "system_ids": [system.pk]}, content_type="application/json", headers=bureau)
    assert response.status_code == 201, response.content
    assert response.json()["system_ids"] == [system.pk]
    reported = dt.datetime(2026, 3, 10, 10, tzinfo=SH)
    inside = services.report_incident(user_of("dispatcher"), system=system, title="x", severity="minor",
                                      reported_at=reported, now=reported)
    other = services.report_incident(user_of("dispatcher"), system=System.objects.get(row_no=2), title="x",
                                     severity="minor", reported_at=reported, now=reported)
    assert inside.repair_due == reported + dt.timedelta(hours=2)
    assert other.policy["major_events"] == []
    period_id = response.json()["id"]
    bad = client.put(f"/api/v1/major-events/{period_id}", {"name": "x", "start": "2026-03-12T00:00:00+08:00",
                                                           "end": "2026-03-04T00:00:00+08:00"},
                     content_type="application/json", headers=bureau)
    assert bad.status_code == 422 and "end" in bad.json()["errors"]
    assert client.delete(f"/api/v1/major-events/{period_id}", headers=bureau).status_code == 204


def test_business_hours_api(client, api_as):
    system = System.objects.get(row_no=1)
    url = f"/api/v1/systems/{system.pk}/business-hours"
    assert client.put(url, {"start": "08:30", "end": "17:00"}, content_type="application/json",
                      headers=api_as("bureau_admin")).status_code == 204
    assert system.business_hours.end == dt.time(17, 0)
    assert client.put(url, {"start": "18:00", "end": "09:00"}, content_type="application/json",
                      headers=api_as("bureau_admin")).status_code == 422
    assert client.delete(url, headers=api_as("bureau_admin")).status_code == 204
