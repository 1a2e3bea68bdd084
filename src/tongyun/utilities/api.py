"""/api/v1/utilities/… — supply points, electricity bills and their checks, network links."""

import datetime as dt

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.pagination import CursorPagination, paginate

from tongyun.catalog.models import System
from tongyun.core.scoping import scoped

from . import selectors, services
from .models import SupplyPoint
from .schemas import (
    BillCheckOut,
    BillFilters,
    ElectricityBillIn,
    ElectricityBillOut,
    LinkFilters,
    NetworkLinkOut,
    SupplyPointIn,
    SupplyPointOut,
)

router = Router(tags=["供电与通信"])
PAGE = {"ordering": ("id",), "page_size": 50, "max_page_size": 500}


def _bill_out(bill) -> dict:
    return {"id": bill.pk, "supply_point_id": bill.supply_point_id, "system_id": bill.supply_point.system_id,
            "month": bill.month, "kwh": bill.kwh, "amount": bill.amount, "paid_on": bill.paid_on, "note": bill.note,
            "check_state": bill.check.state if bill.check else None}


@router.get("/supply-points", response=list[SupplyPointOut])
@paginate(CursorPagination, **PAGE)
def list_supply_points(request, filters: Query[LinkFilters]):
    return selectors.supply_point_list(request.user, filters.dict(exclude_none=True))


@router.post("/supply-points", response={201: SupplyPointOut})
def create_supply_point(request, body: SupplyPointIn):
    return Status(201, services.create_supply_point(request.user, **body.dict()))


@router.get("/bills", response=list[ElectricityBillOut])
def list_bills(request, filters: Query[BillFilters]):
    """The bills the user may see (at most 2,000, newest month first)."""
    rows = selectors.with_check_state(selectors.bill_list(request.user, filters.dict(exclude_none=True))[:2000])
    return [_bill_out(b) for b in rows]


@router.get("/bills/{bill_id}", response=ElectricityBillOut)
def get_bill(request, bill_id: int):
    return _bill_out(selectors.with_check_state([selectors.bill_get(request.user, bill_id)])[0])


@router.post("/bills", response={201: ElectricityBillOut})
def record_bill(request, body: ElectricityBillIn):
    point = get_object_or_404(scoped(SupplyPoint.objects.all(), request.user), pk=body.supply_point_id)
    bill = services.record_bill(request.user, point, month=body.month, kwh=body.kwh, amount=body.amount,
                                paid_on=body.paid_on, note=body.note)
    return Status(201, _bill_out(selectors.with_check_state([bill])[0]))


@router.get("/systems/{system_id}/bill-checks", response=list[BillCheckOut])
def bill_checks(request, system_id: int, year: int | None = Query(None, ge=2020, le=2035)):
    """Per supply point: the months billed, missing and unusual in `year` (default: this year)."""
    year = year or dt.date.today().year
    system = get_object_or_404(scoped(System.objects.all(), request.user), pk=system_id)
    return [{"supply_point_id": c["point"].pk, "supply_point": str(c["point"]),
             "months_billed": [b.month for b in c["bills"]], "missing_months": c["missing"],
             "unusual_months": [m for m, _k, _u in c["unusual"]], "total": c["total"]}
            for c in selectors.bill_checks(request.user, system.pk, year)]


@router.get("/links", response=list[NetworkLinkOut])
@paginate(CursorPagination, **PAGE)
def list_links(request, filters: Query[LinkFilters]):
    return selectors.link_list(request.user, filters.dict(exclude_none=True))
