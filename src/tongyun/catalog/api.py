from django.shortcuts import get_object_or_404
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from tongyun.core.downloads import attachment
from tongyun.core.excel import WorkbookInvalid
from tongyun.core.pagination import KeysetPagination, paginate_rows
from tongyun.core.schemas import Id
from tongyun.parties.selectors import staff_list

from . import device_import, selectors, services
from .device_import import export_device_workbook
from .excel import export_catalog_workbook
from .models import Device, System
from .schemas import (
    AssignmentIn,
    AssignmentOut,
    ChangeIn,
    ChangeOut,
    DeviceFilters,
    DeviceImportIn,
    DeviceImportOut,
    DeviceOut,
    DeviceTopologyOut,
    SlaTermFilters,
    SlaTermOut,
    SlaTermPatch,
    SystemDetailOut,
    SystemFilters,
    SystemOut,
    TopologyIn,
    TopologyOut,
    UnitFilters,
    UnitOut,
)

router = Router(tags=["catalog"])

# Keyset pagination on the primary key: no COUNT(*) and no OFFSET, so page 1,000 of
# 100,000 devices costs what page 1 does.
PAGE = {"ordering": ("id",), "page_size": 50, "max_page_size": 500}


def _params(filters) -> dict:
    return filters.dict(exclude_none=True)


@router.get("/units", response=list[UnitOut])
@paginate(KeysetPagination, **PAGE)
def list_units(request, filters: Query[UnitFilters]):
    return selectors.unit_list(request.user, _params(filters))


@router.get("/units/{unit_id}", response=UnitOut)
def get_unit(request, unit_id: Id):
    return selectors.unit_get(request.user, unit_id)


@router.get("/systems", response=list[SystemOut])
@paginate_rows(System, SystemOut, **PAGE)
def list_systems(request, filters: Query[SystemFilters]):
    return selectors.system_list(request.user, _params(filters))


@router.get("/systems/{system_id}", response=SystemDetailOut)
def get_system(request, system_id: Id):
    return selectors.system_get(request.user, system_id)


@router.get("/systems/{system_id}/changes", response=list[ChangeOut])
def list_system_changes(request, system_id: Id):
    system = selectors.system_get(request.user, system_id)
    return selectors.change_list(request.user, system.id)


@router.post("/systems/{system_id}/changes", response={201: ChangeOut})
def record_system_change(request, system_id: Id, body: ChangeIn):
    system = selectors.system_get(request.user, system_id)
    change = services.record_system_change(
        request.user, system, kind=body.kind, effective_date=body.effective_date,
        description=body.description, changes=body.changes,
    )
    return Status(201, change)


@router.get("/systems/{system_id}/assignments", response=list[AssignmentOut])
def list_assignments(request, system_id: Id):
    system = selectors.system_get(request.user, system_id)
    return selectors.assignment_list(request.user, system.id)


@router.post("/systems/{system_id}/assignments", response={201: AssignmentOut})
def assign_staff(request, system_id: Id, body: AssignmentIn):
    system = selectors.system_get(request.user, system_id)
    staff = get_object_or_404(staff_list(), username=body.username)
    return Status(201, services.assign_staff(request.user, system, staff, body.since))


@router.delete("/systems/{system_id}/assignments/{assignment_id}", response={204: None})
def unassign_staff(request, system_id: Id, assignment_id: Id):
    system = selectors.system_get(request.user, system_id)
    services.unassign_staff(request.user, get_object_or_404(selectors.assignment_list(request.user, system.id),
                                                            pk=assignment_id))
    return Status(204, None)


@router.get("/devices", response=list[DeviceOut])
@paginate_rows(Device, DeviceOut, **PAGE)
def list_devices(request, filters: Query[DeviceFilters]):
    return selectors.device_list(request.user, _params(filters))


@router.get("/devices/export.xlsx", response={200: None})
def export_devices(request, filters: Query[DeviceFilters]):
    """The device inventory (设备台账) in the layout POST /devices/import reads back."""
    return attachment(export_device_workbook(request.user, selectors.device_list(request.user, _params(filters))),
                      "tongyun-devices.xlsx")


@router.post("/devices/import", response={200: DeviceImportOut, 422: dict})
def import_devices_workbook(request, file: File[UploadedFile]):
    """multipart/form-data, the workbook in `file` (sheet 设备台账). All or nothing: 422 lists every problem
    as {"sheet", "row", "column", "reason"}."""
    try:
        return device_import.import_device_workbook(request.user, file.read()).as_dict()
    except WorkbookInvalid as invalid:
        return Status(422, {"detail": [{"sheet": p.sheet, "row": p.row, "column": p.column, "reason": p.reason}
                                       for p in invalid.problems]})


@router.post("/devices/upsert", response={200: DeviceImportOut, 422: dict})
def upsert_devices(request, body: DeviceImportIn):
    """Create or update devices by code (up to 100,000 in one body); all or nothing: 422 names each bad
    item and field (["body", "devices", 3, "ip_address"])."""
    records = [(index, item.dict()) for index, item in enumerate(body.devices)]
    try:
        return device_import.import_devices(request.user, records).as_dict()
    except device_import.DevicesInvalid as invalid:
        return Status(422, {"detail": [{"loc": ["body", "devices", index, field], "msg": reason}
                                       for index, field, reason in invalid.problems]})


@router.post("/devices/topology", response={200: TopologyOut, 422: dict})
def set_topology(request, body: TopologyIn):
    """Set each device's upstream device (switch, uplink) by code; null removes it. All or nothing."""
    links = [(index, link.code, link.upstream_code) for index, link in enumerate(body.links)]
    try:
        return {"changed": device_import.set_topology(request.user, links)}
    except device_import.DevicesInvalid as invalid:
        return Status(422, {"detail": [{"loc": ["body", "links", index, field], "msg": reason}
                                       for index, field, reason in invalid.problems]})


@router.get("/devices/{device_id}", response=DeviceOut)
def get_device(request, device_id: Id):
    return selectors.device_get(request.user, device_id)


@router.get("/devices/{device_id}/topology", response=DeviceTopologyOut)
def get_device_topology(request, device_id: Id):
    device = selectors.device_get(request.user, device_id)
    return selectors.device_topology(request.user, device)


@router.get("/sla-terms", response=list[SlaTermOut])
@paginate(KeysetPagination, **PAGE)
def list_sla_terms(request, filters: Query[SlaTermFilters]):
    return selectors.sla_term_list(request.user, _params(filters))


@router.get("/sla-terms/{term_id}", response=SlaTermOut)
def get_sla_term(request, term_id: Id):
    return selectors.sla_term_get(request.user, term_id)


@router.patch("/sla-terms/{term_id}", response=SlaTermOut)
def update_sla_term(request, term_id: Id, body: SlaTermPatch):
    term = selectors.sla_term_get(request.user, term_id)
    return services.sla_term_update(request.user, term, **body.dict(exclude_unset=True))


@router.get("/catalog/export.xlsx", response={200: None})
def export_catalog(request, filters: Query[SystemFilters]):
    systems = selectors.system_list(request.user, _params(filters))
    return attachment(export_catalog_workbook(request.user, systems), "tongyun-catalog.xlsx")
