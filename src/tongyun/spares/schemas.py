"""API bodies and answers of spare parts; names carry the domain (unique across the whole API)."""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from tongyun.core.schemas import Id, InputSchema


class SpareItemFilters(Schema):
    system_id: Id | None = None
    q: str | None = Field(None, max_length=100)  # a search phrase; bounded like every query parameter


class SpareItemOut(Schema):
    id: int
    system_id: int
    name: str
    model: str
    spec: str
    unit: str
    unit_price: Decimal | None
    cap_year: int
    cap: int | None
    minimum_stock: int
    yearly_minimums: dict
    source: str
    source_line_start: int | None
    source_line_end: int | None


class SpareSettlementOut(Schema):
    item_id: int
    system_id: int
    name: str
    model: str
    cap: int | None
    effective_cap: int | None
    used: int
    remaining: int | None
    stock: int
    minimum_stock: int
    unit_price: Decimal | None
    used_value: Decimal | None


class SpareEntryOut(Schema):
    id: int
    item_id: int
    system_id: int = Field(alias="item.system_id")
    warehouse_id: int
    kind: str
    quantity: int
    balance: int
    at: dt.datetime
    actor: str = Field(alias="actor.username")
    replacement_id: int | None
    note: str


class SpareMovementIn(InputSchema):
    kind: str  # receipt | return | transfer | stocktake (checked after access, so a foreign item is a 404)
    warehouse_id: int
    quantity: int | None = None  # receipt, return, transfer
    counted: int | None = None  # stocktake
    target_warehouse_id: int | None = None  # transfer
    note: str = ""


class SparePriceIn(InputSchema):
    unit_price: Decimal | None = Field(..., max_digits=12, decimal_places=2)


class SpareWarehouseOut(Schema):
    id: int
    name: str
    address: str
    in_shunyi: bool
    active: bool


class SpareReplacementIn(InputSchema):
    incident_id: int
    item_id: int
    device_id: int | None = None
    quantity: int = 1
    reason: str
    proposed_model: str = ""
    over_cap_reason: str = ""


class SpareReplacementOut(Schema):
    id: int
    incident_id: int
    system_id: int
    item_id: int
    device_id: int | None
    quantity: int
    reason: str
    proposed_model: str
    over_cap_reason: str
    state: str
    requested_by: str = Field(alias="requested_by.username")
    requested_at: dt.datetime
    issued_at: dt.datetime | None
    new_model: str
    new_serial: str
    installed_on: dt.date | None
    signoff_ids: list[int] = []


class SpareIssueIn(InputSchema):
    warehouse_id: int
    removal_reason: str
    location: str
    kept_at: str
    new_model: str = ""
    new_serial: str = ""
    installed_on: dt.date | None = None
    years_in_use: Decimal | None = Field(None, max_digits=5, decimal_places=1)


class SpareRemovedDeviceOut(Schema):
    id: int
    system_id: int
    incident_id: int | None
    replacement_id: int | None
    device_id: int | None
    device_name: str
    old_model: str
    old_serial: str
    removal_reason: str
    location: str
    years_in_use: Decimal | None
    removed_at: dt.datetime
    kept_at: str
    disposal: str


class SpareDisposalIn(InputSchema):
    reason: str


class SpareRepairIn(InputSchema):
    system_id: int
    part: str
    fault: str
    action: str
    repaired_on: dt.date
    item_id: int | None = None
    incident_id: int | None = None
    device_id: int | None = None


class SpareRepairOut(Schema):
    id: int
    system_id: int
    item_id: int | None
    incident_id: int | None
    device_id: int | None
    part: str
    fault: str
    action: str
    repaired_on: dt.date
    repaired_by: str = Field(alias="repaired_by.username")


class SpareSubstitutionIn(InputSchema):
    from_item_id: int
    from_quantity: int
    to_item_id: int
    to_quantity: int
    reason: str = ""


class SpareSubstitutionOut(Schema):
    id: int
    system_id: int
    from_item_id: int
    from_quantity: int
    to_item_id: int
    to_quantity: int
    total: Decimal
    reason: str
    state: str
    requested_at: dt.datetime


class SpareWarrantyOut(Schema):
    device_id: int
    system_id: int
    warranty_until: dt.date | None
    route: str
    route_label: str
