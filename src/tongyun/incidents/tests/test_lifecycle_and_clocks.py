"""Incidents against the real 2026 calendar and the real SLA terms of row 1 (智慧顺义基础地理信息平台):
轻微 8 小时内响应 / 7 个工作日内修复, 一般 4 h / 48 h, 严重 1 h / 24 h, 紧急 30 分钟 / 8 h."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tongyun.catalog.models import SlaTerm, System
from tongyun.incidents import services
from tongyun.incidents.clocks import clock_state
from tongyun.incidents.models import CalendarDay, CalendarYear, IncidentEvent, MajorEventPeriod, Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def row1():
    return System.objects.get(row_no=1)


def report(user, system, severity, when, **kwargs):
    return services.report_incident(user, system=system, title="平台无法访问", severity=severity,
                                    reported_at=when, now=when + dt.timedelta(minutes=1), **kwargs)


def test_hours_are_calendar_time_and_working_days_follow_the_official_calendar(user_of, row1):
    dispatcher = user_of("dispatcher")
    # Tuesday 10:00, ordinary week
    incident = report(dispatcher, row1, "minor", at(2026, 3, 10, 10, 0))
    assert incident.response_due == at(2026, 3, 10, 18, 0)          # 8 hours later, 7×24
    assert incident.repair_due == at(2026, 3, 19, 17, 30)           # 7th working day after the report day
    assert incident.policy["targets"] == {"response": "8 小时", "repair": "7 个工作日"}


def test_fault_reported_during_the_spring_festival_holiday(user_of, row1):
    # 2026-02-17 is a holiday (春节 02-15…02-23); working days after it: 02-24, 25, 26, 27, 28 (make-up
    # Saturday), 03-02, 03-03 → the 7th is 03-03.
    incident = report(user_of("dispatcher"), row1, "minor", at(2026, 2, 17, 9, 0))
    assert incident.repair_due == at(2026, 3, 3, 17, 30)
    assert incident.response_due == at(2026, 2, 17, 17, 0)          # holidays do not stop the hour clock


def test_fault_before_national_day(user_of, row1):
    # reported Wed 09-30 15:00; 10-01…10-07 off, 10-10 (Saturday) is a make-up working day:
    # 10-08, 10-09, 10-10, 10-12, 10-13, 10-14, 10-15 → due 10-15 17:30
    incident = report(user_of("dispatcher"), row1, "minor", at(2026, 9, 30, 15, 0))
    assert incident.repair_due == at(2026, 10, 15, 17, 30)


def test_during_business_hours_vs_after_with_a_business_hours_term(user_of, row1):
    # A term that applies outside business hours only (some tender rows set looser night targets).
    SlaTerm.objects.create(system=row1, tier_key="urgent_night", severity="urgent", position=9,
                           response_value=2, response_unit="hour", repair_value=12, repair_unit="hour",
                           applies_when="outside_business_hours")
    SlaTerm.objects.filter(system=row1, tier_key="urgent").update(applies_when="business_hours")
    day = report(user_of("dispatcher"), row1, "urgent", at(2026, 3, 10, 10, 0))
    night = report(user_of("dispatcher"), row1, "urgent", at(2026, 3, 10, 20, 0))
    weekend = report(user_of("dispatcher"), row1, "urgent", at(2026, 3, 14, 10, 0))   # Saturday
    assert day.response_due == at(2026, 3, 10, 10, 30) and day.repair_due == at(2026, 3, 10, 18, 0)
    assert night.response_due == at(2026, 3, 10, 22, 0) and night.repair_due == at(2026, 3, 11, 8, 0)
    assert weekend.response_due == at(2026, 3, 14, 12, 0)


def test_major_event_period_gets_the_stricter_targets(user_of, row1):
    MajorEventPeriod.objects.create(name="全国两会", start=at(2026, 3, 4, 0, 0), end=at(2026, 3, 12, 0, 0))
    inside = report(user_of("dispatcher"), row1, "minor", at(2026, 3, 10, 10, 0))
    outside = report(user_of("dispatcher"), row1, "minor", at(2026, 3, 12, 10, 0))
    assert inside.response_due == at(2026, 3, 10, 11, 0)            # 1 小时内响应
    assert inside.repair_due == at(2026, 3, 10, 12, 0)              # 2 小时内修复
    assert inside.policy["major_events"] == ["全国两会"]
    assert outside.response_due == at(2026, 3, 12, 18, 0)
    # a period never loosens: urgent (30 min) stays 30 min inside the period
    urgent = report(user_of("dispatcher"), row1, "urgent", at(2026, 3, 10, 10, 0))
    assert urgent.response_due == at(2026, 3, 10, 10, 30)
    assert urgent.repair_due == at(2026, 3, 10, 12, 0)


def test_severity_change_recomputes_from_the_report_moment_and_keeps_history(user_of, row1):
    incident = report(user_of("dispatcher"), row1, "minor", at(2026, 3, 10, 10, 0))
    services.reclassify(user_of("dispatcher"), incident, severity="serious", note="影响核心业务",
                        now=at(2026, 3, 10, 10, 20))
    incident.refresh_from_db()
    assert incident.response_due == at(2026, 3, 10, 11, 0)
    assert incident.repair_due == at(2026, 3, 11, 10, 0)
    event = IncidentEvent.objects.get(incident=incident, kind="reclassified")
    assert event.data["before"]["severity"] == "minor" and event.data["after"]["severity"] == "serious"
    assert event.data["deadlines"]["repair"][0].startswith("2026-03-19T17:30")


def test_waiting_state_pauses_the_repair_clock_not_the_response(user_of, row1):
    dispatcher, engineer = user_of("dispatcher"), user_of("engineer")
    incident = report(dispatcher, row1, "serious", at(2026, 3, 10, 10, 0))     # 1 h / 24 h
    services.take_action(dispatcher, incident, "dispatch", assignee=engineer, now=at(2026, 3, 10, 10, 5))
    services.take_action(engineer, incident, "acknowledge", now=at(2026, 3, 10, 10, 30))
    services.take_action(engineer, incident, "wait_parts", now=at(2026, 3, 10, 12, 0))
    incident.refresh_from_db()
    assert clock_state(incident, "repair", at(2026, 3, 11, 12, 0)) == "paused"
    services.take_action(engineer, incident, "resume", now=at(2026, 3, 10, 15, 0))  # 3 h paused
    incident.refresh_from_db()
    assert incident.repair_due == at(2026, 3, 11, 13, 0)
    assert incident.response_due == at(2026, 3, 10, 11, 0)
    assert clock_state(incident, "response", at(2026, 3, 10, 16, 0)) == "met"
    services.take_action(engineer, incident, "resolve", cause="电源故障", action_taken="更换电源",
                         now=at(2026, 3, 11, 12, 0))
    incident.refresh_from_db()
    assert clock_state(incident, "repair", at(2026, 3, 12, 0, 0)) == "met"


def test_unknown_year_is_explicit_and_the_bureau_is_told(user_of, row1):
    incident = report(user_of("dispatcher"), row1, "minor", at(2026, 12, 28, 10, 0))   # 7 working days → 2027
    assert incident.repair_due is None
    assert incident.calendar_unknown_year == 2027
    assert clock_state(incident, "repair", at(2026, 12, 29, 0, 0)) == "calendar_unknown"
    assert incident.response_due == at(2026, 12, 28, 18, 0)           # the hour clock needs no calendar
    assert Notification.objects.filter(incident=incident, kind="calendar_unknown",
                                       recipient__role="bureau_admin").exists()
    # once the bureau declares 2027 (here: 01-01 off), the deadline can be computed
    CalendarYear.objects.create(year=2027, source="测试安排")
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working=False, name="元旦")
    services.reclassify(user_of("dispatcher"), incident, note="日历已补充", now=at(2026, 12, 28, 11, 0))
    incident.refresh_from_db()
    # working days after 12-28: 29, 30, 31, (01-01 off), 01-04, 05, 06, 07 → 7th = 2027-01-07
    assert incident.repair_due == at(2027, 1, 7, 17, 30) and incident.calendar_unknown_year is None


def test_a_single_day_correction_moves_the_deadline(user_of, row1):
    CalendarDay.objects.create(date=dt.date(2026, 3, 12), is_working=False, name="临时停工", is_correction=True)
    incident = report(user_of("dispatcher"), row1, "minor", at(2026, 3, 10, 10, 0))
    assert incident.repair_due == at(2026, 3, 20, 17, 30)


def test_transitions_are_checked_against_state_and_role(user_of, row1):
    dispatcher, engineer = user_of("dispatcher"), user_of("engineer")
    incident = report(dispatcher, row1, "general", at(2026, 3, 10, 10, 0))
    with pytest.raises(ValidationError) as refused:
        services.take_action(dispatcher, incident, "confirm")
    assert "action" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        services.take_action(engineer, incident, "dispatch", assignee=engineer)
    with pytest.raises(ValidationError) as refused:
        services.take_action(dispatcher, incident, "dispatch", assignee=user_of("security"))
    assert "assignee" in refused.value.message_dict
    services.take_action(dispatcher, incident, "dispatch", assignee=engineer, now=at(2026, 3, 10, 10, 5))
    services.take_action(engineer, incident, "acknowledge", now=at(2026, 3, 10, 10, 10))
    with pytest.raises(ValidationError) as refused:
        services.take_action(engineer, incident, "resolve", now=at(2026, 3, 10, 11, 0))
    assert set(refused.value.message_dict) == {"cause", "action_taken"}
    services.take_action(engineer, incident, "resolve", cause="网络", action_taken="重启", now=at(2026, 3, 10, 11, 0))
    with pytest.raises(PermissionDenied):
        services.take_action(engineer, incident, "confirm")
    with pytest.raises(PermissionDenied):
        services.take_action(user_of("unit_admin_education"), incident, "confirm")  # role ok, but…
    services.take_action(user_of("unit_admin"), incident, "confirm", now=at(2026, 3, 10, 12, 0))
    services.take_action(dispatcher, incident, "close", now=at(2026, 3, 10, 13, 0))
    incident.refresh_from_db()
    assert incident.state == "closed" and incident.confirmed_by == user_of("unit_admin")
    actions = list(incident.events.values_list("action", flat=True))
    assert actions == ["report", "dispatch", "acknowledge", "resolve", "confirm", "close"]


def test_only_dispatcher_or_pm_may_backdate_a_report(user_of, row1):
    with pytest.raises(ValidationError) as refused:
        services.report_incident(user_of("unit_admin"), system=row1, title="x", severity="minor",
                                 reported_at=at(2026, 3, 10, 8, 0), now=at(2026, 3, 10, 10, 0))
    assert "reported_at" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.report_incident(user_of("dispatcher"), system=row1, title="x", severity="minor",
                                 reported_at=at(2026, 3, 11, 8, 0), now=at(2026, 3, 10, 10, 0))


def test_dispatching_to_staff_of_another_system_assigns_them(user_of, row1):
    from tongyun.incidents.selectors import my_queue

    electrician = user_of("electrician")                  # assigned to 区教委 systems only
    incident = report(user_of("dispatcher"), row1, "general", at(2026, 3, 10, 10, 0))
    services.take_action(user_of("dispatcher"), incident, "dispatch", assignee=electrician,
                         now=at(2026, 3, 10, 10, 5))
    assert list(my_queue(electrician)) == [incident]
