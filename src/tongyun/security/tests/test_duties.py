"""Recurring security tasks and contractual duties on the schedule engine (MS-07, OT-08)."""

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError

from tongyun.catalog.models import System
from tongyun.security import duties
from tongyun.security.choices import OccurrenceStatus, ReminderKind
from tongyun.security.models import DutyOccurrence, RecurringDuty, Reminder


@pytest.fixture
def seeded(db):
    duties.seed_tender_duties(2026)
    return RecurringDuty.objects


def _counts(row_no: int) -> dict[str, int]:
    return {d.key: d.occurrences.count() for d in RecurringDuty.objects.filter(system__row_no=row_no)}


def test_row_126_security_tasks_for_2026(seeded):
    # L22866–L22872: scan 1×/year, configuration check 2×/year, hardening 4×/year, inspection 1×/year,
    # 12 bulletins a year. Row 126's service starts 2026-05-10: like the inspections, each period of the
    # rule that overlaps the service gets one occurrence (Jan–Mar of the quarters and Jan–Apr of the months
    # are before the service).
    system = System.objects.get(row_no=126)
    assert system.service_start == dt.date(2026, 5, 10)
    assert _counts(126) == {"vulnerability-scan": 1, "configuration-check": 2, "host-hardening": 3,
                            "security-inspection": 1, "security-bulletin": 8}
    hardening = RecurringDuty.objects.get(system=system, key="host-hardening")
    assert [(o.scheduled_for, o.due_on) for o in hardening.occurrences.all()] == [
        (dt.date(2026, 5, 11), dt.date(2026, 6, 30)),  # 05-10 is a Sunday
        (dt.date(2026, 7, 1), dt.date(2026, 9, 30)),
        (dt.date(2026, 10, 8), dt.date(2026, 12, 31)),  # after the National Day holiday
    ]
    assert duties.seed_tender_duties(2026) == 0 and _counts(126)["security-bulletin"] == 8  # idempotent


def test_row_126_over_a_whole_year_gives_the_tender_counts(seeded):
    system = System.objects.get(row_no=126)
    system.service_start = dt.date(2026, 1, 1)
    system.save()
    duties.regenerate_system(system)  # hook "system_service_period_changed"
    assert _counts(126) == {"vulnerability-scan": 1, "configuration-check": 2, "host-hardening": 4,
                            "security-inspection": 1, "security-bulletin": 12}


def test_other_cadences_rows_136_122_37_29_73_6(seeded):
    assert _counts(136)["signature-update"] == Counter(
        o.scheduled_for.month for o in DutyOccurrence.objects.filter(duty__key="signature-update",
                                                                     duty__system__row_no=136)).total()
    # row 136 starts 2026-08-26: the second half of August, then twice a month Sep–Dec
    assert _counts(136) == {"signature-update": 9, "mlps-filing-self-check": 1}
    assert _counts(122) == {"vulnerability-scan": 1}
    assert _counts(37) == {"vehicle-scale-calibration": 4}  # from 2026-06-14: the Jun, Jul–Aug … periods
    assert _counts(29) == {"device-appraisal": 1}  # every two years, custom RRULE, due 2026-12-31
    appraisal = DutyOccurrence.objects.get(duty__system__row_no=29)
    assert appraisal.due_on == dt.date(2026, 12, 31)
    assert _counts(73) == {"metrological-verification": 2}
    assert _counts(6) == {"ups-battery-cycling": 4}


def test_complete_and_overdue(seeded, user_of):
    occurrence = DutyOccurrence.objects.filter(duty__system__row_no=6).order_by("scheduled_for").first()
    assert duties.sweep_overdue_duties(occurrence.due_on) == 0
    assert duties.sweep_overdue_duties(occurrence.due_on + dt.timedelta(days=1)) >= 1
    assert Reminder.objects.filter(occurrence=occurrence, kind=ReminderKind.DUTY_OVERDUE).count() == 1
    with pytest.raises(ValidationError):
        duties.complete_occurrence(user_of("electrician"), occurrence, done_on=occurrence.due_on, result="")
    done = duties.complete_occurrence(user_of("electrician"), occurrence, done_on=occurrence.due_on,
                                      result="充放电正常")
    assert done.status == OccurrenceStatus.DONE and done.done_by.username == "electrician"
    assert Reminder.objects.get(occurrence=occurrence).done


def test_a_custom_rule_is_validated(user_of):
    system = System.objects.get(row_no=66)
    with pytest.raises(ValidationError):
        duties.create_duty(user_of("pm"), system, category="contract", key="x", name="x", cadence="x",
                           rrule="FREQ=HOURLY")
    duty = duties.create_duty(user_of("pm"), system, category="contract", key="wells", name="洗井", cadence="每年",
                              rrule="FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=1", year=2026)
    # the period of April 2025 runs into 2026 (service from 2026-01-01): its occurrence is on the first
    # working day of the service, the make-up Sunday 2026-01-04; then April 2026
    assert [o.scheduled_for for o in duty.occurrences.all()] == [dt.date(2026, 1, 4), dt.date(2026, 4, 1)]


def test_duty_pages(seeded, client_as):
    page = client_as("security").get("/security/duties/")
    assert page.status_code == 200 and "主机加固" in page.content.decode()
    duty = RecurringDuty.objects.get(system__row_no=126, key="host-hardening")
    detail = client_as("security").get(f"/security/duties/{duty.pk}/").content.decode()
    assert "4 次/年" in detail and "L22870" in detail


def test_a_duty_recorded_on_its_page(seeded, client_as):
    """The officer records a duty the tender list lacks; a bad rule or a taken code names its field and
    changes nothing; a unit user may not record one."""
    system = System.objects.get(row_no=6)
    officer = client_as("security")
    assert 'data-testid="duty-create"' in officer.get("/security/duties/").content.decode()
    body = {"system": system.pk, "category": "contract", "name": "UPS 电池充放电（补充约定）", "key": "ups-extra",
            "cadence": "每 3 个月一次", "rrule": "FREQ=MONTHLY;INTERVAL=3", "source_lines": "补充协议"}
    before = RecurringDuty.objects.count()
    bad = officer.post("/security/duties/new/", {**body, "rrule": "FREQ=SOMETIMES"})
    assert bad.status_code == 422 and "invalid RRULE" in bad.content.decode()  # on the rule field
    assert RecurringDuty.objects.count() == before
    created = officer.post("/security/duties/new/", body)
    duty = RecurringDuty.objects.get(system=system, key="ups-extra")
    assert created.status_code == 302 and created["Location"] == f"/security/duties/{duty.pk}/"
    assert duty.occurrences.count() >= 1 and duty.rrule.startswith("FREQ=MONTHLY")
    again = officer.post("/security/duties/new/", body)
    assert again.status_code == 422 and "该系统已有此代码的周期事项" in again.content.decode()
    assert RecurringDuty.objects.filter(system=system, key="ups-extra").count() == 1
    assert client_as("unit_admin").get("/security/duties/new/").status_code == 403
