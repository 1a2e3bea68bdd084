from datetime import date, datetime

from ninja import Field, Schema

from tongyun.core.schemas import FilterSchema, Id, InputSchema, SaneDatetime
from tongyun.monitoring.choices import OutageCause


class AvailabilityFilters(FilterSchema):
    month: str | None = Field(None, description="2026-10; default: the current month (Asia/Shanghai)")
    group_by: str = Field("system", pattern="^(system|unit)$")
    unit: Id | None = None
    system: Id | None = None
    category: str | None = None


class MonthFilter(FilterSchema):
    month: str | None = Field(None, description="2026-10; default: the current month")


class FigureOut(Schema):
    device_units: int = Field(description="device units (a row of quantity N counts N)")
    measured_units: int = Field(description="device units with service time in the month")
    outages: int
    service_hours: float = Field(description="unit-hours counted (service time minus exclusions)")
    down_hours: float = Field(description="unit-hours down, exclusions removed")
    excluded_hours: float = Field(description="unit-hours excluded (approved windows, accepted outages)")
    availability: float | None = Field(description="percent, two decimals; null when nothing was in service")


class SystemFigureOut(FigureOut):
    system_id: int
    system: str
    row_no: int | None
    unit_id: int
    unit: str
    category: str
    service_start: date | None
    service_end: date | None
    in_service: bool
    device_rows: int
    target: float | None = Field(description="percent from the tender, null when none")
    shortfall: bool


class UnitFigureOut(FigureOut):
    unit_id: int
    unit: str
    systems: int
    targeted_systems: int
    shortfall_systems: int


class TotalOut(FigureOut):
    group: str
    systems: int
    shortfall_systems: int


class AvailabilityOut(Schema):
    month: str
    group_by: str
    now: datetime
    results: list[SystemFigureOut] | list[UnitFigureOut]
    total: TotalOut


class DeviceFigureOut(Schema):
    device_id: int
    device: str
    kind: str
    model: str
    location: str
    quantity: int
    outages: int
    service_hours: float = Field(description="hours per unit counted")
    excluded_hours: float = Field(description="hours per unit excluded")
    down_hours: float = Field(description="unit-hours down")
    availability: float | None


class DeviceTableOut(Schema):
    month: str
    now: datetime
    system: SystemFigureOut
    results: list[DeviceFigureOut]


class RequestFilters(FilterSchema):
    state: str | None = Field(None, pattern="^(requested|approved|rejected)$")
    unit: Id | None = None
    system: Id | None = None
    month: str | None = Field(None, description="windows overlapping this month, e.g. 2026-10")


class _RequestOut(Schema):
    id: int
    system_id: int
    system: str = Field(alias="system.name")
    unit_id: int = Field(alias="system.unit_id")
    start: datetime
    end: datetime
    device_ids: list[int]
    state: str
    requested_by: str = Field(alias="requested_by.username")
    decided_by: str | None = None
    decided_at: datetime | None
    decision_note: str

    @staticmethod
    def resolve_device_ids(obj):
        return [d.pk for d in obj.devices.all()]

    @staticmethod
    def resolve_decided_by(obj):
        return obj.decided_by.username if obj.decided_by_id else None


class WindowOut(_RequestOut):
    reason: str


class AcceptedOut(_RequestOut):
    kind: str
    description: str
    has_evidence: bool

    @staticmethod
    def resolve_has_evidence(obj):
        return bool(obj.evidence)


class WindowIn(InputSchema):
    system_id: Id
    starts_at: SaneDatetime
    ends_at: SaneDatetime
    reason: str
    device_ids: list[Id] = Field(default_factory=list, description="empty: every device of the system")


class AcceptedIn(InputSchema):
    system_id: Id
    kind: str = Field(description="force_majeure | construction | other")
    starts_at: SaneDatetime
    ends_at: SaneDatetime
    description: str
    device_ids: list[Id] = Field(default_factory=list, description="empty: every device of the system")


class DecisionIn(InputSchema):
    note: str = ""


class OutageIn(InputSchema):
    device_id: Id
    starts_at: SaneDatetime
    ends_at: SaneDatetime | None = Field(None, description="empty: still down")
    fault: str = Field("offline", description="function_lost | function_partly_lost | image_quality | "
                                              "dirty_lens | offline")
    cause: str = Field(OutageCause.MANUAL.value, description="inspection | incident | manual")
    note: str = ""
    incident_id: Id | None = None


class OutageOut(Schema):
    id: int
    device_id: int
    system_id: int
    start: datetime
    end: datetime | None
    cause: str
    fault: str
    incident_id: int | None
    note: str
