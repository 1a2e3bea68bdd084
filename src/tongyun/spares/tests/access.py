"""Spare-part pages and endpoints in the cross-unit access walk (core/tests/test_cross_unit_access.py)."""

from tongyun.spares.models import RemovedDevice, ReplacementPhoto, SpareItem, StockEntry, Substitution, Warehouse

# the import form answers 403 to anyone but the bureau admin and the PM; what it imports is scoped
NOT_SCOPED_PAGES = {"spares:import"}
DETAIL_PAGES = {
    "spares:item_detail": lambda f: {"pk": f["spare_item"].pk},
    "spares:item_entry": lambda f: {"pk": f["spare_item"].pk},
    "spares:system_detail": lambda f: {"pk": f["system"].pk},
    "spares:substitution_create": lambda f: {"pk": f["system"].pk},
    "spares:stock_list_create": lambda f: {"pk": f["system"].pk},
    "spares:replacement_detail": lambda f: {"pk": f["spare_replacement"].pk},
    "spares:replacement_issue": lambda f: {"pk": f["spare_replacement"].pk},
    "spares:replacement_create": lambda f: {"pk": f["incident"].pk},
    "spares:send_to_vendor": lambda f: {"pk": f["incident"].pk},
    "spares:photo": lambda f: {"pk": f["spare_photo"].pk},
    "spares:removed_dispose": lambda f: {"pk": f["spare_removed"].pk},
}
LIST_PAGES = {"spares:item_list", "spares:replacement_list", "spares:removed_list", "spares:repair_list"}
EXCEL_PAGES = {"spares:export"}
# the contractor's warehouses are district-wide, not a unit's
NOT_SCOPED_API = {"/api/v1/spares/warehouses"}
API_PARAMS = {
    "spare_item_id": lambda f: f["spare_item"].pk,
    "replacement_id": lambda f: f["spare_replacement"].pk,
    "removed_id": lambda f: f["spare_removed"].pk,
}
POST_BODY = {
    "incident_id": lambda f: f["incident"].pk, "item_id": lambda f: f["spare_item"].pk,
    "from_item_id": lambda f: f["spare_item"].pk, "to_item_id": lambda f: f["spare_item_2"].pk,
    "from_quantity": 1, "to_quantity": 1, "warehouse_id": lambda f: f["spare_warehouse"].pk,
    "part": "x", "fault": "x", "repaired_on": "2026-03-01", "removal_reason": "x", "location": "x", "kept_at": "x",
    "quantity": 1, "unit_price": "1.00",
}


def foreign_objects(foreign, user_of):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tongyun.incidents.models import Incident
    from tongyun.spares.models import Replacement

    system = foreign["system"]
    warehouse, _made = Warehouse.objects.get_or_create(name="顺义区备品备件库房")
    item = SpareItem.objects.create(system=system, name="FOREIGN-SPARE", model="FOREIGN-MODEL-X", cap=5,
                                    minimum_stock=2, unit_price="10.00")
    item_2 = SpareItem.objects.create(system=system, name="FOREIGN-SPARE-2", cap=5, unit_price="10.00")
    now = timezone.now()
    StockEntry.objects.create(item=item, warehouse=warehouse, kind="receipt", quantity=3, balance=3, at=now,
                              actor=user_of("pm"), note="FOREIGN")
    incident = Incident.objects.get(pk=foreign["incident"].pk)
    replacement = Replacement.objects.create(incident=incident, system=system, item=item, device=foreign["device"],
                                             reason="FOREIGN", requested_by=user_of("engineer"), requested_at=now)
    photo = ReplacementPhoto.objects.create(replacement=replacement, image=ContentFile(b"\x89PNG", name="f.png"))
    removed = RemovedDevice.objects.create(system=system, incident=incident, device_name="FOREIGN-REMOVED",
                                           removal_reason="x", location="x", removed_at=now, kept_at="x")
    Substitution.objects.create(system=system, from_item=item, from_quantity=1, to_item=item_2, to_quantity=1,
                                total="10.00", requested_by=user_of("pm"), requested_at=now)
    return {"spare_item": item, "spare_item_2": item_2, "spare_warehouse": warehouse,
            "spare_replacement": replacement, "spare_photo": photo, "spare_removed": removed}
