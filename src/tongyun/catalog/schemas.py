"""API shapes of the catalog (kept apart from api.py so the routes read at one sitting)."""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from tongyun.core.schemas import FilterSchema, Id, InputSchema, SaneDate

from .choices import ChangeKind, TermPeriod, TimeUnit


class UnitOut(Schema):
    id: int
    name: str
    contact_name: str
    contact_phone: str


class SystemOut(Schema):
    id: int
    row_no: int | None
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    name: str
    category: str
    deployment: str
    deployment_kind: str
    service_mode: str
    onsite_staff_count: int | None
    service_start: date | None
    service_end: date | None
    status: str
    mlps_level: int | None
    duty_required: bool
    major_event_required: bool


class SlaTermOut(Schema):
    id: int
    system_id: int
    position: int
    severity: str
    tier_key: str
    tier_label: str
    definition: str
    response_value: Decimal | None
    response_unit: str
    arrival_value: Decimal | None
    arrival_unit: str
    repair_value: Decimal | None
    repair_unit: str
    restore_value: Decimal | None
    restore_unit: str
    repair_from_arrival: bool
    applies_when: str
    text: str
    notes: str


class CadenceOut(Schema):
    id: int
    frequency: str
    mode: str
    text: str


class SystemDetailOut(SystemOut):
    description: str
    hardware_text: str
    onsite_staff_text: str
    mlps_text: str
    mlps_last_assessment_year: int | None
    mlps_due_this_year: bool
    network_power_text: str
    duty_text: str
    major_event_text: str
    inspection_text: str
    work_content: str
    sla_text: str
    sla_form: str
    source_line_start: int | None
    source_line_end: int | None
    flags: list[dict]
    sla_terms: list[SlaTermOut]
    inspection_cadences: list[CadenceOut]


class DeviceOut(Schema):
    id: int
    system_id: int
    code: str
    device_class: str
    kind: str
    model: str
    name: str
    serial_number: str
    quantity: int
    location: str
    town: str
    latitude: Decimal | None
    longitude: Decimal | None
    ip_address: str | None
    gb28181_id: str
    install_date: date | None
    warranty_until: date | None
    upstream_id: int | None


class DeviceIn(InputSchema):
    """One device of an import: created, or updated when its code is known."""

    code: str
    system_id: int
    name: str
    kind: str
    device_class: str | None = None
    model: str | None = None
    serial_number: str | None = None
    location: str | None = Field(None, description="安装地址")
    town: str | None = Field(None, description="镇街")
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    ip_address: str | None = None
    gb28181_id: str | None = Field(None, description="GB/T 28181 设备编码（20 位数字）")
    upstream_code: str | None = Field(None, description="上联设备（交换机/上行链路）的编码")
    install_date: date | None = None
    warranty_until: date | None = None


class DeviceImportIn(InputSchema):
    devices: list[DeviceIn] = Field(..., max_length=100_000)


class DeviceImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class TopologyLinkIn(InputSchema):
    code: str
    upstream_code: str | None = None


class TopologyIn(InputSchema):
    links: list[TopologyLinkIn] = Field(..., max_length=100_000)


class TopologyOut(Schema):
    changed: int


class DeviceTopologyOut(Schema):
    device: DeviceOut
    upstream: list[DeviceOut]  # nearest first, up to the top
    downstream: list[DeviceOut]  # the devices directly behind it


class SlaTermPatch(InputSchema):
    tier_label: str | None = None
    definition: str | None = None
    response_value: Decimal | None = None
    response_unit: TimeUnit | None = None
    arrival_value: Decimal | None = None
    arrival_unit: TimeUnit | None = None
    repair_value: Decimal | None = None
    repair_unit: TimeUnit | None = None
    restore_value: Decimal | None = None
    restore_unit: TimeUnit | None = None
    repair_from_arrival: bool | None = None
    applies_when: TermPeriod | None = None
    notes: str | None = None


class AssignmentIn(InputSchema):
    username: str
    since: SaneDate | None = None


class AssignmentOut(Schema):
    id: int
    system_id: int
    user_id: int
    username: str = Field(..., alias="user.username")
    full_name: str = Field(..., alias="user.full_name")
    role: str = Field(..., alias="user.role")
    since: date | None


class ChangeIn(InputSchema):
    kind: ChangeKind
    effective_date: SaneDate
    description: str
    changes: dict = {}


class ChangeOut(Schema):
    id: int
    system_id: int
    kind: str
    effective_date: date
    description: str
    before: dict
    after: dict
    recorded_by: str = Field(..., alias="recorded_by.username")
    recorded_at: datetime


class SystemFilters(FilterSchema):
    q: str | None = Field(None, max_length=100)  # a search phrase; bounded like every query parameter
    unit: Id | None = None
    category: str | None = None
    deployment_kind: str | None = None
    mlps_level: int | None = None
    start_month: int | None = Field(None, ge=1, le=12)
    status: str | None = None


class DeviceFilters(FilterSchema):
    q: str | None = Field(None, max_length=100)  # a search phrase; bounded like every query parameter
    system: Id | None = None
    unit: Id | None = None
    kind: str | None = None
    device_class: str | None = None
    town: str | None = None


class SlaTermFilters(FilterSchema):
    system: Id | None = None
    unit: Id | None = None
    severity: str | None = None


class UnitFilters(FilterSchema):
    q: str | None = Field(None, max_length=100)  # a search phrase; bounded like every query parameter
