
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tongyun.catalog import selectors as catalog_selectors
from tongyun.catalog.models import Device
from tongyun.core.downloads import attachment
from tongyun.core.pagination import KeysetPagination, paginate_rows
from tongyun.core.schemas import Id, SaneDate, Year
from tongyun.parties.selectors import staff_list

from . import attachments, calendar_io, compliance, selectors, services
from .choices import IncidentSource
from .excel import export_compliance_workbook
from .models import CalendarDay, Incident, MajorEventPeriod
from .schemas import (
    ActionIn,
    BreachFilters,
    BreachOut,
    BusinessHoursIn,
    CalendarDayOut,
    CalendarYearIn,
    CalendarYearOut,
    CommentIn,
    ComplianceFilters,
    ComplianceOut,
    ComplianceWorkbookFilters,
    CorrectionIn,
    IncidentDetailOut,
    IncidentEventOut,
    IncidentFilters,
    IncidentIn,
    IncidentOut,
    MajorEventIn,
    MajorEventOut,
    NotificationFilters,
    NotificationOut,
    NotificationReadIn,
    NotificationReadOut,
    ReclassifyIn,
    WorkingDayOut,
)

router = Router(tags=["incidents"])
PAGE = {"ordering": ("-reported_at", "-id"), "page_size": 50, "max_page_size": 500}


def _detail(request, incident):
    incident.attachment_list = [
        {"id": a.pk, "name": a.name, "size": a.size, "is_image": a.is_image, "uploaded_at": a.uploaded_at,
         "url": reverse("incidents:attachment", args=[a.pk])} for a in incident.attachments.all()]
    incident.clocks = selectors.clock_summary(incident)
    incident.available_actions = selectors.available_actions(request.user, incident)
    incident.timeline_events = list(selectors.timeline(incident))
    return incident


def _device(system, device_id):
    if device_id is None:
        return None
    device = Device.objects.filter(pk=device_id, system=system).first()
    if device is None:
        raise ValidationError({"device_id": "设备不存在或不属于所选系统"})
    return device


@router.get("/incidents", response=list[IncidentOut])
@paginate_rows(Incident, IncidentOut, **PAGE)
def list_incidents(request, filters: Query[IncidentFilters]):
    return selectors.incident_list(request.user, filters.dict(exclude_none=True))


@router.post("/incidents", response={201: IncidentDetailOut})
def report_incident(request, body: IncidentIn):
    system = catalog_selectors.system_get(request.user, body.system_id)
    incident = services.report_incident(
        request.user, system=system, title=body.title, severity=body.severity, description=body.description,
        device=_device(system, body.device_id), tier_key=body.tier_key,
        source=IncidentSource.PHONE if body.reported_at else IncidentSource.API,
        reported_at=body.reported_at, reporter_name=body.reporter_name, reporter_phone=body.reporter_phone,
        location=body.location,
    )
    return Status(201, _detail(request, incident))


@router.post("/incidents/{incident_id}/attachments", response={201: IncidentDetailOut})
def add_attachments(request, incident_id: Id, files: File[list[UploadedFile]] = None):
    """Photos and documents of a ticket, multipart (field `files`, repeated); each at most
    TONGYUN_UPLOAD_MAX_MB, at most 10 per request; one bad file stores none."""
    incident = selectors.incident_get(request.user, incident_id)  # first: another unit's ticket is a 404
    if not files:
        raise ValidationError({"files": "请上传至少一个文件（multipart 字段 files）"})
    attachments.add_attachments(request.user, incident, files, field="files")
    return Status(201, _detail(request, selectors.incident_get(request.user, incident.pk)))


@router.get("/incidents/{incident_id}", response=IncidentDetailOut)
def get_incident(request, incident_id: Id):
    return _detail(request, selectors.incident_get(request.user, incident_id))


@router.post("/incidents/{incident_id}/actions", response=IncidentDetailOut)
def take_action(request, incident_id: Id, body: ActionIn):
    incident = selectors.incident_get(request.user, incident_id)
    assignee = get_object_or_404(staff_list(), username=body.assignee) if body.assignee else None
    incident = services.take_action(request.user, incident, body.action, note=body.note, assignee=assignee,
                                    cause=body.cause, action_taken=body.action_taken, parts_used=body.parts_used,
                                    satisfaction=body.satisfaction, satisfaction_comment=body.satisfaction_comment)
    return _detail(request, selectors.incident_get(request.user, incident.pk))


@router.post("/incidents/{incident_id}/reclassify", response=IncidentDetailOut)
def reclassify(request, incident_id: Id, body: ReclassifyIn):
    incident = selectors.incident_get(request.user, incident_id)
    system = catalog_selectors.system_get(request.user, body.system_id) if body.system_id else None
    fields = body.dict(exclude_unset=True)
    device = _device(system or incident.system, body.device_id) if "device_id" in fields else False
    services.reclassify(request.user, incident, note=body.note, severity=body.severity, system=system,
                        device=device, tier_key=body.tier_key)
    return _detail(request, selectors.incident_get(request.user, incident.pk))


@router.post("/incidents/{incident_id}/comments", response={201: IncidentEventOut})
def comment(request, incident_id: Id, body: CommentIn):
    incident = selectors.incident_get(request.user, incident_id)
    return Status(201, services.comment(request.user, incident, body.note))


# ---------------------------------------------------------------- SLA compliance (服务达标情况)

COMPLIANCE_FILTERS = ("unit", "system", "category", "severity")


def _compliance_params(filters) -> tuple[object, dict]:
    params = {key: value for key, value in filters.dict().items() if key in COMPLIANCE_FILTERS and value is not None}
    month = compliance.current_month() if filters.month in (None, "") else compliance.parse_month(filters.month)
    return month, params


@router.get("/sla/compliance", response=ComplianceOut, exclude_none=True)
def sla_compliance(request, filters: Query[ComplianceFilters]):
    """The month's SLA compliance per user unit, system or category (only groups with incidents)."""
    month, params = _compliance_params(filters)
    table = compliance.compliance_table(request.user, month=month, group_by=filters.group_by, params=params)
    return {"month": f"{table['month']:%Y-%m}", "group_by": table["group_by"], "now": table["now"],
            "results": table["rows"], "total": table["total"]}


@router.get("/sla/compliance.xlsx")
def sla_compliance_workbook(request, filters: Query[ComplianceWorkbookFilters]):
    """The same tables as an Excel workbook, one sheet per grouping (group_by=unit,system,category)."""
    month, params = _compliance_params(filters)
    content = export_compliance_workbook(request.user, month=month, groupings=filters.group_by, params=params,
                                         breaches=filters.breaches)
    return attachment(content, f"sla-compliance-{month:%Y-%m}.xlsx")


@router.get("/sla/breaches", response=list[BreachOut])
@paginate(KeysetPagination, **PAGE)
def sla_breaches(request, filters: Query[BreachFilters]):
    """The month's incidents with a breached response or repair clock, newest first."""
    month, params = _compliance_params(filters)
    return compliance.breach_list(request.user, month, params)


# ---------------------------------------------------------------- calendar, business hours, major events
# Reading is open to every signed-in user (the calendar decides everybody's deadlines); writing is the
# bureau admin's (capabilities incidents.calendar / incidents.major_events, checked by the services).


def _calendar_year_out(year) -> dict:
    days = CalendarDay.objects.filter(date__year=year.year).order_by("date")
    return {"year": year.year, "source": year.source, "days": list(days)}


@router.get("/calendar/years", response=list[CalendarYearOut], tags=["calendar"])
def list_calendar_years(request):
    return [_calendar_year_out(year) for year in selectors.calendar_declarations()["years"]]


@router.put("/calendar/years/{year}", response=CalendarYearOut, tags=["calendar"])
def declare_calendar_year(request, year: Year, body: CalendarYearIn):
    """Enter (or replace) a year's official arrangement: its days off and make-up working days."""
    days = [(d.date, d.type == "work", d.name) for d in body.days]
    return _calendar_year_out(services.declare_calendar_year(request.user, year, days, body.source))


@router.post("/calendar/years/{year}/import", response=CalendarYearOut, tags=["calendar"])
def import_calendar_year(request, year: Year, file: File[UploadedFile], source: Form[str] = ""):
    """The same from an Excel sheet 日历 (日期 / 类型 休|班 / 名称) or an iCalendar file (.ics)."""
    content = file.read()
    days = calendar_io.read_ics(content) if file.name.lower().endswith(".ics") else calendar_io.read_workbook(content)
    return _calendar_year_out(services.declare_calendar_year(request.user, year, days, source or file.name))


@router.get("/calendar/corrections", response=list[CalendarDayOut], tags=["calendar"])
def list_corrections(request):
    return [d for d in selectors.calendar_declarations()["days"] if d.is_correction]


@router.put("/calendar/corrections/{day}", response=CalendarDayOut, tags=["calendar"])
def correct_day(request, day: SaneDate, body: CorrectionIn):
    return services.correct_calendar_day(request.user, day, body.is_working, body.name)


@router.delete("/calendar/corrections/{day}", response={204: None}, tags=["calendar"])
def remove_correction(request, day: SaneDate):
    services.remove_calendar_correction(request.user, day)
    return Status(204, None)


@router.get("/calendar/days", response=list[WorkingDayOut], tags=["calendar"])
def working_days(request, start: SaneDate, end: SaneDate):
    """Working day or not for each date from start to end (at most 400 days); unknown years say so."""
    if not start <= end or (end - start).days > 400:
        raise ValidationError({"end": "end must be on or after start, at most 400 days later"})
    return selectors.working_days(start, end)


@router.put("/systems/{system_id}/business-hours", response={204: None}, tags=["calendar"])
def set_business_hours(request, system_id: Id, body: BusinessHoursIn):
    system = catalog_selectors.system_get(request.user, system_id)
    services.set_business_hours(request.user, system, body.start, body.end)
    return Status(204, None)


@router.delete("/systems/{system_id}/business-hours", response={204: None}, tags=["calendar"])
def reset_business_hours(request, system_id: Id):
    system = catalog_selectors.system_get(request.user, system_id)
    services.set_business_hours(request.user, system, None, None)
    return Status(204, None)


@router.get("/major-events", response=list[MajorEventOut], tags=["major events"])
def list_major_events(request):
    return selectors.major_event_periods()


def _save_major_event(request, period, body: MajorEventIn):
    for field in ("name", "start", "end", "response_value", "repair_value", "all_systems", "note"):
        setattr(period, field, getattr(body, field))
    period.response_unit = body.response_unit or ""
    period.repair_unit = body.repair_unit or ""
    systems = [catalog_selectors.system_get(request.user, pk) for pk in body.system_ids]
    return services.save_major_event_period(request.user, period, systems)


@router.post("/major-events", response={201: MajorEventOut}, tags=["major events"])
def create_major_event(request, body: MajorEventIn):
    return Status(201, _save_major_event(request, MajorEventPeriod(), body))


@router.put("/major-events/{period_id}", response=MajorEventOut, tags=["major events"])
def update_major_event(request, period_id: Id, body: MajorEventIn):
    return _save_major_event(request, get_object_or_404(selectors.major_event_periods(), pk=period_id), body)


@router.delete("/major-events/{period_id}", response={204: None}, tags=["major events"])
def delete_major_event(request, period_id: Id):
    services.delete_major_event_period(request.user, get_object_or_404(selectors.major_event_periods(), pk=period_id))
    return Status(204, None)


# ---------------------------------------------------------------- notifications (the caller's own)


@router.get("/notifications", response=list[NotificationOut], tags=["notifications"])
@paginate(KeysetPagination, ordering=("-created_at", "-id"), page_size=50, max_page_size=500)
def list_notifications(request, filters: Query[NotificationFilters]):
    return selectors.notification_list(request.user, unread=filters.unread)


@router.post("/notifications/read", response=NotificationReadOut, tags=["notifications"])
def read_notifications(request, body: NotificationReadIn):
    marked = services.mark_all_read(request.user) if body.all else services.mark_read(request.user, body.ids)
    return {"marked": marked, "unread": selectors.unread_notification_count(request.user)}
