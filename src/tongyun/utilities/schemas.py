import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from tongyun.core.schemas import InputSchema


class SupplyPointOut(Schema):
    id: int
    system_id: int
    name: str
    account_number: str
    meter_number: str
    address: str
    supplier: str
    devices: str
    active: bool


class SupplyPointIn(InputSchema):
    system_id: int = Field(ge=1, le=2**62)
    name: str = Field(min_length=1, max_length=200)
    account_number: str = Field(min_length=1, max_length=60)
    meter_number: str = Field("", max_length=60)
    address: str = Field("", max_length=300)
    supplier: str = Field("", max_length=100)
    devices: str = Field("", max_length=300)


class ElectricityBillOut(Schema):
    id: int
    supply_point_id: int
    system_id: int
    month: dt.date
    kwh: Decimal
    amount: Decimal
    paid_on: dt.date | None
    note: str
    check_state: str | None


class ElectricityBillIn(InputSchema):
    supply_point_id: int = Field(ge=1, le=2**62)
    month: dt.date = Field(description="账期（该月任一天，按月计）")
    kwh: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    amount: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    paid_on: dt.date | None = None
    note: str = Field("", max_length=2000)


class BillFilters(Schema):
    system: int | None = Field(None, ge=1, le=2**62)
    unit: int | None = Field(None, ge=1, le=2**62)
    year: int | None = Field(None, ge=2020, le=2035)


class BillCheckOut(Schema):
    supply_point_id: int
    supply_point: str
    months_billed: list[dt.date]
    missing_months: list[dt.date]
    unusual_months: list[dt.date]
    total: Decimal


class NetworkLinkOut(Schema):
    id: int
    system_id: int
    kind: str
    name: str
    count: int
    bandwidth: str
    carrier: str
    monthly_fee: Decimal | None
    paid_by_contractor: bool
    source_line: int | None
    source_text: str


class LinkFilters(Schema):
    system: int | None = Field(None, ge=1, le=2**62)
    unit: int | None = Field(None, ge=1, le=2**62)
    kind: str | None = None
