"""Daily and weekly reports (RD-15, rows 74 and 82): only those rows' systems get them, from the daily run;
calendar days (a holiday has its daily report), Monday-to-Sunday weeks, no deadline (the tender gives none)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongyun.catalog.models import System
from tongyun.reports import services, tasks, tender_types, types
from tongyun.reports.models import Report

pytestmark = pytest.mark.django_db
MONDAY_AFTER_NATIONAL_DAY_WEEK = dt.date(2026, 10, 5)  # 10-01 … 10-07 are days off


def test_the_types_come_from_rows_74_and_82_without_a_deadline():
    for key in ("daily_system", "weekly_system"):
        report_type = types.get(key)
        assert report_type.rows == (74, 82) and report_type.deadline == ("none", 0) and report_type.is_periodic
        assert "L15038" in str(report_type.source) and "L16248" in str(report_type.source)
    assert {t.key for t in tender_types.DAILY_WEEKLY} == {"daily_system", "weekly_system"}
    # every other type is monthly or longer: rows 74 and 82 are the tender's only daily/weekly report duties
    others = [t for t in types.registered() if t.key not in ("daily_system", "weekly_system")]
    assert all(t.cadence not in ("daily", "weekly") for t in others)


def test_the_daily_run_drafts_them_for_rows_74_and_82_only(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: MONDAY_AFTER_NATIONAL_DAY_WEEK)
    # the other types' drafts of that day (every system's September report …) are another test's business
    monkeypatch.setattr(types, "registered", lambda: list(tender_types.DAILY_WEEKLY))
    tasks.daily_reports.call()
    daily = Report.objects.filter(type_key="daily_system")
    weekly = Report.objects.filter(type_key="weekly_system")
    rows = set(System.objects.filter(row_no__in=(74, 82)).values_list("pk", flat=True))
    assert len(rows) == 2
    assert set(daily.values_list("system_id", flat=True)) == rows == set(weekly.values_list("system_id", flat=True))
    # the last seven days (the worker catches up), holidays included: 09-28 … 10-04, once per system
    days = sorted(set(daily.values_list("period_start", flat=True)))
    assert days == [dt.date(2026, 9, 28) + dt.timedelta(days=n) for n in range(7)]
    assert daily.count() == 14 and all(r.period_start == r.period_end for r in daily)
    national_day = daily.filter(period_start=dt.date(2026, 10, 1)).first()
    assert national_day.title.startswith("2026年10月1日 ") and national_day.title.endswith("运维日报")
    # the week that just ended, Monday to Sunday, and the one before
    assert sorted(set(weekly.values_list("period_start", "period_end"))) == [
        (dt.date(2026, 9, 21), dt.date(2026, 9, 27)), (dt.date(2026, 9, 28), dt.date(2026, 10, 4))]
    week = weekly.get(period_start=dt.date(2026, 9, 28), system__row_no=82)
    assert "2026年第40周（09-28至10-04）" in week.title
    # no deadline: never late, no reminder to the drafter
    assert not Report.objects.filter(type_key__in=("daily_system", "weekly_system"), due_at__isnull=False).exists()
    assert not week.is_late(now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    before = Report.objects.count()
    assert services.generate_due(MONDAY_AFTER_NATIONAL_DAY_WEEK).created == 0  # idempotent
    assert Report.objects.count() == before
    # the next day adds that day only
    assert services.generate_due(dt.date(2026, 10, 6)).created >= 2
    assert daily.filter(period_start=dt.date(2026, 10, 5)).count() == 2


def test_another_rows_system_does_not_get_them(user_of):
    row1 = System.objects.get(row_no=1)
    with pytest.raises(ValidationError, match="不适用"):
        services.generate(types.get("daily_system"), start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 1),
                          system=row1)
    # made by hand for row 82: the period is the week of the date given
    row82 = System.objects.get(row_no=82)
    report = services.create(user_of("pm"), "weekly_system", start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 1),
                             system_id=row82.pk)
    assert (report.period_start, report.period_end) == (dt.date(2026, 9, 28), dt.date(2026, 10, 4))
    assert report.due_at is None
    assert [p["sections"][0]["key"] for p in report.data["parts"]] == ["inspections.summary"]


def test_a_returned_daily_report_is_on_the_drafters_home_page(user_of):
    from tongyun.parties.models import User
    from tongyun.reports.worklist import report_items

    row82 = System.objects.get(row_no=82)
    report, _created = services.generate(types.get("daily_system"), start=dt.date(2026, 10, 1),
                                         end=dt.date(2026, 10, 1), system=row82)
    assert report_items(user_of("pm")) == []  # no deadline: not "due"
    services.submit(user_of("pm"), report)
    report.refresh_from_db()
    unit_admin = User.objects.filter(role="unit_admin", organisation=row82.unit).order_by("pk").first()
    services.decide(unit_admin, report, "return", comment="请补充当日工单")
    assert [item.url for item in report_items(user_of("pm"))] == [f"/reports/{report.pk}/"]
