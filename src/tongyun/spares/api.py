"""/api/v1/spares/… — items, stock ledger, settlement, replacements, removed devices, repairs, substitutions."""

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate

from tongyun.catalog.models import Device, System
from tongyun.core.schemas import Id
from tongyun.core.scoping import scoped
from tongyun.incidents.models import Incident
from tongyun.signoffs.models import SignOff

from . import replacements, selectors, services, substitutions
from .choices import WarrantyRoute
from .schemas import (
    SpareDisposalIn,
    SpareEntryOut,
    SpareIssueIn,
    SpareItemFilters,
    SpareItemOut,
    SpareMovementIn,
    SparePriceIn,
    SpareRemovedDeviceOut,
    SpareRepairIn,
    SpareRepairOut,
    SpareReplacementIn,
    SpareReplacementOut,
    SpareSettlementOut,
    SpareSubstitutionIn,
    SpareSubstitutionOut,
    SpareWarehouseOut,
    SpareWarrantyOut,
)

router = Router(tags=["备品备件"])
PAGE = {"ordering": ("id",), "page_size": 50, "max_page_size": 500}
MOVEMENT_KINDS = ("receipt", "return", "transfer", "stocktake")


def _settlement_out(row) -> dict:
    return {"item_id": row.item.pk, "system_id": row.item.system_id, "name": row.item.name, "model": row.item.model,
            "cap": row.cap, "effective_cap": row.effective_cap, "used": row.used, "remaining": row.remaining,
            "stock": row.stock, "minimum_stock": row.item.minimum_stock, "unit_price": row.unit_price,
            "used_value": row.used_value}


def _replacement_out(replacement) -> SpareReplacementOut:
    out = SpareReplacementOut.from_orm(replacement)
    out.signoff_ids = list(SignOff.objects.filter(subject_type__app_label="spares", subject_type__model="replacement",
                                                  subject_id=replacement.pk).values_list("id", flat=True))
    return out


def _scoped_or_404(model, user, pk):
    return get_object_or_404(scoped(model.objects.all(), user), pk=pk)


@router.get("/items", response=list[SpareItemOut])
@paginate(CursorPagination, **PAGE)
def list_items(request, filters: Query[SpareItemFilters]):
    return selectors.item_list(request.user, {"system": filters.system_id, "q": filters.q})


@router.get("/items/{spare_item_id}", response=SpareItemOut)
def get_item(request, spare_item_id: Id):
    return selectors.item_get(request.user, spare_item_id)


@router.patch("/items/{spare_item_id}", response=SpareItemOut)
def set_item_price(request, spare_item_id: Id, body: SparePriceIn):
    """The bureau enters the unit price the settlement uses."""
    return services.set_price(request.user, selectors.item_get(request.user, spare_item_id), body.unit_price)


@router.get("/items/{spare_item_id}/entries", response=list[SpareEntryOut])
@paginate(CursorPagination, ordering=("-id",), page_size=50, max_page_size=500)
def list_entries(request, spare_item_id: Id):
    item = selectors.item_get(request.user, spare_item_id)
    return selectors.entry_list(request.user, {"item": item.pk})


@router.post("/items/{spare_item_id}/entries", response={201: list[SpareEntryOut]})
def post_entry(request, spare_item_id: Id, body: SpareMovementIn):
    """Receipt or return (quantity), transfer (quantity, target_warehouse_id) or stock-take (counted)."""
    item = selectors.item_get(request.user, spare_item_id)
    if body.kind not in MOVEMENT_KINDS:
        raise ValidationError({"kind": _("应为 %(kinds)s 之一") % {"kinds": "、".join(MOVEMENT_KINDS)}})
    warehouse = get_object_or_404(selectors.warehouses(), pk=body.warehouse_id)
    if body.kind == "stocktake":
        if body.counted is None:
            raise ValidationError({"counted": _("请填写盘点数量")})
        entry = services.stocktake(request.user, item, warehouse, body.counted, note=body.note)
        return Status(201, [entry] if entry else [])
    if body.quantity is None:
        raise ValidationError({"quantity": _("请填写数量")})
    if body.kind == "transfer":
        if body.target_warehouse_id is None:
            raise ValidationError({"target_warehouse_id": _("请选择调入库房")})
        target = get_object_or_404(selectors.warehouses(), pk=body.target_warehouse_id)
        return Status(201, list(services.transfer(request.user, item, warehouse, target, body.quantity,
                                                  note=body.note)))
    return Status(201, [services.record_movement(request.user, item, warehouse, body.kind, body.quantity,
                                                 note=body.note)])


@router.get("/warehouses", response=list[SpareWarehouseOut])
def list_warehouses(request):
    return selectors.warehouses()


@router.get("/systems/{system_id}/settlement", response=list[SpareSettlementOut])
def system_settlement(request, system_id: Id):
    """Per item: cap (after agreed substitutions), used, remaining, stock and used value at the unit price."""
    system = selectors.system_get(request.user, system_id)
    return [_settlement_out(row) for row in selectors.settlement(selectors.item_list(request.user,
                                                                                     {"system": system.pk}))]


@router.get("/replacements", response=list[SpareReplacementOut])
@paginate(CursorPagination, **PAGE)
def list_replacements(request, state: str | None = None, system_id: Id | None = None):
    return selectors.replacement_list(request.user, {"state": state, "system": system_id})


@router.post("/replacements", response={201: SpareReplacementOut})
def request_replacement(request, body: SpareReplacementIn):
    """The engineer records that the device cannot be repaired; the purchaser and the supervisor confirm."""
    incident = _scoped_or_404(Incident, request.user, body.incident_id)
    item = selectors.item_get(request.user, body.item_id)
    device = _scoped_or_404(Device, request.user, body.device_id) if body.device_id else None
    replacement = replacements.request_replacement(
        request.user, incident, item, reason=body.reason, quantity=body.quantity, device=device,
        proposed_model=body.proposed_model, over_cap_reason=body.over_cap_reason)
    return Status(201, _replacement_out(replacement))


@router.get("/replacements/{replacement_id}", response=SpareReplacementOut)
def get_replacement(request, replacement_id: Id):
    return _replacement_out(selectors.replacement_get(request.user, replacement_id))


@router.post("/replacements/{replacement_id}/issue", response=SpareReplacementOut)
def issue_replacement(request, replacement_id: Id, body: SpareIssueIn):
    """Issue the confirmed part: stock out, device record updated, removed device in the ledger."""
    replacement = selectors.replacement_get(request.user, replacement_id)
    warehouse = get_object_or_404(selectors.warehouses(), pk=body.warehouse_id)
    replacements.issue(request.user, replacement, warehouse, removal_reason=body.removal_reason,
                       location=body.location, kept_at=body.kept_at, new_model=body.new_model,
                       new_serial=body.new_serial, installed_on=body.installed_on, years_in_use=body.years_in_use)
    return _replacement_out(selectors.replacement_get(request.user, replacement_id))


@router.get("/removed-devices", response=list[SpareRemovedDeviceOut])
@paginate(CursorPagination, **PAGE)
def list_removed(request, system_id: Id | None = None):
    return selectors.removed_list(request.user, {"system": system_id})


@router.post("/removed-devices/{removed_id}/disposal", response=SpareRemovedDeviceOut)
def request_disposal(request, removed_id: Id, body: SpareDisposalIn):
    """Ask the bureau to consent to disposing of the old part."""
    removed = selectors.removed_get(request.user, removed_id)
    return replacements.request_disposal(request.user, removed, reason=body.reason)


@router.get("/repairs", response=list[SpareRepairOut])
@paginate(CursorPagination, **PAGE)
def list_repairs(request, system_id: Id | None = None):
    return selectors.repair_list(request.user, {"system": system_id})


@router.post("/repairs", response={201: SpareRepairOut})
def record_repair(request, body: SpareRepairIn):
    system = _scoped_or_404(System, request.user, body.system_id)
    item = selectors.item_get(request.user, body.item_id) if body.item_id else None
    incident = _scoped_or_404(Incident, request.user, body.incident_id) if body.incident_id else None
    device = _scoped_or_404(Device, request.user, body.device_id) if body.device_id else None
    return Status(201, replacements.record_repair(request.user, system, part=body.part, fault=body.fault,
                                                  action=body.action, repaired_on=body.repaired_on, item=item,
                                                  incident=incident, device=device))


@router.get("/substitutions", response=list[SpareSubstitutionOut])
@paginate(CursorPagination, **PAGE)
def list_substitutions(request):
    return selectors.substitution_list(request.user)


@router.post("/substitutions", response={201: SpareSubstitutionOut})
def propose_substitution(request, body: SpareSubstitutionIn):
    """Exchange unused capped quantity of one item for another at the same total price (to the fen)."""
    from_item = selectors.item_get(request.user, body.from_item_id)
    to_item = selectors.item_get(request.user, body.to_item_id)
    return Status(201, substitutions.propose_substitution(request.user, from_item, body.from_quantity, to_item,
                                                          body.to_quantity, reason=body.reason))


@router.get("/devices/{device_id}/warranty", response=SpareWarrantyOut)
def device_warranty(request, device_id: Id):
    """Which way a broken device goes: the original vendor's warranty or the contractor's spares (SP-20)."""
    device = _scoped_or_404(Device, request.user, device_id)
    route = replacements.warranty_route(device)
    return {"device_id": device.pk, "system_id": device.system_id, "warranty_until": device.warranty_until,
            "route": route, "route_label": str(WarrantyRoute(route).label)}
