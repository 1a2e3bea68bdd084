"""/api/v1/availability: monthly figures per system or unit, the per-device drill-down, maintenance
windows and accepted outages (list, create, approve, reject; evidence upload), outages recorded by hand.

Another unit's object is a 404 (scoping first), a role that may not act a 403."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tongyun.catalog.models import Device
from tongyun.core.downloads import attachment
from tongyun.core.pagination import KeysetPagination
from tongyun.core.schemas import Id
from tongyun.core.scoping import scoped
from tongyun.incidents.models import Incident

from . import excel, selectors, services
from .schemas import (
    AcceptedIn,
    AcceptedOut,
    AvailabilityFilters,
    AvailabilityOut,
    DecisionIn,
    DeviceTableOut,
    MonthFilter,
    OutageIn,
    OutageOut,
    RequestFilters,
    WindowIn,
    WindowOut,
)

router = Router(tags=["availability"])
PAGE = {"ordering": ("-id",), "page_size": 100, "max_page_size": 500}


def _month(value):
    return selectors.current_month() if value in (None, "") else selectors.parse_month(value)


def _params(filters) -> dict:
    return {k: v for k, v in filters.dict().items() if k in ("unit", "system", "category") and v is not None}


@router.get("", response=AvailabilityOut)
def monthly_availability(request, filters: Query[AvailabilityFilters]):
    """The month's device availability per system (systems with devices or a target) or per unit,
    device-unit weighted, with the tender's target and a shortfall flag per system."""
    table = selectors.availability_table(request.user, _month(filters.month), filters.group_by, _params(filters))
    return {"month": f"{table['month']:%Y-%m}", "group_by": table["group_by"], "now": table["now"],
            "results": table["rows"], "total": table["total"]}


@router.get("/export.xlsx")
def monthly_availability_workbook(request, filters: Query[AvailabilityFilters]):
    """The same figures as an Excel workbook (sheets 按系统, 按用户单位, 说明)."""
    month = _month(filters.month)
    content = excel.export_workbook(request.user, month=month, params=_params(filters))
    return attachment(content, f"availability-{month:%Y-%m}.xlsx")


@router.get("/systems/{system_id}/devices", response=DeviceTableOut)
def system_devices(request, system_id: Id, filters: Query[MonthFilter]):
    """Per-device figures of one system for a month."""
    system = selectors.system_get(request.user, system_id)
    table = selectors.device_table(request.user, system, _month(filters.month))
    return {"month": f"{table['month']:%Y-%m}", "now": table["now"], "system": table["system"],
            "results": table["devices"]}


def _devices(user, system, ids: list[int]) -> list[Device]:
    if not ids:
        return []
    devices = list(scoped(Device.objects.filter(pk__in=ids, system=system), user))
    if len(devices) != len(set(ids)):
        raise ValidationError({"device_ids": "设备不存在或不属于该系统"})
    return devices


# ---------------------------------------------------------------- maintenance windows


@router.get("/maintenance-windows", response=list[WindowOut])
@paginate(KeysetPagination, **PAGE)
def list_windows(request, filters: Query[RequestFilters]):
    return selectors.window_list(request.user, filters.dict(exclude_none=True))


@router.post("/maintenance-windows", response={201: WindowOut})
def create_window(request, body: WindowIn):
    """The contractor's PM requests a window; the unit's administrator or the bureau decides."""
    system = selectors.system_get(request.user, body.system_id)
    window = services.request_window(request.user, system, start=body.starts_at, end=body.ends_at,
                                     reason=body.reason, devices=_devices(request.user, system, body.device_ids))
    return Status(201, selectors.window_get(request.user, window.pk))


@router.get("/maintenance-windows/{window_id}", response=WindowOut)
def get_window(request, window_id: Id):
    return selectors.window_get(request.user, window_id)


@router.post("/maintenance-windows/{window_id}/approve", response=WindowOut)
def approve_window(request, window_id: Id, body: DecisionIn | None = None):
    window = selectors.window_get(request.user, window_id)
    services.approve_window(request.user, window, note=body.note if body else "")
    return selectors.window_get(request.user, window_id)


@router.post("/maintenance-windows/{window_id}/reject", response=WindowOut)
def reject_window(request, window_id: Id, body: DecisionIn | None = None):
    window = selectors.window_get(request.user, window_id)
    services.reject_window(request.user, window, note=body.note if body else "")
    return selectors.window_get(request.user, window_id)


# ---------------------------------------------------------------- accepted outages


@router.get("/accepted-outages", response=list[AcceptedOut])
@paginate(KeysetPagination, **PAGE)
def list_accepted(request, filters: Query[RequestFilters]):
    return selectors.accepted_list(request.user, filters.dict(exclude_none=True))


@router.post("/accepted-outages", response={201: AcceptedOut})
def create_accepted(request, body: AcceptedIn):
    """The contractor asks the bureau to accept an outage (不可抗力, 施工); upload the evidence with
    POST …/{id}/evidence — the bureau cannot accept it before."""
    system = selectors.system_get(request.user, body.system_id)
    accepted = services.request_acceptance(request.user, system, kind=body.kind, start=body.starts_at,
                                           end=body.ends_at, description=body.description,
                                           devices=_devices(request.user, system, body.device_ids))
    return Status(201, selectors.accepted_get(request.user, accepted.pk))


@router.get("/accepted-outages/{accepted_outage_id}", response=AcceptedOut)
def get_accepted(request, accepted_outage_id: Id):
    return selectors.accepted_get(request.user, accepted_outage_id)


@router.post("/accepted-outages/{accepted_outage_id}/evidence", response=AcceptedOut)
def upload_evidence(request, accepted_outage_id: Id, evidence: File[UploadedFile] = None):
    """multipart/form-data with the file in `evidence` (PDF, image, Office document, ≤ 20 MB)."""
    accepted = selectors.accepted_get(request.user, accepted_outage_id)
    services.attach_evidence(request.user, accepted, evidence)
    return selectors.accepted_get(request.user, accepted_outage_id)


@router.post("/accepted-outages/{accepted_outage_id}/approve", response=AcceptedOut)
def approve_accepted(request, accepted_outage_id: Id, body: DecisionIn | None = None):
    accepted = selectors.accepted_get(request.user, accepted_outage_id)
    services.approve_acceptance(request.user, accepted, note=body.note if body else "")
    return selectors.accepted_get(request.user, accepted_outage_id)


@router.post("/accepted-outages/{accepted_outage_id}/reject", response=AcceptedOut)
def reject_accepted(request, accepted_outage_id: Id, body: DecisionIn | None = None):
    accepted = selectors.accepted_get(request.user, accepted_outage_id)
    services.reject_acceptance(request.user, accepted, note=body.note if body else "")
    return selectors.accepted_get(request.user, accepted_outage_id)


# ---------------------------------------------------------------- outages recorded by hand


@router.post("/outages", response={201: OutageOut})
def record_outage(request, body: OutageIn):
    """A device outage found by an inspection or an incident, written to the monitoring outages."""
    device = get_object_or_404(scoped(Device.objects.all(), request.user), pk=body.device_id)
    incident = None
    if body.incident_id is not None:
        incident = scoped(Incident.objects.filter(pk=body.incident_id), request.user).first()
        if incident is None:
            raise ValidationError({"incident_id": "工单不存在"})
    outage = services.record_outage(request.user, device, start=body.starts_at, end=body.ends_at, fault=body.fault,
                                    cause=body.cause, note=body.note, incident=incident)
    return Status(201, outage)
