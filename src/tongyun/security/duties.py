"""Recurring security tasks (MS-07) and contractual duties that are not inspections (OT-08), on the
schedule engine the inspections use (tongyun.domain.schedules on the working calendar): each period
of the rule gets one occurrence, on its first working day within the system's service period, due by
the period's last day."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongyun.catalog.models import System
from tongyun.core.permissions import require
from tongyun.domain import schedules

from .choices import OccurrenceStatus, ReminderKind
from .models import DutyOccurrence, RecurringDuty, Reminder
from .tender_data import DUTIES


def _calendar():
    from tongyun.incidents.clocks import working_calendar

    return working_calendar()


def service_window(system: System, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    if system.service_start and system.service_start > start:
        start = system.service_start
    if system.service_end and system.service_end < end:
        end = system.service_end
    return start, end


def planned_dates(duty: RecurringDuty, start: dt.date, end: dt.date) -> list[schedules.Occurrence]:
    start, end = service_window(duty.system, start, end)
    found, _unknown_year = schedules.occurrences_until_unknown("other", start, end, _calendar(),
                                                               rrule_text=duty.rrule)
    return found


@transaction.atomic
def generate_occurrences(duty: RecurringDuty, year: int) -> int:
    """The year's occurrences of a duty (idempotent). Planned ones that no longer fit the schedule (the
    service period moved, the calendar changed) go; done ones are never touched. Returns created."""
    planned = planned_dates(duty, dt.date(year, 1, 1), dt.date(year, 12, 31)) if duty.active else []
    days = {o.day: o.due for o in planned}
    in_year = duty.occurrences.filter(scheduled_for__year=year)
    in_year.filter(status=OccurrenceStatus.PLANNED).exclude(scheduled_for__in=list(days)).delete()
    for occurrence in in_year.filter(status=OccurrenceStatus.PLANNED, scheduled_for__in=list(days)):
        if occurrence.due_on != days[occurrence.scheduled_for]:
            occurrence.due_on = days[occurrence.scheduled_for]
            occurrence.save(update_fields=["due_on"])
    rows = [DutyOccurrence(duty=duty, scheduled_for=day, due_on=due) for day, due in days.items()]
    before = duty.occurrences.count()
    DutyOccurrence.objects.bulk_create(rows, ignore_conflicts=True)
    return max(0, duty.occurrences.count() - before)


def _years(duty_ids) -> set[int]:
    years = set(DutyOccurrence.objects.filter(duty_id__in=duty_ids).values_list("scheduled_for__year", flat=True))
    return years or {timezone.localdate().year}


def regenerate_system(system: System) -> int:
    """Hook "system_service_period_changed": the occurrences follow the new service period."""
    system.refresh_from_db(fields=["service_start", "service_end"])
    duties = list(RecurringDuty.objects.filter(system=system).select_related("system"))
    years = _years([d.pk for d in duties])
    return sum(generate_occurrences(duty, year) for duty in duties for year in years)


def regenerate_after_calendar_change(**_details) -> int:
    """Hook "working_calendar_changed": dates move to the new working days."""
    duties = list(RecurringDuty.objects.filter(active=True).select_related("system"))
    years = _years([d.pk for d in duties])
    return sum(generate_occurrences(duty, year) for duty in duties for year in years)


@transaction.atomic
def create_duty(user, system: System, *, category: str, key: str, name: str, cadence: str, rrule: str,
                tender_text: str = "", source_lines: str = "", year: int | None = None) -> RecurringDuty:
    require(user, "security.obligations")
    try:
        rrule = schedules.validate_rrule(rrule)
    except schedules.ScheduleError as error:
        raise ValidationError({"rrule": str(error)}) from None
    if RecurringDuty.objects.filter(system=system, key=key).exists():
        raise ValidationError({"key": _("该系统已有此代码的周期事项")})
    duty = RecurringDuty(system=system, category=category, key=key, name=name, cadence=cadence, rrule=rrule,
                         tender_text=tender_text, source_lines=source_lines)
    duty.full_clean()
    duty.save()
    generate_occurrences(duty, year or timezone.localdate().year)
    return duty


def seed_tender_duties(year: int = 2026) -> int:
    """The tender's recurring tasks and duties, per row, with their occurrences for `year`."""
    systems = {s.row_no: s for s in System.objects.filter(row_no__in={d.row for d in DUTIES})}
    created = 0
    for spec in DUTIES:
        system = systems.get(spec.row)
        if system is None:
            continue
        duty, new = RecurringDuty.objects.get_or_create(
            system=system, key=spec.key,
            defaults={"category": spec.category, "name": spec.name, "cadence": spec.cadence, "rrule": spec.rrule,
                      "tender_text": spec.text, "source_lines": f"第 {spec.row} 行 {spec.lines}"})
        created += int(new)
        generate_occurrences(duty, year)
    return created


@transaction.atomic
def complete_occurrence(user, occurrence: DutyOccurrence, *, done_on: dt.date, result: str,
                        evidence=None) -> DutyOccurrence:
    require(user, "security.obligations")
    occurrence = DutyOccurrence.objects.select_for_update().get(pk=occurrence.pk)
    if occurrence.status == OccurrenceStatus.DONE:
        raise ValidationError(_("该事项已完成"))
    if not (result or "").strip():
        raise ValidationError({"result": _("请填写执行结果")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("完成日期不能晚于今天")})
    occurrence.status, occurrence.done_on, occurrence.done_by = OccurrenceStatus.DONE, done_on, user
    occurrence.result = result.strip()
    if evidence is not None:
        occurrence.evidence = evidence
    occurrence.save()
    Reminder.objects.filter(occurrence=occurrence).update(done=True)
    return occurrence


def sweep_overdue_duties(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    late = DutyOccurrence.objects.filter(status=OccurrenceStatus.PLANNED, due_on__lt=today).values_list(
        "pk", "duty__system_id", "due_on")
    rows = [Reminder(kind=ReminderKind.DUTY_OVERDUE, key=f"duty:{pk}:overdue", occurrence_id=pk,
                     system_id=system_id, due_on=due_on) for pk, system_id, due_on in late]
    before = Reminder.objects.filter(kind=ReminderKind.DUTY_OVERDUE).count()
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    return Reminder.objects.filter(kind=ReminderKind.DUTY_OVERDUE).count() - before
